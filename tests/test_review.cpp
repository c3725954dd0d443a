// The review page (stages/emit/review_page.h, pipeline/review.h, `juesuan review`, batch
// --review-dir): what it lists, that it needs nothing from the network, and that its crops come
// from the right PDF. The page in a real browser: tests/review_in_chromium.sh.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "child_process.h"
#include "pipeline/review.h"
#include "stages/emit/review_page.h"
#include "test_support.h"

namespace {

using juesuan::testing::CachedExtraction;
using juesuan::testing::ReadAll;
using juesuan::testing::RunCli;
using juesuan::testing::TempDir;
using juesuan::testing::TestData;
namespace fs = std::filesystem;
using nlohmann::json;

int Occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Two tables; three flagged cells (one with markup in its text), one failing check over two of
// them, one passing check, one repair.
json SmallOutput() {
  auto cell = [](int r, int c, const std::string& text, json flags) {
    return json{{"r", r},          {"c", c},        {"rs", 1},
                {"cs", 1},         {"text", text},  {"raw", text},
                {"conf", 0.5},     {"page", 1},     {"bbox", {10, 10, 50, 20}},
                {"source", "ocr"}, {"flags", flags}};
  };
  json doc = {{"source", {{"file", "/nowhere/x.pdf"}, {"sha256", "ab"}}},
              {"disclosure", {{"department", "某某局"}, {"year", "2024"}, {"unit", "万元"}}}};
  doc["tables"] = json::array(
      {{{"title", "收入决算表"},
        {"number", "03"},
        {"kind", "income"},
        {"cells",
         json::array({cell(0, 0, "项目", json::array()),
                      cell(1, 1, "12.00", json::array({"check_failed"})),
                      cell(2, 1, "<b>7</b>", json::array({"unreadable", "low_confidence"}))})}},
       {{"title", "支出决算表"},
        {"number", "04"},
        {"kind", "expenditure"},
        {"cells", json::array({cell(3, 2, "5.00", json::array({"low_confidence"}))})}}});
  doc["checks"] = json::array(
      {{{"id", "T03.sum[a]"},
        {"status", "fail"},
        {"detail", "合计 = Σ"},
        {"expected", 7},
        {"actual", 12},
        {"difference", 5},
        {"tolerance", 0.01},
        {"cells",
         json::array({{{"table", 0}, {"r", 1}, {"c", 1}, {"side", "actual"}, {"coef", 1}},
                      {{"table", 0}, {"r", 2}, {"c", 1}, {"side", "expected"}, {"coef", 1}}})}},
       {{"id", "T04.sum[b]"},
        {"status", "pass"},
        {"detail", "x"},
        {"cells",
         json::array({{{"table", 1}, {"r", 3}, {"c", 2}, {"side", "actual"}, {"coef", 1}}})}}});
  doc["repairs"] = json::array({{{"table", 1},
                                 {"r", 3},
                                 {"c", 2},
                                 {"before", "5.0O"},
                                 {"after", "5.00"},
                                 {"reason", "O read as 0"},
                                 {"confidence", 0.9}}});
  return doc;
}

TEST(ReviewPage, ListsEveryFlaggedCellAndFailingCheckWithTheirAddresses) {
  std::set<std::pair<int, int>> cropped;  // the cells a crop was asked for
  const std::string html = juesuan::ReviewPage(SmallOutput(), [&](int page, const juesuan::Box& b) {
    EXPECT_EQ(page, 1);
    cropped.insert({b.x, b.w});
    return std::string("\x89PNG-bytes");
  });
  EXPECT_EQ(Occurrences(html, "class=\"flagged-cell\""), 3);
  EXPECT_EQ(Occurrences(html, "class=\"failing-check\""), 1);
  for (const char* id : {"id=\"cell-0-1-1\"", "id=\"cell-0-2-1\"", "id=\"cell-1-3-2\""})
    EXPECT_NE(html.find(id), std::string::npos) << id;
  EXPECT_EQ(html.find("id=\"cell-0-0-0\""), std::string::npos);  // not flagged
  // The failing check with its operands, linked to their cells; the passing one only on its cell.
  EXPECT_NE(html.find("<b>T03.sum[a]</b>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#cell-0-2-1\">tables[0] r2 c1</a>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"pass\">T04.sum[b] pass</span>"), std::string::npos);
  EXPECT_NE(html.find("“5.0O” → “5.00” (O read as 0"), std::string::npos);
  // Summary counts, text escaped, crops inline.
  EXPECT_NE(html.find("<td id=\"flagged-count\">3</td>"), std::string::npos);
  EXPECT_NE(html.find("<td id=\"failing-count\">1</td>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;7&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>7</b>"), std::string::npos);
  EXPECT_EQ(Occurrences(html, "src=\"data:image/png;base64," + juesuan::Base64("\x89PNG-bytes")),
            3);
  // Nothing from the network: no external script, style, font or image, and a CSP that says so.
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
}

TEST(ReviewPage, Base64IsRfc4648) {
  EXPECT_EQ(juesuan::Base64(""), "");
  EXPECT_EQ(juesuan::Base64("f"), "Zg==");
  EXPECT_EQ(juesuan::Base64("fo"), "Zm8=");
  EXPECT_EQ(juesuan::Base64("foo"), "Zm9v");
  EXPECT_EQ(juesuan::Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(juesuan::Base64(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(ReviewPage, AnEditedOrDamagedJsonStillGivesAPage) {
  json doc = SmallOutput();
  doc["tables"][0]["cells"][1]["bbox"] = "not a box";
  doc["checks"][0]["cells"][0]["r"] = "one";
  doc["tables"][1] = 5;
  const std::string html = juesuan::ReviewPage(doc, {});
  EXPECT_EQ(Occurrences(html, "class=\"flagged-cell\""), 2);
  EXPECT_EQ(Occurrences(html, "(no page image)"), 2);
}

// A real scan page: a crop for every flagged cell, cut from the PDF the JSON was made from.
TEST(ReviewHtml, CropsEveryFlaggedCellOfARealScanFromItsOwnPdf) {
  const json doc = CachedExtraction("review_scan_page.pdf");
  int flagged = 0;
  for (const auto& table : doc["tables"])
    for (const auto& cell : table["cells"]) flagged += !cell["flags"].empty();
  ASSERT_GT(flagged, 5);  // the page is here because it has doubts to show
  ASSERT_GT(doc["checks_summary"]["fail"].get<int>(), 0);
  const std::string html = juesuan::ReviewHtml(doc, TestData("review_scan_page.pdf"));
  EXPECT_EQ(Occurrences(html, "class=\"flagged-cell\""), flagged);
  EXPECT_EQ(Occurrences(html, "src=\"data:image/png;base64,"), flagged);
  EXPECT_EQ(Occurrences(html, "class=\"failing-check\""), doc["checks_summary"]["fail"].get<int>());
  // Another PDF: no crops, and the page says why.
  const std::string other = juesuan::ReviewHtml(doc, TestData("scan_tables.pdf"));
  EXPECT_EQ(Occurrences(other, "src=\"data:image/png;base64,"), 0);
  EXPECT_NE(other.find("is not the PDF this JSON was made from"), std::string::npos);
}

TEST(ReviewCli, WritesThePageAndReportsBadInput) {
  TempDir tmp;
  const fs::path out_json = tmp / "x.json";
  ASSERT_EQ(RunCli({"extract", TestData("digital_traits.pdf"), "-o", out_json.string()}).exit_code,
            0);
  auto r = RunCli({"review", out_json.string(), "-o", (tmp / "x.html").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = ReadAll(tmp / "x.html");
  EXPECT_NE(html.find("<td id=\"flagged-count\">0</td>"), std::string::npos);
  EXPECT_EQ(html.find("No page images"), std::string::npos);  // found through source.file
  fs::create_directories(tmp / "bad");
  std::ofstream(tmp / "bad/broken.json") << "{\"tables\": [";
  EXPECT_EQ(RunCli({"review", (tmp / "bad/broken.json").string()}).exit_code, 3);
  EXPECT_EQ(RunCli({"review", (tmp / "missing.json").string()}).exit_code, 3);
  EXPECT_EQ(RunCli({"review"}).exit_code, 2);
  EXPECT_EQ(RunCli({"review", out_json.string(), "-o", "/proc/x/review.html"}).exit_code, 5);
}

TEST(ReviewBatch, ReviewDirHoldsAPagePerDocumentAndFillsMissingOnesOnResume) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  fs::copy_file(TestData("review_scan_page.pdf"), tmp / "in/sub/scan.pdf");
  fs::copy_file(TestData("digital_traits.pdf"), tmp / "in/digital.pdf");
  const std::vector<std::string> args = {
      "batch",        (tmp / "in").string(),    "-o", (tmp / "out").string(), "--quiet",
      "--review-dir", (tmp / "review").string()};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string scan_page = ReadAll(tmp / "review/sub/scan.pdf.html");
  EXPECT_GT(Occurrences(scan_page, "class=\"flagged-cell\""), 5);
  EXPECT_EQ(Occurrences(scan_page, "class=\"flagged-cell\""),
            Occurrences(scan_page, "src=\"data:image/png;base64,"));
  ASSERT_TRUE(fs::exists(tmp / "review/digital.pdf.html"));
  // Resume: outputs up to date, one page deleted: it comes back, nothing is converted again.
  fs::remove(tmp / "review/sub/scan.pdf.html");
  r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadAll(tmp / "review/sub/scan.pdf.html"), scan_page);
  const json summary = json::parse(ReadAll(tmp / "out/_summary.json"));
  EXPECT_EQ(summary["skipped"], 2);
  EXPECT_EQ(summary["done"], 0);
}

}  // namespace
