#include "pipeline/json_output.h"

#include <cmath>
#include <regex>
#include <string>

#include "pipeline/version.h"
#include "stages/quality.h"
#include "stages/table_classifier.h"

namespace juesuan {
namespace {

nlohmann::json BoxJson(const Box& b) { return {b.x, b.y, b.w, b.h}; }

// Amounts become JSON numbers when they parse exactly (shortest round-trip printing keeps
// "861.56" as 861.56); anything else (dashes, damaged text) stays a string for the checks.
nlohmann::json ValueJson(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  static const std::regex kDecimal(R"(^-?[0-9]+(\.[0-9]+)?$)");  // not nan, inf, 0x1A
  std::string s;
  for (char c : *v)
    if (c != ',') s += c;
  if (std::regex_match(s, kDecimal)) return std::stod(s);
  return *v;
}

double Round3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

nlohmann::json ToJson(const Document& doc) {
  using nlohmann::json;
  json tables = json::array();
  for (const auto& t : doc.tables) {
    json cells = json::array();
    for (const auto& c : t.cells)
      cells.push_back({{"r", c.r},
                       {"c", c.c},
                       {"rs", c.rs},
                       {"cs", c.cs},
                       {"text", c.text},
                       {"raw", c.raw},
                       {"conf", Round3(c.conf)},
                       {"page", c.page},
                       {"bbox", BoxJson(c.bbox)},
                       {"source", c.exact ? "text-layer" : "ocr"},
                       {"flags", c.flags}});
    json records = json::array();
    for (const auto& r : t.records) {
      json values = json::object();
      for (const auto& [k, v] : r.values) values[k] = ValueJson(v);
      records.push_back({{"code", r.code}, {"name", r.name}, {"row", r.row}, {"values", values}});
    }
    tables.push_back({{"number", t.number ? json(*t.number) : json(nullptr)},
                      {"title", t.title},
                      {"kind", t.kind},
                      {"pages", t.pages},
                      {"n_rows", t.n_rows},
                      {"n_cols", t.n_cols},
                      {"header_rows", t.header_rows},
                      {"leaf_headers", t.leaf_headers},
                      {"column_ids", CanonicalColumnIds(t)},
                      {"bbox", BoxJson(t.bbox)},
                      {"notes", t.notes},
                      {"cells", cells},
                      {"records", records}});
  }
  json pages = json::array();
  for (const auto& p : doc.page_results) {
    json stages = json::object();
    for (const auto& [stage, secs] : p.stage_seconds) stages[stage] = Round3(secs);
    pages.push_back({{"page", p.number},
                     {"path", p.path},
                     {"path_reason", p.path_reason},
                     {"dpi", p.dpi},
                     {"size", {p.width, p.height}},
                     {"rotation", p.rotation},
                     {"skew_deg", Round3(p.skew_deg)},
                     {"tables", p.tables.size()},
                     {"seconds", Round3(p.seconds)},
                     {"stage_seconds", stages},
                     {"warnings", p.warnings}});
  }
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json quality = QualityJson(doc.repairs, doc.checks);
  return {
      {"schema_version", kSchemaVersion},
      {"generator", {{"name", "juesuan"}, {"version", kVersion}, {"config_hash", doc.config_hash}}},
      {"source", {{"file", doc.file}, {"sha256", doc.sha256}, {"pages", doc.pages}}},
      {"disclosure",
       {{"department", opt(doc.department)}, {"year", opt(doc.year)}, {"unit", opt(doc.unit)}}},
      {"pages", pages},
      {"tables", tables},
      {"repairs", quality["repairs"]},
      {"checks", quality["checks"]},
      {"checks_summary", quality["checks_summary"]},
      {"warnings", doc.warnings}};
}

}  // namespace juesuan
