// juesuan batch: output names (below the argument, collisions), isolation of bad inputs (files
// and folder entries), resume, the records file (long form, stable), atomic outputs after
// kill -9, shards, output faults (full disk, unwritable folder: exit code 5), `--`.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "pipeline/batch.h"
#include "stages/common/errors.h"
#include "test_support.h"

namespace {

using juesuan::BatchOptions;
using namespace juesuan::testing;

// Valid JSON outputs below `dir` (mirrored tree), excluding the batch's own files.
std::set<std::string> Outputs(const fs::path& dir) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).generic_string();
    if (rel[0] == '_') continue;
    out.insert(rel);
  }
  return out;
}

nlohmann::json ReadJson(const fs::path& p) { return nlohmann::json::parse(ReadAll(p)); }

// `dir`/d0/page.pdf … d{n-1}/page.pdf: n copies of a one-page scan (one table, 09).
void CopiesOfOnePage(const fs::path& dir, int n) {
  for (int i = 0; i < n; ++i) {
    const fs::path sub = dir / ("d" + std::to_string(i));
    fs::create_directories(sub);
    fs::copy_file(TestData("scan_upside_down.pdf"), sub / "page.pdf");
  }
}

TEST(BatchInputs, DirectoriesManifestsAndMirroredOutputs) {
  TempDir tmp;
  fs::create_directories(tmp / "in/a");
  fs::create_directories(tmp / "in/b");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/a/same.pdf");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/b/same.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/odd name 数据.PDF");
  std::ofstream(tmp / "in/list.txt") << "# manifest\na/same.pdf\nodd name 数据.PDF\n";
  BatchOptions o;
  o.out_dir = (tmp / "out").string();
  o.inputs = {(tmp / "in").string(), (tmp / "in/list.txt").string()};
  auto inputs = juesuan::ResolveInputs(o).inputs;
  ASSERT_EQ(inputs.size(), 3u);  // duplicates from the manifest are dropped
  std::set<std::string> outs;
  for (const auto& in : inputs) outs.insert(fs::relative(in.output, tmp / "out").generic_string());
  EXPECT_EQ(outs, (std::set<std::string>{"a/same.pdf.json", "b/same.pdf.json",
                                         "odd name 数据.PDF.json"}));
  o.inputs = {(tmp / "missing").string()};
  EXPECT_THROW(juesuan::ResolveInputs(o), juesuan::UsageError);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BatchInputs, BadEntriesBecomeProblemsAndTheRestIsTaken) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/good.pdf");
  fs::create_symlink("loop.pdf", tmp / "in/loop.pdf");  // ELOOP for status()
  fs::create_symlink("nowhere.pdf", tmp / "in/dangling.pdf");
  fs::create_symlink("also-nowhere", tmp / "in/not-a-pdf-name");  // not ours: ignored
  std::ofstream(tmp / "list.txt") << "in/good.pdf\nin/missing.pdf\n";
  BatchOptions o;
  o.out_dir = (tmp / "out").string();
  o.inputs = {(tmp / "in").string(), (tmp / "list.txt").string()};
  juesuan::ResolvedInputs resolved;
  ASSERT_NO_THROW(resolved = juesuan::ResolveInputs(o));
  ASSERT_EQ(resolved.inputs.size(), 1u);
  EXPECT_EQ(resolved.inputs[0].relative, "good.pdf");
  std::map<std::string, std::string> problems;  // file name -> message
  for (const auto& p : resolved.problems) {
    EXPECT_TRUE(fs::path(p.path).is_absolute()) << p.path;
    problems[fs::path(p.path).filename().string()] = p.message;
  }
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems["loop.pdf"], "cannot follow symlink: Too many levels of symbolic links");
  EXPECT_EQ(problems["dangling.pdf"], "cannot follow symlink: No such file or directory");
  EXPECT_EQ(problems["missing.pdf"], "listed in " + (tmp / "list.txt").string() +
                                         " but cannot be opened: No such file or directory");
}

std::vector<nlohmann::json> JsonLines(const fs::path& p) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(ReadAll(p));
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(BatchInputs, EachOutputIsNamedBelowItsOwnArgument) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  fs::create_directories(tmp / "deep/er");
  fs::create_directories(tmp / "m/z");
  fs::create_directories(tmp / "n");
  for (const char* p : {"in/sub/a.pdf", "in/b.pdf", "deep/er/c.pdf", "m/z/q.pdf", "n/e.pdf"})
    fs::copy_file(TestData("blank.pdf"), tmp / p);
  std::ofstream(tmp / "list.txt") << "m\nn/e.pdf\n";
  BatchOptions o;
  o.out_dir = (tmp / "out").string();
  o.inputs = {(tmp / "in").string(), (tmp / "deep/er/c.pdf").string(), (tmp / "list.txt").string()};
  const auto resolved = juesuan::ResolveInputs(o);
  EXPECT_TRUE(resolved.problems.empty());
  std::vector<std::string> relatives, outputs, paths;
  for (const auto& in : resolved.inputs) {
    relatives.push_back(in.relative);
    outputs.push_back(in.output);
    paths.push_back(in.path);
  }
  // Command-line order, each folder sorted.
  EXPECT_EQ(relatives,
            (std::vector<std::string>{"b.pdf", "sub/a.pdf", "c.pdf", "z/q.pdf", "e.pdf"}));
  EXPECT_EQ(outputs, (std::vector<std::string>{
                         (tmp / "out/b.pdf.json").string(), (tmp / "out/sub/a.pdf.json").string(),
                         (tmp / "out/c.pdf.json").string(), (tmp / "out/z/q.pdf.json").string(),
                         (tmp / "out/e.pdf.json").string()}));
  EXPECT_EQ(paths,
            (std::vector<std::string>{(tmp / "in/b.pdf").string(), (tmp / "in/sub/a.pdf").string(),
                                      (tmp / "deep/er/c.pdf").string(),
                                      (tmp / "m/z/q.pdf").string(), (tmp / "n/e.pdf").string()}));
}

