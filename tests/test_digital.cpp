// Born-digital PDFs: the text-layer path (stages/text_layer.*) on its own, and end to end on
// testdata/digital_traits.pdf (our own WPS-like export: merged headers, wrapped names,
// blank-for-zero cells, a portrait and a landscape page) and digital_garbage.pdf (the same pages
// without /ToUnicode maps, so the page falls back to OCR). Both PDFs come from
// scripts/make_digital_testdata.py.
#include <gtest/gtest.h>

#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "stages/read/text_layer.h"
#include "test_support.h"

namespace juesuan {
namespace {

using nlohmann::json;
using testing::CachedExtraction;
using testing::CliResult;
using testing::FindRecord;
using testing::LeafHeaders;
using testing::RunCli;
using testing::TestData;
using testing::ValueOf;

// ---- unit tests: JudgeTextLayer ---------------------------------------------------------------

// One word on one line at (x, y), each character `w` wide and 20 high.
TextBox Word(const std::u32string& text, double x, double y, double w = 10, double h = 20) {
  TextBox b;
  b.text = text;
  b.box = cv::Rect2d(x, y, w * static_cast<double>(text.size()), h);
  for (size_t i = 0; i < text.size(); ++i)
    b.chars.emplace_back(x + w * static_cast<double>(i), y, w, h);
  return b;
}

// ---- unit tests: UprightTurn, TurnTextBoxes -------------------------------------------------

TEST(UprightTurn, FollowsTheDirectionOfMostCharacters) {
  TextBox across;
  across.text = U"一般公共预算";
  TextBox down = across;
  down.quarter_turns = 1;
  TextBox one = across;
  one.text = U"合";
  EXPECT_EQ(UprightTurn({}), 0);
  EXPECT_EQ(UprightTurn({across, down, one}), 0);  // ties go to upright
  down.quarter_turns = 1;
  EXPECT_EQ(UprightTurn({down, one}), 270);
  down.quarter_turns = 2;
  EXPECT_EQ(UprightTurn({down, one}), 180);
  down.quarter_turns = 3;
  EXPECT_EQ(UprightTurn({down, one}), 90);
}

TEST(TurnTextBoxes, MapsBoxesLikeRotateQuarterTurnsMapsPixels) {
  // A 100 x 40 image; a character box at x 10..20, y 5..25.
  TextBox w;
  w.text = U"合";
  w.box = cv::Rect2d(10, 5, 10, 20);
  w.chars = {w.box};
  std::vector<TextBox> words = {w};
  TurnTextBoxes(words, 90, cv::Size(100, 40));  // -> 40 x 100: x = 40 - 25, y = 10
  EXPECT_EQ(words[0].box, cv::Rect2d(15, 10, 20, 10));
  EXPECT_EQ(words[0].chars[0], words[0].box);
  EXPECT_EQ(words[0].quarter_turns, 1);
  words = {w};
  TurnTextBoxes(words, 180, cv::Size(100, 40));  // x = 100 - 20, y = 40 - 25
  EXPECT_EQ(words[0].box, cv::Rect2d(80, 15, 10, 20));
  EXPECT_EQ(words[0].quarter_turns, 2);
  words = {w};
  TurnTextBoxes(words, 270, cv::Size(100, 40));  // x = 5, y = 100 - 20
  EXPECT_EQ(words[0].box, cv::Rect2d(5, 80, 20, 10));
  EXPECT_EQ(words[0].quarter_turns, 3);
  words = {w};
  TurnTextBoxes(words, 360, cv::Size(100, 40));
  EXPECT_EQ(words[0].box, w.box);
  EXPECT_EQ(words[0].quarter_turns, 0);
}

TEST(FillGridFromText, SidewaysTextInACellReadsInItsOwnDirection) {
  Grid grid;
  grid.xs = {0, 100};
  grid.ys = {0, 200};
  grid.cells = {{0, 0, 1, 1, Box{0, 0, 100, 200}}};
  // "项目" written bottom to top (turned 270 degrees): 项 below 目.
  TextBox up = Word(U"项目", 40, 0);
  up.chars = {cv::Rect2d(40, 120, 20, 10), cv::Rect2d(40, 100, 20, 10)};
  up.quarter_turns = 3;
  std::vector<Cell> cells = FillGridFromText(grid, {up}, 1);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].text, "项目");
  EXPECT_FLOAT_EQ(cells[0].conf, 1.f);
  // Top to bottom (turned 90 degrees): 项 above 目.
  TextBox down = up;
  down.chars = {cv::Rect2d(40, 100, 20, 10), cv::Rect2d(40, 120, 20, 10)};
  down.quarter_turns = 1;
  cells = FillGridFromText(grid, {down}, 1);
  EXPECT_EQ(cells[0].text, "项目");
  // Directions mixed in one cell: no reliable order, so the cell is unsure.
  cells = FillGridFromText(grid, {down, Word(U"合计", 10, 150)}, 1);
  EXPECT_LT(cells[0].conf, 0.8f);
}

