#include "pipeline/validate.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include "stages/check/checker.h"
#include "stages/common/amount.h"
#include "stages/emit/json_input.h"
#include "stages/emit/json_output.h"
#include "stages/facts/facts.h"
#include "stages/records/records.h"

namespace juesuan {
namespace {

using nlohmann::json;

// A lattice side beyond any printed table (a page holds well under a hundred rows; tables joined
// over pages a few hundred): the schema sets no maximum, and the checks allocate per column.
constexpr double kMaxLatticeSide = 10000;

std::string Indexed(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// What the schema cannot say, because it relates two fields: a table's index is its position,
// every cell lies inside its table's lattice, and the header rows are rows of the table. The
// record and check code looks cells up by position, so a cell outside would be read as part of
// no row, or of a row that is not there.
void CheckLattice(const json& table, size_t index, const std::string& path,
                  std::vector<SchemaError>& errors) {
  if (table["index"] != index) errors.push_back({path + ".index", "is not the table's position"});
  const double rows = table["n_rows"].get<double>(), cols = table["n_cols"].get<double>();
  if (rows > kMaxLatticeSide || cols > kMaxLatticeSide) {
    errors.push_back({path, "n_rows or n_cols above " + std::to_string(int(kMaxLatticeSide))});
    return;
  }
  if (table["header_rows"].get<double>() > rows)
    errors.push_back({path + ".header_rows", "more header rows than n_rows"});
  const json& cells = table["cells"];
  for (size_t k = 0; k < cells.size(); ++k) {
    const json& c = cells[k];
    if (c["r"].get<double>() + c["rs"].get<double>() > rows ||
        c["c"].get<double>() + c["cs"].get<double>() > cols)
      errors.push_back({Indexed(path + ".cells", k), "lies outside the table's n_rows x n_cols"});
  }
}

std::vector<SchemaError> SchemaErrors(const json& doc) {
  std::vector<SchemaError> errors = OutputSchema().validate(doc);
  if (!errors.empty()) return errors;
  const json& tables = doc["tables"];
  for (size_t i = 0; i < tables.size(); ++i)
    CheckLattice(tables[i], i, Indexed("$.tables", i), errors);
  return errors;
}

// Every leaf where the file's JSON differs from the cells', by JSON path. Objects compare key by
// key (the schema allows no others), arrays element by element; a missing element is null.
void Diff(const json& in_file, const json& from_cells, const std::string& path,
          std::vector<RecordMismatch>& out) {
  if (in_file.is_object() && from_cells.is_object()) {
    for (const auto& [key, value] : from_cells.items())
      Diff(in_file.contains(key) ? in_file[key] : json(), value, path + "." + key, out);
  } else if (in_file.is_array() && from_cells.is_array()) {
    for (size_t i = 0; i < std::max(in_file.size(), from_cells.size()); ++i)
      Diff(i < in_file.size() ? in_file[i] : json(), i < from_cells.size() ? from_cells[i] : json(),
           Indexed(path, i), out);
  } else if (in_file != from_cells) {
    out.push_back({path, in_file, from_cells});
  }
}

// Rebuilds every table's columns and records from its cells (as the extraction's last step does)
// and lists where the file's differ.
std::vector<RecordMismatch> CompareRecords(Document& doc, const json& file,
                                           const TableCatalogue& catalogue) {
  std::vector<RecordMismatch> out;
  for (size_t i = 0; i < doc.tables.size(); ++i) {
    Table& t = doc.tables[i];
    BuildColumnsAndRecords(t, catalogue);
    json columns = json::array(), records = json::array();
    for (const auto& c : t.columns) columns.push_back(ColumnJson(c));
    for (const auto& r : t.records) records.push_back(RecordJson(r));
    const std::string path = Indexed("$.tables", i);
    Diff(file["tables"][i]["columns"], columns, path + ".columns", out);
    Diff(file["tables"][i]["records"], records, path + ".records", out);
  }
  return out;
}

// The checks whose entry differs between the file and the re-run, in the re-run's order, then
// those the re-run no longer makes.
std::vector<CheckChange> ChangedChecks(const json& in_file, const json& now, bool with_facts) {
  std::map<std::string, const json*> file_by_id;
  for (const auto& c : in_file)
    if (with_facts || !c.contains("facts")) file_by_id[c["id"].get<std::string>()] = &c;
  std::vector<CheckChange> out;
  for (const auto& c : now) {
    const std::string id = c["id"].get<std::string>();
    auto it = file_by_id.find(id);
    if (it == file_by_id.end()) {
      out.push_back({id, json(), c});
      continue;
    }
    if (*it->second != c) out.push_back({id, *it->second, c});
    file_by_id.erase(it);
  }
  for (const auto& c : in_file)
    if (const std::string id = c["id"].get<std::string>(); file_by_id.count(id))
      out.push_back({id, c, json()});
  return out;
}

bool AnyFails(const std::vector<Check>& checks) {
  return std::any_of(checks.begin(), checks.end(),
                     [](const Check& c) { return c.status == "fail"; });
}

}  // namespace

ValidationReport ValidateJson(const json& doc, const TableCatalogue& catalogue,
                              const FactCatalogue* facts) {
  ValidationReport report;
  report.schema_errors = SchemaErrors(doc);
  Document parsed;
  if (report.schema_errors.empty()) {
    try {
      parsed = FromJson(doc);
    } catch (const std::exception& e) {  // a valid shape with a value the model cannot hold
      report.schema_errors.push_back({"$", e.what()});
    }
  }
  if (!report.schema_errors.empty()) {
    report.verdict = Verdict::kSchemaInvalid;
    return report;
  }
  report.record_mismatches = CompareRecords(parsed, doc, catalogue);
  // The cells as they stand: no repair, the same checker as the extraction's last check.
  report.checks = Checker(catalogue).check(parsed);
  if (facts) {
    parsed.checks = report.checks;  // the fact checks cite table cells these checks prove
    std::vector<Check> fact_checks = CheckNarrativeFacts(parsed, *facts);
    report.checks.insert(report.checks.end(), fact_checks.begin(), fact_checks.end());
  }
  report.changed_checks =
      ChangedChecks(doc["checks"], QualityJson({}, report.checks)["checks"], facts != nullptr);
  if (AnyFails(report.checks) || !report.record_mismatches.empty())
    report.verdict = Verdict::kChecksFailed;
  return report;
}

ValidationReport ValidateFile(const std::string& path, const TableCatalogue& catalogue,
                              const FactCatalogue* facts) {
  ValidationReport report;
  std::ifstream in(path, std::ios::binary);
  json doc;
  if (!in) {
    report.unreadable = std::string("cannot open: ") + std::strerror(errno);
  } else {
    try {
      doc = json::parse(in);
    } catch (const json::parse_error& e) {
      report.unreadable = std::string("not JSON: ") + e.what();
    }
  }
  if (!report.unreadable.empty()) {
    report.file = path;
    report.verdict = Verdict::kUnreadable;
    return report;
  }
  report = ValidateJson(doc, catalogue, facts);
  report.file = path;
  return report;
}

ExitCode ExitCodeOf(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return ExitCode::kOk;
    case Verdict::kChecksFailed:
      return ExitCode::kChecksFailed;
    case Verdict::kSchemaInvalid:
      return ExitCode::kSchemaInvalid;
    case Verdict::kUnreadable:
      return ExitCode::kBadInput;
  }
  return ExitCode::kInternal;
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kChecksFailed:
      return "checks_failed";
    case Verdict::kSchemaInvalid:
      return "schema_invalid";
    case Verdict::kUnreadable:
      return "unreadable";
  }
  return "?";
}

