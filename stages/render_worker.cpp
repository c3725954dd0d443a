#include "stages/render_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "stages/rasteriser.h"

extern char** environ;

namespace juesuan {
namespace {

constexpr int kPdfFd = 3;               // where the worker finds its PDF
constexpr int32_t kMagic = 0x3152534A;  // "JSR1": the worker's reply header starts with it
constexpr size_t kMaxMessage = 4096;    // of the worker's stderr kept for the error message

struct Header {
  int32_t magic = kMagic, width = 0, height = 0, dpi = 0;
};

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(std::exchange(o.fd_, -1));
    return *this;
  }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

std::pair<UniqueFd, UniqueFd> Pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw RenderError(std::string("cannot create a pipe: ") + std::strerror(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// A spawned worker: killed and reaped when it goes out of scope before exiting by itself.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  void kill() const { ::kill(pid_, SIGKILL); }
  // Reaps the worker and returns its wait status.
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

// Why a worker ended without a page, for the page's warnings.
std::string Failure(int status, const std::string& stderr_text, const RenderLimits& limits) {
  const bool out_of_memory = stderr_text.find("Out of memory") != std::string::npos ||
                             stderr_text.find("bad_alloc") != std::string::npos;
  if (out_of_memory)
    return "rendering needs more than " + std::to_string(limits.memory_mb) +
           " MB (the render memory limit)";
  if (WIFSIGNALED(status))
    return std::string("the renderer crashed (") + strsignal(WTERMSIG(status)) + ")" +
           (stderr_text.empty() ? "" : ": " + LastLine(stderr_text));
  if (!stderr_text.empty()) return LastLine(stderr_text);
  return "the renderer failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
}

// Reads the worker's reply (header, then rows) and its messages until both pipes close,
// polling the cancel token and the time limit in between.
void Collect(Child& child, int out_fd, int err_fd, const RenderLimits& limits,
             const CancelToken& cancel, Header* header, cv::Mat* gray, std::string* messages) {
  const auto started = CancelToken::Clock::now();
  std::vector<uchar> head(sizeof(Header));
  size_t head_filled = 0, pixels_filled = 0;
  bool out_open = true, err_open = true;
  std::array<char, 65536> buf{};
  while (out_open || err_open) {
    if (cancel.cancelled()) {
      child.kill();
      cancel.check("rasterise");
    }
    const double took = std::chrono::duration<double>(CancelToken::Clock::now() - started).count();
    if (limits.seconds > 0 && took > limits.seconds) {
      child.kill();
      throw RenderError("rendering took longer than " + std::to_string(int(limits.seconds)) +
                        " s (the render time limit)");
    }
    std::array<pollfd, 2> fds{
        {{out_open ? out_fd : -1, POLLIN, 0}, {err_open ? err_fd : -1, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR)
      throw RenderError(std::string("poll: ") + std::strerror(errno));
    if (fds[1].revents) {
      ssize_t n = ::read(err_fd, buf.data(), buf.size());
      if (n <= 0 && errno != EINTR) err_open = false;
      if (n > 0 && messages->size() < kMaxMessage) messages->append(buf.data(), size_t(n));
    }
    if (!fds[0].revents) continue;
    if (head_filled < head.size()) {
      ssize_t n = ::read(out_fd, head.data() + head_filled, head.size() - head_filled);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        out_open = false;
        continue;
      }
      head_filled += size_t(n);
      if (head_filled < head.size()) continue;
      std::memcpy(header, head.data(), sizeof(Header));
      const long long px = static_cast<long long>(header->width) * header->height;
      if (header->magic != kMagic || header->width <= 0 || header->height <= 0 ||
          px > limits.max_pixels * 2)
        throw RenderError("the renderer sent a malformed reply");
      gray->create(header->height, header->width, CV_8UC1);
      continue;
    }
    const size_t total = gray->total();
    ssize_t n = ::read(out_fd, gray->data + pixels_filled, total - pixels_filled);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      out_open = false;
      continue;
    }
    pixels_filled += size_t(n);
  }
  if (head_filled < head.size() || pixels_filled < gray->total()) gray->release();
}

// The worker side: one page, rendered exactly as the in-process path used to.
RenderedPage RenderPage(poppler::document& doc, int index, int dpi, long long max_pixels) {
  std::unique_ptr<poppler::page> page(doc.create_page(index));
  if (!page) throw RenderError("page " + std::to_string(index + 1) + " cannot be read");
  auto rect = page->page_rect();
  double w_in = rect.width() / 72.0, h_in = rect.height() / 72.0;
  if (!(w_in > 0 && h_in > 0) || !std::isfinite(w_in * h_in))
    throw RenderError("page " + std::to_string(index + 1) + " has no size");
  // Cap the pixel count: a poster-sized page renders at a lower resolution, never out of memory.
  double px = w_in * h_in * dpi * dpi;
  if (px > static_cast<double>(max_pixels))
    dpi = std::max(10, static_cast<int>(dpi * std::sqrt(max_pixels / px)));
  if (w_in * dpi < 1 || h_in * dpi < 1 || w_in * h_in * dpi * dpi > 2.0 * max_pixels)
    throw RenderError("page " + std::to_string(index + 1) + " has an unusable size (" +
                      std::to_string(rect.width()) + " x " + std::to_string(rect.height()) +
                      " pt)");
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_bgr24);
  poppler::image img = renderer.render_page(page.get(), dpi, dpi);
  if (!img.is_valid())
    throw RenderError("page " + std::to_string(index + 1) + " cannot be rendered");
  cv::Mat bgr(img.height(), img.width(), CV_8UC3, const_cast<char*>(img.const_data()),
              static_cast<size_t>(img.bytes_per_row()));
  RenderedPage out;
  out.gray = DropRed(bgr);  // owns its pixels; poppler's buffer dies with `img`
  out.dpi = dpi;
  out.scale = dpi / 72.0;
  return out;
}

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

void QuietPoppler(const std::string&, void*) {}

}  // namespace

const std::string& RenderWorkerPath() {
  static const std::string path = [] {
    std::vector<std::string> tried;
    if (const char* env = std::getenv("JUESUAN_RENDER_WORKER")) tried.push_back(env);
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) tried.push_back((self.parent_path() / "juesuan-render").string());
#ifdef JUESUAN_RENDER_WORKER_BUILT
    tried.push_back(JUESUAN_RENDER_WORKER_BUILT);
#endif
    for (const auto& p : tried)
      if (::access(p.c_str(), X_OK) == 0) return p;
    std::string list;
    for (const auto& p : tried) list += (list.empty() ? "" : ", ") + p;
    throw std::runtime_error("the page renderer juesuan-render was not found (looked for " + list +
                             "); set JUESUAN_RENDER_WORKER");
  }();
  return path;
}

