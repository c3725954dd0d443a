// juesuan validate (pipeline/validate.h): real extraction outputs validate with exactly their own
// checks; an edited amount fails exactly the checks that use it; a record that disagrees with its
// cell, a schema-breaking edit and an unreadable file are each reported with their exit code, in
// process and through the CLI. Also the reader (FromJson) and the schema validator.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "model_fixtures.h"
#include "pipeline/validate.h"
#include "stages/common/amount.h"
#include "stages/emit/json_input.h"
#include "stages/emit/json_output.h"
#include "stages/emit/json_schema.h"
#include "test_support.h"

namespace juesuan {
namespace {

using nlohmann::json;
using testing::CachedExtraction;
using testing::Catalogue;
using testing::CliResult;
using testing::RunCli;
using testing::TempDir;

// The corpus pages (text layer, fast) are the main subject; the scan exercises repaired cells.
constexpr const char* kCorpus = "corpus_000a_01_04_09.pdf";

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string Write(const TempDir& dir, const std::string& name, const json& doc) {
  return Write(dir, name, doc.dump(1));
}

std::string Lines(const ValidationReport& report) {
  std::string s;
  for (const auto& line : ReportLines(report)) s += line + "\n";
  return s;
}

json& CellOf(json& doc, int table, int r, int c) {
  for (auto& cell : doc["tables"][table]["cells"])
    if (cell["r"] == r && cell["c"] == c) return cell;
  throw std::runtime_error("no such cell");
}

std::set<std::string> FailingIds(const ValidationReport& report) {
  std::set<std::string> ids;
  for (const auto& c : report.checks)
    if (c.status == "fail") ids.insert(c.id);
  return ids;
}

using CellKey = std::tuple<int, int, int>;

// The operand most checks use among those whose every check passes and is unconditional: edited
// far off, each of its checks must fail and no other check may change.
CellKey BusiestPassingOperand(const json& doc) {
  std::map<CellKey, int> uses;
  std::set<CellKey> excluded;
  for (const auto& check : doc["checks"])
    for (const auto& cell : check["cells"]) {
      const CellKey key{cell["table"], cell["r"], cell["c"]};
      ++uses[key];
      if (check["status"] != "pass" || check["conditional"] == true) excluded.insert(key);
    }
  CellKey best{-1, -1, -1};
  int most = 0;
  for (const auto& [key, n] : uses)
    if (!excluded.count(key) && n > most) best = key, most = n;
  return best;
}

// Every id of a check of the file that has `cell` among its operands.
std::set<std::string> ChecksUsing(const json& doc, const CellKey& cell) {
  std::set<std::string> ids;
  for (const auto& check : doc["checks"])
    for (const auto& c : check["cells"])
      if (CellKey{c["table"], c["r"], c["c"]} == cell) ids.insert(check["id"].get<std::string>());
  return ids;
}

// The file with the amount in `cell` raised by 100000.00, in the cell alone.
json WithAmountEdited(json doc, const CellKey& cell) {
  const auto& [t, r, c] = cell;
  json& edited = CellOf(doc, t, r, c);
  const Amount before = ParseAmount(edited["text"].get<std::string>());
  edited["text"] = FormatCents(before.cents + 10000000, true);
  return doc;
}

class UneditedOutput : public ::testing::TestWithParam<const char*> {};

// The key property: nothing edited, so the re-run gives the file's checks entry for entry (ids,
// status, expected, actual, cells), and the records are what the cells give.
TEST_P(UneditedOutput, ValidatesWithTheFilesOwnChecks) {
  const json doc = CachedExtraction(GetParam());
  ASSERT_FALSE(doc["checks"].empty());
  const ValidationReport report = ValidateJson(doc, Catalogue());
  EXPECT_TRUE(report.schema_errors.empty()) << Lines(report);
  EXPECT_EQ(QualityJson({}, report.checks)["checks"], doc["checks"]);
  EXPECT_TRUE(report.changed_checks.empty()) << Lines(report);
  EXPECT_TRUE(report.record_mismatches.empty()) << Lines(report);
  const bool file_fails = doc["checks_summary"]["fail"] != 0;
  EXPECT_EQ(report.verdict, file_fails ? Verdict::kChecksFailed : Verdict::kValid) << Lines(report);
}

INSTANTIATE_TEST_SUITE_P(Extractions, UneditedOutput,
                         ::testing::Values(kCorpus, "scan_tables.pdf", "digital_traits.pdf"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name)
                             if (ch == '.') ch = '_';
                           return name;
                         });

// ToJson(FromJson(file)) is the file: the reader loses nothing the writer wrote.
TEST(FromJson, ReadsBackWhatToJsonWrote) {
  for (const char* name : {kCorpus, "scan_tables.pdf"}) {
    const json doc = CachedExtraction(name);
    EXPECT_EQ(ToJson(FromJson(doc)), doc) << name;
  }
}

TEST(FromJson, AmountsComeBackAsExactCents) {
  EXPECT_EQ(CentsFromJson(json::parse("1285.83")), 128583);
  EXPECT_EQ(CentsFromJson(json::parse("-0.07")), -7);
  EXPECT_EQ(CentsFromJson(json::parse("6.0")), 600);
  EXPECT_EQ(CentsFromJson(json::parse("12")), 1200);
  EXPECT_EQ(CentsFromJson(CentsJson(99999999999)), 99999999999);
}

TEST(Validate, EditedAmountFailsExactlyTheChecksThatUseIt) {
  const json doc = CachedExtraction(kCorpus);
  ASSERT_EQ(doc["checks_summary"]["fail"], 0);
  const CellKey cell = BusiestPassingOperand(doc);
  const std::set<std::string> expected = ChecksUsing(doc, cell);
  ASSERT_GE(expected.size(), 2u);
  json edited = WithAmountEdited(doc, cell);
  const ValidationReport report = ValidateJson(edited, Catalogue());
  EXPECT_EQ(report.verdict, Verdict::kChecksFailed);
  EXPECT_EQ(FailingIds(report), expected) << Lines(report);
  std::set<std::string> changed;
  for (const auto& c : report.changed_checks) changed.insert(c.id);
  EXPECT_EQ(changed, expected);
  // The cell's record value still holds the old reading: reported, with the cell's new text.
  const auto& [t, r, c] = cell;
  const json new_text = CellOf(edited, t, r, c)["text"];
  bool reported = false;
  for (const auto& m : report.record_mismatches)
    reported = reported || (m.path.ends_with(".text") && m.from_cells == new_text);
  EXPECT_TRUE(reported) << Lines(report);
  // Each failing check is one line with its id, its cells, expected and actual.
  const std::string lines = Lines(report);
  for (const auto& id : expected)
    EXPECT_NE(lines.find("check failed: " + id + ": "), std::string::npos);
}

// The record value of cell (r, c) of table t in the output: the JSON path and the entry.
std::pair<std::string, json*> RecordValueOf(json& doc, int t, int r, int c) {
  json& records = doc["tables"][t]["records"];
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i]["row"] != r) continue;
    json& values = records[i]["values"];
    for (size_t k = 0; k < values.size(); ++k)
      if (values[k]["column"] == c)
        return {"$.tables[" + std::to_string(t) + "].records[" + std::to_string(i) + "].values[" +
                    std::to_string(k) + "]",
                &values[k]};
  }
  return {"", nullptr};
}

