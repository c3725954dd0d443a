// The document model shared by every stage: plain data, no behaviour.
// Document -> Page -> Table -> Cell; a table's Columns and Records are its database view.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/quality.h"

namespace juesuan {

// Axis-aligned box in page pixels of the prepared (deskewed, upright) page image, unless a
// field says otherwise (Cell::content_bbox is in the input image's pixels: InputImage).
struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

// Below this confidence a cell is unsure: flagged "low_confidence", drawn orange in debug images.
inline constexpr float kUnsureConf = 0.8f;

struct Cell {
  int r = 0, c = 0, rs = 1, cs = 1;  // anchor position and spans in the table lattice
  std::string text;                  // normalised text (spaces between Han characters removed)
  std::string raw;                   // text exactly as the OCR engine / text layer gave it
  float conf = 0.f;                  // 0..1; 1 for text-layer cells, 0 for empty cells
  int page = 0;                      // 1-based page number
  Box bbox;
  // The tight box of the cell's ink (text-layer: of its characters' boxes), in pixels of the
  // page's input image as given (InputImage), so that it can be drawn straight onto it;
  // nullopt for a blank cell.
  std::optional<Box> content_bbox;
  // The row was split from a taller ruled row by its text lines (GridCell::row_inferred); the
  // table lists such rows in Table::rows_inferred, which is what is written out.
  bool row_inferred = false;
  bool exact = false;  // from the PDF's text layer: the printed characters, never repaired
  // Other readings OCR gave a doubtful amount, most likely first (Reading::alternatives): the
  // constrained numeric repair may take one that two checks prove. Empty for most cells.
  std::vector<std::string> alternatives;
  // Machine-readable doubts about this cell, e.g. "check_failed" (README, "Cell flags");
  // empty when nothing is known to be wrong.
  std::vector<std::string> flags;
};

// One column of a table as a database sees it: where it sits and what its headers say.
struct Column {
  int index = 0;
  // Every header cell above the leaf and the leaf itself, top down, merged headers included
  // (["决算数", "公务用车购置及运行维护费", "小计"]); column-number cells (栏次, 1 2 3) left out.
  std::vector<std::string> path;
  std::string header;  // the leaf as printed after repair; "" when the column has no header
  std::string id;      // canonical id when the table's kind is known (unique in the table), else ""
};

// One cell of a record, addressed by its column. The value itself (number, mark or blank) is
// decided from `text` by the one amount parser (ParseAmount) when it is written out.
struct RecordValue {
  int column = 0;
  std::string text;                // the cell's text after repair, spaces removed; "" = blank
  std::vector<std::string> flags;  // the cell's flags
};

// Typed view of one body row (or one group of a row, for side-by-side blocks such as 公开06表
// with three code groups or 公开01表 with its income and expenditure halves).
struct Record {
  int row = 0;
  std::string role =
      "item";  // item | subtotal (has child codes below it, or 小计) | total (合计, 总计)
  std::string key = "label";   // what identifies the row: code | line | label
  std::string code;            // subject code, also on a line named after a 类; "" when none
  std::string classification;  // function | economic (of `code`); ""
  std::string level;           // 类 | 款 | 项 (of `code`); ""
  std::string parent;          // the code one level up; "" for a 类
  std::optional<int> line;     // printed 行次
  std::string half;            // income | expenditure, for side-by-side halves (01, 04); ""
  std::string line_id;         // the catalogue's canonical line id ("general_budget_grant"); ""
  std::string label;           // the row label as printed (line and label keys); ""
  std::string name;            // the subject name for codes, else the label
  std::vector<RecordValue> values;  // the row's value columns, in column order
};

struct Table {
  std::optional<std::string> number;  // "01" for 公开01表, when printed
  std::string title;
  std::string kind;  // catalogue kind id, "unknown" when not classified
  std::vector<int> pages;
  int n_rows = 0, n_cols = 0, header_rows = 0;
  std::vector<Cell> cells;                // every anchor cell once, empty ones included, row-major
  std::optional<std::string> unit;        // 万元 / 元 printed above this table, when printed
  std::vector<std::string> leaf_headers;  // per column
  std::vector<Column> columns;            // per column (BuildColumns)
  std::vector<Record> records;            // one per body row and group (BuildRecords)
  std::vector<std::string> notes;         // 注：/说明： lines printed under the table
  Box bbox;                               // on the first page
  // Rows that no ruling line separates from a neighbour: split from a taller ruled row by its
  // text lines (a body ruled only by its frame, header and columns). Ascending; empty when
  // every row is ruled.
  std::vector<int> rows_inferred;
};

// Text printed around the grids of a page (title, 公开NN表, 部门, 年度, 单位, 注).
struct TextLine {
  std::string text;
  Box bbox;
  float conf = 0.f;
};

// Geometry of one detected grid, before OCR: lattice lines and merged-cell layout.
struct GridCell {
  int r = 0, c = 0, rs = 1, cs = 1;
  Box box;  // between the ruling lines
  // Its top or bottom edge is not a ruling line but the gap between two text lines: the row
  // was inferred (GridDetector, implicit rows).
  bool row_inferred = false;
};
struct Grid {
  std::vector<int> xs, ys;  // column / row boundary positions (n_cols+1 / n_rows+1)
  // Per entry of ys: true for a boundary that is no ruling line but the gap between two text
  // lines (implicit rows); empty when every boundary is ruled.
  std::vector<bool> ys_inferred;
  std::vector<GridCell> cells;
  Box bbox;
  int n_rows() const { return ys.empty() ? 0 : static_cast<int>(ys.size()) - 1; }
  int n_cols() const { return xs.empty() ? 0 : static_cast<int>(xs.size()) - 1; }
};

// One page's findings: its grids with cell text, and the loose text around them.
struct PageTable {
  Grid grid;
  std::vector<Cell> cells;  // one per grid cell, same order
};
// The image a page was read from, as given, and how the prepared page (the pixels of every Box
// but Cell::content_bbox) was made from it: EXIF orientation, then scaling, then `rotation`
// quarter turns, then deskew by `skew_deg` about the centre (PageResult). `to_input` is that
// whole transform inverted: an input pixel (x', y') = (a x + b y + c, d x + e y + f) for a
// prepared pixel (x, y), with to_input = {a, b, c, d, e, f}.
struct InputImage {
  std::string source;  // "render": the PDF page rendered at PageResult::dpi; "file": an image
  std::string file;    // the image file (page images), "" for a rendered page
  int frame = 0;       // 0-based frame of a multi-page TIFF, else 0
  int width = 0, height = 0;  // of the input image as given (decoded, before any turn)
  int orientation = 1;        // the EXIF orientation that was applied (1: none)
  double scale = 1.0;         // prepared pixels per input pixel (upsampling of a page image)
  std::array<double, 6> to_input{1, 0, 0, 0, 1, 0};
};

struct PageResult {
  int number = 0;  // 1-based
  int width = 0, height = 0, dpi = 0;
  // Where `dpi` came from: "render" (a PDF page rendered at it), or for a page image
  // "metadata" | "option" (--dpi) | "estimated" (from its text) | "default" (--dpi's default).
  std::string dpi_source;
  int rotation = 0;                 // degrees clockwise applied to make the page upright
  double skew_deg = 0.0;            // skew that was removed
  std::optional<InputImage> input;  // unset only in outputs written before it was recorded
  std::string path;                 // "ocr" or "text-layer"
  std::string path_reason;
  std::vector<PageTable> tables;
  std::vector<TextLine> lines;  // text outside the grids, top to bottom
  std::vector<std::string> warnings;
  double seconds = 0.0;
  std::vector<std::pair<std::string, double>> stage_seconds;  // rasterise, prepare, find grids, ocr
};

// One number of a narrative fact, as printed ("307.82" 万元 as the fact's `amount`).
struct FactNumber {
  // amount | budget_initial | budget_full | final | rate_initial | rate_full | rate | share |
  // prior (last year's) | change | change_pct | count | score (see models/fact_kinds.json)
  std::string role;
  std::string text;  // the digits as printed; "0" for a 无 / 未发生 / 持平 statement
  std::string unit;  // 万元 | 元 | 亿元 | % | 个 | 辆 | 台（套） | 人次 | 分 …
};

// One statement of the prose (情况说明): what it is about and the numbers it gives.
struct Fact {
  std::string kind;          // a kind of models/fact_kinds.json
  std::string subject_code;  // the 科目 the sentence names ("2010350"), else ""
  std::string subject_name;  // as printed ("一般公共服务支出（类）…事业运行（项）"), else ""
  std::vector<FactNumber> numbers;
  int page = 0;          // where the sentence begins
  std::string sentence;  // the sentence(s) as printed, spaces next to Han removed
  // stated_none (无 / 未发生: value 0), unchanged (持平), subject_not_in_dictionary,
  // check_failed, low_confidence (OCR)
  std::vector<std::string> flags;
};

struct Document {
  std::string file;
  std::string sha256;
  std::string config_hash;  // see ConfigHash(): same input + same config = same output
  int pages = 0;
  std::string department, year, unit;
  // Where each of department, year and unit was read: the page and the line as printed.
  struct Provenance {
    int page = 0;
    std::string text;
  };
  std::optional<Provenance> department_source, year_source, unit_source;
  std::vector<PageResult> page_results;
  std::vector<Table> tables;
  std::vector<Repair> repairs;  // every change made after reading, with before/after/why
  std::vector<Check> checks;    // every arithmetic check, with its status
  std::vector<Fact> facts;      // the narrative facts, in reading order (stages/facts)
  std::vector<std::string> warnings;
};

}  // namespace juesuan