TEST(BatchInputs, OneFileTwiceIsOneInputAndACollisionNamesThePathAsGiven) {
  TempDir tmp;
  fs::create_directories(tmp / "x");
  fs::create_directories(tmp / "y");
  fs::create_directories(tmp / "links");
  fs::copy_file(TestData("blank.pdf"), tmp / "x/a.pdf");
  fs::copy_file(TestData("blank.pdf"), tmp / "y/a.pdf");  // equal bytes, another file
  fs::create_symlink(tmp / "x", tmp / "links/same");
  fs::create_symlink(tmp / "y", tmp / "links/other");
  BatchOptions o;
  o.out_dir = (tmp / "out").string();
  o.inputs = {(tmp / "x/a.pdf").string(), (tmp / "links/same/a.pdf").string(),
              (tmp / "links/other/a.pdf").string()};
  const auto resolved = juesuan::ResolveInputs(o);
  ASSERT_EQ(resolved.inputs.size(), 1u);  // links/same/a.pdf is x/a.pdf again
  EXPECT_EQ(resolved.inputs[0].path, (tmp / "x/a.pdf").string());
  ASSERT_EQ(resolved.problems.size(), 1u);
  EXPECT_EQ(resolved.problems[0].path, (tmp / "links/other/a.pdf").string());  // not resolved
  EXPECT_EQ(resolved.problems[0].message, "output name a.pdf.json is taken by " +
                                              (tmp / "x/a.pdf").string() +
                                              " (named first); this input is not converted");
}

TEST(Batch, AddingAnInputNeverMovesAnotherOutput) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/sub/a.pdf");
  const std::vector<std::string> args = {"batch", (tmp / "in").string(), "-o",
                                         (tmp / "out").string(), "--quiet"};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"), std::set<std::string>{"sub/a.pdf.json"});
  const auto before = fs::last_write_time(tmp / "out/sub/a.pdf.json");

  fs::copy_file(TestData("no_table.pdf"), tmp / "in/b.pdf");
  r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"), (std::set<std::string>{"b.pdf.json", "sub/a.pdf.json"}));
  const auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["skipped"], 1);  // sub/a.pdf: up to date where it was
  EXPECT_EQ(summary["done"], 1);     // b.pdf only
  EXPECT_EQ(fs::last_write_time(tmp / "out/sub/a.pdf.json"), before);
}