TEST(DigitalJudge, NormalChineseAndDigitsAreUsable) {
  std::vector<TextBox> words = {Word(U"一般公共预算财政拨款支出决算表", 0, 0),
                                Word(U"1,285.83", 0, 30), Word(U"金额单位：万元", 0, 60)};
  TextLayerVerdict v = JudgeTextLayer(words);
  EXPECT_TRUE(v.usable) << v.reason;
  EXPECT_NE(v.reason.find("text layer"), std::string::npos) << v.reason;
}

TEST(DigitalJudge, PrivateUseCharactersAreUnusable) {
  // What a font without a Unicode map gives: private-use code points, plus a few good digits.
  std::u32string garbage;
  for (char32_t c = 0xE010; c < 0xE030; ++c) garbage.push_back(c);
  std::vector<TextBox> words = {Word(garbage, 0, 0), Word(U"2024", 0, 30)};
  TextLayerVerdict v = JudgeTextLayer(words);
  EXPECT_FALSE(v.usable) << v.reason;
  EXPECT_NE(v.reason.find("does not decode"), std::string::npos) << v.reason;
}

TEST(DigitalJudge, ReplacementAndControlCharactersAreUnusable) {
  std::vector<TextBox> words = {Word(U"\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD", 0, 0),
                                Word(U"\x01\x02\x03\x04\x05\x06", 0, 30),
                                Word(U"收入决算表合计", 0, 60)};
  EXPECT_FALSE(JudgeTextLayer(words).usable);
}

TEST(DigitalJudge, FewerThanTenCharactersIsNoTextLayer) {
  // Seven good characters: a scan with a page number or a stamp's text, not a usable layer.
  std::vector<TextBox> words = {Word(U"第3页", 0, 0), Word(U"共24页", 50, 0)};
  TextLayerVerdict v = JudgeTextLayer(words);
  EXPECT_FALSE(v.usable);
  EXPECT_NE(v.reason.find("(7 characters)"), std::string::npos) << v.reason;
  EXPECT_FALSE(JudgeTextLayer({}).usable);
}

// ---- unit tests: FillGridFromText -------------------------------------------------------------

// A 1×2 lattice (two cells side by side, the rule at x = 100) and a 1×1 tall cell.
Grid TwoCells() {
  Grid g;
  g.xs = {0, 100, 200};
  g.ys = {0, 60};
  g.cells = {{0, 0, 1, 1, {1, 1, 98, 58}}, {0, 1, 1, 1, {101, 1, 98, 58}}};
  g.bbox = {0, 0, 200, 60};
  return g;
}

TEST(DigitalFill, WordCrossingARuleIsSplitByItsCharacterBoxes) {
  // The text layer runs a name and the amount next to it into one word across the rule at x=100.
  TextBox w = Word(U"运行1,000.50", 80, 20);  // 10 characters, 10 wide: x 80..180
  std::vector<Cell> cells = FillGridFromText(TwoCells(), {w}, 3);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].text, "运行");
  EXPECT_EQ(cells[1].text, "1,000.50");
  EXPECT_EQ(cells[0].page, 3);
  EXPECT_EQ(cells[0].conf, 1.f);
}

