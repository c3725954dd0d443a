#include "stages/check/flags.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "stages/common/amount.h"
#include "stages/common/table_view.h"

namespace juesuan {

void ConfirmByArithmetic(Document& doc, const std::vector<Check>& checks) {
  std::map<std::tuple<int, int, int>, int> passing;
  std::set<std::tuple<int, int, int>> doubted;
  for (const auto& ch : checks)
    for (const auto& ref : ch.cells) {
      const auto key = std::make_tuple(ref.table, ref.r, ref.c);
      if (ch.status != "pass")
        doubted.insert(key);
      else if (!ch.conditional)
        ++passing[key];
    }
  for (const auto& [key, n] : passing) {
    const auto& [table, r, c] = key;
    if (n < kConfirmingChecks || doubted.count(key) || table < 0 ||
        table >= static_cast<int>(doc.tables.size()))
      continue;
    Cell* cell = AnchorAt(doc.tables[table], r, c);
    if (cell && cell->conf < kConfirmedConf && ParseAmount(cell->text).is_number())
      cell->conf = kConfirmedConf;
  }
}

void FlagDoubtfulCells(Document& doc, const std::vector<Check>& checks) {
  for (const auto& ch : checks) {
    if (ch.status == "pass") continue;
    for (const auto& ref : ch.cells) {
      if (ref.table < 0 || ref.table >= static_cast<int>(doc.tables.size())) continue;
      if (Cell* cell = AnchorAt(doc.tables[ref.table], ref.r, ref.c))
        AddFlag(*cell, ch.status == "fail" ? "check_failed" : "check_unresolved");
    }
  }
  for (auto& t : doc.tables)
    for (auto& cell : t.cells) {
      if (!cell.text.empty() && cell.conf < kUnsureConf) AddFlag(cell, "low_confidence");
      if (!cell.exact && HoldsARule(cell.text)) AddFlag(cell, "rule_in_text");
    }
}

bool HoldsARule(const std::string& text) {
  // OCR reads a vertical rule as a bar: inside a cell's text it is a separator the grid did
  // not see, so the cell may hold the text of two cells ("购置费|运行费"). Bars at the ends are
  // specks and were already dropped (StripStrayMarks).
  for (const char* bar : {"|", "｜", "丨"})
    if (text.find(bar) != std::string::npos) return true;
  return false;
}

}  // namespace juesuan
