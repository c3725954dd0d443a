#include "stages/rasterise/render_worker.h"

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
#include <opencv2/imgproc.hpp>
#include <vector>

extern char** environ;

namespace juesuan {
namespace {

constexpr int kPdfFd = 3;                    // where the worker finds its PDF
constexpr int32_t kMagic = 0x3152534A;       // "JSR1": a page follows the header
constexpr int32_t kErrorMagic = 0x3152454A;  // "JER1": a message of `width` bytes follows
constexpr size_t kMaxMessage = 4096;         // of the worker's stderr kept for the error message

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

cv::Mat DropRed(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  // Red seals and red stamps overlap table text; a reddish pixel takes its red channel, which
  // is light for red ink and dark for black ink, so the seal fades and the text stays.
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* p = bgr.ptr<cv::Vec3b>(y);
    auto* g = gray.ptr<uchar>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      int b = p[x][0], gr = p[x][1], r = p[x][2];
      if (r - std::max(gr, b) > 50) g[x] = static_cast<uchar>(r);
    }
  }
  return gray;
}

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

struct RenderWorker::Process {
  pid_t pid = -1;
  UniqueFd requests, replies, messages;  // its stdin, stdout, stderr
  std::string stderr_text;               // what it said since the last page, capped

  // Kills and reaps the worker; returns its wait status.
  int end(bool kill) {
    if (pid <= 0) return 0;
    requests.reset();  // a waiting worker exits on end of input
    if (kill) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    return status;
  }
  // Reads whatever the worker wrote on stderr without waiting.
  void drain_messages() {
    std::array<char, 4096> buf{};
    for (;;) {
      pollfd fd{messages.get(), POLLIN, 0};
      if (::poll(&fd, 1, 0) <= 0 || !(fd.revents & (POLLIN | POLLHUP))) return;
      ssize_t n = ::read(messages.get(), buf.data(), buf.size());
      if (n <= 0) return;
      if (stderr_text.size() < kMaxMessage) stderr_text.append(buf.data(), size_t(n));
    }
  }
};

