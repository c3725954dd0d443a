// Stage 4 driver: OCR every cell of a detected grid and the text lines around it.
//
// In:  the prepared page (grayscale for reading, binary for cropping: PagePreparer), its dpi,
//      and what GridDetector found on it (grids; boxes of the text lines outside them).
// Out: one Cell per grid cell (read_grid) and the TextLines that read as something (read_lines).
// Ownership: the reader borrows the caller's CellOcr, which must outlive it and is used from
//      the caller's thread only (one CellOcr per worker thread); images stay the caller's.
// Order: read_grid for each grid of the page, then read_lines; either may come alone.
#pragma once

#include <array>
#include <opencv2/core.hpp>
#include <vector>

#include "pipeline/document.h"
#include "stages/read/cell_ocr.h"

namespace juesuan {

// An OCR reading longer than this many characters (a paragraph in a 绩效目标 form) has its conf
// capped at kLongReadingConf: below kUnsureConf, so it is flagged low_confidence.
inline constexpr size_t kLongReadingChars = 30;
inline constexpr float kLongReadingConf = 0.7f;
// A reading with ASCII punctuation inside a Chinese word (AsciiPunctuationInsideHan) holds a
// misread glyph: its conf is capped here, so it is flagged low_confidence.
inline constexpr float kMisreadGlyphConf = 0.6f;
// Tesseract's mean confidence of a Chinese reading overstates it just above kUnsureConf: on the
// real-budget scans, OCR readings with Han characters at conf 0.80-0.85 were wrong 12 times in
// 97, at 0.85-0.90 never in 196 (and on the corpus scans never in either band). Below
// kHanSureConf such a reading is unsure: its conf is lowered by kHanConfShift, which puts
// 0.80-0.85 below kUnsureConf. A name later proven by the dictionary is raised again (Confirmed).
inline constexpr float kHanSureConf = 0.85f;
inline constexpr float kHanConfShift = 0.05f;
// Ellipses are recognised by shape (ReadEllipses), not by the engine: evenly spaced dots of one
// size on a line are seldom anything else.
inline constexpr float kEllipsisConf = 0.85f;

// The confidence of a cell's reading, calibrated so that below kUnsureConf means doubtful: the
// engine's mean confidence capped or lowered by the rules above.
float CalibratedConf(const Reading& rd);

class TableReader {
 public:
  // `to_input` maps the prepared page onto the page's input image (InputImage::to_input): the
  // cells' content boxes are given there. The identity keeps them on the prepared page.
  TableReader(CellOcr& ocr, int dpi, const std::array<double, 6>& to_input = {1, 0, 0, 0, 1, 0})
      : ocr_(ocr), dpi_(dpi), crop_(CropParams::ForDpi(dpi)), to_input_(to_input) {}
  // One Cell per grid cell, in grid order; blank cells are kept with empty text.
  std::vector<Cell> read_grid(const cv::Mat& gray, const cv::Mat& binary, const Grid& grid,
                              int page);
  std::vector<TextLine> read_lines(const cv::Mat& gray, const std::vector<Box>& boxes);

 private:
  // A 目录 line read without its dot leaders (LeaderDots): the text before them and the page
  // number after, joined by "……"; any other line as CellOcr::read_line reads it.
  Reading ReadLineWithoutLeaders(const cv::Mat& line);

  CellOcr& ocr_;
  int dpi_;
  CropParams crop_;
  std::array<double, 6> to_input_;
};

}  // namespace juesuan
