#include "stages/facts/fact_catalogue.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "stages/common/model_files.h"

namespace juesuan {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& j, const char* key) {
  return j.contains(key) ? j.at(key).get<std::vector<std::string>>() : std::vector<std::string>{};
}

FactTableLink LinkFromJson(const json& j) {
  FactTableLink link;
  link.role = j.at("role").get<std::string>();
  link.table = j.at("table").get<std::string>();
  link.column = j.at("column").get<std::string>();
  const json& row = j.at("row");
  link.line_id = row.value("line_id", "");
  link.half = row.value("half", "");
  link.total_row = row.value("role", "") == "total";
  link.subject_row = row.value("code", "") == "subject";
  link.first_row = row.value("first", false);
  return link;
}

}  // namespace

FactCatalogue::FactCatalogue(const std::string& path) {
  Parse(ReadModelFile(path, "fact catalogue"), path);
}

FactCatalogue FactCatalogue::FromString(const std::string& json_text) {
  FactCatalogue catalogue;
  catalogue.Parse(json_text, "(string)");
  return catalogue;
}

void FactCatalogue::Parse(const std::string& text, const std::string& origin) {
  try {
    const json catalogue = json::parse(text);
    for (const auto& k : catalogue.at("kinds")) {
      FactKind kind;
      kind.kind = k.at("kind").get<std::string>();
      kind.description = k.value("description", "");
      kind.triggers = Strings(k, "triggers");
      kind.numbers = Strings(k, "numbers");
      kind.trigger_is_subject = k.value("subject", "") == "name";
      kind.parts = Strings(k, "parts");
      if (k.contains("tables"))
        for (const auto& t : k.at("tables")) kind.tables.push_back(LinkFromJson(t));
      kinds_.push_back(std::move(kind));
    }
  } catch (const json::exception& e) {
    throw std::runtime_error("bad fact catalogue " + origin + ": " + e.what());
  }
}

std::string FactCatalogue::DefaultPath() { return ModelPath("fact_kinds.json"); }

const FactKind* FactCatalogue::Find(const std::string& kind) const {
  for (const auto& k : kinds_)
    if (k.kind == kind) return &k;
  return nullptr;
}

}  // namespace juesuan
