// Cell content boxes (content_bbox) and implicit rows, on synthetic pages drawn with OpenCV at
// 300 dpi: the prepared-to-input map of every transform the pipeline applies, content boxes
// inside their cells and around the text drawn on a page given turned and skewed, and a table
// ruled only by its frame, header and columns read row by row.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "stages/grid/grid_detector.h"
#include "stages/prepare/input_frame.h"
#include "stages/prepare/page_preparer.h"
#include "stages/read/table_reader.h"
#include "test_support.h"

namespace juesuan {
namespace {

constexpr int kDpi = 300;

cv::Mat BlankPage(int w = 2400, int h = 3000) { return cv::Mat(h, w, CV_8U, cv::Scalar(255)); }

// Where `p` (a point on the input image) lands after what the pipeline does to an image:
// EXIF orientation `o`, scaling, `rotation` clockwise, then RemoveSkew's rotation about the
// centre; found by doing it to an image with one dot.
cv::Point WhereTheDotGoes(cv::Size size, cv::Point p, int rotation, double skew) {
  cv::Mat img(size, CV_8U, cv::Scalar(255));
  cv::rectangle(img, {p.x - 2, p.y - 2, 5, 5}, cv::Scalar(0), cv::FILLED);
  const cv::Mat out = RemoveSkew(RotateQuarterTurns(img, rotation), skew);
  cv::Mat ink = out < 128;
  std::vector<cv::Point> pts;
  cv::findNonZero(ink, pts);
  const cv::Rect r = cv::boundingRect(pts);
  return {r.x + r.width / 2, r.y + r.height / 2};
}

TEST(InputFrame, PreparedPointsMapBackOntoTheInputImage) {
  const cv::Size size(900, 1300);
  const cv::Point dot(200, 1000);
  for (int rotation : {0, 90, 180, 270})
    for (double skew : {0.0, 1.5, -2.0}) {
      const cv::Point on_prepared = WhereTheDotGoes(size, dot, rotation, skew);
      InputImage in{"file", "x.png", 0, size.width, size.height};
      const auto m = PreparedToInput(in, rotation, skew);
      const auto back = MapPixelsToInput(m, {on_prepared});
      ASSERT_TRUE(back.has_value());
      EXPECT_NEAR(back->x, dot.x, 2) << rotation << " " << skew;
      EXPECT_NEAR(back->y, dot.y, 2) << rotation << " " << skew;
    }
}

TEST(InputFrame, ExifOrientationAndScaleAreUndone) {
  // A 400 x 300 image with EXIF orientation 6 shows as 300 x 400 turned clockwise; scaled by 2
  // it is 600 x 800. Its top-left corner (0, 0) shows at the top right: (600, 0).
  InputImage in{"file", "x.jpg", 0, 400, 300, 6, 2.0};
  const auto m = PreparedToInput(in, 0, 0.0);
  const Box corner = MapBoxToInput(m, Box{590, 0, 10, 10});
  EXPECT_EQ(corner.x, 0);
  EXPECT_EQ(corner.y, 0);
  EXPECT_EQ(corner.w, 5);
  EXPECT_EQ(corner.h, 5);
  // Orientation 2 mirrors left to right.
  in = InputImage{"file", "x.jpg", 0, 400, 300, 2, 1.0};
  const Box mirrored = MapBoxToInput(PreparedToInput(in, 0, 0.0), Box{0, 10, 20, 30});
  EXPECT_EQ(mirrored.x, 380);
  EXPECT_EQ(mirrored.y, 10);
}

// A 4-row x 3-column ruled table with a number in every body cell (one blank), drawn upright.
struct DrawnTable {
  cv::Mat page;
  std::vector<cv::Rect> text;  // per body cell, row-major (3 rows x 3 columns); empty = blank
};

constexpr int kX[] = {300, 900, 1500, 2100};
constexpr int kY[] = {400, 540, 680, 820, 960};

DrawnTable RuledTableWithNumbers() {
  DrawnTable t{BlankPage(), {}};
  for (int x : kX) cv::line(t.page, {x, kY[0]}, {x, kY[4]}, cv::Scalar(0), 3);
  for (int y : kY) cv::line(t.page, {kX[0], y}, {kX[3], y}, cv::Scalar(0), 3);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 3; ++c) {
      if (r == 2 && c == 1) {
        t.text.emplace_back();
        continue;
      }
      const std::string s = std::to_string(1000 + 37 * (r * 3 + c)) + ".5" + std::to_string(c);
      const cv::Point org(kX[c] + 60 + 40 * c, kY[r] + 95);
      cv::putText(t.page, s, org, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 3);
      int base = 0;
      const cv::Size sz = cv::getTextSize(s, cv::FONT_HERSHEY_SIMPLEX, 1.6, 3, &base);
      t.text.emplace_back(org.x, org.y - sz.height, sz.width, sz.height);
    }
  return t;
}

// The box of the ink of `page` inside `r` (the text drawn there), found on the page itself.
cv::Rect InkBox(const cv::Mat& page, const cv::Rect& r) {
  std::vector<cv::Point> pts;
  cv::findNonZero(page(r) < 128, pts);
  cv::Rect b = cv::boundingRect(pts);
  return {b.x + r.x, b.y + r.y, b.width, b.height};
}

bool Inside(const Box& inner, const Box& outer, int slack) {
  return inner.x >= outer.x - slack && inner.y >= outer.y - slack &&
         inner.x + inner.w <= outer.x + outer.w + slack &&
         inner.y + inner.h <= outer.y + outer.h + slack;
}

// Reads the page as the pipeline does (prepare, grids, cells with the input map) and checks every
// content box against the text's ink as drawn on the input image `input`, where `truth` maps an
// upright page's box to the input image.
void ExpectContentBoxesOnInput(const cv::Mat& input, const DrawnTable& upright,
                               const std::function<cv::Rect(const cv::Rect&)>& truth) {
  const PreparedPage pp = PagePreparer(kDpi).prepare(input);
  InputImage in{"file", "page.png", 0, input.cols, input.rows};
  const auto to_input = PreparedToInput(in, pp.rotation, pp.skew_deg);
  const auto grids = GridDetector(kDpi).detect(pp.binary);
  ASSERT_EQ(grids.size(), 1u);
  ASSERT_EQ(grids[0].n_rows(), 4);
  ASSERT_EQ(grids[0].n_cols(), 3);
  CellOcr ocr;
  const auto cells = TableReader(ocr, kDpi, to_input).read_grid(pp.gray, pp.binary, grids[0], 1);
  ASSERT_EQ(cells.size(), 12u);
  for (const Cell& cell : cells) {
    const cv::Rect drawn = upright.text[static_cast<size_t>(cell.r * 3 + cell.c)];
    if (drawn.empty()) {
      EXPECT_FALSE(cell.content_bbox.has_value()) << cell.r << "," << cell.c;
      continue;
    }
    ASSERT_TRUE(cell.content_bbox.has_value()) << cell.r << "," << cell.c;
    const Box& got = *cell.content_bbox;
    EXPECT_TRUE(Inside(got, MapBoxToInput(to_input, cell.bbox), 0)) << cell.r << "," << cell.c;
    const cv::Rect want = InkBox(input, truth(drawn));
    EXPECT_NEAR(got.x, want.x, 4) << cell.r << "," << cell.c;
    EXPECT_NEAR(got.y, want.y, 4) << cell.r << "," << cell.c;
    EXPECT_NEAR(got.x + got.w, want.x + want.width, 4) << cell.r << "," << cell.c;
    EXPECT_NEAR(got.y + got.h, want.y + want.height, 4) << cell.r << "," << cell.c;
  }
}

TEST(ContentBox, UprightPageBoxesHoldTheDrawnText) {
  const DrawnTable t = RuledTableWithNumbers();
  // The drawn text's box, widened by a few pixels: the ink found inside it is the truth.
  ExpectContentBoxesOnInput(t.page, t, [](const cv::Rect& r) {
    return cv::Rect(r.x - 6, r.y - 6, r.width + 12, r.height + 18);
  });
}

TEST(ContentBox, TurnedAndSkewedPageBoxesAreOnTheInputImage) {
  const DrawnTable t = RuledTableWithNumbers();
  // Given sideways (a quarter turn anticlockwise, which prepare turns back clockwise) and tilted
  // by 1.5 degrees.
  const cv::Mat turned = RotateQuarterTurns(t.page, 270);
  const cv::Mat input = RemoveSkew(turned, -1.5);
  // Where a box of the upright page is on the input: its corners through the same two steps.
  const cv::Mat tilt =
      cv::getRotationMatrix2D(cv::Point2f(turned.cols / 2.0f, turned.rows / 2.0f), -1.5, 1.0);
  auto truth = [&](const cv::Rect& r) {
    const cv::Rect wide(r.x - 6, r.y - 6, r.width + 12, r.height + 18);
    std::vector<cv::Point2f> corners;
    for (int dy = 0; dy <= 1; ++dy)
      for (int dx = 0; dx <= 1; ++dx) {
        // 270 clockwise on a W-wide page: (x, y) -> (y, W - x).
        const cv::Point2f p(static_cast<float>(wide.y + dy * wide.height),
                            static_cast<float>(t.page.cols - (wide.x + dx * wide.width)));
        corners.emplace_back(
            static_cast<float>(tilt.at<double>(0, 0) * p.x + tilt.at<double>(0, 1) * p.y +
                               tilt.at<double>(0, 2)),
            static_cast<float>(tilt.at<double>(1, 0) * p.x + tilt.at<double>(1, 1) * p.y +
                               tilt.at<double>(1, 2)));
      }
    return cv::boundingRect(corners);
  };
  ExpectContentBoxesOnInput(input, t, truth);
}

// A table ruled only by its frame, the rule under its header and its column rules: six body rows
// of a code and two amounts, one under another, with no rule between them.
cv::Mat ImplicitRowTable(std::vector<std::vector<std::string>>& rows) {
  cv::Mat page = BlankPage();
  const int x[] = {300, 900, 1500, 2100};
  const int top = 400, header = 540, bottom = 540 + 6 * 110 + 40;
  for (int xi : x) cv::line(page, {xi, top}, {xi, bottom}, cv::Scalar(0), 3);
  for (int y : {top, header, bottom}) cv::line(page, {x[0], y}, {x[3], y}, cv::Scalar(0), 3);
  rows = {{"101", "202", "303"}};
  for (int c = 0; c < 3; ++c)
    cv::putText(page, rows[0][static_cast<size_t>(c)], {x[c] + 200, top + 95},
                cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 3);
  for (int r = 0; r < 6; ++r) {
    rows.push_back({std::to_string(2010301 + r), std::to_string(100 + 17 * r) + ".25",
                    std::to_string(3000 + 211 * r) + ".80"});
    for (int c = 0; c < 3; ++c)
      cv::putText(page, rows.back()[static_cast<size_t>(c)], {x[c] + 60, header + 90 + 110 * r},
                  cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 3);
  }
  return page;
}

TEST(ImplicitRows, BodyRuledOnlyByColumnsIsSplitIntoItsTextLines) {
  std::vector<std::vector<std::string>> rows;
  const cv::Mat page = ImplicitRowTable(rows);
  const cv::Mat bin = PagePreparer(kDpi).binarise(page);
  const auto grids = GridDetector(kDpi).detect(bin);
  ASSERT_EQ(grids.size(), 1u);
  const Grid& g = grids[0];
  ASSERT_EQ(g.n_rows(), 7);
  ASSERT_EQ(g.n_cols(), 3);
  ASSERT_EQ(g.cells.size(), 21u);
  ASSERT_EQ(g.ys_inferred.size(), g.ys.size());
  for (size_t k = 0; k < g.ys.size(); ++k)
    EXPECT_EQ(g.ys_inferred[k], k >= 2 && k + 1 < g.ys.size()) << "boundary " << k;
  CellOcr ocr;
  const auto cells = TableReader(ocr, kDpi).read_grid(page, bin, g, 1);
  for (const Cell& cell : cells) {
    EXPECT_EQ(cell.row_inferred, cell.r >= 1) << cell.r;
    EXPECT_EQ(cell.text, rows[static_cast<size_t>(cell.r)][static_cast<size_t>(cell.c)])
        << cell.r << "," << cell.c;
    ASSERT_TRUE(cell.content_bbox.has_value());
    EXPECT_TRUE(Inside(*cell.content_bbox, cell.bbox, 0)) << cell.r << "," << cell.c;
  }
}

TEST(ImplicitRows, SectionsOfThreeAndTwoRowsAreSplit) {
  // The same table with a rule after its third body row: sections of three rows and of two (a
  // section of two is split because the table has shown itself to be ruled by sections).
  std::vector<std::vector<std::string>> rows;
  cv::Mat page = ImplicitRowTable(rows);
  const int section = 540 + 3 * 110 + 5;
  cv::line(page, {300, section}, {2100, section}, cv::Scalar(0), 3);
  cv::rectangle(page, {301, 540 + 5 * 110 + 1, 1798, 110}, cv::Scalar(255), cv::FILLED);
  for (int x : {300, 900, 1500, 2100})
    cv::line(page, {x, 540 + 5 * 110}, {x, 540 + 6 * 110 + 40}, cv::Scalar(0), 3);
  const auto grids = GridDetector(kDpi).detect(PagePreparer(kDpi).binarise(page));
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 6);  // header, 3 + 2 body rows (the sixth row was erased)
  EXPECT_EQ(grids[0].n_cols(), 3);
}