TEST(Batch, TwoInputsWithOneOutputNameTheFirstNamedWins) {
  TempDir tmp;
  fs::create_directories(tmp / "x");
  fs::create_directories(tmp / "y");
  fs::copy_file(TestData("blank.pdf"), tmp / "x/a.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "y/a.pdf");
  for (const auto& [first, second] : {std::pair{"x", "y"}, std::pair{"y", "x"}}) {
    const fs::path out = tmp / (std::string("out-") + first);
    const fs::path winner = tmp / first / "a.pdf", loser = tmp / second / "a.pdf";
    auto r = RunCli({"batch", winner.string(), loser.string(), "-o", out.string(), "--quiet"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(Outputs(out), std::set<std::string>{"a.pdf.json"});
    EXPECT_EQ(ReadJson(out / "a.pdf.json")["source"]["file"], winner.string());
    const auto errors = JsonLines(out / "_errors.jsonl");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["path"], loser.string());
    EXPECT_EQ(errors[0]["stage"], "input");
    EXPECT_EQ(errors[0]["message"], "output name a.pdf.json is taken by " + winner.string() +
                                        " (named first); this input is not converted");
    const auto summary = ReadJson(out / "_summary.json");
    EXPECT_EQ(summary["done"], 1);
    EXPECT_EQ(summary["input_errors"], 1);
  }
}

TEST(Batch, AFileInputIsNamedByItsFileNameWhereverItIs) {
  TempDir tmp;
  fs::create_directories(tmp / "deep/er");
  fs::copy_file(TestData("blank.pdf"), tmp / "deep/er/c.pdf");
  auto r =
      RunCli({"batch", (tmp / "deep/er/c.pdf").string(), "-o", (tmp / "out").string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"), std::set<std::string>{"c.pdf.json"});
  EXPECT_EQ(ReadJson(tmp / "out/c.pdf.json")["source"]["file"], (tmp / "deep/er/c.pdf").string());
}

// A schema-2.0 output, written by hand: the records file's input.
nlohmann::json NewShapeOutput() {
  return nlohmann::json::parse(R"({
    "source": {"file": "a.pdf", "sha256": "ab12", "pages": 13},
    "disclosure": {"department": "某某局", "year": "2024", "unit": "万元"},
    "tables": [
      {"index": 0, "number": "02", "title": "收入决算表", "kind": "income_by_function",
       "unit": null,
       "columns": [{"index": 0, "path": ["功能分类科目编码"], "header": "功能分类科目编码", "id": "code"},
                   {"index": 2, "path": ["本年收入合计"], "header": "本年收入合计", "id": "total_income"},
                   {"index": 3, "path": ["财政拨款收入", "小计"], "header": "小计", "id": null}],
       "records": [
         {"row": 4, "role": "item", "key": "code", "code": "201", "classification": "function",
          "level": "类", "parent": null, "line": null, "half": null, "line_id": null,
          "label": null, "name": "一般公共服务支出",
          "values": [{"column": 2, "value": 861.56, "text": "861.56", "flags": []},
                     {"column": 3, "value": null, "text": "", "flags": ["unread_ink"]}]},
         {"row": 9, "role": "total", "key": "line", "code": null, "classification": null,
          "level": null, "parent": null, "line": 3, "half": "income", "line_id": "upper_subsidy",
          "label": "本年收入合计", "name": "本年收入合计",
          "values": [{"column": 7, "value": 12.5, "text": "12.50", "flags": []}]}]},
      {"index": 1, "number": null, "title": "三公经费表", "kind": "three_public", "unit": "元",
       "columns": [{"index": 0, "path": ["合计"], "header": "合计", "id": "total"}],
       "records": [
         {"row": 2, "role": "item", "key": "label", "code": null, "classification": null,
          "level": null, "parent": null, "line": null, "half": null, "line_id": null,
          "label": "公务接待费", "name": "公务接待费",
          "values": [{"column": 0, "value": "——", "text": "——", "flags": []}]}]}]})");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(BatchRecords, OneLinePerValueWithEveryKeyInOrder) {
  const std::string text = juesuan::RecordLines(NewShapeOutput(), "sub/a.pdf");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 4u);
  // Whole, byte for byte: key order, nulls, UTF-8 as it is, the table's unit missing -> the
  // disclosure's.
  EXPECT_EQ(lines[0],
            R"({"sha256":"ab12","document":"sub/a.pdf","department":"某某局","year":"2024",)"
            R"("unit":"万元","table":0,"table_number":"02","table_kind":"income_by_function",)"
            R"("table_title":"收入决算表","row":4,"role":"item","key":"code","code":"201",)"
            R"("classification":"function","level":"类","parent":null,"line":null,"half":null,)"
            R"("line_id":null,"label":null,"name":"一般公共服务支出","column":2,)"
            R"("column_path":["本年收入合计"],"column_id":"total_income",)"
            R"("column_header":"本年收入合计","value":861.56,"text":"861.56","flags":[]})");
  const std::vector<std::string> keys = {
      "sha256",        "document",       "department",  "year",   "unit",        "table",
      "table_number",  "table_kind",     "table_title", "row",    "role",        "key",
      "code",          "classification", "level",       "parent", "line",        "half",
      "line_id",       "label",          "name",        "column", "column_path", "column_id",
      "column_header", "value",          "text",        "flags"};
  std::vector<nlohmann::ordered_json> parsed;
  for (const auto& line : lines) {
    parsed.push_back(nlohmann::ordered_json::parse(line));
    std::vector<std::string> got;
    for (const auto& [k, v] : parsed.back().items()) got.push_back(k);
    EXPECT_EQ(got, keys) << line;
  }
  EXPECT_EQ(parsed[1]["column_path"], nlohmann::ordered_json({"财政拨款收入", "小计"}));
  EXPECT_TRUE(parsed[1]["column_id"].is_null());
  EXPECT_EQ(parsed[1]["column_header"], "小计");
  EXPECT_TRUE(parsed[1]["value"].is_null());
  EXPECT_EQ(parsed[1]["flags"], nlohmann::ordered_json({"unread_ink"}));
  // A total keyed by line; its column (7) is not among the columns: no path, id or header.
  EXPECT_EQ(parsed[2]["role"], "total");
  EXPECT_EQ(parsed[2]["line"], 3);
  EXPECT_EQ(parsed[2]["half"], "income");
  EXPECT_EQ(parsed[2]["line_id"], "upper_subsidy");
  EXPECT_EQ(parsed[2]["label"], "本年收入合计");
  EXPECT_EQ(parsed[2]["column"], 7);
  EXPECT_TRUE(parsed[2]["column_path"].is_null());
  EXPECT_TRUE(parsed[2]["column_id"].is_null());
  EXPECT_TRUE(parsed[2]["column_header"].is_null());
  // The second table: its own unit, no number, a mark kept as text.
  EXPECT_EQ(parsed[3]["table"], 1);
  EXPECT_EQ(parsed[3]["unit"], "元");
  EXPECT_TRUE(parsed[3]["table_number"].is_null());
  EXPECT_EQ(parsed[3]["key"], "label");
  EXPECT_EQ(parsed[3]["value"], "——");
  EXPECT_EQ(parsed[3]["column_path"], nlohmann::ordered_json({"合计"}));
}

TEST(BatchRecords, MissingFieldsAreNullAndOtherShapesNeverThrow) {
  nlohmann::json doc = {{"tables", {{{"records", {{{"values", {{{"column", 1}}}}}}}}}}};
  const auto lines = Lines(juesuan::RecordLines(doc, "x.pdf"));
  ASSERT_EQ(lines.size(), 1u);
  const auto j = nlohmann::ordered_json::parse(lines[0]);
  EXPECT_EQ(j.size(), 28u);
  for (const auto& [k, v] : j.items()) {
    if (k == "document")
      EXPECT_EQ(v, "x.pdf");
    else if (k == "column")
      EXPECT_EQ(v, 1);
    else
      EXPECT_TRUE(v.is_null()) << k << " = " << v.dump();
  }
  // Schema 1.x: values keyed by header. Not a value in the long form: nothing, no exception.
  nlohmann::json old = {
      {"disclosure", {{"unit", "万元"}}},
      {"tables",
       {{{"number", "02"},
         {"records", {{{"code", "201"}, {"values", {{"本年收入合计", 1.0}}}}}}}}}};
  EXPECT_EQ(juesuan::RecordLines(old, "old.pdf"), "");
  EXPECT_EQ(juesuan::RecordLines(nlohmann::json::array(), "x.pdf"), "");
  EXPECT_EQ(juesuan::RecordLines({{"tables", "none"}}, "x.pdf"), "");
  EXPECT_EQ(juesuan::RecordLines({{"tables", {{{"records", {{{"values", {1, "a"}}}}}}}}}, "x.pdf"),
            "");
}

// An up-to-date output whose turn comes after a document still being converted is read back
// when its turn comes: the file is in input order, however the documents finish.
TEST(Batch, RecordsOfAnOutputReadyOutOfTurnComeInInputOrder) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/b.pdf");
  auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // b.pdf's output in the new shape, still up to date (same input, version and configuration).
  nlohmann::json planted = NewShapeOutput();
  const nlohmann::json real = ReadJson(tmp / "out/b.pdf.json");
  planted["source"] = real["source"];
  planted["generator"] = real["generator"];
  std::ofstream(tmp / "out/b.pdf.json") << planted.dump(1);
  fs::copy_file(TestData("blank.pdf"), tmp / "in/a.pdf");  // first in order, to be done
  r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet",
              "--records-jsonl", (tmp / "records.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["skipped"], 1);
  EXPECT_EQ(summary["done"], 1);
  // a.pdf (blank) has no tables; b.pdf's four values follow it.
  EXPECT_EQ(ReadAll(tmp / "records.jsonl"), juesuan::RecordLines(planted, "b.pdf"));
  EXPECT_EQ(Lines(ReadAll(tmp / "records.jsonl")).size(), 4u);
}

// Needs the extractor's schema-2.0 output (values as an array of {column, value, text, flags}).
TEST(Batch, RecordsFileIsTheSameOnEveryRunWithALinePerValue) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  fs::copy_file(TestData("digital_traits.pdf"), tmp / "in/digital.pdf");
  fs::copy_file(TestData("digital_traits.pdf"), tmp / "in/sub/again.pdf");  // same bytes: two
  fs::copy_file(TestData("blank.pdf"), tmp / "in/blank.pdf");
  fs::copy_file(TestData("scan_upside_down.pdf"), tmp / "in/scan.pdf");
  const fs::path records = tmp / "records.jsonl";
  std::vector<std::string> args = {"batch",
                                   (tmp / "in").string(),
                                   "-o",
                                   (tmp / "out").string(),
                                   "--quiet",
                                   "--jobs",
                                   "2",
                                   "--records-jsonl",
                                   records.string()};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string first = ReadAll(records);
  r = RunCli(args);  // everything up to date
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(tmp / "out/_summary.json")["skipped"], 4);
  EXPECT_EQ(ReadAll(records), first);
  args.push_back("--force");  // everything redone, finishing in any order
  r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(tmp / "out/_summary.json")["done"], 4);
  EXPECT_EQ(ReadAll(records), first);

  std::map<std::string, size_t> values;  // document -> values in its output
  for (const auto& o : Outputs(tmp / "out")) {
    const auto j = ReadJson(tmp / "out" / o);
    size_t n = 0;
    for (const auto& t : j["tables"])
      for (const auto& rec : t["records"]) n += rec["values"].size();
    if (n > 0) values[o.substr(0, o.size() - 5)] = n;
  }
  ASSERT_EQ(values.count("digital.pdf"), 1u);
  EXPECT_EQ(values["digital.pdf"], values["sub/again.pdf"]);
  std::map<std::string, size_t> lines;  // document -> lines
  for (const auto& j : JsonLines(records)) ++lines[j["document"].get<std::string>()];
  EXPECT_EQ(lines, values);
}

