// The built CLI on the PDFs in testdata/: exit codes, messages, output file, and the content
// of the extracted tables. The scan_tables.pdf extraction is run once and cached on disk.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "test_support.h"

namespace juesuan {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CachedExtraction;
using testing::CliResult;
using testing::FindRecord;
using testing::LeafHeaders;
using testing::RunCli;
using testing::TempDir;
using testing::TestData;
using testing::ValueOf;

const json* FindTable(const json& doc, const std::string& number) {
  for (const auto& t : doc["tables"])
    if (t["number"] == number) return &t;
  return nullptr;
}

const json* FindCell(const json& table, const std::string& text) {
  for (const auto& c : table["cells"])
    if (c["text"] == text) return &c;
  return nullptr;
}

bool OneLine(const std::string& s) {
  return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
}

class ScanTables : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { doc_ = CachedExtraction("scan_tables.pdf"); }
  static json doc_;
};
json ScanTables::doc_;

TEST_F(ScanTables, TwoTablesInPageOrder) {
  ASSERT_EQ(doc_["tables"].size(), 2u);
  EXPECT_EQ(doc_["tables"][0]["number"], "02");
  EXPECT_EQ(doc_["tables"][1]["number"], "09");
  EXPECT_EQ(doc_["tables"][0]["pages"], json({1}));
  EXPECT_EQ(doc_["tables"][1]["pages"], json({2}));
  EXPECT_EQ(doc_["source"]["pages"], 2);
  EXPECT_EQ(doc_["source"]["sha256"].get<std::string>().size(), 64u);
  ASSERT_EQ(doc_["pages"].size(), 2u);
  for (const auto& p : doc_["pages"]) {
    EXPECT_EQ(p["dpi"], 200);
    EXPECT_EQ(p["rotation"], 0);
    EXPECT_EQ(p["tables"], 1);
    EXPECT_LT(std::abs(p["skew_deg"].get<double>()), 3.0);
  }
}

TEST_F(ScanTables, Disclosure) {
  EXPECT_EQ(doc_["disclosure"]["unit"], "万元");
  EXPECT_EQ(doc_["disclosure"]["year"], "2024");
  EXPECT_TRUE(doc_["disclosure"]["department"].is_string());
  EXPECT_TRUE(doc_["warnings"].empty()) << doc_["warnings"].dump();
}

TEST_F(ScanTables, IncomeTableLayout) {
  const json* t = FindTable(doc_, "02");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["n_rows"], 27);
  EXPECT_EQ((*t)["n_cols"], 9);
  EXPECT_EQ((*t)["header_rows"], 3);
  EXPECT_NE((*t)["title"].get<std::string>().find("收入决算表"), std::string::npos);
  const json* total = FindCell(*t, "本年收入合计");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ((*total)["rs"], 2);
  EXPECT_EQ((*total)["cs"], 1);
  EXPECT_EQ((*total)["r"], 0);
  // Every lattice position is covered by exactly one cell.
  std::vector<int> cover(27 * 9, 0);
  for (const auto& c : (*t)["cells"])
    for (int r = c["r"]; r < c["r"].get<int>() + c["rs"].get<int>(); ++r)
      for (int k = c["c"]; k < c["c"].get<int>() + c["cs"].get<int>(); ++k) ++cover.at(r * 9 + k);
  EXPECT_EQ(std::count(cover.begin(), cover.end(), 1), 27 * 9);
  EXPECT_EQ(LeafHeaders(*t).size(), 9u);
  EXPECT_EQ(LeafHeaders(*t)[2], "本年收入合计");
  EXPECT_EQ(LeafHeaders(*t)[3], "财政拨款收入");
}

