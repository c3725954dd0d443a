// Stage 4 driver: OCR every cell of a detected grid and the text lines around it.
// Image in, cells out; the engines come from the caller (one CellOcr per worker thread).
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "pipeline/document.h"
#include "stages/read/cell_ocr.h"

namespace juesuan {

class TableReader {
 public:
  TableReader(CellOcr& ocr, int dpi) : ocr_(ocr), dpi_(dpi) {}
  // One Cell per grid cell, in grid order; blank cells are kept with empty text.
  std::vector<Cell> read_grid(const cv::Mat& gray, const cv::Mat& binary, const Grid& grid,
                              int page);
  std::vector<TextLine> read_lines(const cv::Mat& gray, const std::vector<Box>& boxes);

 private:
  CellOcr& ocr_;
  int dpi_;
};

}  // namespace juesuan
