#include "stages/quality.h"

#include "stages/amount.h"
#include "stages/checker.h"
#include "stages/records.h"
#include "stages/repairer.h"
#include "stages/table_assembler.h"
#include "stages/table_view.h"

namespace juesuan {

void RepairAndCheck(Document& doc, const CodeDictionary& dict, std::vector<Repair>* repairs,
                    std::vector<Check>* checks) {
  RepairAndCheck(doc, dict, TableCatalogue::Default(), repairs, checks);
}

void RepairAndCheck(Document& doc, const CodeDictionary& dict, const TableCatalogue& catalogue,
                    std::vector<Repair>* repairs, std::vector<Check>* checks) {
  std::vector<Repair> all;
  Repairer repairer(dict, catalogue);
  for (int i = 0; i < static_cast<int>(doc.tables.size()); ++i) {
    Table& t = doc.tables[i];
    t.kind = ClassifyTable(t, catalogue);
    auto r = repairer.repair(t, i, &doc.warnings);
    all.insert(all.end(), r.begin(), r.end());
    t.leaf_headers = TableAssembler::LeafHeaders(t);
    t.kind = ClassifyTable(t, catalogue);  // repaired headers/title may settle an unknown kind
    BuildColumnsAndRecords(t, catalogue);
  }
  Checker checker(catalogue);
  auto numeric = checker.RepairNumbers(doc);
  if (!numeric.empty())
    for (auto& t : doc.tables) BuildColumnsAndRecords(t, catalogue);
  all.insert(all.end(), numeric.begin(), numeric.end());
  std::vector<Check> found = checker.check(doc);
  FlagDoubtfulCells(doc, found);
  if (checks) *checks = std::move(found);
  if (repairs) *repairs = std::move(all);
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
    for (auto& cell : t.cells)
      if (!cell.text.empty() && cell.conf < kUnsureConf) AddFlag(cell, "low_confidence");
}

nlohmann::json CentsJson(int64_t cents) { return nlohmann::json::parse(FormatCents(cents, false)); }

nlohmann::json QualityJson(const std::vector<Repair>& repairs, const std::vector<Check>& checks) {
  using nlohmann::json;
  json rs = json::array();
  for (const auto& r : repairs)
    rs.push_back(
        {{"table", r.table},
         {"table_number", r.table_number.empty() ? json(nullptr) : json(r.table_number)},
         {"r", r.r},
         {"c", r.c},
         {"field", r.field},
         {"before", r.before},
         {"after", r.after},
         {"reason", r.reason},
         {"confidence", static_cast<double>(static_cast<int>(r.confidence * 100 + 0.5)) / 100}});
  json cs = json::array();
  int pass = 0, fail = 0, warning = 0;
  for (const auto& c : checks) {
    json cells = json::array();
    for (const auto& cc : c.cells)
      cells.push_back({{"table", cc.table},
                       {"r", cc.r},
                       {"c", cc.c},
                       {"side", cc.side > 0 ? "actual" : "expected"},
                       {"coef", cc.coef}});
    cs.push_back({{"id", c.id},
                  {"rule", c.rule},
                  {"detail", c.detail},
                  {"tables", c.table_labels},
                  {"table_indices", c.tables},
                  {"cells", cells},
                  {"expected", CentsJson(c.expected)},
                  {"actual", CentsJson(c.actual)},
                  {"difference", CentsJson(c.difference)},
                  {"tolerance", CentsJson(c.tolerance)},
                  {"conditional", c.conditional},
                  {"status", c.status}});
    pass += c.status == "pass";
    fail += c.status == "fail";
    warning += c.status == "warning";
  }
  return {{"repairs", rs},
          {"checks", cs},
          {"checks_summary",
           {{"pass", pass}, {"fail", fail}, {"warning", warning}, {"total", checks.size()}}}};
}

}  // namespace juesuan