TEST(Batch, OneBadEntryNeverStopsTheBatch) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  fs::create_directories(tmp / "in/locked");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/blank.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/sub/no_table.pdf");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/locked/hidden.pdf");
  fs::create_symlink("x.pdf", tmp / "in/x.pdf");
  fs::create_symlink("gone.pdf", tmp / "in/dangling.pdf");
  std::ofstream(tmp / "list.txt") << "in/blank.pdf\nin/missing.pdf\n";
  // Unreadable for the unprivileged user the batch runs as; the output folder is writable.
  fs::permissions(tmp / "in/locked", fs::perms::none);
  fs::create_directories(tmp / "out");
  fs::permissions(tmp / "out", fs::perms::all);
  auto r = RunCliUnprivileged({"batch", (tmp / "in").string(), (tmp / "list.txt").string(), "-o",
                               (tmp / "out").string(), "--quiet"});
  fs::permissions(tmp / "in/locked", fs::perms::owner_all);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"),
            (std::set<std::string>{"blank.pdf.json", "sub/no_table.pdf.json"}));
  std::map<std::string, std::string> failed;  // path -> message
  for (const auto& j : JsonLines(tmp / "out/_errors.jsonl")) {
    EXPECT_EQ(j["stage"], "input") << j.dump();
    failed[j["path"]] = j["message"];
  }
  EXPECT_EQ(
      failed,
      (std::map<std::string, std::string>{
          {(tmp / "in/x.pdf").string(), "cannot follow symlink: Too many levels of symbolic links"},
          {(tmp / "in/dangling.pdf").string(), "cannot follow symlink: No such file or directory"},
          {(tmp / "in/locked").string(), "cannot read folder: Permission denied"},
          {(tmp / "in/missing.pdf").string(),
           "listed in " + (tmp / "list.txt").string() +
               " but cannot be opened: No such file or directory"}}));
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["done"], 2);
  EXPECT_EQ(summary["failed"], 4);
  EXPECT_EQ(summary["input_errors"], 4);
  EXPECT_EQ(summary["abandoned"], 0);
}