namespace {

std::string Dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// "t1.r5.c3": a cell as the JSON addresses it (table index, r, c).
std::string CellName(const CheckCell& cell) {
  return "t" + std::to_string(cell.table) + ".r" + std::to_string(cell.r) + ".c" +
         std::to_string(cell.c);
}

// The identity as an equation of cells and facts: "t1.r5.c3 = t1.r6.c3 + t1.r7.c3 - t1.r8.c3",
// "fact2.amount = t0.r5.c1 (reference)" (a table cell its table proves: Check::reference_cells).
std::string Equation(const Check& check) {
  std::string sides[2];
  auto add = [&](int side_sign, int coef, const std::string& name) {
    std::string& side = sides[side_sign > 0 ? 0 : 1];
    if (!side.empty())
      side += coef < 0 ? " - " : " + ";
    else if (coef < 0)
      side += "-";
    side += name;
  };
  for (const auto& cell : check.cells) add(cell.side, cell.coef, CellName(cell));
  for (const auto& cell : check.reference_cells)
    add(cell.side, cell.coef, CellName(cell) + " (reference)");
  for (const auto& f : check.facts)
    add(f.side, f.coef, "fact" + std::to_string(f.fact) + "." + f.role);
  return sides[0] + " = " + (sides[1].empty() ? "0" : sides[1]);
}

std::string CheckLine(const Check& c) {
  return c.id + ": " + Equation(c) + "; expected " + FormatCents(c.expected, false) + ", actual " +
         FormatCents(c.actual, false) + ", difference " + FormatCents(c.difference, false) +
         " (tolerance " + FormatCents(c.tolerance, false) + ")";
}

// A check entry of the output in brief: "pass (expected 12.0, actual 12.0)", or "absent".
std::string Brief(const json& check) {
  if (check.is_null()) return "absent";
  return check["status"].get<std::string>() + " (expected " + Dump(check["expected"]) +
         ", actual " + Dump(check["actual"]) + ")";
}

json ChecksSummary(const std::vector<Check>& checks) {
  return QualityJson({}, checks)["checks_summary"];
}

std::string Summary(const ValidationReport& r) {
  std::string s = std::string(VerdictName(r.verdict)) + ": ";
  if (r.verdict == Verdict::kUnreadable) return s + r.unreadable;
  if (r.verdict == Verdict::kSchemaInvalid)
    return s + std::to_string(r.schema_errors.size()) +
           (r.schema_errors.size() == 1 ? " schema error" : " schema errors");
  const json n = ChecksSummary(r.checks);
  return s + Dump(n["total"]) + " checks (" + Dump(n["pass"]) + " pass, " + Dump(n["fail"]) +
         " fail, " + Dump(n["warning"]) + " warning), " +
         std::to_string(r.record_mismatches.size()) + " record fields disagree with their cells, " +
         std::to_string(r.changed_checks.size()) + " checks differ from the file's";
}

}  // namespace