TEST(DigitalFill, TwoLineCellJoinsTopLineFirst) {
  Grid g;
  g.xs = {0, 120};
  g.ys = {0, 80};
  g.cells = {{0, 0, 1, 1, {1, 1, 118, 78}}};
  g.bbox = {0, 0, 120, 80};
  // The lower line comes first in the text layer; the lines' boxes overlap a little (boxes
  // include the line spacing), as in real exports.
  std::vector<TextBox> words = {Word(U"相关机构事务", 5, 38, 15, 24),
                                Word(U"政府办公厅（室）及", 5, 18, 12, 24)};
  std::vector<Cell> cells = FillGridFromText(g, words, 1);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].text, "政府办公厅（室）及相关机构事务");
  EXPECT_EQ(cells[0].raw, cells[0].text);
}

TEST(DigitalFill, EmptyCellStaysEmptyAndSpansAreKept) {
  std::vector<Cell> cells = FillGridFromText(TwoCells(), {Word(U"合计", 20, 20)}, 1);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].text, "合计");
  EXPECT_EQ(cells[1].text, "");
  EXPECT_EQ(cells[1].conf, 0.f);
  EXPECT_EQ(cells[1].c, 1);
}

TEST(DigitalFill, LatinWordsKeepTheirSpace) {
  TextBox a = Word(U"Total", 5, 20, 8), b = Word(U"2024", 55, 20, 8);
  a.space_after = true;
  std::vector<Cell> cells = FillGridFromText(TwoCells(), {a, b}, 1);
  EXPECT_EQ(cells[0].text, "Total 2024");
}

TEST(DigitalFill, TwoRunsFarApartInOneCellAreFlagged) {
  Grid g;
  g.xs = {0, 600};
  g.ys = {0, 60};
  g.cells = {{0, 0, 1, 1, {1, 1, 598, 58}}};
  g.bbox = {0, 0, 600, 60};
  // b23's 绩效目标 form: the grid missed the rule between a value and the next label.
  std::vector<Cell> cells =
      FillGridFromText(g, {Word(U"各类工作经费", 5, 20), Word(U"项目性质", 300, 20)}, 1);
  EXPECT_EQ(cells[0].text, "各类工作经费项目性质");
  EXPECT_EQ(cells[0].flags, (std::vector<std::string>{"gap_in_text"}));
  // A label spread over the cell ("合    计") and an ordinary long name are no such thing.
  cells = FillGridFromText(g, {Word(U"合", 5, 20), Word(U"计", 300, 20)}, 1);
  EXPECT_EQ(cells[0].text, "合计");
  EXPECT_TRUE(cells[0].flags.empty());
  cells = FillGridFromText(g, {Word(U"政府办公厅（室）及相关机构事务", 5, 20)}, 1);
  EXPECT_TRUE(cells[0].flags.empty());
  // Three characters on each side, close together: one run.
  cells = FillGridFromText(g, {Word(U"基本支", 5, 20), Word(U"出合计", 60, 20)}, 1);
  EXPECT_TRUE(cells[0].flags.empty());
}

// ---- end to end: digital_traits.pdf -----------------------------------------------------------

const json* FindTable(const json& doc, const std::string& number) {
  for (const auto& t : doc["tables"])
    if (t["number"] == number) return &t;
  return nullptr;
}

const json* CellAt(const json& table, int r, int c) {
  for (const auto& cell : table["cells"])
    if (cell["r"] == r && cell["c"] == c) return &cell;
  return nullptr;
}

class DigitalTraits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { doc_ = CachedExtraction("digital_traits.pdf"); }
  static json doc_;
};
json DigitalTraits::doc_;

TEST_F(DigitalTraits, EveryPageTakesTheTextLayer) {
  ASSERT_EQ(doc_["pages"].size(), 2u);
  for (const auto& p : doc_["pages"]) {
    EXPECT_EQ(p["path"], "text-layer") << p.dump();
    EXPECT_NE(p["path_reason"].get<std::string>().find("text layer with"), std::string::npos)
        << p.dump();
    EXPECT_EQ(p["rotation"], 0);
    EXPECT_EQ(p["tables"], 1);
  }
  // Page 1 is portrait, page 2 landscape (size is [width, height] in pixels).
  EXPECT_LT(doc_["pages"][0]["size"][0].get<int>(), doc_["pages"][0]["size"][1].get<int>());
  EXPECT_GT(doc_["pages"][1]["size"][0].get<int>(), doc_["pages"][1]["size"][1].get<int>());
  EXPECT_TRUE(doc_["warnings"].empty()) << doc_["warnings"].dump();
}

