// Stage 4: read the text of table cells and loose text lines with Tesseract (LSTM).
// One CellOcr holds its engines for its whole life (Init is costly); create one per worker
// thread and never share it: TessBaseAPI instances are independent but not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/document.h"
#include "stages/common/cancel.h"
#include "stages/common/units.h"
#include "stages/common/utf8.h"
#include "stages/read/ocr_params.h"

namespace tesseract {
class TessBaseAPI;
}

namespace juesuan {

struct Reading {
  std::string text;  // normalised: spaces next to Han characters removed, numbers unspaced
  std::string raw;   // as Tesseract returned it (trailing newline removed)
  float conf = 0.f;  // mean word confidence 0..1
  bool numeric = false;
  // Other readings of a doubtful amount, most likely first (CellOcr::read_cell): distinct
  // amounts that parse (ParseAmount), none the same amount as `text`. Empty for a sure reading.
  std::vector<std::string> alternatives;
};

enum class CellHint { kAuto, kText };

// The conf of an amount that the digit and the text model read alike (CellOcr::read_cell).
inline constexpr float kTwoModelsAgreeConf = 0.85f;
// At most this many alternative readings are kept for a cell.
inline constexpr size_t kMaxAlternatives = 6;
// Whether two readings are the same amount: both parse (ParseAmount), equal to the fen and
// printed with as many decimals ("1,234.50" and "1234.50" are; "1234.5" and "1234.50" are not).
bool SameAmount(const std::string& a, const std::string& b);

// Per symbol of a recognition, its readings most likely first: (UTF-8, confidence 0..100). A
// word break is a symbol of one reading, " ".
using SymbolChoices = std::vector<std::pair<std::string, float>>;
// How CellOcr reads one line.
struct LineReadOptions {
  double text_height = 32.0;                      // px the crop's height is scaled to
  std::vector<SymbolChoices>* choices = nullptr;  // filled with LSTM symbol choices when set
};

class CellOcr {
 public:
  // Throws std::runtime_error when a model cannot be loaded.
  explicit CellOcr(const OcrOptions& options = {});
  ~CellOcr();
  CellOcr(const CellOcr&) = delete;
  CellOcr& operator=(const CellOcr&) = delete;

  // Reads a cleaned cell crop (see CropCell). kAuto tries the digit model first and keeps its
  // reading when it is a number; everything else is read with the text model.
  Reading read_cell(const cv::Mat& crop, int dpi, bool multiline, CellHint hint = CellHint::kAuto);
  // Reads one text line (title, unit line, note) with the text model.
  Reading read_line(const cv::Mat& crop, int dpi);
  // 0..1 readability of an image region, for telling upright from upside-down pages.
  double readability(const cv::Mat& gray, int dpi);
  // Every recognition polls `token` (Tesseract's monitor) and throws Cancelled when it fires;
  // null: never cancelled. The token must outlive the reads; see CancelScope.
  void set_cancel(const CancelToken* token) { cancel_ = token; }

