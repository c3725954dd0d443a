// GridDetector on synthetic pages drawn with OpenCV at 300 dpi: lattice size, merged cells,
// robustness to broken rules, speckles and text, several tables, no table, open sides.
#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "stages/grid/grid_detector.h"
#include "stages/prepare/page_preparer.h"

namespace juesuan {
namespace {

constexpr int kDpi = 300;

struct Span {
  int r, c, rs, cs;
};

cv::Mat BlankPage(int w = 2400, int h = 3000) { return cv::Mat(h, w, CV_8U, cv::Scalar(255)); }

// Draws a line as dashes: `gap` px of white after every `piece` px of ink (gap 0: solid).
void BrokenLine(cv::Mat& img, cv::Point a, cv::Point b, int piece, int gap, int thickness = 3) {
  if (gap <= 0) {
    cv::line(img, a, b, cv::Scalar(0), thickness);
    return;
  }
  const bool horizontal = a.y == b.y;
  const int from = horizontal ? a.x : a.y, to = horizontal ? b.x : b.y;
  for (int p = from; p <= to; p += piece + gap) {
    int q = std::min(to, p + piece);
    cv::Point s = horizontal ? cv::Point(p, a.y) : cv::Point(a.x, p);
    cv::Point e = horizontal ? cv::Point(q, a.y) : cv::Point(a.x, q);
    cv::line(img, s, e, cv::Scalar(0), thickness);
  }
}

// Draws a ruled table: every cell's outline (merged cells as one box). `cells` covers the
// lattice given by xs/ys exactly once.
void DrawTable(cv::Mat& img, const std::vector<int>& xs, const std::vector<int>& ys,
               const std::vector<Span>& cells, int piece = 0, int gap = 0) {
  for (const Span& s : cells) {
    const int x0 = xs[s.c], x1 = xs[s.c + s.cs], y0 = ys[s.r], y1 = ys[s.r + s.rs];
    BrokenLine(img, {x0, y0}, {x1, y0}, piece, gap);
    BrokenLine(img, {x0, y1}, {x1, y1}, piece, gap);
    BrokenLine(img, {x0, y0}, {x0, y1}, piece, gap);
    BrokenLine(img, {x1, y0}, {x1, y1}, piece, gap);
  }
}

// All 1x1 cells of an R x C lattice except those covered by `merged`, plus `merged`.
std::vector<Span> Layout(int rows, int cols, const std::vector<Span>& merged) {
  std::vector<Span> out = merged;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      bool covered = false;
      for (const Span& m : merged)
        covered |= m.r <= r && r < m.r + m.rs && m.c <= c && c < m.c + m.cs;
      if (!covered) out.push_back({r, c, 1, 1});
    }
  return out;
}

std::vector<Grid> Detect(const cv::Mat& gray) {
  cv::Mat bin = PagePreparer(kDpi).binarise(gray);
  return GridDetector(kDpi).detect(bin);
}

using SpanTuple = std::tuple<int, int, int, int>;
std::vector<SpanTuple> Spans(const Grid& g) {
  std::vector<SpanTuple> out;
  for (const GridCell& c : g.cells) out.emplace_back(c.r, c.c, c.rs, c.cs);
  std::sort(out.begin(), out.end());
  return out;
}
std::vector<SpanTuple> Spans(const std::vector<Span>& cells) {
  std::vector<SpanTuple> out;
  for (const Span& c : cells) out.emplace_back(c.r, c.c, c.rs, c.cs);
  std::sort(out.begin(), out.end());
  return out;
}

// The reference table: 5 rows x 4 columns, a header cell spanning columns 1-2 and a label
// spanning rows 1-2 in column 0.
const std::vector<int> kXs = {300, 800, 1200, 1600, 2000};
const std::vector<int> kYs = {400, 520, 640, 760, 880, 1000};
const std::vector<Span> kMerged = {{0, 1, 1, 2}, {1, 0, 2, 1}};

void ExpectReferenceGrid(const Grid& g, int tol = 6) {
  ASSERT_EQ(g.n_rows(), 5);
  ASSERT_EQ(g.n_cols(), 4);
  for (size_t i = 0; i < kXs.size(); ++i) EXPECT_NEAR(g.xs[i], kXs[i], tol) << "x boundary " << i;
  for (size_t i = 0; i < kYs.size(); ++i) EXPECT_NEAR(g.ys[i], kYs[i], tol) << "y boundary " << i;
  EXPECT_EQ(Spans(g), Spans(Layout(5, 4, kMerged)));
  EXPECT_NEAR(g.bbox.x, kXs.front(), tol);
  EXPECT_NEAR(g.bbox.y, kYs.front(), tol);
  EXPECT_NEAR(g.bbox.w, kXs.back() - kXs.front(), 2 * tol);
  EXPECT_NEAR(g.bbox.h, kYs.back() - kYs.front(), 2 * tol);
}

TEST(GridDetector, TableWithMergedCells) {
  cv::Mat page = BlankPage();
  DrawTable(page, kXs, kYs, Layout(5, 4, kMerged));
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  ExpectReferenceGrid(grids[0]);
  // The merged cells' boxes cover their whole span.
  for (const GridCell& c : grids[0].cells) {
    if (c.r == 0 && c.c == 1) {
      EXPECT_EQ(c.cs, 2);
      EXPECT_NEAR(c.box.w, kXs[3] - kXs[1], 12);
      EXPECT_NEAR(c.box.h, kYs[1] - kYs[0], 12);
    }
    if (c.r == 1 && c.c == 0) {
      EXPECT_EQ(c.rs, 2);
      EXPECT_NEAR(c.box.h, kYs[3] - kYs[1], 12);
    }
  }
}

// The 合计 row of a table that ran over onto a page of its own (real-budget b24-wanli-dept,
// pages 15 and 20): one row, its label cell spanning the code and name columns.
TEST(GridDetector, OneRowTableIsAGrid) {
  cv::Mat page = BlankPage();
  const std::vector<int> xs = {150, 1200, 1530, 1850, 2180}, ys = {200, 270};
  DrawTable(page, xs, ys, Layout(1, 4, {}));
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 1);
  EXPECT_EQ(grids[0].n_cols(), 4);
  // A frame around one line of text is no table.
  cv::Mat framed = BlankPage();
  DrawTable(framed, {150, 2180}, ys, Layout(1, 1, {}));
  EXPECT_TRUE(Detect(framed).empty());
}

