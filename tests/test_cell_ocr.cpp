// CellOcr: cell cropping, and reading real cells of the 200-dpi scan in testdata/scan_tables.pdf
// with Tesseract. Its text helpers live in stages/common (tests/test_common.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>

#include "quality_fixtures.h"
#include "stages/check/checker.h"
#include "stages/classify/table_classifier.h"
#include "stages/common/amount.h"
#include "stages/grid/grid_detector.h"
#include "stages/prepare/page_preparer.h"
#include "stages/rasterise/rasteriser.h"
#include "stages/read/cell_ocr.h"
#include "stages/read/table_reader.h"
#include "test_support.h"

namespace juesuan {
namespace {

TEST(Utf8, RoundTrip) {
  const std::string s = "公开02表 1,285.83 万元";
  std::u32string u = DecodeUtf8(s);
  EXPECT_EQ(u.size(), 17u);
  EXPECT_EQ(u[0], U'公');
  EXPECT_EQ(EncodeUtf8(u), s);
}

// A 300-dpi cell of 600 x 120 px with its ruling lines, and optional text inside.
struct CellImage {
  cv::Mat gray;
  Box box{100, 100, 600, 120};
};

CellImage DrawCell(const std::string& text, int lines = 1) {
  CellImage c;
  c.gray = cv::Mat(400, 900, CV_8U, cv::Scalar(255));
  cv::rectangle(c.gray, cv::Rect(c.box.x, c.box.y, c.box.w, c.box.h), cv::Scalar(0), 3);
  for (int i = 0; i < lines; ++i)
    cv::putText(c.gray, text, {c.box.x + 40, c.box.y + (lines == 1 ? 80 : 50 + 50 * i)},
                cv::FONT_HERSHEY_SIMPLEX, lines == 1 ? 1.5 : 1.0, cv::Scalar(0), 2);
  return c;
}

TEST(CropCell, BlankCellIsEmpty) {
  CellImage c = DrawCell("");
  // Specks inside the cell are noise, not text.
  cv::circle(c.gray, {300, 150}, 1, cv::Scalar(0), cv::FILLED);
  cv::Mat bin = PagePreparer(300).binarise(c.gray);
  bool multiline = true;
  cv::Mat crop = CropCell(c.gray, bin, c.box, 300, &multiline);
  EXPECT_TRUE(crop.empty());
  EXPECT_FALSE(multiline);
}

TEST(CropCell, TextCellIsTrimmedToItsInk) {
  CellImage c = DrawCell("556.56");
  cv::Mat bin = PagePreparer(300).binarise(c.gray);
  bool multiline = true;
  cv::Mat crop = CropCell(c.gray, bin, c.box, 300, &multiline);
  ASSERT_FALSE(crop.empty());
  EXPECT_FALSE(multiline);
  EXPECT_EQ(crop.type(), CV_8UC1);
  EXPECT_LT(crop.cols, c.box.w / 2);  // the text, not the whole cell
  EXPECT_LT(crop.rows, c.box.h / 2);
  EXPECT_GT(crop.rows, 20);
  double lo = 0, hi = 0;
  cv::minMaxLoc(crop, &lo, &hi);
  EXPECT_LT(lo, 64);   // ink
  EXPECT_EQ(hi, 255);  // white margin
  // No border remnant: the outermost columns of the crop are blank.
  EXPECT_EQ(cv::countNonZero(crop.col(0) < 128), 0);
  EXPECT_EQ(cv::countNonZero(crop.col(crop.cols - 1) < 128), 0);
}

// A narrow 200-dpi code cell whose box lies a few pixels inside its thick ruling lines: the
// inset leaves the rules' inner edges on three sides, joined into one frame-shaped component.
// They are not text: the crop holds the digits only, and they read as "03" (were "[可").
TEST(CropCell, FrameOfRuleRemnantsIsNotText) {
  cv::Mat gray(200, 300, CV_8U, cv::Scalar(255));
  const Box box{100, 50, 96, 68};
  // Rules 5 px thick whose inner edges lie 4 px inside the box on the top, left and right.
  cv::rectangle(gray, cv::Rect(box.x - 1, box.y - 1, box.w + 2, box.h + 2), cv::Scalar(0), 10);
  cv::putText(gray, "03", {box.x + 28, box.y + 46}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0),
              2);
  const cv::Mat bin = PagePreparer(200).binarise(gray);
  bool multiline = true;
  const cv::Mat crop = CropCell(gray, bin, box, 200, &multiline);
  ASSERT_FALSE(crop.empty());
  EXPECT_FALSE(multiline);
  EXPECT_LT(crop.cols, box.w / 2);  // the digits, not the frame
  EXPECT_LT(crop.rows, box.h / 2);
  CellOcr ocr;
  EXPECT_EQ(ocr.read_cell(crop, 200, false).text, "03");
}

TEST(CropCell, TwoTextLinesAreMultiline) {
  CellImage c = DrawCell("ABC 123", 2);
  cv::Mat bin = PagePreparer(300).binarise(c.gray);
  bool multiline = false;
  cv::Mat crop = CropCell(c.gray, bin, c.box, 300, &multiline);
  ASSERT_FALSE(crop.empty());
  EXPECT_TRUE(multiline);
}

TEST(CellOcr, ReadsARenderedNumber) {
  CellOcr ocr;
  cv::Mat img(160, 700, CV_8U, cv::Scalar(255));
  cv::putText(img, "12345.67", {30, 110}, cv::FONT_HERSHEY_SIMPLEX, 2.5, cv::Scalar(0), 2);
  Reading r = ocr.read_cell(img, 300, false);
  EXPECT_TRUE(r.numeric);
  EXPECT_EQ(r.text, "12345.67");
  EXPECT_GT(r.conf, 0.5f);
  EXPECT_LE(r.conf, 1.0f);
}

// 556.56 printed small and blurred: the digit model reads two digits wrong, unsure, and gives
// the printed value among its alternatives (LSTM symbol choices, a second read at another scale).
// No confusion rule reaches it from the reading (two digits); in 公开02表 the row and the column
// prove it, and the repair takes it.
TEST(CellOcr, DoubtfulAmountGetsAlternativesThatChecksCanProve) {
  CellOcr ocr;
  auto render = [](double blur) {
    cv::Mat img(70, 360, CV_8U, cv::Scalar(255));
    cv::putText(img, "556.56", {10, 45}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0), 1);
    if (blur > 0) cv::GaussianBlur(img, img, {0, 0}, blur);
    return img;
  };
  const Reading sure = ocr.read_cell(render(0), 300, false);
  EXPECT_EQ(sure.text, "556.56");
  EXPECT_TRUE(sure.alternatives.empty());  // a sure reading costs no second read