TEST(Batch, MissingInputOnTheCommandLineIsAUsageErrorAndWritesNothing) {
  TempDir tmp;
  auto r = RunCli({"batch", (tmp / "no-such-folder").string(), "-o", (tmp / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(Contains(r.err, "juesuan: input not found: " + (tmp / "no-such-folder").string() +
                                  " (No such file or directory)"))
      << r.err;
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

TEST(Batch, ErrorsAndRecordsDescribeThisRunOnly) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("digital_traits.pdf"), tmp / "in/digital.pdf");
  fs::copy_file(TestData("not_a_pdf.pdf"), tmp / "in/bad.pdf");
  const fs::path records = tmp / "records.jsonl";
  const std::vector<std::string> args = {
      "batch",           (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet",
      "--records-jsonl", records.string()};
  ASSERT_EQ(RunCli(args).exit_code, 4);
  const std::string first = ReadAll(records);
  const auto lines = JsonLines(records);
  ASSERT_GT(lines.size(), 10u);
  for (const auto& j : lines) EXPECT_EQ(j["document"], "digital.pdf");
  ASSERT_EQ(JsonLines(tmp / "out/_errors.jsonl").size(), 1u);

  fs::remove(tmp / "in/bad.pdf");
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(tmp / "out/_summary.json")["skipped"], 1);
  EXPECT_EQ(ReadAll(tmp / "out/_errors.jsonl"), "");  // the old failure is gone
  EXPECT_EQ(ReadAll(records), first);                 // whole again, nothing twice
  for (const auto& e : fs::directory_iterator(tmp.path()))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(Batch, DocumentThatCannotBeWrittenFailsAlone) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/small.pdf");
  fs::copy_file(TestData("digital_traits.pdf"), tmp / "in/large.pdf");
  // Its JSON (about 64 kB) outgrows the file-size limit; the others fit. The limit stays above
  // the 23 kB input: the limit also binds the memfd that holds the PDF for the renderers.
  auto r = RunCliWithFileSizeLimit(
      {"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet"}, 32768);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"), std::set<std::string>{"small.pdf.json"});  // no temporaries
  const auto errors = JsonLines(tmp / "out/_errors.jsonl");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["path"], (tmp / "in/large.pdf").string());
  EXPECT_EQ(errors[0]["stage"], "write");
  EXPECT_TRUE(Contains(errors[0]["message"], "cannot write")) << errors[0].dump();
  EXPECT_TRUE(Contains(errors[0]["message"], "File too large")) << errors[0].dump();
  EXPECT_EQ(ReadJson(tmp / "out/_summary.json")["failed"], 1);
}

// A first run without a limit, so that a second one only writes the run's own files.
std::vector<std::string> BatchOfTwoWithRecords(const TempDir& tmp) {
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/blank.pdf");
  fs::copy_file(TestData("digital_traits.pdf"), tmp / "in/digital.pdf");
  std::vector<std::string> args = {
      "batch",           (tmp / "in").string(),           "-o", (tmp / "out").string(), "--quiet",
      "--records-jsonl", (tmp / "records.jsonl").string()};
  auto r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return args;
}

TEST(Batch, FullDiskForTheRecordsFileEndsTheRunWithExitCode5) {
  TempDir tmp;
  const auto args = BatchOfTwoWithRecords(tmp);
  const std::string before = ReadAll(tmp / "records.jsonl");
  ASSERT_GT(before.size(), 8192u);
  // The rerun re-emits every record (more than the limit, as asserted); its summary fits.
  auto r = RunCliWithFileSizeLimit(args, 8192);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "juesuan: cannot write " + (tmp / ".records.jsonl.tmp-").string()))
      << r.err;
  EXPECT_TRUE(Contains(r.err, "File too large")) << r.err;
  EXPECT_TRUE(Contains(r.err, "exit code 5")) << r.err;
  EXPECT_EQ(ReadAll(tmp / "records.jsonl"), before);  // the last whole one, untouched
  for (const auto& e : fs::directory_iterator(tmp.path()))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_TRUE(Contains(summary["output_error"], "File too large")) << summary.dump();
}

TEST(Batch, FullDiskForTheSummaryEndsTheRunWithExitCode5) {
  TempDir tmp;
  auto args = BatchOfTwoWithRecords(tmp);
  args.resize(5);  // without records: the rerun writes only the (empty) errors file and summary
  const std::string before = ReadAll(tmp / "out/_summary.json");
  auto r = RunCliWithFileSizeLimit(args, 100);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "cannot write " + (tmp / "out/._summary.json.tmp-").string()))
      << r.err;
  EXPECT_TRUE(Contains(r.err, "File too large")) << r.err;
  EXPECT_EQ(ReadAll(tmp / "out/_summary.json"), before);
  EXPECT_EQ(Outputs(tmp / "out"), (std::set<std::string>{"blank.pdf.json", "digital.pdf.json"}));
  for (const auto& e : fs::directory_iterator(tmp / "out"))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(Batch, FullDiskForTheErrorsFileEndsTheRunAndNeverTearsALine) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("not_a_pdf.pdf"), tmp / "in/bad.pdf");
  // Its error line (about 100 bytes) outgrows the limit half-way.
  auto r = RunCliWithFileSizeLimit(
      {"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet"}, 40);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(
      r.err, "juesuan: cannot write " + (tmp / "out/_errors.jsonl").string() + ": File too large"))
      << r.err;
  EXPECT_EQ(ReadAll(tmp / "out/_errors.jsonl"), "");  // the torn line was cut back off
}

