// Stage 6: the document model as one JSON document (schema: configs/output.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/document.h"

namespace juesuan {

inline constexpr const char* kSchemaVersion = "2.0";

nlohmann::json ToJson(const Document& doc);

}  // namespace juesuan