TEST_F(DigitalTraits, Disclosure) {
  EXPECT_EQ(doc_["disclosure"]["department"], "某某中心");
  EXPECT_EQ(doc_["disclosure"]["year"], "2024");
  EXPECT_EQ(doc_["disclosure"]["unit"], "万元");
}

TEST_F(DigitalTraits, ExpenseTableOnThePortraitPage) {
  ASSERT_EQ(doc_["tables"].size(), 2u);
  const json* t = FindTable(doc_, "05");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["title"], "一般公共预算财政拨款支出决算表");
  EXPECT_EQ((*t)["pages"], json({1}));
  EXPECT_EQ((*t)["n_rows"], 11);
  EXPECT_EQ((*t)["n_cols"], 5);
  EXPECT_EQ((*t)["header_rows"], 2);
  EXPECT_EQ(LeafHeaders(*t), json({"科目编码", "科目名称", "小计", "基本支出", "项目支出"}));
  ASSERT_EQ((*t)["notes"].size(), 1u);
  EXPECT_EQ((*t)["notes"][0], "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。");
}

TEST_F(DigitalTraits, TwoLevelMergedHeader) {
  const json* t = FindTable(doc_, "05");
  ASSERT_NE(t, nullptr);
  const json* item = CellAt(*t, 0, 0);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ((*item)["text"], "项目");
  EXPECT_EQ((*item)["rs"], 1);
  EXPECT_EQ((*item)["cs"], 2);
  const json* spend = CellAt(*t, 0, 2);
  ASSERT_NE(spend, nullptr);
  EXPECT_EQ((*spend)["text"], "本年支出");
  EXPECT_EQ((*spend)["cs"], 3);
  const char* leaves[] = {"科目编码", "科目名称", "小计", "基本支出", "项目支出"};
  for (int c = 0; c < 5; ++c) {
    const json* leaf = CellAt(*t, 1, c);
    ASSERT_NE(leaf, nullptr) << c;
    EXPECT_EQ((*leaf)["text"], leaves[c]);
    EXPECT_EQ((*leaf)["rs"], 1);
    EXPECT_EQ((*leaf)["cs"], 1);
  }
  // 合计 spans the code and name columns; no cell is anchored under a merged cell.
  const json* total = CellAt(*t, 2, 0);
  ASSERT_NE(total, nullptr);
  EXPECT_EQ((*total)["text"], "合计");
  EXPECT_EQ((*total)["cs"], 2);
  EXPECT_EQ(CellAt(*t, 0, 1), nullptr);
  EXPECT_EQ(CellAt(*t, 0, 3), nullptr);
  EXPECT_EQ(CellAt(*t, 2, 1), nullptr);
  // Every anchor cell once: 11×5 lattice minus the 1+2+1 positions covered by merged cells.
  EXPECT_EQ((*t)["cells"].size(), 51u);
}

TEST_F(DigitalTraits, WrappedNamesJoinInReadingOrder) {
  const json* t = FindTable(doc_, "05");
  ASSERT_NE(t, nullptr);
  const json* name = CellAt(*t, 4, 1);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ((*name)["text"], "政府办公厅（室）及相关机构事务");
  EXPECT_EQ((*name)["conf"], 1.0);
  const json* other = CellAt(*t, 6, 1);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ((*other)["text"], "其他政府办公厅（室）及相关机构事务支出");
}

TEST_F(DigitalTraits, BlankForZeroCellsAreEmptyAndNullInRecords) {
  const json* t = FindTable(doc_, "05");
  ASSERT_NE(t, nullptr);
  const json* blank = CellAt(*t, 5, 4);  // 2010301 行政运行 / 项目支出
  ASSERT_NE(blank, nullptr);
  EXPECT_EQ((*blank)["text"], "");
  EXPECT_EQ((*blank)["raw"], "");
  EXPECT_EQ((*blank)["conf"], 0.0);
  const json* r = FindRecord(*t, "2010301");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ((*r)["name"], "行政运行");
  EXPECT_EQ((*r)["row"], 5);
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "小计").get<double>(), 1000.50);
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "基本支出").get<double>(), 1000.50);
  EXPECT_TRUE(ValueOf(*t, *r, "项目支出").is_null());
}

