#include "stages/rasterise/rasteriser.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <regex>

#include "stages/common/errors.h"
#include "stages/common/utf8.h"

namespace juesuan {
namespace {

// Poppler reports syntax problems on stderr by default; we turn them into our own errors.
void QuietPoppler(const std::string&, void*) {}

std::string Utf8(const poppler::ustring& s) {
  auto bytes = s.to_utf8();
  return {bytes.begin(), bytes.end()};
}

}  // namespace

int EstimateScanDpi(const std::string& pdf, double page_w_pt, double page_h_pt) {
  if (page_w_pt <= 0 || page_h_pt <= 0) return 0;
  static const std::regex kWidth(R"(/Width\s+(\d+))"), kHeight(R"(/Height\s+(\d+))");
  std::vector<double> dpis;
  for (size_t at = pdf.find("/Image"); at != std::string::npos; at = pdf.find("/Image", at + 6)) {
    // The image dictionary surrounds the /Subtype /Image key; look at a window around it.
    size_t begin = at > 600 ? at - 600 : 0;
    size_t end = std::min(pdf.size(), at + 600);
    size_t dict_begin = pdf.rfind("obj", at);
    if (dict_begin != std::string::npos && dict_begin > begin) begin = dict_begin;
    size_t stream = pdf.find("stream", at);
    if (stream != std::string::npos && stream < end) end = stream;
    std::string window = pdf.substr(begin, end - begin);
    std::smatch w, h;
    if (!std::regex_search(window, w, kWidth) || !std::regex_search(window, h, kHeight)) continue;
    double iw = std::stod(w[1]), ih = std::stod(h[1]);
    if (iw < 300 || ih < 300) continue;  // logos and seals, not page scans
    for (auto [pw, ph] : {std::pair{page_w_pt, page_h_pt}, std::pair{page_h_pt, page_w_pt}}) {
      if (std::abs(iw / ih - pw / ph) < 0.03 * (pw / ph)) dpis.push_back(iw / (pw / 72.0));
    }
  }
  if (dpis.empty()) return 0;
  std::nth_element(dpis.begin(), dpis.begin() + dpis.size() / 2, dpis.end());
  return static_cast<int>(std::lround(dpis[dpis.size() / 2]));
}

// The bytes live in one memfd: mapped read-only for the in-process document (page count, text
// layer) and handed to every render worker as its fd 3, so the PDF is held in memory once.
struct Rasteriser::Memory {
  int fd = -1;
  void* map = MAP_FAILED;
  size_t size = 0;
  ~Memory() {
    if (map != MAP_FAILED) munmap(map, size);
    if (fd >= 0) close(fd);
  }
};

std::string ReadInput(const std::string& path) {
  // One sequential read, whatever the file is (regular, FIFO, /dev/stdin).
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BadInputError("cannot open file: " + path);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw BadInputError("cannot read file: " + path);
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw BadInputError("PDF larger than 2 GiB (Poppler's limit): " + path);
  return bytes;
}

Rasteriser::Rasteriser(std::string bytes, const std::string& path, RasterOptions options)
    : memory_(std::make_unique<Memory>()), options_(options) {
  poppler::set_debug_error_function(QuietPoppler, nullptr);
  if (bytes.empty()) throw BadInputError("empty file: " + path);
  if (bytes.substr(0, 1024).find("%PDF-") == std::string::npos)
    throw BadInputError("not a PDF (no %PDF- header): " + path);
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw BadInputError("PDF larger than 2 GiB (Poppler's limit): " + path);
  Memory& m = *memory_;
  m.fd = memfd_create("juesuan-pdf", MFD_CLOEXEC);
  m.size = bytes.size();
  bool written = m.fd >= 0;
  for (size_t at = 0; written && at < bytes.size();) {
    ssize_t n = write(m.fd, bytes.data() + at, bytes.size() - at);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    at += written ? static_cast<size_t>(n) : 0;
  }
  if (written) m.map = mmap(nullptr, m.size, PROT_READ, MAP_SHARED, m.fd, 0);
  if (!written || m.map == MAP_FAILED)
    throw std::runtime_error(std::string("cannot hold the PDF in memory: ") + std::strerror(errno));
  doc_.reset(poppler::document::load_from_raw_data(static_cast<const char*>(m.map),
                                                   static_cast<int>(m.size)));
  if (!doc_) throw BadInputError("damaged or truncated PDF, Poppler cannot open it: " + path);
  if (doc_->is_locked()) throw BadInputError("encrypted PDF needs a password: " + path);
  if (doc_->pages() <= 0) throw BadInputError("PDF has no pages: " + path);
  std::unique_ptr<poppler::page> first(doc_->create_page(0));
  if (!first) throw BadInputError("damaged PDF, first page unreadable: " + path);
  auto rect = first->page_rect(poppler::media_box);
  scan_dpi_ = EstimateScanDpi(bytes, rect.width(), rect.height());
}

Rasteriser::~Rasteriser() = default;

int Rasteriser::page_count() const { return doc_->pages(); }

RenderedPage Rasteriser::render(int index, const CancelToken& cancel) const {
  int dpi = options_.dpi;
  if (options_.respect_scan_dpi && scan_dpi_ >= 100 && scan_dpi_ < dpi) dpi = scan_dpi_;
  return render_at(index, dpi, cancel);
}

RenderedPage Rasteriser::render_at(int index, int dpi, const CancelToken& cancel) const {
  std::unique_ptr<RenderWorker> worker;
  {
    std::lock_guard<std::mutex> lock(idle_lock_);
    if (!idle_workers_.empty()) {
      worker = std::move(idle_workers_.back());
      idle_workers_.pop_back();
    }
  }
  if (!worker) worker = std::make_unique<RenderWorker>(memory_->fd, options_.limits);
  RenderedPage page = worker->render(index, dpi, cancel);  // a failed worker dies here
  std::lock_guard<std::mutex> lock(idle_lock_);
  idle_workers_.push_back(std::move(worker));
  return page;
}

std::vector<TextBox> Rasteriser::text_boxes(int index, double scale, int* dropped) const {
  std::unique_ptr<poppler::page> page(doc_->create_page(index));
  std::vector<TextBox> out;
  if (dropped) *dropped = 0;
  if (!page) return out;
  auto px = [scale](const poppler::rectf& r) {
    return cv::Rect2d(r.x() * scale, r.y() * scale, r.width() * scale, r.height() * scale);
  };
  // Characters are kept only when they lie on the page: a text layer may place glyphs at any
  // coordinate (1e9 in a damaged file), and such a glyph is invisible on the printed page.
  const poppler::rectf rect = page->page_rect();
  const bool sideways = page->orientation() == poppler::page::landscape ||
                        page->orientation() == poppler::page::seascape;
  const double page_w = (sideways ? rect.height() : rect.width()) * scale;
  const double page_h = (sideways ? rect.width() : rect.height()) * scale;
  const double margin_x = page_w * 0.05, margin_y = page_h * 0.05;
  auto on_page = [&](const cv::Rect2d& b) {
    const double cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    return std::isfinite(cx) && std::isfinite(cy) && std::isfinite(b.width) &&
           std::isfinite(b.height) && cx >= -margin_x && cy >= -margin_y &&
           cx <= page_w + margin_x && cy <= page_h + margin_y && b.width <= page_w &&
           b.height <= page_h;
  };
  for (const auto& tb : page->text_list()) {
    const std::u32string text = DecodeUtf8(Utf8(tb.text()));
    TextBox box;
    box.space_after = tb.has_space_after();
    box.quarter_turns = ((tb.rotation() % 4) + 4) % 4;
    for (size_t i = 0; i < text.size(); ++i) {
      cv::Rect2d c = px(tb.char_bbox(i));
      if (!on_page(c)) {
        if (dropped) ++*dropped;
        continue;
      }
      box.text.push_back(text[i]);
      box.chars.push_back(c);
      box.box = box.chars.size() == 1 ? c : (box.box | c);
    }
    if (box.text.empty()) continue;
    if (box.text.size() == text.size()) box.box = px(tb.bbox());  // as Poppler measured the word
    out.push_back(std::move(box));
  }
  return out;
}

}  // namespace juesuan