TEST(Batch, UnwritableOutputFolderIsExitCode5) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/blank.pdf");
  // A folder below a regular file cannot be made, even by root.
  std::ofstream(tmp / "file") << "x";
  auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "file/out").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "juesuan: cannot create output folder " +
                                  (tmp / "file/out").string() + ": Not a directory"))
      << r.err;
  // A read-only folder, for an unprivileged user (root would write it anyway).
  fs::create_directories(tmp / "readonly");
  fs::permissions(tmp / "readonly", fs::perms::owner_read | fs::perms::owner_exec |
                                        fs::perms::group_read | fs::perms::group_exec |
                                        fs::perms::others_read | fs::perms::others_exec);
  r = RunCliUnprivileged(
      {"batch", (tmp / "in").string(), "-o", (tmp / "readonly").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "juesuan: cannot open " + (tmp / "readonly/_errors.jsonl").string() +
                                  ": Permission denied"))
      << r.err;
  EXPECT_TRUE(fs::is_empty(tmp / "readonly"));
}

// Runs in another working directory for one scope.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& dir) : old_(fs::current_path()) {
    fs::current_path(dir);
  }
  ~WorkingDirectory() { fs::current_path(old_); }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  fs::path old_;
};

TEST(Batch, DoubleDashEndsTheOptions) {
  TempDir tmp;
  fs::copy_file(TestData("blank.pdf"), tmp / "-x.pdf");
  WorkingDirectory here(tmp.path());
  auto r = RunCli({"batch", "-o", "out", "--quiet", "--", "-x.pdf"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"), std::set<std::string>{"-x.pdf.json"});
  EXPECT_EQ(ReadJson(tmp / "out/-x.pdf.json")["source"]["file"], (tmp / "-x.pdf").string());
  // Without it, the name is an (unknown) option.
  EXPECT_EQ(RunCli({"batch", "-o", "out", "-x.pdf"}).exit_code, 2);
}

TEST(BatchInputs, ShardsCoverEveryInputExactlyOnce) {
  std::multiset<std::string> seen;
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i)
    names.push_back("dir" + std::to_string(i % 7) + "/doc" + std::to_string(i) + ".pdf");
  std::vector<int> per_shard(3, 0);
  for (const auto& n : names)
    for (int k = 0; k < 3; ++k)
      if (juesuan::InShard(n, k, 3)) seen.insert(n), ++per_shard[k];
  EXPECT_EQ(seen.size(), names.size());
  for (const auto& n : names) EXPECT_EQ(seen.count(n), 1u) << n;
  for (int k = 0; k < 3; ++k) EXPECT_GT(per_shard[k], 40);  // a real split, not all in one
}

// A scheduler's environment as a map, for ShardFromScheduler.
juesuan::EnvLookup Env(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(BatchInputs, ShardAutoReadsKubernetesAndSlurm) {
  using P = std::pair<int, int>;
  // Kubernetes: 0-based index, the count only from --shard-count.
  EXPECT_EQ(juesuan::ShardFromScheduler(4, Env({{"JOB_COMPLETION_INDEX", "3"}})), P(3, 4));
  EXPECT_THROW(juesuan::ShardFromScheduler(0, Env({{"JOB_COMPLETION_INDEX", "0"}})),
               juesuan::UsageError);
  EXPECT_THROW(juesuan::ShardFromScheduler(4, Env({{"JOB_COMPLETION_INDEX", "4"}})),
               juesuan::UsageError);
  EXPECT_THROW(juesuan::ShardFromScheduler(4, Env({{"JOB_COMPLETION_INDEX", "x1"}})),
               juesuan::UsageError);
  // Slurm --array=1-8: ids 1..8, MIN 1, COUNT 8.
  EXPECT_EQ(juesuan::ShardFromScheduler(0, Env({{"SLURM_ARRAY_TASK_ID", "1"},
                                                {"SLURM_ARRAY_TASK_MIN", "1"},
                                                {"SLURM_ARRAY_TASK_COUNT", "8"}})),
            P(0, 8));
  // --array=10-24:2 : ids 10, 12, ..., 24 (8 tasks); 16 is the fourth.
  const auto stepped = Env({{"SLURM_ARRAY_TASK_ID", "16"},
                            {"SLURM_ARRAY_TASK_MIN", "10"},
                            {"SLURM_ARRAY_TASK_STEP", "2"},
                            {"SLURM_ARRAY_TASK_COUNT", "8"}});
  EXPECT_EQ(juesuan::ShardFromScheduler(0, stepped), P(3, 8));
  EXPECT_EQ(juesuan::ShardFromScheduler(8, stepped), P(3, 8));
  EXPECT_THROW(juesuan::ShardFromScheduler(5, stepped), juesuan::UsageError);  // disagrees
  EXPECT_THROW(juesuan::ShardFromScheduler(0, Env({{"SLURM_ARRAY_TASK_ID", "3"}})),
               juesuan::UsageError);  // no count
  EXPECT_THROW(juesuan::ShardFromScheduler(4, Env({})), juesuan::UsageError);
  EXPECT_EQ(juesuan::ShardFileName("/o/records.jsonl", 1, 8), "/o/records-2-of-8.jsonl");
  EXPECT_EQ(juesuan::ShardFileName("records.jsonl", 0, 1), "records.jsonl");
}

// Four shards of a Kubernetes Indexed Job into one OUTDIR and one records name: every input is
// converted exactly once, and the shards' records files hold every document's records once.
TEST(Batch, ShardAutoFromKubernetesCoversEveryInputOnce) {
  TempDir tmp;
  const int n = 8;
  for (int i = 0; i < n; ++i) {
    fs::create_directories(tmp / ("in/d" + std::to_string(i)));
    fs::copy_file(TestData("digital_traits.pdf"), tmp / ("in/d" + std::to_string(i) + "/x.pdf"));
  }
  std::map<std::string, int> records_per_document;
  int done = 0;
  for (int k = 0; k < 4; ++k) {
    auto r = RunCliInChild(
        {"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet", "--shard", "auto",
         "--shard-count", "4", "--records-jsonl", (tmp / "out/records.jsonl").string()},
        [k] { return ::setenv("JOB_COMPLETION_INDEX", std::to_string(k).c_str(), 1) == 0; });
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string shard = std::to_string(k + 1) + "-of-4";
    done += ReadJson(tmp / ("out/_summary-" + shard + ".json"))["done"].get<int>();
    std::istringstream lines(ReadAll(tmp / ("out/records-" + shard + ".jsonl")));
    for (std::string line; std::getline(lines, line);)
      ++records_per_document[nlohmann::json::parse(line)["document"].get<std::string>()];
  }
  EXPECT_EQ(done, n);
  EXPECT_FALSE(fs::exists(tmp / "out/records.jsonl"));
  ASSERT_EQ(records_per_document.size(), static_cast<size_t>(n));
  const int per_document = records_per_document.begin()->second;
  EXPECT_GT(per_document, 0);
  for (const auto& [document, count] : records_per_document)
    EXPECT_EQ(count, per_document) << document;  // no document twice, none lost
  // Without a count, or with an index out of range, nothing is run.
  EXPECT_EQ(RunCliInChild(
                {"batch", (tmp / "in").string(), "-o", (tmp / "o2").string(), "--shard", "auto"},
                [] { return ::setenv("JOB_COMPLETION_INDEX", "0", 1) == 0; })
                .exit_code,
            2);
  EXPECT_FALSE(fs::exists(tmp / "o2"));
}

TEST(Batch, BadInputsAreRecordedAndTheRestIsWritten) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  for (const char* bad : {"not_a_pdf.pdf", "truncated.pdf", "encrypted.pdf", "zero_pages.pdf"})
    fs::copy_file(TestData(bad), tmp / "in" / bad);
  fs::copy_file(TestData("blank.pdf"), tmp / "in/blank.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/sub/no_table.pdf");
  auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 4) << r.err;  // some failed
  EXPECT_EQ(Outputs(tmp / "out"),
            (std::set<std::string>{"blank.pdf.json", "sub/no_table.pdf.json"}));
  for (const auto& o : Outputs(tmp / "out")) EXPECT_NO_THROW(ReadJson(tmp / "out" / o));
  std::istringstream errors(ReadAll(tmp / "out/_errors.jsonl"));
  std::set<std::string> failed;
  for (std::string line; std::getline(errors, line);) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["stage"], "open");
    EXPECT_FALSE(j["message"].get<std::string>().empty());
    failed.insert(fs::path(j["path"].get<std::string>()).filename().string());
  }
  EXPECT_EQ(failed, (std::set<std::string>{"not_a_pdf.pdf", "truncated.pdf", "encrypted.pdf",
                                           "zero_pages.pdf"}));
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["done"], 2);
  EXPECT_EQ(summary["failed"], 4);
  EXPECT_EQ(summary["skipped"], 0);
}