TEST_F(DigitalTraits, RecordsWithCodesNamesAndAmounts) {
  const json* t = FindTable(doc_, "05");
  ASSERT_NE(t, nullptr);
  std::vector<std::string> codes;
  for (const auto& r : (*t)["records"])
    if (r["key"] == "code") codes.push_back(r["code"]);
  EXPECT_EQ(codes, (std::vector<std::string>{"201", "20103", "2010301", "2010399", "208", "20805",
                                             "2080505", "2080506"}));
  const json* r = FindRecord(*t, "20103");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ((*r)["name"], "政府办公厅（室）及相关机构事务");
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "小计").get<double>(), 1285.83);  // printed 1,285.83
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "项目支出").get<double>(), 285.33);
  const json* cell = CellAt(*t, 4, 2);
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ((*cell)["raw"], "1,285.83");
  const json* other = FindRecord(*t, "2010399");
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE(ValueOf(*t, *other, "基本支出").is_null());
}

TEST_F(DigitalTraits, IncomeTableOnTheLandscapePage) {
  const json* t = FindTable(doc_, "02");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["title"], "收入决算表");
  EXPECT_EQ((*t)["pages"], json({2}));
  EXPECT_EQ((*t)["n_rows"], 11);
  EXPECT_EQ((*t)["n_cols"], 6);
  EXPECT_EQ((*t)["header_rows"], 2);
  // Column titles that span both header rows.
  const json* total = CellAt(*t, 0, 2);
  ASSERT_NE(total, nullptr);
  EXPECT_EQ((*total)["text"], "本年收入合计");
  EXPECT_EQ((*total)["rs"], 2);
  EXPECT_EQ((*total)["cs"], 1);
  EXPECT_EQ(CellAt(*t, 1, 2), nullptr);
  const json* project = CellAt(*t, 0, 0);
  ASSERT_NE(project, nullptr);
  EXPECT_EQ((*project)["cs"], 2);
  EXPECT_EQ(LeafHeaders(*t),
            json({"科目编码", "科目名称", "本年收入合计", "财政拨款收入", "事业收入", "其他收入"}));
  // A long name in one line of a wide cell.
  const json* r = FindRecord(*t, "2080505");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ((*r)["name"], "机关事业单位基本养老保险缴费支出");
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "事业收入").get<double>(), 8.40);
  EXPECT_TRUE(ValueOf(*t, *r, "其他收入").is_null());
}

TEST_F(DigitalTraits, ChecksPass) {
  EXPECT_GT(doc_["checks_summary"]["total"].get<int>(), 0);
  EXPECT_EQ(doc_["checks_summary"]["fail"], 0) << doc_["checks"].dump();
}

// ---- end to end: digital_turned_*.pdf (digital_traits.pdf with /Rotate on its pages) ----------

// Cells as (r, c, rs, cs, text) and records, per table: everything but pixel positions.
json Content(const json& doc) {
  json out = json::array();
  for (const auto& t : doc["tables"]) {
    json cells = json::array();
    for (const auto& c : t["cells"]) cells.push_back({c["r"], c["c"], c["rs"], c["cs"], c["text"]});
    out.push_back({t["number"], t["title"], t["kind"], cells, t["records"]});
  }
  return out;
}

TEST_F(DigitalTraits, TurnedPagesReadExactlyTheSame) {
  // digital_turned_90_180.pdf: /Rotate 90 on the portrait page, 180 on the landscape one;
  // digital_turned_270_90.pdf: 270 and 90. Pages are turned back by the text's own direction.
  const std::pair<const char*, std::array<int, 2>> files[] = {
      {"digital_turned_90_180.pdf", {270, 180}}, {"digital_turned_270_90.pdf", {90, 270}}};
  const json expected = Content(doc_);
  ASSERT_EQ(expected.size(), 2u);
  for (const auto& [name, turns] : files) {
    const json turned = CachedExtraction(name);
    ASSERT_EQ(turned["pages"].size(), 2u) << name;
    for (size_t p = 0; p < 2; ++p) {
      EXPECT_EQ(turned["pages"][p]["path"], "text-layer") << name;
      EXPECT_EQ(turned["pages"][p]["rotation"], turns[p]) << name << " page " << p + 1;
      // Upright again: the same size as the unturned page.
      EXPECT_EQ(turned["pages"][p]["size"], doc_["pages"][p]["size"]) << name;
    }
    EXPECT_EQ(Content(turned), expected) << name;
    EXPECT_EQ(turned["checks_summary"], doc_["checks_summary"]) << name;
    EXPECT_EQ(turned["disclosure"], doc_["disclosure"]) << name;
  }
}