TEST(ImplicitRows, FullyRuledTableAndWrappedLabelAreLeftAlone) {
  // Every row ruled: no row is inferred.
  const DrawnTable t = RuledTableWithNumbers();
  const auto ruled = GridDetector(kDpi).detect(PagePreparer(kDpi).binarise(t.page));
  ASSERT_EQ(ruled.size(), 1u);
  EXPECT_EQ(ruled[0].n_rows(), 4);
  EXPECT_TRUE(ruled[0].ys_inferred.empty());
  // A tall ruled row with a label wrapped over three lines and one amount beside it: one row.
  cv::Mat page = BlankPage();
  const int x[] = {300, 900, 1500};
  for (int xi : x) cv::line(page, {xi, 400}, {xi, 900}, cv::Scalar(0), 3);
  for (int y : {400, 540, 900}) cv::line(page, {x[0], y}, {x[2], y}, cv::Scalar(0), 3);
  for (int line = 0; line < 3; ++line)
    cv::putText(page, "20103" + std::to_string(line), {360, 640 + 100 * line},
                cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 3);
  cv::putText(page, "556.56", {1000, 740}, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 3);
  const auto wrapped = GridDetector(kDpi).detect(PagePreparer(kDpi).binarise(page));
  ASSERT_EQ(wrapped.size(), 1u);
  EXPECT_EQ(wrapped[0].n_rows(), 2);
  EXPECT_TRUE(wrapped[0].ys_inferred.empty());
}

