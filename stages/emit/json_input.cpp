#include "stages/emit/json_input.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "stages/common/amount.h"
#include "stages/common/table_view.h"

namespace juesuan {
namespace {

using nlohmann::json;

// A page with more grids than this is no page (a few tables a page is usual): the count is
// restored as that many empty grids.
constexpr int kMaxGridsPerPage = 1000;

// An integer of the JSON as an int; the schema's integers may be written as 3.0 and have no
// upper bound, so a value beyond int is refused here rather than converted wrongly.
int Int(const json& v) {
  const double d = v.get<double>();
  if (!(d >= std::numeric_limits<int>::min() && d <= std::numeric_limits<int>::max()))
    throw std::out_of_range("integer " + v.dump() + " is out of range");
  return v.is_number_float() ? static_cast<int>(d) : static_cast<int>(v.get<int64_t>());
}

std::vector<int> Ints(const json& list) {
  std::vector<int> out;
  for (const auto& v : list) out.push_back(Int(v));
  return out;
}

int Count(const json& v, int limit) {
  const int n = Int(v);
  if (n > limit)
    throw std::out_of_range("count " + v.dump() + " is above " + std::to_string(limit));
  return n;
}

// null (written for "") back to "".
std::string StringOrEmpty(const json& v) { return v.is_null() ? "" : v.get<std::string>(); }

std::optional<std::string> OptionalString(const json& v) {
  if (v.is_null()) return std::nullopt;
  return v.get<std::string>();
}

Box BoxFromJson(const json& b) { return {Int(b.at(0)), Int(b.at(1)), Int(b.at(2)), Int(b.at(3))}; }

Cell CellFromJson(const json& j) {
  Cell c;
  c.r = Int(j.at("r"));
  c.c = Int(j.at("c"));
  c.rs = Int(j.at("rs"));
  c.cs = Int(j.at("cs"));
  c.text = j.at("text").get<std::string>();
  c.raw = j.at("raw").get<std::string>();
  c.conf = j.at("conf").get<float>();
  c.page = Int(j.at("page"));
  c.bbox = BoxFromJson(j.at("bbox"));
  // Outputs written before content boxes were recorded have none.
  if (const auto it = j.find("content_bbox"); it != j.end() && !it->is_null())
    c.content_bbox = BoxFromJson(*it);
  c.exact = j.at("source") == "text-layer";
  c.flags = j.at("flags").get<std::vector<std::string>>();
  if (const auto it = j.find("alternatives"); it != j.end())
    c.alternatives = it->get<std::vector<std::string>>();
  return c;
}

Column ColumnFromJson(const json& j) {
  Column c;
  c.index = Int(j.at("index"));
  c.path = j.at("path").get<std::vector<std::string>>();
  c.header = j.at("header").get<std::string>();
  c.id = StringOrEmpty(j.at("id"));
  return c;
}

// The record as written; each value's `value` is ParseAmount of its text, so only the text is
// kept (validate compares the written value with its cell separately).
Record RecordFromJson(const json& j) {
  Record r;
  r.row = Int(j.at("row"));
  r.role = j.at("role").get<std::string>();
  r.key = j.at("key").get<std::string>();
  r.code = StringOrEmpty(j.at("code"));
  r.classification = StringOrEmpty(j.at("classification"));
  r.level = StringOrEmpty(j.at("level"));
  r.parent = StringOrEmpty(j.at("parent"));
  if (!j.at("line").is_null()) r.line = Int(j.at("line"));
  r.half = StringOrEmpty(j.at("half"));
  r.line_id = StringOrEmpty(j.at("line_id"));
  r.label = StringOrEmpty(j.at("label"));
  r.name = j.at("name").get<std::string>();
  for (const auto& v : j.at("values"))
    r.values.push_back({Int(v.at("column")), v.at("text").get<std::string>(),
                        v.at("flags").get<std::vector<std::string>>()});
  return r;
}

Table TableFromJson(const json& j) {
  Table t;
  t.number = OptionalString(j.at("number"));
  t.title = j.at("title").get<std::string>();
  t.kind = j.at("kind").get<std::string>();
  t.unit = OptionalString(j.at("unit"));
  t.pages = Ints(j.at("pages"));
  t.n_rows = Int(j.at("n_rows"));
  t.n_cols = Int(j.at("n_cols"));
  t.header_rows = Int(j.at("header_rows"));
  for (const auto& c : j.at("cells")) t.cells.push_back(CellFromJson(c));
  for (const auto& c : j.at("columns")) t.columns.push_back(ColumnFromJson(c));
  for (const auto& r : j.at("records")) t.records.push_back(RecordFromJson(r));
  t.notes = j.at("notes").get<std::vector<std::string>>();
  t.bbox = BoxFromJson(j.at("bbox"));
  if (const auto it = j.find("rows_inferred"); it != j.end()) t.rows_inferred = Ints(*it);
  t.leaf_headers = LeafHeaders(t);
  return t;
}

InputImage InputFromJson(const json& j) {
  InputImage in;
  in.source = j.at("source").get<std::string>();
  in.file = StringOrEmpty(j.at("file"));
  in.frame = Int(j.at("frame"));
  in.width = Int(j.at("size").at(0));
  in.height = Int(j.at("size").at(1));
  in.orientation = Int(j.at("orientation"));
  in.scale = j.at("scale").get<double>();
  for (size_t i = 0; i < in.to_input.size(); ++i)
    in.to_input[i] = j.at("to_input").at(i).get<double>();
  return in;
}

PageResult PageFromJson(const json& j) {
  PageResult p;
  p.number = Int(j.at("page"));
  p.path = j.at("path").get<std::string>();
  p.path_reason = j.at("path_reason").get<std::string>();
  p.dpi = Int(j.at("dpi"));
  if (const auto it = j.find("dpi_source"); it != j.end() && it->is_string())
    p.dpi_source = it->get<std::string>();
  p.width = Int(j.at("size").at(0));
  p.height = Int(j.at("size").at(1));
  p.rotation = Int(j.at("rotation"));
  p.skew_deg = j.at("skew_deg").get<double>();
  if (const auto it = j.find("input"); it != j.end()) p.input = InputFromJson(*it);
  p.tables.resize(static_cast<size_t>(Count(j.at("tables"), kMaxGridsPerPage)));
  p.seconds = j.at("seconds").get<double>();
  for (const auto& [stage, seconds] : j.at("stage_seconds").items())
    p.stage_seconds.emplace_back(stage, seconds.get<double>());
  p.warnings = j.at("warnings").get<std::vector<std::string>>();
  return p;
}

Repair RepairFromJson(const json& j) {
  Repair r;
  r.table = Int(j.at("table"));
  r.table_number = StringOrEmpty(j.at("table_number"));
  r.r = Int(j.at("r"));
  r.c = Int(j.at("c"));
  r.field = j.at("field").get<std::string>();
  r.before = j.at("before").get<std::string>();
  r.after = j.at("after").get<std::string>();
  r.reason = j.at("reason").get<std::string>();
  r.confidence = j.at("confidence").get<double>();
  return r;
}

std::vector<CheckCell> CheckCellsFromJson(const json& cells) {
  std::vector<CheckCell> out;
  for (const auto& cell : cells)
    out.push_back({Int(cell.at("table")), Int(cell.at("r")), Int(cell.at("c")),
                   cell.at("side") == "actual" ? 1 : -1, Int(cell.at("coef"))});
  return out;
}

Check CheckFromJson(const json& j) {
  Check c;
  c.id = j.at("id").get<std::string>();
  c.rule = j.at("rule").get<std::string>();
  c.detail = j.at("detail").get<std::string>();
  c.table_labels = j.at("tables").get<std::vector<std::string>>();
  c.tables = Ints(j.at("table_indices"));
  c.cells = CheckCellsFromJson(j.at("cells"));
  c.expected = CentsFromJson(j.at("expected"));
  c.actual = CentsFromJson(j.at("actual"));
  c.difference = CentsFromJson(j.at("difference"));
  c.tolerance = CentsFromJson(j.at("tolerance"));
  c.conditional = j.at("conditional").get<bool>();
  c.status = j.at("status").get<std::string>();
  if (const auto it = j.find("facts"); it != j.end())
    for (const auto& f : *it)
      c.facts.push_back({Int(f.at("fact")), f.at("role").get<std::string>(),
                         f.at("side") == "actual" ? 1 : -1, Int(f.at("coef"))});
  if (const auto it = j.find("reference_cells"); it != j.end())
    c.reference_cells = CheckCellsFromJson(*it);
  return c;
}

Fact FactFromJson(const json& j) {
  Fact f;
  f.kind = j.at("kind").get<std::string>();
  f.subject_code = StringOrEmpty(j.at("subject").at("code"));
  f.subject_name = StringOrEmpty(j.at("subject").at("name"));
  for (const auto& n : j.at("numbers"))
    f.numbers.push_back({n.at("role").get<std::string>(), n.at("text").get<std::string>(),
                         n.at("unit").get<std::string>()});
  f.page = Int(j.at("page"));
  f.sentence = j.at("sentence").get<std::string>();
  f.flags = j.at("flags").get<std::vector<std::string>>();
  return f;
}

std::optional<Document::Provenance> ProvenanceFromJson(const json& j) {
  if (j.is_null()) return std::nullopt;
  return Document::Provenance{Int(j.at("page")), j.at("text").get<std::string>()};
}

void DisclosureFromJson(const json& j, Document& doc) {
  doc.department = StringOrEmpty(j.at("department"));
  doc.year = StringOrEmpty(j.at("year"));
  doc.unit = StringOrEmpty(j.at("unit"));
  const json& sources = j.at("sources");
  doc.department_source = ProvenanceFromJson(sources.at("department"));
  doc.year_source = ProvenanceFromJson(sources.at("year"));
  doc.unit_source = ProvenanceFromJson(sources.at("unit"));
}

}  // namespace

Document FromJson(const json& j) {
  Document doc;
  doc.config_hash = j.at("generator").at("config_hash").get<std::string>();
  doc.file = j.at("source").at("file").get<std::string>();
  doc.sha256 = j.at("source").at("sha256").get<std::string>();
  doc.pages = Int(j.at("source").at("pages"));
  DisclosureFromJson(j.at("disclosure"), doc);
  for (const auto& p : j.at("pages")) doc.page_results.push_back(PageFromJson(p));
  for (const auto& t : j.at("tables")) doc.tables.push_back(TableFromJson(t));
  for (const auto& r : j.at("repairs")) doc.repairs.push_back(RepairFromJson(r));
  for (const auto& c : j.at("checks")) doc.checks.push_back(CheckFromJson(c));
  if (const auto it = j.find("facts"); it != j.end())  // absent in outputs made before facts
    for (const auto& f : *it) doc.facts.push_back(FactFromJson(f));
  doc.warnings = j.at("warnings").get<std::vector<std::string>>();
  return doc;
}

int64_t CentsFromJson(const json& amount) {
  int64_t cents = 0;
  if (amount.is_number_integer() && !__builtin_mul_overflow(amount.get<int64_t>(), 100, &cents))
    return cents;
  const Amount parsed = ParseAmount(amount.dump());
  if (parsed.is_number()) return parsed.cents;
  // Beyond ParseAmount's form (an exponent: 1e+20): the nearest cent of the binary value.
  return std::llround(amount.get<double>() * 100);
}

}  // namespace juesuan