TEST(DigitalForcedOcr, OcrAlwaysTakesTheOcrPath) {
  testing::TempDir tmp;
  const std::string out = (tmp / "out.json").string();
  CliResult r = RunCli({"extract", TestData("digital_traits.pdf"), "--ocr", "always", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(testing::ReadAll(out));
  ASSERT_EQ(doc["pages"].size(), 2u);
  for (const auto& p : doc["pages"]) {
    EXPECT_EQ(p["path"], "ocr");
    EXPECT_NE(p["path_reason"].get<std::string>().find("--ocr always"), std::string::npos)
        << p.dump();
  }
  EXPECT_NE(FindTable(doc, "05"), nullptr);
}

// ---- end to end: digital_garbage.pdf ----------------------------------------------------------

class DigitalGarbage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { doc_ = CachedExtraction("digital_garbage.pdf"); }
  static json doc_;
};
json DigitalGarbage::doc_;

TEST_F(DigitalGarbage, FallsBackToOcrAndSaysWhy) {
  ASSERT_EQ(doc_["pages"].size(), 2u);
  for (const auto& p : doc_["pages"]) {
    EXPECT_EQ(p["path"], "ocr") << p.dump();
    const std::string reason = p["path_reason"];
    EXPECT_NE(reason.find("text layer"), std::string::npos) << reason;
    EXPECT_NE(reason.find("does not decode"), std::string::npos) << reason;
  }
}

TEST_F(DigitalGarbage, OcrStillFindsTheTables) {
  const json* t = FindTable(doc_, "05");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["n_rows"], 11);
  EXPECT_EQ((*t)["n_cols"], 5);
  const json* r = FindRecord(*t, "2010301");
  ASSERT_NE(r, nullptr);
  EXPECT_DOUBLE_EQ(ValueOf(*t, *r, "小计").get<double>(), 1000.50);
  EXPECT_TRUE(ValueOf(*t, *r, "项目支出").is_null());
  EXPECT_NE(FindTable(doc_, "02"), nullptr);
}

// Pages 3, 6, 7 and 13 of ../shared/corpus/000a/digital.pdf (公开01表, 04表 over two pages, 09表),
// cut with qpdf: the data model's line records, halves, totals and column paths.
class CorpusLines : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { doc_ = CachedExtraction("corpus_000a_01_04_09.pdf"); }
  static json doc_;
  // The record of `half` whose 行次 is `line`.
  static const json* Line(const json& table, const std::string& half, int line) {
    for (const auto& r : table["records"])
      if (r["half"] == half && r["line"] == line) return &r;
    return nullptr;
  }
};
json CorpusLines::doc_;

TEST_F(CorpusLines, ThreePublicFiguresEachHaveTheirOwnColumnPath) {
  const json* t = FindTable(doc_, "09");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["kind"], "three_public");
  ASSERT_EQ((*t)["records"].size(), 1u);
  const json& values = (*t)["records"][0]["values"];
  ASSERT_EQ(values.size(), 12u);
  std::set<json> paths;
  for (const auto& v : values) paths.insert((*t)["columns"][v["column"].get<size_t>()]["path"]);
  EXPECT_EQ(paths.size(), 12u);
  EXPECT_EQ((*t)["columns"][0]["path"], json({"预算数", "合计"}));
  EXPECT_DOUBLE_EQ(values[0]["value"].get<double>(), 6.00);
  EXPECT_EQ((*t)["columns"][6]["path"], json({"决算数", "合计"}));
  EXPECT_DOUBLE_EQ(values[6]["value"].get<double>(), 3.58);
  EXPECT_EQ((*t)["columns"][8]["path"], json({"决算数", "公务用车购置及运行维护费", "小计"}));
  EXPECT_EQ((*t)["columns"][8]["id"], "actual_car_subtotal");
}