TEST_F(ScanTables, IncomeTableRecord) {
  const json* t = FindTable(doc_, "02");
  ASSERT_NE(t, nullptr);
  const json* r = FindRecord(*t, "2010350");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ((*r)["name"], "事业运行");
  ASSERT_TRUE(ValueOf(*t, *r, "本年收入合计").is_number());
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "本年收入合计").get<double>(), 556.56);
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "财政拨款收入").get<double>(), 556.56);
  // One record per body row: the 合计 row (a total, keyed by its label), then 23 coded rows.
  ASSERT_EQ((*t)["records"].size(), 24u);
  const json& total = (*t)["records"][0];
  EXPECT_EQ(total["key"], "label");
  EXPECT_EQ(total["label"], "合计");
  EXPECT_EQ(total["role"], "total");
  EXPECT_TRUE(total["code"].is_null());
  EXPECT_DOUBLE_EQ(ValueOf(*t, total, "本年收入合计").get<double>(), 1285.83);
  int coded = 0;
  for (const auto& rec : (*t)["records"]) coded += rec["key"] == "code";
  EXPECT_EQ(coded, 23);
  const json* general = FindRecord(*t, "201");
  ASSERT_NE(general, nullptr);
  EXPECT_DOUBLE_EQ(ValueOf(*t, *general, "本年收入合计").get<double>(), 861.56);
}

TEST_F(ScanTables, ThreeExpensesTableLayout) {
  const json* t = FindTable(doc_, "09");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["n_rows"], 5);
  EXPECT_EQ((*t)["n_cols"], 12);
  const json* budget = FindCell(*t, "预算数");
  ASSERT_NE(budget, nullptr);
  EXPECT_EQ((*budget)["cs"], 6);
  EXPECT_EQ((*budget)["c"], 0);
  const json* actual = FindCell(*t, "决算数");
  ASSERT_NE(actual, nullptr);
  EXPECT_EQ((*actual)["cs"], 6);
  EXPECT_EQ((*actual)["c"], 6);
}

TEST_F(ScanTables, ThreeExpensesTableHeader) {
  const json* t = FindTable(doc_, "09");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["header_rows"], 4);
  EXPECT_EQ(LeafHeaders(*t)[0], "合计");
  EXPECT_EQ(LeafHeaders(*t)[3], "公务用车购置费");
}

TEST(EndToEnd, SidewaysScanIsTurnedUpright) {
  TempDir dir;
  const std::string out = (dir / "out.json").string();
  CliResult r = RunCli({"extract", TestData("scan_sideways.pdf"), "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(testing::ReadAll(out));
  ASSERT_EQ(doc["pages"].size(), 1u);
  int rotation = doc["pages"][0]["rotation"];
  EXPECT_TRUE(rotation == 90 || rotation == 270) << rotation;
  const json* t = FindTable(doc, "02");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["n_rows"], 27);
  EXPECT_EQ((*t)["n_cols"], 9);
  const json* rec = FindRecord(*t, "2010350");
  ASSERT_NE(rec, nullptr);
  EXPECT_DOUBLE_EQ(ValueOf(*t, *rec, "本年收入合计").get<double>(), 556.56);
}

TEST(EndToEnd, UpsideDownScanIsTurned) {
  json doc = CachedExtraction("scan_upside_down.pdf");
  EXPECT_EQ(doc["pages"][0]["rotation"], 180);
  const json* t = FindTable(doc, "09");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["n_rows"], 5);
  EXPECT_EQ((*t)["n_cols"], 12);
  const json* budget = FindCell(*t, "预算数");
  ASSERT_NE(budget, nullptr);
  EXPECT_EQ((*budget)["cs"], 6);
  EXPECT_EQ(doc["disclosure"]["year"], "2024");
}

TEST(EndToEnd, CoverWithABigTitleIsNotTurned) {
  // b26-justice-dept's office-scanned cover: a title of 0.45-inch characters and scanner
  // specks. The long strokes of the big characters (预, 算) are line-shaped at the orientation
  // check's resolution, read as noise both ways round, and once turned the page upside down.
  json doc = CachedExtraction("scan_cover_large_title.pdf");
  ASSERT_EQ(doc["pages"].size(), 1u);
  EXPECT_EQ(doc["pages"][0]["rotation"], 0);
  EXPECT_EQ(doc["pages"][0]["path"], "ocr");
  // Its 预算主管部门 is the only place the document names its department.
  EXPECT_EQ(doc["disclosure"]["department"], "上海市普陀区司法局");
}