 private:
  enum class Layout { kLine, kWrapped };
  // An amount the digit model read with conf < kUnsureConf is read again by the text model;
  // when both give the same amount (value and decimals), its conf becomes kTwoModelsAgreeConf.
  // Returns the text model's reading ("" when the digits do not parse).
  std::string ConfirmBySecondModel(const cv::Mat& crop, int dpi, Reading& digits);
  // An amount that stays doubtful (conf < kUnsureConf, or text that does not parse) gets
  // alternatives: the LSTM's other choices for one or two of its symbols, a second read at
  // another scale and, when given, the text model's reading `second`. Costs two reads.
  void AddAlternatives(const cv::Mat& crop, int dpi, Reading& digits, const std::string& second);
  Reading run(tesseract::TessBaseAPI& api, const cv::Mat& crop, int dpi, Layout layout,
              const LineReadOptions& options = {});
  // Recognises the image set on `api` under the cancel token; returns its UTF-8 text.
  std::string recognise(tesseract::TessBaseAPI& api);
  std::unique_ptr<tesseract::TessBaseAPI> text_, digits_;
  const CancelToken* cancel_ = nullptr;
};

// Sets a CellOcr's cancel token for one scope (a page's reads) and clears it on exit.
class CancelScope {
 public:
  CancelScope(CellOcr& ocr, const CancelToken& token) : ocr_(ocr) { ocr_.set_cancel(&token); }
  ~CancelScope() { ocr_.set_cancel(nullptr); }
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  CellOcr& ocr_;
};

// Thresholds of CropCell, in pixels at the page's dpi. ForDpi() states the dpi-derived ones in
// fractions of an inch (25.4 mm), with a floor in pixels for low resolutions.
struct CropParams {
  int inset = 0;        // the crop keeps this far inside the cell's ruling lines
  int min_side = 4;     // a crop narrower or lower than this is blank
  int min_glyph_h = 0;  // a glyph is at least this high or at least min_glyph_w wide
  int min_glyph_w = 0;
  int thin = 0;  // the thickest remnant of a ruling line
  // A remnant lies along an edge: within these shares of the crop's height or width from it,
  // and runs along more than remnant_len of that edge.
  Share near_top{1, 5}, near_bottom{4, 5}, near_left{1, 8}, near_right{7, 8};
  Share remnant_len{3, 5};
  // A rule left along an edge of the crop runs over this share of it, with gaps of at most
  // rule_gap pixels (EraseEdgeRules).
  Share rule_span{9, 10};
  int rule_gap = 2;
  int mark_slack = 2;  // a small mark may stand out of its text line by this much
  int margin = 2;      // white margin kept round the ink
  int mask_grow = 3;   // the kept ink is grown by this (a square kernel) to keep antialiasing

  static CropParams ForDpi(int dpi);
};

// Crops a cell from the page inside its ruling lines, drops line remnants and specks, and
// trims to the ink with a white margin.
// In:  the page's grayscale and binary image (same geometry, from PagePreparer) and the cell's
//      box on them. Out: a new image that the caller owns (the page is not modified), or an
//      empty Mat for a blank cell. `multiline` (may be null) is set when the ink holds more than
//      one text line. Call it before CellOcr::read_cell, which expects crops cleaned this way.
//      `ink_outline` (may be null) gets the convex hull of the ink that was kept (the text), in
//      pixels of the page; empty for a blank cell.
cv::Mat CropCell(const cv::Mat& gray, const cv::Mat& binary, const Box& cell,
                 const CropParams& params, bool* multiline,
                 std::vector<cv::Point>* ink_outline = nullptr);
// The convex hull of the ink pixels (non-zero) of `ink`, moved by `offset`; empty without ink.
std::vector<cv::Point> InkOutline(const cv::Mat& ink, cv::Point offset);
// The ink of a cell CropCell found blank but ReadEllipses read (the dots, edge rules erased),
// as InkOutline gives it.
std::vector<cv::Point> EllipsisOutline(const cv::Mat& binary, const Box& cell,
                                       const CropParams& params);
// Ellipses ("…") printed in a cell that CropCell found blank: their dots are speck-sized, so
// they are dropped with the specks. Three or more dots of one size on one line, evenly and
// closely spaced (centre to centre at most half an em of 10.5 pt type at `dpi`), make one "…";
// several on a line or on lines one under another are joined with spaces ("… … …", a blank
// template's rows that stand for the codes not listed). "" when the cell holds none.
std::string ReadEllipses(const cv::Mat& binary, const Box& cell, const CropParams& params, int dpi);

// An OCR reading that is a label run into an amount ("其他资金9.00", "年度资金申请总额7595500.
// 00"): two cells' text, the rule between them missed.
bool LabelRunIntoAnAmount(const std::string& reading);
// An ASCII colon or semicolon between two Han characters ("基:民兵整组工作"): Chinese text
// prints full-width punctuation, and none inside a word, so a glyph was misread.
bool AsciiPunctuationInsideHan(const std::string& reading);

// Whether a cleaned crop (CropCell) holds two runs of ink side by side, each at least 1.5 ems
// wide, more than three ems apart (an em of 10.5 pt type at `dpi`): the text of two cells whose
// separating rule the grid missed ("其中：当年财政拨款      7,595,500.00"). A label spread over its
// cell ("合      计") has runs one character wide and is not this.
bool TwoRunsFarApart(const cv::Mat& crop, int dpi);

// The same with CropParams::ForDpi(dpi).
cv::Mat CropCell(const cv::Mat& gray, const cv::Mat& binary, const Box& cell, int dpi,
                 bool* multiline);

}  // namespace juesuan