  const Reading doubtful = ocr.read_cell(render(3.0), 300, false);
  ASSERT_TRUE(doubtful.numeric);
  EXPECT_LT(doubtful.conf, kUnsureConf);
  EXPECT_FALSE(SameAmount(doubtful.text, "556.56")) << doubtful.text;
  ASSERT_FALSE(doubtful.alternatives.empty());
  EXPECT_LE(doubtful.alternatives.size(), kMaxAlternatives);
  EXPECT_NE(std::find(doubtful.alternatives.begin(), doubtful.alternatives.end(), "556.56"),
            doubtful.alternatives.end());
  for (const auto& alt : doubtful.alternatives) {
    EXPECT_TRUE(ParseAmount(alt).is_number()) << alt;
    EXPECT_FALSE(SameAmount(alt, doubtful.text)) << alt;
  }

  Document d;
  d.tables.push_back(testing::Table02());
  d.tables[0].kind = ClassifyTable(d.tables[0], testing::Catalogue());
  Cell* cell = testing::CellRC(d.tables[0], 4, 2);  // 2010350 本年收入合计
  cell->text = cell->raw = doubtful.text;
  cell->alternatives = doubtful.alternatives;
  const auto repairs = Checker(testing::Catalogue()).RepairNumbers(d);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].before, doubtful.text);
  EXPECT_NE(repairs[0].reason.find("the OCR alternative reading 556.56"), std::string::npos)
      << repairs[0].reason;
  EXPECT_EQ(cell->text, "556.56");
  EXPECT_EQ(cell->raw, doubtful.text);
}

TEST(CellOcr, MissingModelThrows) {
  OcrOptions o;
  o.text_model = "no_such_model_xyz";
  EXPECT_THROW(CellOcr{o}, std::runtime_error);
}

// Page 1 of scan_tables.pdf (公开02表 收入决算表, 200-dpi scan), prepared and gridded once
// per process.
struct ScanPage {
  int dpi = 0;
  PreparedPage page;
  Grid grid;
};

const ScanPage& Page1() {
  static const std::unique_ptr<ScanPage> page = [] {
    auto p = std::make_unique<ScanPage>();
    Rasteriser raster(testing::TestData("scan_tables.pdf"));
    RenderedPage rp = raster.render(0);
    p->dpi = rp.dpi;
    p->page = PagePreparer(rp.dpi).prepare(rp.gray);
    auto grids = GridDetector(rp.dpi).detect(p->page.binary);
    if (!grids.empty()) p->grid = grids.front();
    return p;
  }();
  return *page;
}

