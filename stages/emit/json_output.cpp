#include "stages/emit/json_output.h"

#include <cmath>
#include <string>

#include "stages/common/amount.h"
#include "stages/common/version.h"

namespace juesuan {
namespace {

nlohmann::json BoxJson(const Box& b) { return {b.x, b.y, b.w, b.h}; }

// A value as the one amount parser reads it: a number (exact decimal, "861.56" -> 861.56),
// null for a blank cell (never 0), else the text as printed (a mark such as "——", or damage).
nlohmann::json ValueJson(const std::string& text) {
  if (text.empty()) return nullptr;
  const Amount amount = ParseAmount(text);
  if (amount.is_number()) return CentsJson(amount.cents);
  return text;
}

nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

}  // namespace

nlohmann::json ColumnJson(const Column& c) {
  return {{"index", c.index}, {"path", c.path}, {"header", c.header}, {"id", OrNull(c.id)}};
}

nlohmann::json RecordJson(const Record& r) {
  nlohmann::json values = nlohmann::json::array();
  for (const auto& v : r.values)
    values.push_back(
        {{"column", v.column}, {"value", ValueJson(v.text)}, {"text", v.text}, {"flags", v.flags}});
  return {{"row", r.row},
          {"role", r.role},
          {"key", r.key},
          {"code", OrNull(r.code)},
          {"classification", OrNull(r.classification)},
          {"level", OrNull(r.level)},
          {"parent", OrNull(r.parent)},
          {"line", r.line ? nlohmann::json(*r.line) : nlohmann::json()},
          {"half", OrNull(r.half)},
          {"line_id", OrNull(r.line_id)},
          {"label", OrNull(r.label)},
          {"name", r.name},
          {"values", values}};
}

namespace {

nlohmann::json ProvenanceJson(const std::optional<Document::Provenance>& p) {
  if (!p) return nullptr;
  return {{"page", p->page}, {"text", p->text}};
}

double Round3(double v) { return std::round(v * 1000) / 1000; }

nlohmann::json FactsJson(const std::vector<Fact>& facts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : facts) {
    nlohmann::json numbers = nlohmann::json::array();
    for (const auto& n : f.numbers)
      numbers.push_back(
          {{"role", n.role}, {"value", ValueJson(n.text)}, {"text", n.text}, {"unit", n.unit}});
    out.push_back(
        {{"index", out.size()},
         {"kind", f.kind},
         {"subject", {{"code", OrNull(f.subject_code)}, {"name", OrNull(f.subject_name)}}},
         {"numbers", numbers},
         {"page", f.page},
         {"sentence", f.sentence},
         {"flags", f.flags}});
  }
  return out;
}

nlohmann::json CellJson(const Cell& c) {
  nlohmann::json j = {
      {"r", c.r},
      {"c", c.c},
      {"rs", c.rs},
      {"cs", c.cs},
      {"text", c.text},
      {"raw", c.raw},
      {"conf", Round3(c.conf)},
      {"page", c.page},
      {"bbox", BoxJson(c.bbox)},
      {"content_bbox", c.content_bbox ? BoxJson(*c.content_bbox) : nlohmann::json()},
      {"source", c.exact ? "text-layer" : "ocr"},
      {"flags", c.flags}};
  if (!c.alternatives.empty()) j["alternatives"] = c.alternatives;
  return j;
}

// The input image and the transform from it to the prepared page (InputImage).
nlohmann::json InputJson(const InputImage& in) {
  nlohmann::json to_input = nlohmann::json::array();
  // Six decimals: a thousandth of a pixel over a page of ten thousand.
  for (double v : in.to_input) to_input.push_back(std::round(v * 1e6) / 1e6 + 0.0);
  return {{"source", in.source},
          {"file", OrNull(in.file)},
          {"frame", in.frame},
          {"size", {in.width, in.height}},
          {"orientation", in.orientation},
          {"scale", std::round(in.scale * 1e6) / 1e6},
          {"to_input", to_input}};
}

nlohmann::json PageJson(const PageResult& p) {
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& [stage, secs] : p.stage_seconds) stages[stage] = Round3(secs);
  nlohmann::json page = {{"page", p.number},
                         {"path", p.path},
                         {"path_reason", p.path_reason},
                         {"dpi", p.dpi},
                         {"dpi_source", p.dpi_source},
                         {"size", {p.width, p.height}},
                         {"rotation", p.rotation},
                         {"skew_deg", Round3(p.skew_deg)},
                         {"tables", p.tables.size()},
                         {"seconds", Round3(p.seconds)},
                         {"stage_seconds", stages},
                         {"warnings", p.warnings}};
  if (p.input) page["input"] = InputJson(*p.input);
  return page;
}

}  // namespace