TEST(GridDetector, BrokenRulesGiveTheSameLattice) {
  cv::Mat page = BlankPage();
  // Every rule is interrupted by a 10 px gap every 150 px, as faded or broken scan lines are.
  DrawTable(page, kXs, kYs, Layout(5, 4, kMerged), /*piece=*/150, /*gap=*/10);
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  ExpectReferenceGrid(grids[0]);
}

// A column border printed dashed (some producers rule sub-columns that way: 购置费 | 运行费 in
// real 三公 tables): no dash meets two rules a row apart, but the dashes in line with short gaps
// are one rule.
TEST(GridDetector, DashedColumnRuleIsAColumn) {
  cv::Mat page = BlankPage();
  DrawTable(page, kXs, kYs, Layout(5, 4, kMerged));
  cv::line(page, {kXs[3], kYs.front() + 3}, {kXs[3], kYs.back() - 3}, cv::Scalar(255), 7);
  for (size_t r = 0; r + 1 < kYs.size(); ++r)  // two 45 px dashes a row, 30 px apart
    BrokenLine(page, {kXs[3], kYs[r]}, {kXs[3], kYs[r + 1]}, 45, 30);
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  ExpectReferenceGrid(grids[0]);
}

TEST(GridDetector, SpecklesAndTextDoNotAddRowsOrColumns) {
  cv::Mat page = BlankPage();
  DrawTable(page, kXs, kYs, Layout(5, 4, kMerged));
  // Digits and dashes inside every lattice cell.
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 4; ++c) {
      cv::Point org(kXs[c] + 30, kYs[r] + 80);
      cv::putText(page, c % 2 ? "1,285.83" : "2010350", org, cv::FONT_HERSHEY_SIMPLEX, 1.4,
                  cv::Scalar(0), 3);
      cv::line(page, {kXs[c + 1] - 70, kYs[r] + 60}, {kXs[c + 1] - 30, kYs[r] + 60}, 0, 3);
      cv::putText(page, "|1", {kXs[c + 1] - 110, kYs[r] + 95}, cv::FONT_HERSHEY_SIMPLEX, 1.4,
                  cv::Scalar(0), 3);
    }
  // Scanner speckles everywhere, including on the page margins.
  cv::RNG rng(12345);
  for (int i = 0; i < 3000; ++i) {
    cv::Point p(rng.uniform(0, page.cols), rng.uniform(0, page.rows));
    cv::circle(page, p, rng.uniform(1, 3), cv::Scalar(0), cv::FILLED);
  }
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  ExpectReferenceGrid(grids[0]);
}

TEST(GridDetector, TwoTablesTopToBottom) {
  cv::Mat page = BlankPage();
  // Drawn bottom one first: the order of the result must come from the geometry.
  const std::vector<int> ys2 = {1800, 1900, 2000, 2100};
  const std::vector<int> xs2 = {300, 900, 1500, 2100};
  DrawTable(page, xs2, ys2, Layout(3, 3, {}));
  DrawTable(page, kXs, kYs, Layout(5, 4, kMerged));
  cv::putText(page, "2024", {300, 1500}, cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(0), 4);
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 2u);
  ExpectReferenceGrid(grids[0]);
  EXPECT_EQ(grids[1].n_rows(), 3);
  EXPECT_EQ(grids[1].n_cols(), 3);
  EXPECT_EQ(grids[1].cells.size(), 9u);
  EXPECT_NEAR(grids[1].bbox.y, ys2.front(), 6);
  EXPECT_LT(grids[0].bbox.y + grids[0].bbox.h, grids[1].bbox.y);
}