class ScanCells : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ocr_ = std::make_unique<CellOcr>(); }
  static void TearDownTestSuite() { ocr_.reset(); }

  // The anchor cell at (r, c), if the grid has one there.
  static std::optional<GridCell> At(int r, int c) {
    for (const GridCell& g : Page1().grid.cells)
      if (g.r == r && g.c == c) return g;
    return std::nullopt;
  }
  static Reading Read(const GridCell& g, CellHint hint = CellHint::kAuto) {
    const ScanPage& p = Page1();
    bool multiline = false;
    cv::Mat crop = CropCell(p.page.gray, p.page.binary, g.box, p.dpi, &multiline);
    if (crop.empty()) return {};
    return ocr_->read_cell(crop, p.dpi, multiline, hint);
  }

  static std::unique_ptr<CellOcr> ocr_;
};
std::unique_ptr<CellOcr> ScanCells::ocr_;

TEST_F(ScanCells, PageIsAScanWithOneTable) {
  const ScanPage& p = Page1();
  EXPECT_EQ(p.dpi, 200);  // rendered at the scan's own resolution
  EXPECT_EQ(p.page.rotation, 0);
  EXPECT_EQ(p.grid.n_rows(), 27);
  EXPECT_EQ(p.grid.n_cols(), 9);
}

TEST_F(ScanCells, HeaderCell) {
  auto g = At(0, 3);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->rs, 2);
  EXPECT_EQ(g->cs, 1);
  Reading r = Read(*g, CellHint::kText);
  EXPECT_EQ(r.text, "财政拨款收入");
  EXPECT_FALSE(r.numeric);
}

TEST_F(ScanCells, CodedRow) {
  // Find the row whose code column reads 2010350, then read its name and total.
  int row = -1;
  for (int r = 3; r < Page1().grid.n_rows() && row < 0; ++r) {
    auto g = At(r, 0);
    if (g && Read(*g).text == "2010350") row = r;
  }
  ASSERT_GE(row, 0) << "no row with code 2010350";
  auto name = At(row, 1), total = At(row, 2);
  ASSERT_TRUE(name && total);
  EXPECT_EQ(Read(*name).text, "事业运行");
  Reading amount = Read(*total);
  EXPECT_EQ(amount.text, "556.56");
  EXPECT_TRUE(amount.numeric);
  EXPECT_GT(amount.conf, 0.5f);
}

// Ink blocks standing in for text at 300 dpi (an em of 10.5 pt is about 44 px).
TEST(TwoRunsFarApart, TwoCellsTextSideBySideOnly) {
  auto crop = [](std::vector<std::pair<int, int>> blocks) {
    cv::Mat m(60, 1400, CV_8U, cv::Scalar(255));
    for (auto [x, w] : blocks) cv::rectangle(m, cv::Rect(x, 10, w, 40), cv::Scalar(0), cv::FILLED);
    return m;
  };
  // A label four ems wide and an amount three ems wide, 400 px (9 ems) apart: two cells.
  EXPECT_TRUE(TwoRunsFarApart(crop({{10, 180}, {590, 130}}), 300));
  // "合      计": one character on each side.
  EXPECT_FALSE(TwoRunsFarApart(crop({{10, 44}, {600, 44}}), 300));
  // One name, its characters a little apart (gaps well under three ems).
  EXPECT_FALSE(TwoRunsFarApart(crop({{10, 180}, {230, 180}, {450, 180}}), 300));
  // The same two runs only two ems apart: one cell's text.
  EXPECT_FALSE(TwoRunsFarApart(crop({{10, 180}, {278, 130}}), 300));
  EXPECT_FALSE(TwoRunsFarApart(cv::Mat(), 300));
}