TEST(Validate, RecordValueThatDisagreesWithItsCellIsReported) {
  json doc = CachedExtraction(kCorpus);
  const auto [t, r, c] = BusiestPassingOperand(doc);
  auto [path, value] = RecordValueOf(doc, t, r, c);
  ASSERT_NE(value, nullptr);
  const json from_cells = (*value)["value"];
  (*value)["value"] = 1.23;  // the cell itself is untouched
  const ValidationReport report = ValidateJson(doc, Catalogue());
  EXPECT_EQ(report.verdict, Verdict::kChecksFailed);
  EXPECT_TRUE(FailingIds(report).empty());  // the checks read the cells, not the records
  ASSERT_EQ(report.record_mismatches.size(), 1u) << Lines(report);
  EXPECT_EQ(report.record_mismatches[0].path, path + ".value");
  EXPECT_EQ(report.record_mismatches[0].in_file, 1.23);
  EXPECT_EQ(report.record_mismatches[0].from_cells, from_cells);
}

// A reviewer's correction: cell and record edited together. The records agree again, and the
// checks judge the new value by the extraction's rules (here: it breaks them).
TEST(Validate, CellAndRecordEditedTogetherLeaveOnlyTheChecks) {
  const json doc = CachedExtraction(kCorpus);
  const CellKey cell = BusiestPassingOperand(doc);
  json edited = WithAmountEdited(doc, cell);
  const auto& [t, r, c] = cell;
  const std::string text = CellOf(edited, t, r, c)["text"];
  json* value = RecordValueOf(edited, t, r, c).second;
  ASSERT_NE(value, nullptr);
  (*value)["text"] = text;
  (*value)["value"] = CentsJson(ParseAmount(text).cents);
  const ValidationReport report = ValidateJson(edited, Catalogue());
  EXPECT_TRUE(report.record_mismatches.empty()) << Lines(report);
  EXPECT_EQ(FailingIds(report), ChecksUsing(doc, cell));
  // Put back as extracted: valid again.
  EXPECT_EQ(ValidateJson(doc, Catalogue()).verdict, Verdict::kValid);
}