TEST(EndToEnd, UnitOfThreeExpensesPage) {
  // The 09 page alone prints 单位：万元 above its table; it must give the unit, not a department.
  json doc = CachedExtraction("scan_upside_down.pdf");
  EXPECT_EQ(doc["disclosure"]["unit"], "万元");
  EXPECT_NE(doc["disclosure"]["department"], ".万元");
}

struct BadInput {
  const char* file;
  const char* message;  // part of the one-line message
};
void PrintTo(const BadInput& b, std::ostream* os) { *os << b.file; }

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, ExitCode3WithOneLineMessageAndNoOutput) {
  TempDir dir;
  const fs::path out = dir / "out.json";
  CliResult r = RunCli({"extract", TestData(GetParam().file), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(OneLine(r.err)) << r.err;
  EXPECT_EQ(r.err.rfind("juesuan: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(dir.path()));  // no temporary file either
}

INSTANTIATE_TEST_SUITE_P(EndToEnd, BadInputs,
                         ::testing::Values(BadInput{"not_a_pdf.pdf", "not a PDF"},
                                           BadInput{"truncated.pdf", "truncated"},
                                           BadInput{"encrypted.pdf", "encrypted"},
                                           BadInput{"zero_pages.pdf", "no pages"},
                                           BadInput{"does_not_exist.pdf", "cannot open"}),
                         [](const auto& info) {
                           std::string name = info.param.file;
                           return name.substr(0, name.find('.'));
                         });

class NoTables : public ::testing::TestWithParam<const char*> {};

TEST_P(NoTables, ExitCode0WithAWarning) {
  CliResult r = RunCli({"extract", TestData(GetParam())});  // JSON on stdout
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  json doc = json::parse(r.out);
  EXPECT_TRUE(doc["tables"].empty());
  ASSERT_FALSE(doc["warnings"].empty());
  EXPECT_NE(doc["warnings"][0].get<std::string>().find("no ruled table"), std::string::npos);
  ASSERT_EQ(doc["pages"].size(), 1u);
  EXPECT_EQ(doc["pages"][0]["tables"], 0);
  EXPECT_TRUE(doc["disclosure"]["unit"].is_null());
}

INSTANTIATE_TEST_SUITE_P(EndToEnd, NoTables, ::testing::Values("blank.pdf", "no_table.pdf"),
                         [](const auto& info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

TEST(EndToEnd, UsageErrors) {
  const std::string pdf = TestData("blank.pdf");
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"extract"},
      {"extract", pdf, "--frobnicate"},
      {"extract", pdf, "--dpi", "abc"},
      {"extract", pdf, "--dpi", "10"},
      {"extract", pdf, "--threads", "0"},
      {"extract", pdf, "-o"},
      {"extract", pdf, pdf},
      {"extract", "--", pdf, pdf},
      {"convert", pdf},
  };
  for (const auto& args : cases) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    CliResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << "juesuan" << cmd;
    EXPECT_FALSE(r.err.empty() && r.out.empty()) << "juesuan" << cmd << ": says nothing";
  }
  CliResult r = RunCli({"extract", pdf, "--dpi", "abc"});
  EXPECT_NE(r.err.find("--dpi"), std::string::npos) << r.err;
}

TEST(EndToEnd, HelpAndVersion) {
  CliResult help = RunCli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("juesuan extract"), std::string::npos);
  CliResult version = RunCli({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("juesuan ", 0), 0u) << version.out;
}

TEST(EndToEnd, OutputFileIsWrittenAtomically) {
  TempDir dir;
  const fs::path out = dir / "result.json";
  // An existing file is replaced whole.
  {
    std::ofstream old(out);
    old << std::string(100000, 'x');
  }
  CliResult r = RunCli({"extract", TestData("blank.pdf"), "-o", out.string(), "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());  // the JSON went to the file
  ASSERT_TRUE(fs::exists(out));
  json doc = json::parse(testing::ReadAll(out));  // throws (fails) on invalid JSON
  EXPECT_EQ(doc["source"]["file"], TestData("blank.pdf"));
  EXPECT_EQ(doc["schema_version"], "2.0");
  // Nothing but the result in the directory: the temporary file was renamed.
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir.path()))
    entries.push_back(e.path().filename().string());
  EXPECT_EQ(entries, std::vector<std::string>{"result.json"});
}

TEST(EndToEnd, UnwritableOutputIsAnError) {
  TempDir dir;
  const fs::path out = dir / "missing" / "result.json";
  CliResult r = RunCli({"extract", TestData("blank.pdf"), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_TRUE(OneLine(r.err)) << r.err;
  EXPECT_EQ(r.err.rfind("juesuan: cannot write output: cannot create a temporary file in", 0), 0u)
      << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(EndToEnd, StdoutThatCannotBeWrittenIsExitCode5) {
  TempDir dir;
  const std::string command = testing::ShellQuote(JUESUAN_BIN) + " extract " +
                              testing::ShellQuote(TestData("blank.pdf")) + " >/dev/full 2>" +
                              testing::ShellQuote((dir / "stderr").string());
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 5);
  EXPECT_EQ(
      testing::ReadAll(dir / "stderr"),
      "juesuan: cannot write output: cannot write standard output: No space left on device\n");
}

// `juesuan extract X | head -c 0`: the reader is gone before the JSON is written. SIGPIPE used to
// kill the process with no message and no documented exit code.
TEST(EndToEnd, StdoutWhoseReaderIsGoneIsExitCode5) {
  const CliResult r = testing::RunCliInChild({"extract", TestData("digital_traits.pdf")}, [] {
    int fds[2];
    if (::pipe(fds) != 0 || ::dup2(fds[1], STDOUT_FILENO) < 0) return false;
    ::close(fds[0]);  // no reader left
    ::close(fds[1]);
    // As a shell would leave it: SIGPIPE at its default action (kill), not inherited ignored.
    return std::signal(SIGPIPE, SIG_DFL) != SIG_ERR;
  });
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err, "juesuan: cannot write output: cannot write standard output: Broken pipe\n");
}

TEST(EndToEnd, DoubleDashEndsTheOptions) {
  TempDir dir;
  fs::copy_file(TestData("blank.pdf"), dir / "-x.pdf");
  const fs::path old = fs::current_path();
  fs::current_path(dir.path());  // the name must be given as it is, not as ./-x.pdf
  CliResult r = RunCli({"extract", "-o", "out.json", "--", "-x.pdf"});
  CliResult without = RunCli({"extract", "-x.pdf"});
  fs::current_path(old);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(testing::ReadAll(dir / "out.json"))["source"]["file"], "-x.pdf");
  EXPECT_EQ(without.exit_code, 2);
  EXPECT_NE(without.err.find("unknown option -x.pdf"), std::string::npos) << without.err;
}

// SIGTERM while the pages of a two-page scan are being read: exit 130, no output, no temporary.
TEST(EndToEnd, SigtermDuringExtractExits130AndWritesNothing) {
  TempDir dir;
  fs::create_directories(dir / "out");
  fs::create_directories(dir / "debug");
  const std::string out = (dir / "out/result.json").string(), debug = (dir / "debug").string();
  const std::string err = (dir / "stderr").string();
  const pid_t pid = testing::SpawnCli(
      {"extract", TestData("scan_tables.pdf"), "-o", out, "--threads", "1", "--debug-dir", debug},
      err);
  ASSERT_GE(pid, 0);
  // The first page's debug image says: handlers installed, pages under way, the second not done.
  testing::WaitUntil([&] { return fs::exists(dir / "debug/page-001.png"); });
  const int status = testing::SignalAndReap(pid, SIGTERM);
  ASSERT_NE(status, -1);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(testing::ReadAll(err), "juesuan: interrupted; no output written\n");
  EXPECT_TRUE(testing::Entries(dir / "out").empty());  // neither result.json nor .result.json.tmp-*
}

}  // namespace
}  // namespace juesuan
