// ToJson: shape and value typing of the output, and conformance to configs/output.schema.json
// checked by the program's own JSON Schema validator (stages/emit/json_schema.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/extractor.h"
#include "stages/emit/json_output.h"
#include "stages/emit/json_schema.h"
#include "test_support.h"

namespace juesuan {
namespace {

using nlohmann::json;

const json& Schema() {
  static const json schema = json::parse(testing::ReadAll(JUESUAN_SCHEMA));
  return schema;
}

std::string Join(const std::vector<SchemaError>& errors) {
  std::string s;
  for (const auto& e : errors) s += e.path + ": " + e.message + "\n";
  return s;
}

// A small document: one table with a header row, one coded row, a page and a warning.
Document SmallDocument() {
  Document doc;
  doc.file = "in.pdf";
  doc.sha256 = std::string(64, 'a');
  doc.pages = 1;
  doc.department = "三门峡市公共资源交易中心";
  doc.year = "2024";
  PageResult page;
  page.number = 1;
  page.width = 1654;
  page.height = 2339;
  page.dpi = 200;
  page.rotation = 90;
  page.skew_deg = 0.34;
  page.path = "ocr";
  page.path_reason = "scanned page image";
  page.seconds = 1.23456;
  page.tables.resize(1);
  page.warnings = {"something odd"};
  doc.page_results.push_back(page);
  Table t;
  t.number = "02";
  t.title = "收入决算表";
  t.kind = "unknown";
  t.pages = {1};
  t.n_rows = 2;
  t.n_cols = 6;
  t.header_rows = 1;
  t.leaf_headers = {"科目编码", "科目名称", "合计", "空白", "横线", "其他"};
  t.bbox = Box{10, 20, 300, 400};
  t.notes = {"注：本表反映本年度取得的各项收入情况。"};
  Cell c;
  c.r = 0, c.c = 2, c.rs = 1, c.cs = 2, c.text = "本年收入", c.raw = "本年 收入", c.conf = 0.87654f;
  c.page = 1, c.bbox = Box{1, 2, 3, 4};
  t.cells.push_back(c);
  for (int i = 0; i < t.n_cols; ++i)
    t.columns.push_back({i, {"项目", t.leaf_headers[i]}, t.leaf_headers[i], i == 0 ? "code" : ""});
  t.unit = "万元";
  Record rec;
  rec.key = "code";
  rec.code = "2010350";
  rec.classification = "function";
  rec.level = "项";
  rec.parent = "20103";
  rec.name = "事业运行";
  rec.row = 1;
  rec.values = {{2, "1,285.83", {}}, {3, "", {}}, {4, "——", {"check_unresolved"}}, {5, "0.00", {}}};
  t.records.push_back(rec);
  doc.tables.push_back(t);
  doc.warnings = {"unit (单位：万元) not found"};
  return doc;
}

TEST(ToJson, Fields) {
  json j = ToJson(SmallDocument());
  EXPECT_EQ(j["schema_version"], kSchemaVersion);
  EXPECT_EQ(j["generator"]["name"], "juesuan");
  EXPECT_EQ(j["source"]["file"], "in.pdf");
  EXPECT_EQ(j["source"]["sha256"], std::string(64, 'a'));
  EXPECT_EQ(j["source"]["pages"], 1);
  EXPECT_EQ(j["disclosure"]["department"], "三门峡市公共资源交易中心");
  EXPECT_EQ(j["disclosure"]["year"], "2024");
  EXPECT_TRUE(j["disclosure"]["unit"].is_null());  // not found -> null, not ""
  ASSERT_EQ(j["pages"].size(), 1u);
  const json& p = j["pages"][0];
  EXPECT_EQ(p["page"], 1);
  EXPECT_EQ(p["rotation"], 90);
  EXPECT_EQ(p["size"], json({1654, 2339}));
  EXPECT_EQ(p["tables"], 1);
  EXPECT_DOUBLE_EQ(p["seconds"].get<double>(), 1.235);  // rounded to 3 decimals
  EXPECT_DOUBLE_EQ(p["skew_deg"].get<double>(), 0.34);
  EXPECT_EQ(p["warnings"], json({"something odd"}));
  ASSERT_EQ(j["tables"].size(), 1u);
  const json& t = j["tables"][0];
  EXPECT_EQ(t["number"], "02");
  EXPECT_EQ(t["title"], "收入决算表");
  EXPECT_EQ(t["pages"], json({1}));
  EXPECT_EQ(t["n_rows"], 2);
  EXPECT_EQ(t["n_cols"], 6);
  EXPECT_EQ(t["header_rows"], 1);
  EXPECT_EQ(t["bbox"], json({10, 20, 300, 400}));
  EXPECT_EQ(t["notes"].size(), 1u);
  ASSERT_EQ(t["cells"].size(), 1u);
  const json& c = t["cells"][0];
  EXPECT_EQ(c["r"], 0);
  EXPECT_EQ(c["c"], 2);
  EXPECT_EQ(c["cs"], 2);
  EXPECT_EQ(c["text"], "本年收入");
  EXPECT_EQ(c["raw"], "本年 收入");
  EXPECT_DOUBLE_EQ(c["conf"].get<double>(), 0.877);
  EXPECT_EQ(c["bbox"], json({1, 2, 3, 4}));
  EXPECT_EQ(j["warnings"], json({"unit (单位：万元) not found"}));
}

TEST(ToJson, RecordValuesAreTyped) {
  json j = ToJson(SmallDocument());
  const json& r = j["tables"][0]["records"][0];
  EXPECT_EQ(r["code"], "2010350");
  EXPECT_EQ(r["name"], "事业运行");
  EXPECT_EQ(r["row"], 1);
  EXPECT_EQ(r["key"], "code");
  EXPECT_EQ(r["level"], "项");
  EXPECT_EQ(r["parent"], "20103");
  EXPECT_EQ(r["role"], "item");
  EXPECT_TRUE(r["line"].is_null());
  EXPECT_TRUE(r["label"].is_null());  // "" is written as null
  const json& v = r["values"];
  ASSERT_EQ(v.size(), 4u);  // in column order, one per value column
  EXPECT_EQ(v[0]["column"], 2);
  ASSERT_TRUE(v[0]["value"].is_number());
  EXPECT_DOUBLE_EQ(v[0]["value"].get<double>(), 1285.83);
  EXPECT_EQ(v[0]["text"], "1,285.83");
  EXPECT_EQ(v[0]["flags"], json::array());
  EXPECT_TRUE(v[1]["value"].is_null());  // blank is null, not 0
  ASSERT_TRUE(v[2]["value"].is_string());
  EXPECT_EQ(v[2]["value"], "——");
  EXPECT_EQ(v[2]["flags"], json({"check_unresolved"}));
  EXPECT_TRUE(v[3]["value"].is_number());
  EXPECT_EQ(v[3]["value"].get<double>(), 0.0);
  const json& columns = j["tables"][0]["columns"];
  ASSERT_EQ(columns.size(), 6u);
  EXPECT_EQ(columns[2]["path"], json({"项目", "合计"}));
  EXPECT_EQ(columns[2]["header"], "合计");
  EXPECT_TRUE(columns[2]["id"].is_null());
  EXPECT_EQ(columns[0]["id"], "code");
  EXPECT_EQ(j["tables"][0]["unit"], "万元");
  EXPECT_EQ(j["tables"][0]["index"], 0);
  // Amounts print as written (shortest round trip).
  EXPECT_NE(j.dump().find("1285.83"), std::string::npos);
}

TEST(ToJson, NullTableNumber) {
  Document doc = SmallDocument();
  doc.tables[0].number.reset();
  EXPECT_TRUE(ToJson(doc)["tables"][0]["number"].is_null());
}

TEST(ToJson, NonNumericWordsStayStrings) {
  // strtod also accepts "nan", "inf" and hex; a cell that reads like that is text, not a number.
  Document doc = SmallDocument();
  doc.tables[0].records[0].values = {
      {2, "nan", {}}, {3, "inf", {}}, {4, "0x1A", {}}, {5, "1,2,3", {}}};
  json v = ToJson(doc)["tables"][0]["records"][0]["values"];
  EXPECT_EQ(v[0]["value"], "nan");
  EXPECT_EQ(v[1]["value"], "inf");
  EXPECT_EQ(v[2]["value"], "0x1A");
  EXPECT_EQ(v[3]["value"], "1,2,3");  // the checks' parser decides: no amount, so no number
}

TEST(ToJson, NegativeValuesRoundToNearest) {
  Document doc = SmallDocument();
  doc.page_results[0].skew_deg = -0.55;
  double skew = ToJson(doc)["pages"][0]["skew_deg"].get<double>();
  EXPECT_DOUBLE_EQ(skew, -0.55);
}

TEST(SchemaValidator, AcceptsToJsonOfASmallDocument) {
  const JsonSchema v(Schema());
  auto errors = v.validate(ToJson(SmallDocument()));
  EXPECT_TRUE(errors.empty()) << Join(errors);
  Document empty;
  errors = v.validate(ToJson(empty));
  EXPECT_TRUE(errors.empty()) << Join(errors);
}

// Every PDF of testdata/ that extracts (scans, text layers, turned pages, pages without a table).
class SchemaOfTestdata : public ::testing::TestWithParam<const char*> {};

TEST_P(SchemaOfTestdata, OutputIsValid) {
  const JsonSchema v(Schema());
  json doc = testing::CachedExtraction(GetParam());
  auto errors = v.validate(doc);
  EXPECT_TRUE(errors.empty()) << Join(errors);
  // Every record value points at a real column of its table.
  for (const auto& t : doc["tables"])
    for (const auto& r : t["records"])
      for (const auto& value : r["values"])
        EXPECT_LT(value["column"].get<int>(), t["n_cols"].get<int>());
}

INSTANTIATE_TEST_SUITE_P(EveryOutput, SchemaOfTestdata,
                         ::testing::Values("scan_tables.pdf", "scan_sideways.pdf",
                                           "scan_upside_down.pdf", "digital_traits.pdf",
                                           "digital_garbage.pdf", "digital_turned_90_180.pdf",
                                           "digital_turned_270_90.pdf", "blank.pdf",
                                           "no_table.pdf"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name)
                             if (ch == '.') ch = '_';
                           return name;
                         });

TEST(SchemaValidator, AcceptsInProcessExtraction) {
  ExtractOptions options;
  options.threads = 1;
  Extractor extractor(options);
  json doc = ToJson(extractor.extract(testing::TestData("no_table.pdf")));
  auto errors = JsonSchema(Schema()).validate(doc);
  EXPECT_TRUE(errors.empty()) << Join(errors);
  EXPECT_EQ(doc["source"]["pages"], 1);
  EXPECT_EQ(doc["source"]["sha256"].get<std::string>().size(), 64u);
}

TEST(SchemaValidator, RejectsBrokenDocuments) {
  const JsonSchema v(Schema());
  const json good = ToJson(SmallDocument());
  auto rejects = [&](const json& doc, const std::string& what) {
    auto errors = v.validate(doc);
    EXPECT_FALSE(errors.empty()) << what;
    return Join(errors);
  };
  json doc = good;
  doc.erase("tables");
  EXPECT_NE(rejects(doc, "missing tables").find("tables"), std::string::npos);
  doc = good;
  doc["disclosure"]["unit"] = 5;
  rejects(doc, "unit is a number");
  doc = good;
  doc["tables"][0]["cells"][0]["colour"] = "red";
  rejects(doc, "unknown cell property");
  doc = good;
  doc["tables"][0]["n_rows"] = -1;
  rejects(doc, "negative row count");
  doc = good;
  doc["pages"][0]["rotation"] = 45;
  rejects(doc, "rotation not a quarter turn");
  doc = good;
  doc["tables"][0]["records"][0]["values"][0]["value"] = json::array();
  rejects(doc, "value is an array");
  doc = good;
  doc["tables"][0]["bbox"] = json({1, 2, 3});
  rejects(doc, "bbox with 3 numbers");
  doc = good;
  doc["tables"][0].erase("records");
  rejects(doc, "table without records");
  // Every property is described: anything else is refused, at the top level and in tables.
  doc = good;
  doc["extra"] = json::array();
  rejects(doc, "unknown top-level property");
  doc = good;
  doc["tables"][0]["repairs"] = json::array();
  rejects(doc, "unknown table property");
  doc = good;
  doc["tables"][0]["records"][0]["values"][0]["colour"] = "red";
  rejects(doc, "unknown value property");
}

}  // namespace
}  // namespace juesuan