RenderWorker::RenderWorker(int pdf_fd, const RenderLimits& limits)
    : process_(std::make_unique<Process>()), limits_(limits) {
  auto [in_read, in_write] = Pipe();
  auto [out_read, out_write] = Pipe();
  auto [err_read, err_write] = Pipe();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::unique_ptr<posix_spawn_file_actions_t, int (*)(posix_spawn_file_actions_t*)> owner(
      &actions, posix_spawn_file_actions_destroy);
  // dup2 onto a different number clears close-on-exec on the copy only; the originals stay
  // private to this process, so the workers of other documents never see each other's files.
  UniqueFd pdf_copy;
  if (pdf_fd == kPdfFd) {
    pdf_copy.reset(::fcntl(pdf_fd, F_DUPFD_CLOEXEC, 10));
    pdf_fd = pdf_copy.get();
  }
  posix_spawn_file_actions_adddup2(&actions, pdf_fd, kPdfFd);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  std::vector<std::string> args = {RenderWorkerPath(), std::to_string(limits.max_pixels),
                                   std::to_string(limits.memory_mb)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int spawned =
      posix_spawn(&process_->pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  if (spawned != 0) {
    process_->pid = -1;
    throw RenderError("cannot start the renderer " + args[0] + ": " + std::strerror(spawned));
  }
  process_->requests = std::move(in_write);
  process_->replies = std::move(out_read);
  process_->messages = std::move(err_read);
}

RenderWorker::~RenderWorker() { process_->end(true); }

bool RenderWorker::alive() const { return process_->pid > 0; }

namespace {

// Writes a request to a worker. SIGPIPE would end this whole process if the worker had died: a
// write to a dead worker must fail with EPIPE instead (MSG_NOSIGNAL does not apply to pipes).
bool WriteWithoutSigpipe(int fd, const std::string& request) {
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  const bool sent = WriteAll(fd, request.data(), request.size());
  timespec zero{0, 0};
  while (sigtimedwait(&pipe_set, nullptr, &zero) > 0) {  // drop the SIGPIPE of this thread
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  return sent;
}

// Makes room for the body a reply's header announces: the page image, or the error message.
// Throws RenderError for a header that is neither (or too large to be true).
void SizeReplyBody(const Header& header, const RenderLimits& limits, RenderedPage& page,
                   std::string& error_message) {
  const long long px = static_cast<long long>(header.width) * header.height;
  if (header.magic == kErrorMagic && header.width > 0 &&
      static_cast<size_t>(header.width) <= kMaxMessage)
    error_message.resize(size_t(header.width));
  else if (header.magic == kMagic && header.width > 0 && header.height > 0 &&
           px <= 2 * limits.max_pixels)
    page.gray.create(header.height, header.width, CV_8UC1);
  else
    throw RenderError("the renderer sent a malformed reply");
}

}  // namespace

RenderedPage RenderWorker::render(int index, int dpi, const CancelToken& cancel) {
  Process& p = *process_;
  if (p.pid <= 0) throw RenderError("the renderer has ended");
  // Any exit from here but a clean reply kills the worker: its state is unknown.
  struct KillUnlessDone {
    Process& p;
    bool done = false;
    ~KillUnlessDone() {
      if (!done) p.end(true);
    }
  } guard{p};
  cancel.check("rasterise");
  p.stderr_text.clear();
  const std::string request = std::to_string(index) + " " + std::to_string(dpi) + "\n";
  const bool sent = WriteWithoutSigpipe(p.requests.get(), request);

  const auto started = CancelToken::Clock::now();
  Header header;
  std::vector<char> head(sizeof(Header));
  size_t head_filled = 0, body_filled = 0;
  RenderedPage page;
  std::string error_message;
  bool complete = false, replies_open = sent;
  while (replies_open && !complete) {
    cancel.check("rasterise");
    const double took = std::chrono::duration<double>(CancelToken::Clock::now() - started).count();
    if (limits_.seconds > 0 && took > limits_.seconds)
      throw RenderError("page " + std::to_string(index + 1) + ": rendering took longer than " +
                        std::to_string(static_cast<int>(limits_.seconds)) +
                        " s (the render time limit)");
    std::array<pollfd, 2> fds{{{p.replies.get(), POLLIN, 0}, {p.messages.get(), POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR)
      throw RenderError(std::string("poll: ") + std::strerror(errno));
    if (fds[1].revents) p.drain_messages();
    if (!fds[0].revents) continue;
    char* target = nullptr;
    size_t want = 0;
    if (head_filled < head.size()) {
      target = head.data() + head_filled, want = head.size() - head_filled;
    } else if (header.magic == kMagic) {
      target = reinterpret_cast<char*>(page.gray.data) + body_filled;
      want = page.gray.total() - body_filled;
    } else {
      target = error_message.data() + body_filled, want = error_message.size() - body_filled;
    }
    ssize_t n = ::read(p.replies.get(), target, want);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      replies_open = false;
      continue;
    }
    if (head_filled < head.size()) {
      head_filled += size_t(n);
      if (head_filled < head.size()) continue;
      std::memcpy(&header, head.data(), sizeof header);
      SizeReplyBody(header, limits_, page, error_message);
    } else {
      body_filled += size_t(n);
    }
    const size_t body = header.magic == kMagic ? page.gray.total() : error_message.size();
    complete = head_filled == head.size() && body_filled == body;
  }
  p.drain_messages();
  // Poppler reports an allocation it could not make and draws on without it: the page would
  // come out with its scan missing, so it counts as failed (and the worker is replaced).
  const bool out_of_memory = p.stderr_text.find("Out of memory") != std::string::npos;
  if (complete && !out_of_memory) {
    guard.done = true;
    if (header.magic == kErrorMagic) throw RenderError(error_message);  // the worker lives on
    page.dpi = header.dpi;
    page.scale = header.dpi / 72.0;
    return page;
  }
  const int status = p.end(!complete);
  if (!complete) p.drain_messages();
  throw RenderError("page " + std::to_string(index + 1) + ": " +
                    Failure(status, p.stderr_text, limits_));
}

int RenderWorkerMain(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: juesuan-render MAX_PIXELS MEMORY_MB (the PDF on fd 3, requests on stdin)\n",
               stderr);
    return 2;
  }
  try {
    const long long max_pixels = std::stoll(argv[1]);
    const rlim_t memory = static_cast<rlim_t>(std::stoll(argv[2])) << 20;
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
    int index = 0, dpi = 0;
    while (std::scanf("%d %d", &index, &dpi) == 2) {
      RenderedPage page;
      try {
        page = RenderPage(*doc, index, dpi, max_pixels);
      } catch (const RenderError& e) {  // this page only: answer and wait for the next one
        const std::string what = std::string(e.what()).substr(0, kMaxMessage);
        Header header{kErrorMagic, static_cast<int32_t>(what.size()), 0, 0};
        if (!WriteAll(STDOUT_FILENO, &header, sizeof header) ||
            !WriteAll(STDOUT_FILENO, what.data(), what.size()))
          return 1;
        continue;
      }
      Header header{kMagic, page.gray.cols, page.gray.rows, page.dpi};
      if (!WriteAll(STDOUT_FILENO, &header, sizeof header)) return 1;
      for (int y = 0; y < page.gray.rows; ++y)
        if (!WriteAll(STDOUT_FILENO, page.gray.ptr(y), size_t(page.gray.cols))) return 1;
    }
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
