// Emit in reverse: an output JSON document back into the document model, so that `juesuan
// validate` can rebuild records and re-run the checks on the cells as a reviewer left them.
//
// In:    a JSON document that is valid against configs/output.schema.json (check it first with
//        OutputSchema(), stages/emit/json_schema.h); anything else throws (nlohmann::json's
//        exceptions: a missing key, a wrong type), and so does an integer the model's int cannot
//        hold or a page with more than 1000 grids (std::out_of_range; the schema sets no upper
//        bounds).
// Out:   the Document ToJson wrote, field for field: tables (cells, columns, records), repairs,
//        checks, pages, disclosure. Two things are not in the JSON and come back otherwise: each
//        table's leaf headers are read from its header cells (LeafHeaders, as the repair stage
//        last set them), and each page's grids come back as empty PageTables, one per grid
//        counted (their lines and boxes were never written).
// Owns:  nothing; a pure function.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "pipeline/document.h"

namespace juesuan {

Document FromJson(const nlohmann::json& doc);

// An amount JSON number (CentsJson's output, e.g. 1285.83) back into exact cents: the number's
// shortest decimal text is parsed by ParseAmount, so 1285.83 is 128583, never 128582.
int64_t CentsFromJson(const nlohmann::json& amount);

}  // namespace juesuan