TEST(Validate, SchemaBreakingEditsAreRejected) {
  const json good = CachedExtraction(kCorpus);
  auto rejected = [&](const json& doc, const std::string& path) {
    const ValidationReport report = ValidateJson(doc, Catalogue());
    EXPECT_EQ(report.verdict, Verdict::kSchemaInvalid) << path;
    bool found = false;
    for (const auto& e : report.schema_errors) found = found || e.path == path;
    EXPECT_TRUE(found) << path << "\n" << Lines(report);
    EXPECT_TRUE(report.checks.empty());  // nothing is checked on a file of the wrong shape
  };
  json doc = good;
  doc["tables"][0]["cells"][0]["r"] = "0";
  rejected(doc, "$.tables[0].cells[0].r");
  doc = good;
  doc["tables"][0]["cells"][1].erase("text");
  rejected(doc, "$.tables[0].cells[1]");
  doc = good;
  doc["tables"][1]["records"][0]["values"][0]["flags"] = {"checked_by_hand"};
  rejected(doc, "$.tables[1].records[0].values[0].flags[0]");
  doc = good;
  doc.erase("checks");
  rejected(doc, "$");
  // What the schema cannot say: a cell outside its table's lattice.
  doc = good;
  doc["tables"][0]["cells"][0]["r"] = doc["tables"][0]["n_rows"];
  rejected(doc, "$.tables[0].cells[0]");
  doc = good;
  doc["tables"][1]["index"] = 0;
  rejected(doc, "$.tables[1].index");
  // An integer the document model cannot hold.
  doc = good;
  doc["tables"][1]["records"][0]["row"] = 1e12;
  rejected(doc, "$");
}

TEST(Validate, MissingOrNonJsonFileIsUnreadable) {
  TempDir dir;
  EXPECT_EQ(ValidateFile((dir / "missing.json").string(), Catalogue()).verdict,
            Verdict::kUnreadable);
  const ValidationReport report =
      ValidateFile(Write(dir, "cut.json", std::string("{\"schema_version\": \"2.")), Catalogue());
  EXPECT_EQ(report.verdict, Verdict::kUnreadable);
  EXPECT_NE(report.unreadable.find("not JSON"), std::string::npos) << report.unreadable;
  EXPECT_EQ(ValidateFile(testing::TestData("not_a_pdf.pdf"), Catalogue()).verdict,
            Verdict::kUnreadable);
}

