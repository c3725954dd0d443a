// Stage 1: PDF page -> grayscale image, with Poppler's C++ API.
// One Rasteriser owns one poppler::document, used in-process only for the page count and the
// text layer (one call at a time). Rendering happens in worker processes (render_worker.h) that
// open the same bytes through a shared memfd, so render() may be called from several threads.
#pragma once

#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "stages/common/cancel.h"
#include "stages/rasterise/render_worker.h"

namespace poppler {
class document;
}

namespace juesuan {

// A word of the PDF text layer with one box per character, in pixels of the rendered page
// (top-left origin, the page's /Rotate applied, like the rendered image).
struct TextBox {
  std::u32string text;
  cv::Rect2d box;
  std::vector<cv::Rect2d> chars;  // one per code point of `text`
  bool space_after = false;
  // Writing direction in the rendered page, quarter turns clockwise: 0 reads left to right,
  // 1 top to bottom, 2 upside down, 3 bottom to top (a page whose /Rotate turned its text).
  int quarter_turns = 0;
};

// The whole input, read once: a FIFO or /dev/stdin cannot be read twice. Throws BadInputError
// when it cannot be read or is larger than Poppler can open (2 GiB).
std::string ReadInput(const std::string& path);

class Rasteriser {
 public:
  // `pdf` is the whole file, `name` names it in messages. Throws BadInputError for input that
  // is not a PDF, damaged, encrypted or empty.
  Rasteriser(std::string pdf, const std::string& name, RasterOptions options = {});
  explicit Rasteriser(const std::string& path, RasterOptions options = {})
      : Rasteriser(ReadInput(path), path, options) {}
  ~Rasteriser();
  Rasteriser(const Rasteriser&) = delete;
  Rasteriser& operator=(const Rasteriser&) = delete;

  int page_count() const;
  // Renders page `index` (0-based) at the effective dpi (see RasterOptions), in a worker
  // process (see render_worker.h). Throws RenderError or Cancelled. Safe to call from several
  // threads at once.
  RenderedPage render(int index, const CancelToken& cancel = {}) const;
  // Renders at an explicit dpi (still capped by max_pixels).
  RenderedPage render_at(int index, int dpi, const CancelToken& cancel = {}) const;
  // The page's text layer in pixel coordinates for the given scale (pixels per point).
  // Characters whose box lies off the page are dropped and counted in `*dropped`.
  // Not thread-safe (the in-process Poppler document): one call at a time per Rasteriser.
  std::vector<TextBox> text_boxes(int index, double scale, int* dropped = nullptr) const;

 private:
  struct Memory;  // the PDF bytes in a memfd, mapped for Poppler and shared with the renderer
  std::unique_ptr<Memory> memory_;
  std::unique_ptr<poppler::document> doc_;
  // Render workers not in use; a render takes one (or starts one) and gives it back alive.
  mutable std::mutex idle_lock_;
  mutable std::vector<std::unique_ptr<RenderWorker>> idle_workers_;
  RasterOptions options_;
  int scan_dpi_ = 0;  // of the embedded page images, 0 when born digital (EstimateScanDpi)
};

// Estimates the resolution of full-page images embedded in a PDF from the image XObject
// dictionaries (streams are never inside object streams, so their /Width is always plain text)
// and the page size in points. Returns 0 when no page-sized image is found.
int EstimateScanDpi(const std::string& pdf_bytes, double page_w_pt, double page_h_pt);

}  // namespace juesuan
