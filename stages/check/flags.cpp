#include "stages/check/flags.h"

#include "stages/common/table_view.h"

namespace juesuan {

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
    for (auto& cell : t.cells)
      if (!cell.text.empty() && cell.conf < kUnsureConf) AddFlag(cell, "low_confidence");
}

}  // namespace juesuan