TEST_F(CorpusLines, SummaryTableHasOneRecordPerPrintedLineInBothHalves) {
  const json* t = FindTable(doc_, "01");
  ASSERT_NE(t, nullptr);
  const json* grant = Line(*t, "income", 1);
  ASSERT_NE(grant, nullptr);
  EXPECT_EQ((*grant)["key"], "line");
  EXPECT_EQ((*grant)["line_id"], "general_budget_grant");
  EXPECT_EQ((*grant)["label"], "一、一般公共预算财政拨款收入");
  EXPECT_DOUBLE_EQ((*grant)["values"][0]["value"].get<double>(), 1063.77);
  const json* general = Line(*t, "expenditure", 31);
  ASSERT_NE(general, nullptr);
  EXPECT_EQ((*general)["code"], "201");  // a line named after a 类 carries its code
  EXPECT_DOUBLE_EQ((*general)["values"][0]["value"].get<double>(), 861.56);
  const json* income_total = Line(*t, "income", 27);
  ASSERT_NE(income_total, nullptr);
  EXPECT_EQ((*income_total)["role"], "total");
  EXPECT_EQ((*income_total)["line_id"], "income_total");
  EXPECT_DOUBLE_EQ((*income_total)["values"][0]["value"].get<double>(), 1285.83);
  const json* spent_total = Line(*t, "expenditure", 57);
  ASSERT_NE(spent_total, nullptr);
  EXPECT_EQ((*spent_total)["line_id"], "expenditure_total");
  EXPECT_EQ((*spent_total)["role"], "total");
  const json* closing = Line(*t, "expenditure", 59);
  ASSERT_NE(closing, nullptr);
  EXPECT_EQ((*closing)["line_id"], "closing_balance");
  const json* grand_income = Line(*t, "income", 30);
  const json* grand_spent = Line(*t, "expenditure", 60);
  ASSERT_TRUE(grand_income && grand_spent);
  EXPECT_EQ((*grand_income)["line_id"], "grand_total");
  EXPECT_EQ((*grand_spent)["line_id"], "grand_total");
  EXPECT_DOUBLE_EQ((*grand_spent)["values"][0]["value"].get<double>(), 1285.83);
  // Every record is a line of one half, and its values lie in that half.
  for (const auto& r : (*t)["records"]) {
    EXPECT_EQ(r["key"], "line");
    ASSERT_TRUE(r["half"] == "income" || r["half"] == "expenditure") << r.dump();
    for (const auto& v : r["values"]) EXPECT_EQ(v["column"], r["half"] == "income" ? 2 : 5);
  }
}

TEST_F(CorpusLines, FiscalSummaryOverTwoPagesKeepsBothHalves) {
  const json* t = FindTable(doc_, "04");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ((*t)["pages"], json({2, 3}));
  const json* total = Line(*t, "expenditure", 59);
  ASSERT_NE(total, nullptr);
  EXPECT_EQ((*total)["line_id"], "expenditure_total");
  ASSERT_EQ((*total)["values"].size(), 4u);  // 合计 and the three 财政拨款 columns
  EXPECT_DOUBLE_EQ((*total)["values"][0]["value"].get<double>(), 1285.83);
  EXPECT_DOUBLE_EQ((*total)["values"][1]["value"].get<double>(), 1063.77);
  EXPECT_DOUBLE_EQ((*total)["values"][2]["value"].get<double>(), 222.06);
  const json* grand = Line(*t, "income", 32);
  ASSERT_NE(grand, nullptr);
  EXPECT_EQ((*grand)["role"], "total");
  EXPECT_DOUBLE_EQ((*grand)["values"][0]["value"].get<double>(), 1285.83);
  int income = 0, expenditure = 0;
  for (const auto& r : (*t)["records"]) {
    income += r["half"] == "income";
    expenditure += r["half"] == "expenditure";
  }
  EXPECT_GT(income, 5);
  EXPECT_GT(expenditure, 20);
}

}  // namespace
}  // namespace juesuan
