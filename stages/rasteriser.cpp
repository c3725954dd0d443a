#include "stages/rasteriser.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <regex>

#include "pipeline/errors.h"
#include "stages/cell_ocr.h"

namespace juesuan {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BadInputError("cannot open file: " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Poppler reports syntax problems on stderr by default; we turn them into our own errors.
void QuietPoppler(const std::string&, void*) {}

std::string Utf8(const poppler::ustring& s) {
  auto bytes = s.to_utf8();
  return {bytes.begin(), bytes.end()};
}

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

Rasteriser::Rasteriser(const std::string& path, RasterOptions options) : options_(options) {
  poppler::set_debug_error_function(QuietPoppler, nullptr);
  const std::string bytes = ReadFile(path);
  if (bytes.empty()) throw BadInputError("empty file: " + path);
  if (bytes.substr(0, 1024).find("%PDF-") == std::string::npos)
    throw BadInputError("not a PDF (no %PDF- header): " + path);
  // load_from_data takes the buffer over (swaps it), so the file is read once.
  poppler::byte_array data(bytes.begin(), bytes.end());
  doc_.reset(poppler::document::load_from_data(&data));
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

RenderedPage Rasteriser::render(int index) const {
  int dpi = options_.dpi;
  if (options_.respect_scan_dpi && scan_dpi_ >= 100 && scan_dpi_ < dpi) dpi = scan_dpi_;
  return render_at(index, dpi);
}

RenderedPage Rasteriser::render_at(int index, int dpi) const {
  std::unique_ptr<poppler::page> page(doc_->create_page(index));
  if (!page) throw BadInputError("page " + std::to_string(index + 1) + " cannot be read");
  auto rect = page->page_rect();
  double w_in = rect.width() / 72.0, h_in = rect.height() / 72.0;
  if (w_in <= 0 || h_in <= 0)
    throw BadInputError("page " + std::to_string(index + 1) + " has no size");
  // Cap the pixel count: a poster-sized page renders at a lower resolution, never out of memory.
  double px = w_in * h_in * dpi * dpi;
  if (px > static_cast<double>(options_.max_pixels))
    dpi = std::max(10, static_cast<int>(dpi * std::sqrt(options_.max_pixels / px)));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_bgr24);
  poppler::image img = renderer.render_page(page.get(), dpi, dpi);
  if (!img.is_valid())
    throw BadInputError("page " + std::to_string(index + 1) + " cannot be rendered");
  cv::Mat bgr(img.height(), img.width(), CV_8UC3, const_cast<char*>(img.const_data()),
              static_cast<size_t>(img.bytes_per_row()));
  RenderedPage out;
  out.gray = DropRed(bgr);  // owns its pixels; poppler's buffer dies with `img`
  out.dpi = dpi;
  out.scale = dpi / 72.0;
  return out;
}

std::vector<TextBox> Rasteriser::text_boxes(int index, double scale) const {
  std::unique_ptr<poppler::page> page(doc_->create_page(index));
  std::vector<TextBox> out;
  if (!page) return out;
  auto px = [scale](const poppler::rectf& r) {
    return cv::Rect2d(r.x() * scale, r.y() * scale, r.width() * scale, r.height() * scale);
  };
  for (const auto& tb : page->text_list()) {
    TextBox box;
    box.text = DecodeUtf8(Utf8(tb.text()));
    box.box = px(tb.bbox());
    box.space_after = tb.has_space_after();
    box.quarter_turns = ((tb.rotation() % 4) + 4) % 4;
    for (size_t i = 0; i < box.text.size(); ++i) box.chars.push_back(px(tb.char_bbox(i)));
    out.push_back(std::move(box));
  }
  return out;
}

}  // namespace juesuan