TEST(GridDetector, PageWithoutRulesHasNoGrid) {
  cv::Mat page = BlankPage();
  for (int line = 0; line < 30; ++line)
    cv::putText(page, "2024 0123456789 ABCDEFG 1,285.83", {200, 300 + line * 80},
                cv::FONT_HERSHEY_SIMPLEX, 1.5, cv::Scalar(0), 3);
  EXPECT_TRUE(Detect(page).empty());
  EXPECT_TRUE(Detect(BlankPage()).empty());
}

TEST(GridDetector, TableWithoutSideBordersUsesRuleEnds) {
  // Full-width horizontal rules, inner column separators only (no left or right border), as
  // many 决算 tables are printed. The ends of the horizontal rules become the outer columns.
  cv::Mat page = BlankPage();
  const std::vector<int> xs = {300, 800, 1200, 1600, 2000};
  const std::vector<int> ys = {400, 520, 640, 760, 880};
  for (int y : ys) cv::line(page, {xs.front(), y}, {xs.back(), y}, cv::Scalar(0), 3);
  for (size_t k = 1; k + 1 < xs.size(); ++k)
    cv::line(page, {xs[k], ys.front()}, {xs[k], ys.back()}, cv::Scalar(0), 3);
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  const Grid& g = grids[0];
  EXPECT_EQ(g.n_rows(), 4);
  ASSERT_EQ(g.n_cols(), 4);
  for (size_t i = 0; i < xs.size(); ++i) EXPECT_NEAR(g.xs[i], xs[i], 6) << "x boundary " << i;
  EXPECT_EQ(g.cells.size(), 16u);  // no merged cells
}

TEST(GridDetector, RulesWithoutColumnSeparatorsAreNoGrid) {
  // A "three-line" layout has no vertical separator at all: there is no lattice to build, and
  // the detector reports nothing rather than a one-column table.
  cv::Mat page = BlankPage();
  for (int y : {400, 520, 1200}) cv::line(page, {300, y}, {2000, y}, cv::Scalar(0), 3);
  EXPECT_TRUE(Detect(page).empty());
}

TEST(GridDetector, TextLinesOutsideGrids) {
  cv::Mat page = BlankPage();
  DrawTable(page, kXs, kYs, Layout(5, 4, kMerged));
  cv::putText(page, "TABLE 02", {900, 250}, cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(0), 4);
  cv::putText(page, "NOTE 1", {300, 1200}, cv::FONT_HERSHEY_SIMPLEX, 1.5, cv::Scalar(0), 3);
  cv::Mat bin = PagePreparer(kDpi).binarise(page);
  GridDetector detector(kDpi);
  auto grids = detector.detect(bin);
  ASSERT_EQ(grids.size(), 1u);
  auto lines = detector.text_lines_outside(bin, grids);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_LT(lines[0].y + lines[0].h, kYs.front());  // title above
  EXPECT_NEAR(lines[0].x, 900, 10);
  EXPECT_GT(lines[1].y, kYs.back());  // note below
  EXPECT_NEAR(lines[1].x, 300, 10);
}

// A column rule the scan erased over a whole cell edge is restored where the rows beside it
// prove it: in a body row (rules above and below), and in the first row of a grid when the two
// rows below are plain body rows (the top row of a continuation page: 210 | 11 | 01). A merged
// cell with text on one side only stays merged. (Glyphs as thin as a rule, such as "1", are not
// counted as text on either side.)
TEST(GridDetector, ErasedColumnRuleIsRestoredWhereTheRowsBesideProveIt) {
  const std::vector<int> ys = {400, 500, 600, 700, 800, 900, 1000};
  cv::Mat page = BlankPage();
  DrawTable(page, kXs, ys, Layout(6, 4, {}));
  auto erase_and_write = [&](int r, const char* left, const char* right) {
    page(cv::Rect(kXs[2] - 6, ys[r] + 5, 13, ys[r + 1] - ys[r] - 10)).setTo(255);
    if (*left)
      cv::putText(page, left, {kXs[2] - 120, ys[r] + 65}, cv::FONT_HERSHEY_SIMPLEX, 1.4, 0, 3);
    if (*right)
      cv::putText(page, right, {kXs[2] + 40, ys[r] + 65}, cv::FONT_HERSHEY_SIMPLEX, 1.4, 0, 3);
  };
  erase_and_write(0, "25", "03");  // first row: restored (rows 1 and 2 are plain)
  erase_and_write(3, "25", "03");  // body row: restored
  erase_and_write(5, "", "60");    // text on one side: merged
  auto grids = Detect(page);
  ASSERT_EQ(grids.size(), 1u);
  ASSERT_EQ(grids[0].n_rows(), 6);
  ASSERT_EQ(grids[0].n_cols(), 4);
  EXPECT_EQ(Spans(grids[0]), Spans(Layout(6, 4, {{5, 1, 1, 2}})));
}

}  // namespace
}  // namespace juesuan
