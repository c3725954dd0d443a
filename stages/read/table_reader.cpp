#include "stages/read/table_reader.h"

#include <algorithm>
#include <map>

#include "stages/common/text_normalise.h"
#include "stages/prepare/input_frame.h"
#include "stages/read/leader_dots.h"

namespace juesuan {

std::vector<Cell> TableReader::read_grid(const cv::Mat& gray, const cv::Mat& binary,
                                         const Grid& grid, int page) {
  std::vector<Cell> cells(grid.cells.size());
  // Column by column, so that a column that has shown itself to be text skips the digit model.
  std::vector<size_t> order(grid.cells.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return grid.cells[a].c < grid.cells[b].c; });
  std::map<int, int> text_votes, number_votes;
  for (size_t i : order) {
    const GridCell& g = grid.cells[i];
    Cell& cell = cells[i];
    cell.r = g.r, cell.c = g.c, cell.rs = g.rs, cell.cs = g.cs;
    cell.page = page;
    cell.bbox = g.box;
    cell.row_inferred = g.row_inferred;
    bool multiline = false;
    std::vector<cv::Point> ink;
    cv::Mat crop = CropCell(gray, binary, g.box, crop_, &multiline, &ink);
    if (crop.empty()) {
      // A blank template's "…" rows: dots the crop dropped as specks.
      cell.text = cell.raw = ReadEllipses(binary, g.box, crop_, dpi_);
      cell.conf = cell.text.empty() ? 0.f : kEllipsisConf;
      if (!cell.text.empty())
        cell.content_bbox = MapPixelsToInput(to_input_, EllipsisOutline(binary, g.box, crop_));
      continue;
    }
    // Ink that OCR reads as nothing is still ink: the box says where it is.
    cell.content_bbox = MapPixelsToInput(to_input_, ink);
    bool text_column = g.cs == 1 && text_votes[g.c] >= 2 && number_votes[g.c] == 0;
    Reading rd =
        ocr_.read_cell(crop, dpi_, multiline, text_column ? CellHint::kText : CellHint::kAuto);
    cell.text = rd.text;
    cell.raw = rd.raw;
    cell.alternatives = rd.alternatives;
    cell.conf = rd.conf;
    // Ink that OCR turned into nothing: the cell is not known to be blank.
    if (rd.text.empty()) cell.flags.push_back("unreadable");
    if (!rd.text.empty() && (TwoRunsFarApart(crop, dpi_) || LabelRunIntoAnAmount(rd.text)))
      cell.flags.push_back("gap_in_text");
    cell.conf = CalibratedConf(rd);
    if (g.cs == 1 && !rd.text.empty()) ++(rd.numeric ? number_votes : text_votes)[g.c];
  }
  return cells;
}

float CalibratedConf(const Reading& rd) {
  float conf = rd.conf;
  if (!rd.numeric && conf < kHanSureConf && HasHan(rd.text))
    conf = std::max(0.f, conf - kHanConfShift);
  if (AsciiPunctuationInsideHan(rd.text)) conf = std::min(conf, kMisreadGlyphConf);
  // Tesseract's mean word confidence says little about a paragraph: one slip in a hundred
  // characters makes the cell wrong (on the real-budget scans no OCR reading of more than 30
  // characters was exact, 8 of 8 wrong at conf >= 0.8).
  if (U32Length(rd.text) > kLongReadingChars) conf = std::min(conf, kLongReadingConf);
  return conf;
}

Reading TableReader::ReadLineWithoutLeaders(const cv::Mat& line) {
  const auto leaders = LeaderDots(line, dpi_);
  if (!leaders) return ocr_.read_line(line, dpi_);
  // The text before the dots and the page number after them, each read alone; the dots are
  // written as one "……" (what they print), so the line still says it is a contents entry.
  const int margin = std::max(2, dpi_ / 30);
  Reading before, after;
  if (leaders->start > margin) before = ocr_.read_line(line.colRange(0, leaders->start), dpi_);
  if (line.cols - leaders->end > margin)
    after = ocr_.read_line(line.colRange(leaders->end, line.cols), dpi_);
  const int parts = !before.text.empty() + !after.text.empty();
  if (parts == 0) return {};  // leaders alone: nothing to read
  Reading out;
  out.text = before.text + "……" + after.text;
  out.raw = before.raw + "……" + after.raw;
  out.conf = (before.conf + after.conf) / static_cast<float>(parts);
  return out;
}

std::vector<TextLine> TableReader::read_lines(const cv::Mat& gray, const std::vector<Box>& boxes) {
  std::vector<TextLine> out;
  for (const auto& b : boxes) {
    cv::Rect r = cv::Rect(b.x, b.y, b.w, b.h) & cv::Rect(0, 0, gray.cols, gray.rows);
    if (r.width <= 0 || r.height <= 0) continue;
    Reading rd = ReadLineWithoutLeaders(gray(r));
    if (rd.text.empty()) continue;
    out.push_back({rd.text, b, rd.conf});
  }
  return out;
}

}  // namespace juesuan