// A blank template prints "…" in the rows that stand for codes not listed; CropCell drops its
// dots as specks, ReadEllipses finds them (200 dpi: an em is about 29 px, a dot 3-4 px).
TEST(ReadEllipses, EvenlySpacedDotsOnALineOnly) {
  cv::Mat bin(200, 400, CV_8U, cv::Scalar(0));
  auto dot = [&](int x, int y) {
    cv::rectangle(bin, cv::Rect(x, y, 4, 4), cv::Scalar(255), cv::FILLED);
  };
  const Box cell{0, 0, 400, 200};
  const CropParams p = CropParams::ForDpi(200);
  for (int k = 0; k < 3; ++k) dot(40 + 8 * k, 60);
  EXPECT_EQ(ReadEllipses(bin, cell, p, 200), "…");
  for (int k = 0; k < 3; ++k) dot(40 + 8 * k, 120);  // a second line: "… …"
  EXPECT_EQ(ReadEllipses(bin, cell, p, 200), "… …");
  // Specks scattered over a blank cell are no ellipsis.
  cv::Mat specks(200, 400, CV_8U, cv::Scalar(0));
  for (auto [x, y] : std::vector<std::pair<int, int>>{{30, 40}, {90, 44}, {200, 150}, {310, 90}})
    cv::rectangle(specks, cv::Rect(x, y, 3, 3), cv::Scalar(255), cv::FILLED);
  EXPECT_EQ(ReadEllipses(specks, cell, p, 200), "");
  // Two dots are not an ellipsis; dots beside text are the text's (the cell is not blank).
  cv::Mat two(200, 400, CV_8U, cv::Scalar(0));
  for (int k = 0; k < 2; ++k) two(cv::Rect(40 + 8 * k, 60, 4, 4)).setTo(255);
  EXPECT_EQ(ReadEllipses(two, cell, p, 200), "");
  bin(cv::Rect(200, 50, 30, 30)).setTo(255);
  EXPECT_EQ(ReadEllipses(bin, cell, p, 200), "");
}

// A low-confidence amount is confirmed only when a second model reads exactly the same amount.
TEST(SameAmount, ValueAndDecimalsBothAgree) {
  EXPECT_TRUE(SameAmount("1,234.50", "1234.50"));
  EXPECT_TRUE(SameAmount("0.00", "0.00"));
  EXPECT_FALSE(SameAmount("1234.5", "1234.50"));  // printed differently: one of them misread
  EXPECT_FALSE(SameAmount("1234.50", "1284.50"));
  EXPECT_FALSE(SameAmount("1234.50", "1234.50元"));  // no amount
  EXPECT_FALSE(SameAmount("", ""));
}

// conf < kUnsureConf means doubtful: the engine's confidence of a Chinese reading just above it
// is lowered below it; numbers and confident readings keep theirs; paragraphs are capped.
TEST(CalibratedConf, ChineseReadingsJustAboveTheLineAreUnsure) {
  auto conf = [](const std::string& text, float engine, bool numeric = false) {
    Reading rd;
    rd.text = text;
    rd.conf = engine;
    rd.numeric = numeric;
    return CalibratedConf(rd);
  };
  EXPECT_LT(conf("中心全生活动人次", 0.81f), kUnsureConf);
  EXPECT_LT(conf("行政运行", 0.84f), kUnsureConf);
  EXPECT_FLOAT_EQ(conf("行政运行", 0.86f), 0.86f);
  EXPECT_FLOAT_EQ(conf("1,285.83", 0.82f, true), 0.82f);  // the digit model's own measure
  EXPECT_FLOAT_EQ(conf("-", 0.82f), 0.82f);               // no Han: not this rule
  EXPECT_FLOAT_EQ(conf(std::string(31 * 3, 'x').replace(0, 3, "中"), 0.95f), kLongReadingConf);
  EXPECT_FLOAT_EQ(conf("家长及学:满意比例", 0.95f), kMisreadGlyphConf);
}

TEST(ReadingShapes, LabelRunIntoAnAmountAndPunctuationInsideAWord) {
  EXPECT_TRUE(LabelRunIntoAnAmount("其他资金9.00"));
  EXPECT_TRUE(LabelRunIntoAnAmount("年度资金申请总额7595500. 00"));
  EXPECT_TRUE(LabelRunIntoAnAmount("其中：当年财政拨款4,100,000.00"));
  EXPECT_FALSE(LabelRunIntoAnAmount("9.00"));
  EXPECT_FALSE(LabelRunIntoAnAmount("2023年"));
  EXPECT_FALSE(LabelRunIntoAnAmount("补助30.5"));  // one decimal: not an amount as printed
  EXPECT_TRUE(AsciiPunctuationInsideHan("基:民兵整组工作"));
  EXPECT_TRUE(AsciiPunctuationInsideHan("家长及学:满意比例"));
  EXPECT_FALSE(AsciiPunctuationInsideHan("其中：财政资金"));  // full-width, as printed
  EXPECT_FALSE(AsciiPunctuationInsideHan("其中:财政资金"));   // a label's colon, in ASCII
  EXPECT_FALSE(AsciiPunctuationInsideHan("单位:万元"));
}

}  // namespace
}  // namespace juesuan
