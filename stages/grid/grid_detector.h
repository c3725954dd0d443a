// Stage 3: ruled table grids from a binarised, deskewed page image (OpenCV morphology).
// Finds ruling lines that survive breaks, fading and speckles, builds the lattice from their
// positions, recovers merged cells from missing separators, and returns one Grid per table.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

class GridDetector {
 public:
  explicit GridDetector(int dpi) : dpi_(dpi) {}
  // `binary`: ink = 255. Grids are ordered top to bottom.
  std::vector<Grid> detect(const cv::Mat& binary) const;
  // Boxes of text lines outside the given grids (titles, unit lines, notes), top to bottom.
  std::vector<Box> text_lines_outside(const cv::Mat& binary, const std::vector<Grid>& grids) const;

 private:
  int dpi_;
};

}  // namespace juesuan