// The JSON of `juesuan extract testdata/implicit_rows.pdf` with `--ocr MODE`: a PDF page of a
// table ruled by its frame, header rule and columns only, with eight body rows (written by
// scripts/make_testdata.py; its Helvetica digits make a text layer --ocr auto finds unusable).
nlohmann::json ExtractImplicitRows(const std::string& mode) {
  const auto run =
      testing::RunCli({"extract", testing::TestData("implicit_rows.pdf"), "--ocr", mode});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return nlohmann::json::parse(run.out);
}

void ExpectImplicitRowsPdf(const nlohmann::json& doc, const std::string& path) {
  ASSERT_EQ(doc.at("tables").size(), 1u);
  EXPECT_EQ(doc.at("pages").at(0).at("path"), path);
  const auto& t = doc.at("tables").at(0);
  EXPECT_EQ(t.at("n_rows"), 9);
  EXPECT_EQ(t.at("n_cols"), 3);
  EXPECT_EQ(t.at("rows_inferred"), nlohmann::json({1, 2, 3, 4, 5, 6, 7, 8}));
  ASSERT_EQ(t.at("cells").size(), 27u);
  for (const auto& cell : t.at("cells")) {
    const int r = cell.at("r"), c = cell.at("c");
    const std::string want = r == 0 ? std::string(1, static_cast<char>('1' + c)) + "0" +
                                          std::string(1, static_cast<char>('1' + c))
                             : c == 0 ? std::to_string(2010300 + r)
                             : c == 1 ? std::to_string(100 + 17 * (r - 1)) + ".25"
                                      : std::to_string(3000 + 211 * (r - 1)) + ".80";
    EXPECT_EQ(cell.at("text"), want) << r << "," << c;
    // No turn, no skew on a born-digital page: the content box is inside the ruled box.
    const auto& b = cell.at("bbox");
    const auto& in = cell.at("content_bbox");
    ASSERT_TRUE(in.is_array()) << r << "," << c;
    EXPECT_TRUE(Inside(Box{in[0], in[1], in[2], in[3]}, Box{b[0], b[1], b[2], b[3]}, 0));
  }
}