RenderedPage RenderInWorker(int pdf_fd, int index, int dpi, const RenderLimits& limits,
                            const CancelToken& cancel) {
  cancel.check("rasterise");
  auto [out_read, out_write] = Pipe();
  auto [err_read, err_write] = Pipe();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::unique_ptr<posix_spawn_file_actions_t, int (*)(posix_spawn_file_actions_t*)> actions_owner(
      &actions, posix_spawn_file_actions_destroy);
  // dup2 onto a different number clears close-on-exec on the copy only; the originals stay
  // private to this process, so workers of other documents never see each other's files.
  UniqueFd pdf_copy;
  if (pdf_fd == kPdfFd) {
    pdf_copy.reset(::fcntl(pdf_fd, F_DUPFD_CLOEXEC, 10));
    pdf_fd = pdf_copy.get();
  }
  posix_spawn_file_actions_adddup2(&actions, pdf_fd, kPdfFd);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  std::vector<std::string> args = {RenderWorkerPath(), std::to_string(index), std::to_string(dpi),
                                   std::to_string(limits.max_pixels),
                                   std::to_string(limits.memory_mb)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  if (spawned != 0)
    throw RenderError("cannot start the renderer " + args[0] + ": " + std::strerror(spawned));
  Child child(pid);
  out_write.reset();
  err_write.reset();
  Header header;
  RenderedPage page;
  std::string messages;
  Collect(child, out_read.get(), err_read.get(), limits, cancel, &header, &page.gray, &messages);
  const int status = child.wait();
  // Poppler reports an allocation it could not make and draws on without it: the page would
  // come out with its scan missing, so it counts as failed.
  const bool out_of_memory = messages.find("Out of memory") != std::string::npos;
  const bool ok =
      WIFEXITED(status) && WEXITSTATUS(status) == 0 && !page.gray.empty() && !out_of_memory;
  if (!ok)
    throw RenderError("page " + std::to_string(index + 1) + ": " +
                      Failure(status, messages, limits));
  page.dpi = header.dpi;
  page.scale = header.dpi / 72.0;
  return page;
}

int RenderWorkerMain(int argc, char** argv) {
  if (argc != 5) {
    std::fputs("usage: juesuan-render PAGE DPI MAX_PIXELS MEMORY_MB (the PDF on fd 3)\n", stderr);
    return 2;
  }
  try {
    const int index = std::stoi(argv[1]), dpi = std::stoi(argv[2]);
    const long long max_pixels = std::stoll(argv[3]);
    const rlim_t memory = static_cast<rlim_t>(std::stoll(argv[4])) << 20;
    if (memory > 0) {
      rlimit as{memory, memory};
      setrlimit(RLIMIT_AS, &as);
    }
    struct stat st {};
    if (fstat(kPdfFd, &st) != 0 || st.st_size <= 0) throw RenderError("no PDF on fd 3");
    void* map = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, kPdfFd, 0);
    if (map == MAP_FAILED) throw RenderError(std::string("mmap: ") + std::strerror(errno));
    poppler::set_debug_error_function(QuietPoppler, nullptr);
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        static_cast<const char*>(map), static_cast<int>(st.st_size)));
    if (!doc) throw RenderError("Poppler cannot open the PDF");
    RenderedPage page = RenderPage(*doc, index, dpi, max_pixels);
    Header header{kMagic, page.gray.cols, page.gray.rows, page.dpi};
    if (!WriteAll(STDOUT_FILENO, &header, sizeof header)) return 1;
    for (int y = 0; y < page.gray.rows; ++y)
      if (!WriteAll(STDOUT_FILENO, page.gray.ptr(y), size_t(page.gray.cols))) return 1;
    return 0;
  } catch (const std::bad_alloc&) {
    std::fputs("Out of memory\n", stderr);
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

}  // namespace juesuan
