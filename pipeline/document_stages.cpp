#include "pipeline/document_stages.h"

#include <algorithm>

#include "stages/check/checker.h"
#include "stages/check/flags.h"
#include "stages/common/table_view.h"
#include "stages/records/records.h"
#include "stages/repair/repairer.h"

namespace juesuan {

void RepairTables(Document& doc, const CodeDictionary& dict, const TableCatalogue& catalogue,
                  std::vector<Repair>& repairs) {
  // The document's year picks the dictionary's edition: codes retired or renamed since are
  // right in an older document.
  std::optional<int> year;
  if (doc.year.size() == 4 &&
      std::all_of(doc.year.begin(), doc.year.end(), [](char c) { return c >= '0' && c <= '9'; }))
    year = std::stoi(doc.year);
  Repairer repairer(dict, catalogue, year);
  for (int i = 0; i < static_cast<int>(doc.tables.size()); ++i) {
    Table& t = doc.tables[i];
    t.kind = ClassifyTable(t, catalogue);
    auto r = repairer.repair(t, i, &doc.warnings);
    repairs.insert(repairs.end(), r.begin(), r.end());
    t.leaf_headers = LeafHeaders(t);
    t.kind = ClassifyTable(t, catalogue);  // repaired headers/title may settle an unknown kind
  }
}

void CheckTables(Document& doc, const TableCatalogue& catalogue, std::vector<Repair>& repairs,
                 std::vector<Check>& checks) {
  Checker checker(catalogue);
  auto numeric = checker.RepairNumbers(doc);
  repairs.insert(repairs.end(), numeric.begin(), numeric.end());
  checks = checker.check(doc);
  ConfirmByArithmetic(doc, checks);
  FlagDoubtfulCells(doc, checks);
  // Last, so that every record value carries its cell's final text and flags: a consumer that
  // loads only unflagged record values must never load a cell the checks doubt.
  for (auto& t : doc.tables) BuildColumnsAndRecords(t, catalogue);
}

void ClassifyAndCheckAsRead(Document& doc, const TableCatalogue& catalogue,
                            std::vector<Check>& checks) {
  for (auto& t : doc.tables) {
    t.kind = ClassifyTable(t, catalogue);
    BuildColumnsAndRecords(t, catalogue);
  }
  checks = Checker(catalogue).check(doc);
}

void RepairAndCheck(Document& doc, const CodeDictionary& dict, const TableCatalogue& catalogue,
                    std::vector<Repair>* repairs, std::vector<Check>* checks) {
  std::vector<Repair> all;
  std::vector<Check> found;
  RepairTables(doc, dict, catalogue, all);
  CheckTables(doc, catalogue, all, found);
  if (checks) *checks = std::move(found);
  if (repairs) *repairs = std::move(all);
}

}  // namespace juesuan
