// Readers of an output JSON that never throw: outputs read back from disk (records file, SQLite
// load, review page) may be of an older shape or edited by hand, and one odd field must not stop
// the rest from loading.
#pragma once

#include <nlohmann/json.hpp>

namespace juesuan {

// j[key], or null when j is not an object or has no such key.
inline const nlohmann::json& JsonField(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// The elements of j when it is an array, else none (an old-shape output's `values` object).
inline const nlohmann::json& JsonElements(const nlohmann::json& j) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return j.is_array() ? j : kEmpty;
}

}  // namespace juesuan