TEST(ValidateCli, ExitCodesAndReports) {
  TempDir dir;
  const json doc = CachedExtraction(kCorpus);
  const std::string good = Write(dir, "good.json", doc);
  const std::string edited =
      Write(dir, "edited.json", WithAmountEdited(doc, BusiestPassingOperand(doc)));
  json broken_doc = doc;
  broken_doc["tables"][0]["cells"][0]["r"] = "0";
  const std::string broken = Write(dir, "broken.json", broken_doc);
  const std::string not_json = Write(dir, "not.json", std::string("not json"));
  CliResult r = RunCli({"validate", good});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string n = doc["checks_summary"]["total"].dump();
  EXPECT_NE(r.out.find(good + ": valid: " + n + " checks (" + n + " pass, 0 fail, 0 warning)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(RunCli({"validate", edited}).exit_code, 6);
  EXPECT_EQ(RunCli({"validate", broken}).exit_code, 7);
  EXPECT_EQ(RunCli({"validate", not_json}).exit_code, 3);
  EXPECT_EQ(RunCli({"validate", (dir / "missing.json").string()}).exit_code, 3);
  // Several files: each reported, the worst decides (unreadable, schema, checks, valid).
  r = RunCli({"validate", good, edited, broken});
  EXPECT_EQ(r.exit_code, 7);
  for (const auto& f : {good, edited, broken}) EXPECT_NE(r.out.find(f + ": "), std::string::npos);
  EXPECT_EQ(RunCli({"validate", edited, good}).exit_code, 6);
  EXPECT_EQ(RunCli({"validate", good, not_json, broken}).exit_code, 3);
  EXPECT_EQ(RunCli({"validate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"validate", "--colour", good}).exit_code, 2);
}

TEST(ValidateCli, JsonReport) {
  TempDir dir;
  const json doc = CachedExtraction(kCorpus);
  const CellKey cell = BusiestPassingOperand(doc);
  const std::string good = Write(dir, "good.json", doc);
  const std::string edited = Write(dir, "edited.json", WithAmountEdited(doc, cell));
  const CliResult r = RunCli({"validate", "--json", good, edited});
  EXPECT_EQ(r.exit_code, 6);
  const json report = json::parse(r.out);
  EXPECT_EQ(report["exit_code"], 6);
  ASSERT_EQ(report["files"].size(), 2u);
  EXPECT_EQ(report["files"][0]["verdict"], "valid");
  EXPECT_EQ(report["files"][0]["exit_code"], 0);
  EXPECT_EQ(report["files"][0]["checks"], doc["checks"]);
  const json& bad = report["files"][1];
  EXPECT_EQ(bad["file"], edited);
  EXPECT_EQ(bad["verdict"], "checks_failed");
  std::set<std::string> failing;
  for (const auto& c : bad["checks"])
    if (c["status"] == "fail") failing.insert(c["id"].get<std::string>());
  EXPECT_EQ(failing, ChecksUsing(doc, cell));
  EXPECT_FALSE(bad["record_mismatches"].empty());
}

TEST(JsonSchema, CompiledInSchemaIsTheConfigsFile) {
  EXPECT_EQ(json::parse(OutputSchemaText()), json::parse(testing::ReadAll(JUESUAN_SCHEMA)));
}

TEST(JsonSchema, RefusesKeywordsItDoesNotImplement) {
  EXPECT_THROW(JsonSchema(json::parse(R"({"oneOf": [{"type": "string"}]})")),
               std::invalid_argument);
  EXPECT_THROW(JsonSchema(json::parse(R"({"properties": {"a": {"format": "date"}}})")),
               std::invalid_argument);
  EXPECT_THROW(JsonSchema(json::parse(R"({"$ref": "#/$defs/none"})")), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json::parse(R"({"type": "decimal"})")), std::invalid_argument);
}

TEST(JsonSchema, UniqueItemsAndPatterns) {
  const JsonSchema schema(json::parse(
      R"({"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[0-9]{3}$"}})"));
  EXPECT_TRUE(schema.validate(json({"201", "202"})).empty());
  const auto errors = schema.validate(json({"201", "201", "2010"}));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "$[1]");  // repeated
  EXPECT_EQ(errors[1].path, "$[2]");  // does not match
}

}  // namespace
}  // namespace juesuan
