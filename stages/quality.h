// Stage 6: classify -> repair -> rebuild records -> constrained numeric repair -> checks, and the
// JSON block for the results.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/quality.h"
#include "stages/code_dictionary.h"
#include "stages/table_classifier.h"

namespace juesuan {

// Sets each table's kind, repairs codes/names/headers/labels/amounts (warnings go to
// doc.warnings), rebuilds leaf headers and records, runs the constrained numeric repair, rebuilds
// records again and fills `checks` with the final checks. Either output pointer may be null.
void RepairAndCheck(Document& doc, const CodeDictionary& dict, std::vector<Repair>* repairs,
                    std::vector<Check>* checks);
void RepairAndCheck(Document& doc, const CodeDictionary& dict, const TableCatalogue& catalogue,
                    std::vector<Repair>* repairs, std::vector<Check>* checks);

// Machine-readable flags on the cells a reader must not trust blindly: operands of a failing
// check ("check_failed") or of one that could not be decided ("check_unresolved"), and non-empty
// cells read with confidence below kUnsureConf ("low_confidence"). Repairs and the repairer's
// warnings add their own flags (see README, "Cell flags").
void FlagDoubtfulCells(Document& doc, const std::vector<Check>& checks);

// An exact amount as a JSON number: the decimal text parsed once ("1285.83", not 1285.8299…).
nlohmann::json CentsJson(int64_t cents);

// {"repairs": [...], "checks": [...], "checks_summary": {"pass", "fail", "warning", "total"}}.
// Amounts are JSON numbers in the table unit (exact decimal text, e.g. 1285.83).
nlohmann::json QualityJson(const std::vector<Repair>& repairs, const std::vector<Check>& checks);

}  // namespace juesuan