TEST(ImplicitRows, PdfPageReadWithOcr) {
  ExpectImplicitRowsPdf(ExtractImplicitRows("always"), "ocr");
}

TEST(ImplicitRows, PdfPageReadFromItsTextLayer) {
  ExpectImplicitRowsPdf(ExtractImplicitRows("never"), "text-layer");
}

// A page image at 100 dpi is upsampled to 200 for reading; its content boxes are in the file's
// own pixels, around the text drawn there.
TEST(ContentBox, UpsampledPageImageBoxesAreInTheFilesPixels) {
  const DrawnTable t = RuledTableWithNumbers();
  cv::Mat small;
  cv::resize(t.page, small, {}, 1.0 / 3, 1.0 / 3, cv::INTER_AREA);
  testing::TempDir tmp;
  const std::string png = (tmp / "page_p1.png").string();
  ASSERT_TRUE(cv::imwrite(png, small));
  const auto run = testing::RunCli({"extract", png, "--dpi", "100"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  const auto& input = doc.at("pages").at(0).at("input");
  EXPECT_EQ(input.at("source"), "file");
  EXPECT_EQ(input.at("size"), nlohmann::json({small.cols, small.rows}));
  EXPECT_NEAR(input.at("scale").get<double>(), 2.0, 0.01);
  ASSERT_EQ(doc.at("tables").size(), 1u);
  ASSERT_EQ(doc.at("tables").at(0).at("cells").size(), 12u);
  int boxes = 0;
  for (const auto& cell : doc.at("tables").at(0).at("cells")) {
    const int r = cell.at("r"), c = cell.at("c");
    const cv::Rect drawn = t.text[static_cast<size_t>(r * 3 + c)];
    const auto& in = cell.at("content_bbox");
    if (drawn.empty()) {
      EXPECT_TRUE(in.is_null());
      continue;
    }
    ASSERT_TRUE(in.is_array()) << r << "," << c;
    // The drawn text's ink on the file (a third of the drawing's size).
    const cv::Rect want = InkBox(small, cv::Rect(drawn.x / 3 - 2, drawn.y / 3 - 2,
                                                 drawn.width / 3 + 4, drawn.height / 3 + 6));
    EXPECT_NEAR(in[0].get<int>(), want.x, 2) << r << "," << c;
    EXPECT_NEAR(in[1].get<int>(), want.y, 2) << r << "," << c;
    EXPECT_NEAR(in[0].get<int>() + in[2].get<int>(), want.x + want.width, 2) << r << "," << c;
    EXPECT_NEAR(in[1].get<int>() + in[3].get<int>(), want.y + want.height, 2) << r << "," << c;
    ++boxes;
  }
  EXPECT_EQ(boxes, 11);
}

// Every cell of the scanned test pages: a content box inside its ruled box mapped onto the input
// image (the rendered page, before deskew), null exactly for blank cells.
TEST(ContentBox, ScannedPdfPagesHaveBoxesInsideTheirCells) {
  const nlohmann::json doc = testing::CachedExtraction("scan_tables.pdf");
  std::map<int, std::array<double, 6>> to_input;
  for (const auto& page : doc.at("pages")) {
    ASSERT_TRUE(page.contains("input"));
    EXPECT_EQ(page.at("input").at("source"), "render");
    to_input[page.at("page")] = page.at("input").at("to_input").get<std::array<double, 6>>();
  }
  int boxes = 0;
  for (const auto& t : doc.at("tables"))
    for (const auto& cell : t.at("cells")) {
      const auto& in = cell.at("content_bbox");
      if (cell.at("text") == "") {
        EXPECT_TRUE(in.is_null() || !cell.at("flags").empty());
        continue;
      }
      ASSERT_TRUE(in.is_array());
      const auto& b = cell.at("bbox");
      const Box ruled = MapBoxToInput(to_input.at(cell.at("page")), Box{b[0], b[1], b[2], b[3]});
      EXPECT_TRUE(Inside(Box{in[0], in[1], in[2], in[3]}, ruled, 0))
          << cell.at("text") << " " << in.dump() << " in " << b.dump();
      ++boxes;
    }
  EXPECT_GT(boxes, 200);
}

}  // namespace
}  // namespace juesuan