std::vector<std::string> ReportLines(const ValidationReport& r) {
  const std::string at = r.file + ": ";
  std::vector<std::string> lines;
  for (const auto& e : r.schema_errors)
    lines.push_back(at + "schema: " + e.path + ": " + e.message);
  for (const auto& c : r.checks)
    if (c.status == "fail") lines.push_back(at + "check failed: " + CheckLine(c));
  for (const auto& m : r.record_mismatches)
    lines.push_back(at + "record: " + m.path + ": file " + Dump(m.in_file) + ", cells give " +
                    Dump(m.from_cells));
  for (const auto& c : r.changed_checks)
    lines.push_back(at + "changed: " + c.id + ": file " + Brief(c.in_file) + ", now " +
                    Brief(c.now));
  lines.push_back(at + Summary(r));
  return lines;
}

json ReportJson(const ValidationReport& r) {
  json schema_errors = json::array(), mismatches = json::array(), changed = json::array();
  for (const auto& e : r.schema_errors)
    schema_errors.push_back({{"path", e.path}, {"message", e.message}});
  for (const auto& m : r.record_mismatches)
    mismatches.push_back({{"path", m.path}, {"in_file", m.in_file}, {"from_cells", m.from_cells}});
  for (const auto& c : r.changed_checks)
    changed.push_back({{"id", c.id}, {"in_file", c.in_file}, {"now", c.now}});
  const json quality = QualityJson({}, r.checks);
  return {{"file", r.file},
          {"verdict", VerdictName(r.verdict)},
          {"exit_code", static_cast<int>(ExitCodeOf(r.verdict))},
          {"error", r.unreadable.empty() ? json() : json(r.unreadable)},
          {"schema_errors", schema_errors},
          {"checks_summary", quality["checks_summary"]},
          {"checks", quality["checks"]},
          {"record_mismatches", mismatches},
          {"changed_checks", changed}};
}

}  // namespace juesuan
