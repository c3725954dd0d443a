// The extract pipeline: a oneTBB flow graph that carries the pages of one PDF through
// rasterise -> prepare -> find grids -> OCR, then assembles the tables of the document.
//
//   pages --> limiter --> rasterise (serial: one Poppler document) --> prepare --> find grids
//                ^                                                                   |
//                +------------------- page done <-- read cells (OCR) <---------------+
//
// The limiter caps pages in flight so memory stays flat however long the document is.
#pragma once

#include <memory>
#include <string>

#include "pipeline/document.h"
#include "stages/cell_ocr.h"
#include "stages/rasteriser.h"

namespace juesuan {

// Which pages are read with OCR: auto = pages whose text layer is missing or unusable.
enum class OcrMode { kAuto, kAlways, kNever };

struct ExtractOptions {
  RasterOptions raster;
  OcrMode ocr_mode = OcrMode::kAuto;
  int text_layer_dpi = 150;  // grid finding only: text comes from the PDF, so less is enough
  OcrOptions ocr;
  int threads = 0;        // 0: all cores
  std::string debug_dir;  // when set: one PNG per page with the grid, cells and text drawn
};

class Extractor {
 public:
  explicit Extractor(ExtractOptions options);
  ~Extractor();
  // Throws BadInputError for unreadable input. Problems on single pages become page warnings.
  Document extract(const std::string& pdf_path);

 private:
  struct Engines;  // per-thread OCR engines, created on first use and reused
  ExtractOptions options_;
  std::unique_ptr<Engines> engines_;
};

}  // namespace juesuan
