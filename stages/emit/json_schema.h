// A JSON Schema validator for the keywords configs/output.schema.json uses (a subset of draft
// 2020-12), and that schema compiled into the program. `juesuan validate` checks a file against
// it; the tests check every output against the file on disk.
//
// In:    a schema (nlohmann::json) and documents to check against it.
// Out:   validate() returns one SchemaError per violation (JSON path + message), [] when valid.
// Owns:  a copy of the schema and its compiled patterns; immutable after construction, so one
//        validator may serve any number of documents and threads.
// Keywords: type (a name or a list), enum, required, properties, additionalProperties (a schema or
//        false), items, minItems, maxItems, uniqueItems, minimum, maximum, pattern, and local
//        $ref ("#/$defs/name"); $schema, $id, $defs, title and description are annotations. Any
//        other keyword is refused when the validator is built (std::invalid_argument): a
//        constraint the validator does not understand must never pass silently.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace juesuan {

struct SchemaError {
  std::string path;     // where in the document: "$.tables[0].cells[3].r"
  std::string message;  // what is wrong: "expected type \"integer\", got \"3\""
};

class JsonSchema {
 public:
  explicit JsonSchema(nlohmann::json schema);

  std::vector<SchemaError> validate(const nlohmann::json& doc) const;

 private:
  void Check(const nlohmann::json& schema, const nlohmann::json& v, const std::string& path,
             std::vector<SchemaError>& errors) const;
  void CheckObject(const nlohmann::json& schema, const nlohmann::json& v, const std::string& path,
                   std::vector<SchemaError>& errors) const;
  void CheckArray(const nlohmann::json& schema, const nlohmann::json& v, const std::string& path,
                  std::vector<SchemaError>& errors) const;
  void CheckScalar(const nlohmann::json& schema, const nlohmann::json& v, const std::string& path,
                   std::vector<SchemaError>& errors) const;
  const nlohmann::json& Resolve(const std::string& ref) const;
  void Compile(const nlohmann::json& schema, const std::string& where);

  nlohmann::json root_;
  std::map<std::string, std::regex> patterns_;  // every "pattern" of the schema, compiled once
};

// configs/output.schema.json as the program was built with it (the text is compiled in, so an
// installed juesuan checks against the schema it writes).
const char* OutputSchemaText();
// That schema, parsed and compiled once.
const JsonSchema& OutputSchema();

}  // namespace juesuan