TEST(Batch, RerunWithNothingChangedDoesNoWorkAndForceRedoes) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/one.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/two.pdf");
  const std::vector<std::string> args = {
      "batch",           (tmp / "in").string(),           "-o", (tmp / "out").string(), "--quiet",
      "--records-jsonl", (tmp / "records.jsonl").string()};
  ASSERT_EQ(RunCli(args).exit_code, 0);
  EXPECT_EQ(ReadAll(tmp / "records.jsonl"), "");  // neither document has a table
  auto before = fs::last_write_time(tmp / "out/one.pdf.json");
  ASSERT_EQ(RunCli(args).exit_code, 0);
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["skipped"], 2);
  EXPECT_EQ(summary["done"], 0);
  EXPECT_EQ(summary["pages"], 0);
  EXPECT_EQ(fs::last_write_time(tmp / "out/one.pdf.json"), before);
  // A changed input is redone.
  fs::copy_file(TestData("scan_upside_down.pdf"), tmp / "in/two.pdf",
                fs::copy_options::overwrite_existing);
  ASSERT_EQ(RunCli(args).exit_code, 0);
  summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["skipped"], 1);
  EXPECT_EQ(summary["done"], 1);
  // Its records: 09 has no codes, so its one row of figures is one record keyed by its (empty)
  // label, a line per value, each column named by the catalogue.
  const std::string records = ReadAll(tmp / "records.jsonl");
  EXPECT_EQ(records, juesuan::RecordLines(ReadJson(tmp / "out/two.pdf.json"), "two.pdf"));
  const auto lines = JsonLines(tmp / "records.jsonl");
  ASSERT_EQ(lines.size(), 12u);
  for (const auto& j : lines) {
    EXPECT_EQ(j["document"], "two.pdf");
    EXPECT_EQ(j["table_number"], "09");
    EXPECT_EQ(j["table_kind"], "three_public");
    EXPECT_EQ(j["key"], "label");
    EXPECT_EQ(j["unit"], "万元");
  }
  EXPECT_EQ(lines[0]["column_id"], "budget_total");
  EXPECT_EQ(lines[0]["column_path"], nlohmann::json({"预算数", "合计"}));
  EXPECT_DOUBLE_EQ(lines[0]["value"].get<double>(), 6.00);
  EXPECT_EQ(lines[0]["text"], "6.00");
  EXPECT_EQ(lines[6]["column_id"], "actual_total");
  EXPECT_DOUBLE_EQ(lines[6]["value"].get<double>(), 3.58);
  // --force redoes both; the records file is the same again.
  auto forced = args;
  forced.push_back("--force");
  ASSERT_EQ(RunCli(forced).exit_code, 0);
  EXPECT_EQ(ReadJson(tmp / "out/_summary.json")["done"], 2);
  EXPECT_EQ(ReadAll(tmp / "records.jsonl"), records);
}

