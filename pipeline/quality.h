// Results of the repair and check stages: plain data, no behaviour (made by stages/repair and
// stages/check, written out by stages/emit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace juesuan {

// One change the repair stage made to a cell. Nothing is changed without one of these; the
// cell's `raw` keeps the text as first read.
struct Repair {
  int table = -1;            // index into Document::tables
  std::string table_number;  // "02" when printed, else ""
  int r = 0, c = 0;          // anchor cell position
  std::string field;         // "code", "name", "amount", "header", "label"
  std::string before, after;
  std::string reason;
  double confidence = 0.0;  // 0..1
};

// One cell that takes part in a check. side: +1 = the "actual" side (the printed total),
// -1 = the "expected" side (the parts). coef: +1 added, -1 subtracted (年末 = 年初 + 收入 - 支出).
struct CheckCell {
  int table = -1;
  int r = 0, c = 0;
  int side = 1;
  int coef = 1;
};

// One number of a narrative fact that takes part in a check (role: the FactNumber's role).
struct CheckFact {
  int fact = -1;  // index into Document::facts
  std::string role;
  int side = 1;
  int coef = 1;
};

// One arithmetic identity evaluated on the document. Amounts are exact integer cents (0.01 of
// the table unit); difference = actual - expected.
struct Check {
  std::string id;    // unique: rule + where, e.g. "T02.hier[201][本年收入合计]"
  std::string rule;  // e.g. "T02.hier", "X01_02.total"
  std::string detail;
  std::vector<int> tables;                // indices into Document::tables
  std::vector<std::string> table_labels;  // printed numbers ("02") or "#<index>"
  std::vector<CheckCell> cells;
  std::vector<CheckFact> facts;  // narrative operands (stages/facts); empty for table checks
  // Table cells a failing fact check compares the prose with that the table's own checks prove
  // (stages/facts, F.table): cited, not suspected, so they are not flagged by the prose.
  std::vector<CheckCell> reference_cells;
  int64_t expected = 0, actual = 0, difference = 0;  // cents
  int64_t tolerance = 0;                             // cents allowed for independent rounding
  std::string status;                                // "pass", "fail", "warning"
  bool conditional = false;  // a conditional or soft identity: failing gives "warning"
};

}  // namespace juesuan