nlohmann::json ToJson(const Document& doc) {
  using nlohmann::json;
  json tables = json::array();
  for (const auto& t : doc.tables) {
    json cells = json::array();
    for (const auto& c : t.cells) cells.push_back(CellJson(c));
    json columns = json::array();
    for (const auto& c : t.columns) columns.push_back(ColumnJson(c));
    json records = json::array();
    for (const auto& r : t.records) records.push_back(RecordJson(r));
    tables.push_back({{"index", tables.size()},
                      {"number", t.number ? json(*t.number) : json(nullptr)},
                      {"title", t.title},
                      {"kind", t.kind},
                      {"unit", t.unit ? json(*t.unit) : json(nullptr)},
                      {"pages", t.pages},
                      {"n_rows", t.n_rows},
                      {"n_cols", t.n_cols},
                      {"header_rows", t.header_rows},
                      {"columns", columns},
                      {"bbox", BoxJson(t.bbox)},
                      {"rows_inferred", t.rows_inferred},
                      {"notes", t.notes},
                      {"cells", cells},
                      {"records", records}});
  }
  json pages = json::array();
  for (const auto& p : doc.page_results) pages.push_back(PageJson(p));
  json quality = QualityJson(doc.repairs, doc.checks);
  return {
      {"schema_version", kSchemaVersion},
      {"generator", {{"name", "juesuan"}, {"version", kVersion}, {"config_hash", doc.config_hash}}},
      {"source", {{"file", doc.file}, {"sha256", doc.sha256}, {"pages", doc.pages}}},
      {"disclosure",
       {{"department", OrNull(doc.department)},
        {"year", OrNull(doc.year)},
        {"unit", OrNull(doc.unit)},
        {"sources",
         {{"department", ProvenanceJson(doc.department_source)},
          {"year", ProvenanceJson(doc.year_source)},
          {"unit", ProvenanceJson(doc.unit_source)}}}}},
      {"pages", pages},
      {"tables", tables},
      {"repairs", quality["repairs"]},
      {"checks", quality["checks"]},
      {"checks_summary", quality["checks_summary"]},
      {"facts", FactsJson(doc.facts)},
      {"warnings", doc.warnings}};
}

nlohmann::json CentsJson(int64_t cents) { return nlohmann::json::parse(FormatCents(cents, false)); }

namespace {

nlohmann::json CheckCellsJson(const std::vector<CheckCell>& cells) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& cc : cells)
    out.push_back({{"table", cc.table},
                   {"r", cc.r},
                   {"c", cc.c},
                   {"side", cc.side > 0 ? "actual" : "expected"},
                   {"coef", cc.coef}});
  return out;
}

}  // namespace

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
    json check = {{"id", c.id},
                  {"rule", c.rule},
                  {"detail", c.detail},
                  {"tables", c.table_labels},
                  {"table_indices", c.tables},
                  {"cells", CheckCellsJson(c.cells)},
                  {"expected", CentsJson(c.expected)},
                  {"actual", CentsJson(c.actual)},
                  {"difference", CentsJson(c.difference)},
                  {"tolerance", CentsJson(c.tolerance)},
                  {"conditional", c.conditional},
                  {"status", c.status}};
    if (!c.facts.empty()) {  // a check of the prose (stages/facts)
      json& facts = check["facts"] = json::array();
      for (const auto& f : c.facts)
        facts.push_back({{"fact", f.fact},
                         {"role", f.role},
                         {"side", f.side > 0 ? "actual" : "expected"},
                         {"coef", f.coef}});
      check["reference_cells"] = CheckCellsJson(c.reference_cells);
    }
    cs.push_back(std::move(check));
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
