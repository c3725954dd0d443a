// Emit: the document model as one JSON document (schema: configs/output.schema.json, version
// kSchemaVersion). Reads a finished Document (after check) and writes nothing itself: the caller
// (pipeline/batch.cpp, main.cpp) writes the text atomically. Amounts come out of the one amount
// parser (ParseAmount) as exact JSON numbers in the table unit.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

inline constexpr const char* kSchemaVersion = "2.0";

nlohmann::json ToJson(const Document& doc);

// One entry of a table's "columns" and "records", as ToJson writes them (validate compares the
// records a file holds with the ones its cells give).
nlohmann::json ColumnJson(const Column& c);
nlohmann::json RecordJson(const Record& r);

// An exact amount as a JSON number: the decimal text parsed once ("1285.83", not 1285.8299…).
nlohmann::json CentsJson(int64_t cents);

// {"repairs": [...], "checks": [...], "checks_summary": {"pass", "fail", "warning", "total"}}.
// Amounts are JSON numbers in the table unit (exact decimal text, e.g. 1285.83).
nlohmann::json QualityJson(const std::vector<Repair>& repairs, const std::vector<Check>& checks);

}  // namespace juesuan
