#include "stages/emit/json_schema.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace juesuan {
namespace {

using nlohmann::json;

// Keywords that constrain a value, and annotations that do not.
const std::set<std::string>& KnownKeywords() {
  static const std::set<std::string> known = {
      "type",    "enum",     "required",   "properties",  "additionalProperties",
      "items",   "minItems", "maxItems",   "uniqueItems", "minimum",
      "maximum", "pattern",  "$ref",       "$defs",       "$schema",
      "$id",     "title",    "description"};
  return known;
}

bool IsTypeName(const std::string& type) {
  static const std::set<std::string> names = {"null",   "boolean", "object", "array",
                                              "string", "number",  "integer"};
  return names.count(type) > 0;
}

// JSON Schema's integer is a number with no fraction: 3.0 is one.
bool HasType(const json& v, const std::string& type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer")
    return v.is_number_integer() ||
           (v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>());
  return false;
}

bool TypeMatches(const json& type, const json& v) {
  if (type.is_string()) return HasType(v, type.get<std::string>());
  return std::any_of(type.begin(), type.end(),
                     [&](const json& alt) { return HasType(v, alt.get<std::string>()); });
}

// The document's value as the message shows it: short enough for one line.
std::string Shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() <= 60 ? s : s.substr(0, 57) + "...";
}

void CheckTypeNames(const json& type, const std::string& where) {
  const json names = type.is_array() ? type : json::array({type});
  for (const auto& name : names)
    if (!name.is_string() || !IsTypeName(name.get<std::string>()))
      throw std::invalid_argument("schema " + where + ": unknown type " + name.dump());
}

}  // namespace

JsonSchema::JsonSchema(json schema) : root_(std::move(schema)) { Compile(root_, "#"); }

// Refuses keywords the validator does not implement, unknown types and $refs that lead nowhere;
// compiles every pattern once.
void JsonSchema::Compile(const json& schema, const std::string& where) {
  if (schema.is_boolean()) return;
  if (!schema.is_object()) throw std::invalid_argument("schema " + where + " is not an object");
  for (const auto& [key, value] : schema.items()) {
    if (!KnownKeywords().count(key))
      throw std::invalid_argument("schema " + where + ": keyword " + key + " is not supported");
    if (key == "type") CheckTypeNames(value, where);
    if (key == "$ref") Resolve(value.get<std::string>());
    if (key == "pattern") patterns_.emplace(value.get<std::string>(), value.get<std::string>());
    if (key == "items" || key == "additionalProperties") Compile(value, where + "/" + key);
    if (key == "properties" || key == "$defs")
      for (const auto& [name, sub] : value.items()) Compile(sub, where + "/" + key + "/" + name);
  }
}

const json& JsonSchema::Resolve(const std::string& ref) const {
  if (ref.rfind("#/", 0) != 0) throw std::invalid_argument("only local $ref is supported: " + ref);
  const json::json_pointer pointer(ref.substr(1));
  if (!root_.contains(pointer)) throw std::invalid_argument("$ref leads nowhere: " + ref);
  return root_.at(pointer);
}

std::vector<SchemaError> JsonSchema::validate(const json& doc) const {
  std::vector<SchemaError> errors;
  Check(root_, doc, "$", errors);
  return errors;
}

void JsonSchema::Check(const json& schema, const json& v, const std::string& path,
                       std::vector<SchemaError>& errors) const {
  if (schema.is_boolean()) {
    if (!schema.get<bool>()) errors.push_back({path, "not allowed here"});
    return;
  }
  if (schema.contains("$ref")) Check(Resolve(schema["$ref"]), v, path, errors);
  if (schema.contains("type") && !TypeMatches(schema["type"], v)) {
    // The other keywords of this schema are about a value of the right type: one error is enough.
    errors.push_back({path, "expected type " + schema["type"].dump() + ", got " + Shown(v)});
    return;
  }
  if (schema.contains("enum")) {
    const json& allowed = schema["enum"];
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
      errors.push_back({path, Shown(v) + " is not one of " + allowed.dump()});
  }
  CheckScalar(schema, v, path, errors);
  if (v.is_object()) CheckObject(schema, v, path, errors);
  if (v.is_array()) CheckArray(schema, v, path, errors);
}

void JsonSchema::CheckScalar(const json& schema, const json& v, const std::string& path,
                             std::vector<SchemaError>& errors) const {
  if (v.is_number()) {
    if (schema.contains("minimum") && v.get<double>() < schema["minimum"].get<double>())
      errors.push_back({path, Shown(v) + " is below the minimum " + schema["minimum"].dump()});
    if (schema.contains("maximum") && v.get<double>() > schema["maximum"].get<double>())
      errors.push_back({path, Shown(v) + " is above the maximum " + schema["maximum"].dump()});
  }
  if (v.is_string() && schema.contains("pattern")) {
    const std::string& pattern = schema["pattern"].get_ref<const std::string&>();
    if (!std::regex_search(v.get_ref<const std::string&>(), patterns_.at(pattern)))
      errors.push_back({path, Shown(v) + " does not match " + schema["pattern"].dump()});
  }
}

void JsonSchema::CheckObject(const json& schema, const json& v, const std::string& path,
                             std::vector<SchemaError>& errors) const {
  if (schema.contains("required"))
    for (const auto& name : schema["required"])
      if (!v.contains(name.get<std::string>()))
        errors.push_back({path, "missing required property " + name.dump()});
  static const json kNone = json::object();
  const json& properties = schema.contains("properties") ? schema["properties"] : kNone;
  for (const auto& [key, value] : v.items()) {
    if (properties.contains(key))
      Check(properties[key], value, path + "." + key, errors);
    else if (schema.contains("additionalProperties"))
      Check(schema["additionalProperties"], value, path + "." + key, errors);
  }
}

void JsonSchema::CheckArray(const json& schema, const json& v, const std::string& path,
                            std::vector<SchemaError>& errors) const {
  if (schema.contains("minItems") && v.size() < schema["minItems"].get<size_t>())
    errors.push_back({path, std::to_string(v.size()) + " items, fewer than the minimum " +
                                schema["minItems"].dump()});
  if (schema.contains("maxItems") && v.size() > schema["maxItems"].get<size_t>())
    errors.push_back({path, std::to_string(v.size()) + " items, more than the maximum " +
                                schema["maxItems"].dump()});
  if (schema.value("uniqueItems", false))
    for (size_t i = 0; i < v.size(); ++i)
      if (std::find(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v[i]) !=
          v.begin() + static_cast<std::ptrdiff_t>(i))
        errors.push_back({path + "[" + std::to_string(i) + "]", Shown(v[i]) + " is repeated"});
  if (schema.contains("items"))
    for (size_t i = 0; i < v.size(); ++i)
      Check(schema["items"], v[i], path + "[" + std::to_string(i) + "]", errors);
}

const JsonSchema& OutputSchema() {
  static const JsonSchema schema(json::parse(OutputSchemaText()));
  return schema;
}

}  // namespace juesuan