TEST(Batch, KillNineThenRerunFinishesEveryDocumentExactlyOnce) {
  TempDir tmp;
  const int n = 6;
  CopiesOfOnePage(tmp / "in", n);
  const std::string in = (tmp / "in").string(), out = (tmp / "out").string();
  const pid_t pid = SpawnCli({"batch", in, "-o", out, "--quiet", "--jobs", "2"});
  ASSERT_GE(pid, 0);
  // Kill as soon as the first document is written, in the middle of the others.
  WaitUntil([&] { return !Outputs(tmp / "out").empty(); });
  ASSERT_NE(SignalAndReap(pid, SIGKILL), -1);
  const auto partial = Outputs(tmp / "out");
  ASSERT_FALSE(partial.empty());
  for (const auto& o : partial)
    if (o.find(".tmp-") == std::string::npos) {
      EXPECT_NO_THROW(ReadJson(tmp / "out" / o)) << o;
    }

  auto r = RunCli({"batch", in, "-o", out, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["done"].get<int>() + summary["skipped"].get<int>(), n);
  EXPECT_EQ(summary["failed"], 0);
  std::set<std::string> expected;
  for (int i = 0; i < n; ++i) expected.insert("d" + std::to_string(i) + "/page.pdf.json");
  EXPECT_EQ(Outputs(tmp / "out"), expected);  // no temporaries left, nothing twice
  for (const auto& o : expected) {
    auto j = ReadJson(tmp / "out" / o);
    ASSERT_EQ(j["tables"].size(), 1u);
    EXPECT_EQ(j["tables"][0]["number"], "09");
  }
}

TEST(Batch, SigtermStopsNewWorkKeepsFinishedOutputsAndExits130) {
  TempDir tmp;
  const int n = 6;
  CopiesOfOnePage(tmp / "in", n);
  const std::string in = (tmp / "in").string(), out = (tmp / "out").string();
  const pid_t pid = SpawnCli({"batch", in, "-o", out, "--quiet", "--jobs", "1"});
  ASSERT_GE(pid, 0);
  WaitUntil([&] { return !Outputs(tmp / "out").empty(); });
  const int status = SignalAndReap(pid, SIGTERM);
  ASSERT_NE(status, -1);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["interrupted"], true);
  EXPECT_GT(summary["abandoned"].get<int>(), 0);
  EXPECT_EQ(summary["done"].get<int>() + summary["abandoned"].get<int>(), n);
  for (const auto& o : Outputs(tmp / "out")) {
    EXPECT_EQ(o.find(".tmp-"), std::string::npos) << o;
    EXPECT_NO_THROW(ReadJson(tmp / "out" / o)) << o;
  }
}

TEST(Batch, ShardsTogetherWriteEveryOutputOnce) {
  TempDir tmp;
  for (int i = 0; i < 6; ++i) {
    fs::create_directories(tmp / ("in/d" + std::to_string(i)));
    fs::copy_file(TestData(i % 2 ? "blank.pdf" : "no_table.pdf"),
                  tmp / ("in/d" + std::to_string(i) + "/x.pdf"));
  }
  int done = 0;
  for (int k = 1; k <= 3; ++k) {
    auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet",
                     "--shard", std::to_string(k) + "/3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Each shard has its own summary and errors file: shards may run at the same time.
    const std::string shard = std::to_string(k) + "-of-3";
    const auto summary = ReadJson(tmp / ("out/_summary-" + shard + ".json"));
    int mine = 0;  // the inputs this shard owns
    for (int i = 0; i < 6; ++i)
      mine += juesuan::InShard("d" + std::to_string(i) + "/x.pdf", k - 1, 3);
    EXPECT_EQ(summary["inputs"], mine) << shard;
    EXPECT_EQ(summary["done"], mine) << shard;
    EXPECT_EQ(summary["failed"], 0) << shard;
    EXPECT_EQ(summary["skipped"], 0) << shard;
    done += summary["done"].get<int>();
    EXPECT_EQ(ReadAll(tmp / ("out/_errors-" + shard + ".jsonl")), "") << shard;
  }
  EXPECT_EQ(done, 6);  // every input once, in exactly one shard
  EXPECT_FALSE(fs::exists(tmp / "out/_summary.json"));
  EXPECT_EQ(Outputs(tmp / "out").size(), 6u);
  EXPECT_EQ(RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--shard", "4/3"})
                .exit_code,
            2);
}

}  // namespace
