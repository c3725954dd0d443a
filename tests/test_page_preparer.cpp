// PagePreparer: skew estimation and its sign, deskewing, sideways pages, quarter turns.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "stages/prepare/page_preparer.h"

namespace juesuan {
namespace {

constexpr int kDpi = 300;

// A table page at 300 dpi (a little smaller than A4 to keep the test fast).
cv::Mat SyntheticTablePage() {
  cv::Mat page(2400, 1800, CV_8U, cv::Scalar(255));
  const int x0 = 200, x1 = 1600;
  for (int r = 0; r <= 12; ++r) cv::line(page, {x0, 300 + r * 120}, {x1, 300 + r * 120}, 0, 3);
  for (int x : {x0, 600, 900, 1250, x1}) cv::line(page, {x, 300}, {x, 300 + 12 * 120}, 0, 3);
  for (int r = 0; r < 12; ++r)
    cv::putText(page, "201 0350 556.56", {x0 + 20, 300 + r * 120 + 80}, cv::FONT_HERSHEY_SIMPLEX,
                1.3, 0, 3);
  return page;
}

// Rotates by `deg` with OpenCV's convention: positive = counter-clockwise as displayed.
cv::Mat Rotate(const cv::Mat& img, double deg) {
  cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(img.cols / 2.0f, img.rows / 2.0f), deg, 1.0);
  cv::Mat out;
  cv::warpAffine(img, out, rot, img.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

// estimate_skew's sign: positive when lines fall to the right (y grows with x), i.e. the page
// was turned clockwise; prepare() then rotates by +skew (counter-clockwise) to level it.
TEST(PagePreparer, EstimateSkewOfPageTurnedClockwise) {
  PagePreparer prep(kDpi);
  cv::Mat turned = Rotate(SyntheticTablePage(), -0.7);  // 0.7 deg clockwise
  EXPECT_NEAR(prep.estimate_skew(prep.binarise(turned)), 0.7, 0.1);
}

TEST(PagePreparer, EstimateSkewOfPageTurnedCounterClockwise) {
  PagePreparer prep(kDpi);
  cv::Mat turned = Rotate(SyntheticTablePage(), 1.3);  // 1.3 deg counter-clockwise
  EXPECT_NEAR(prep.estimate_skew(prep.binarise(turned)), -1.3, 0.1);
}

TEST(PagePreparer, LevelPageHasNoSkew) {
  PagePreparer prep(kDpi);
  EXPECT_NEAR(prep.estimate_skew(prep.binarise(SyntheticTablePage())), 0.0, 0.05);
  // Too little ink to measure: no correction.
  cv::Mat blank(1000, 800, CV_8U, cv::Scalar(255));
  EXPECT_EQ(prep.estimate_skew(prep.binarise(blank)), 0.0);
}

TEST(PagePreparer, PrepareLevelsASkewedPage) {
  PagePreparer prep(kDpi);
  cv::Mat turned = Rotate(SyntheticTablePage(), 1.3);
  PreparedPage p = prep.prepare(turned);
  EXPECT_EQ(p.rotation, 0);
  EXPECT_NEAR(p.skew_deg, -1.3, 0.1);
  ASSERT_EQ(p.gray.size(), turned.size());
  ASSERT_EQ(p.binary.size(), p.gray.size());
  EXPECT_EQ(p.gray.type(), CV_8UC1);
  // The result is level: what is left of the skew is below the estimator's resolution.
  EXPECT_NEAR(prep.estimate_skew(p.binary), 0.0, 0.1);
}

TEST(PagePreparer, BinariseMarksInkAs255) {
  PagePreparer prep(kDpi);
  cv::Mat page = SyntheticTablePage();
  cv::Mat bin = prep.binarise(page);
  ASSERT_EQ(bin.size(), page.size());
  EXPECT_EQ(bin.at<uchar>(300, 800), 255);  // on a rule
  EXPECT_EQ(bin.at<uchar>(100, 100), 0);    // margin
  EXPECT_EQ(bin.at<uchar>(2300, 1700), 0);
}

// A page of horizontal text lines (no table), as a narrative page is printed.
cv::Mat TextPage() {
  cv::Mat page(2400, 1800, CV_8U, cv::Scalar(255));
  for (int line = 0; line < 20; ++line)
    cv::putText(page, "ABCDEFGH 2024 IJKLMN 0123 OPQRS", {150, 250 + line * 100},
                cv::FONT_HERSHEY_SIMPLEX, 1.6, 0, 3);
  return page;
}

// Each OCR read of a sample costs in proportion to its width: a long line is sampled over its
// first max_sample_aspect line heights (plus the white pad), from its left end.
TEST(PagePreparer, SampleTextLinesAreCutToTenLineHeights) {
  PagePreparer::Params params = PagePreparer::Params::ForDpi(kDpi);
  PagePreparer prep(params);
  const cv::Mat bin = prep.binarise(TextPage());
  const auto samples = prep.SampleTextLines(bin, 3);
  ASSERT_EQ(samples.size(), 3u);
  for (const cv::Rect& r : samples) {
    // The padded height is above the line's own, so this holds with the pad on both ends.
    EXPECT_LE(r.width, params.max_sample_aspect * r.height) << r;
    EXPECT_LT(r.width, 900) << r;  // each line is some 1,300 px wide
    EXPECT_LT(r.x, 200) << r;      // the line's left end (text starts at x = 150)
  }
}

TEST(PagePreparer, UprightTextPageIsNotTurned) {
  PagePreparer prep(kDpi);
  cv::Mat page = TextPage();
  EXPECT_FALSE(prep.text_runs_vertically(prep.binarise(page)));
  PreparedPage p = prep.prepare(page);
  EXPECT_EQ(p.rotation, 0);
  EXPECT_EQ(p.gray.size(), page.size());
}

TEST(PagePreparer, SidewaysPageIsTurnedUpright) {
  PagePreparer prep(kDpi);
  cv::Mat sideways;
  cv::rotate(TextPage(), sideways, cv::ROTATE_90_COUNTERCLOCKWISE);
  EXPECT_TRUE(prep.text_runs_vertically(prep.binarise(sideways)));
  PreparedPage p = prep.prepare(sideways);
  EXPECT_TRUE(p.rotation == 90 || p.rotation == 270) << p.rotation;
  // Upright geometry: portrait again, text lines horizontal.
  EXPECT_EQ(p.gray.rows, sideways.cols);
  EXPECT_EQ(p.gray.cols, sideways.rows);
  EXPECT_FALSE(prep.text_runs_vertically(p.binary));
}

TEST(PagePreparer, ScorerDecidesUpsideDown) {
  // With a scorer that prefers the turned crops, the page is turned by 180 degrees.
  PagePreparer prep(kDpi);
  cv::Mat page = TextPage();
  int calls = 0;
  bool flip = true;
  auto scorer = [&](const cv::Mat&) {
    ++calls;
    flip = !flip;
    return flip ? 1.0 : 0.0;  // upright crop first (0), turned crop second (1)
  };
  PreparedPage p = prep.prepare(page, scorer);
  EXPECT_GT(calls, 0);
  EXPECT_EQ(p.rotation, 180);
  // A scorer without a preference leaves the page alone.
  PreparedPage q = prep.prepare(page, [](const cv::Mat&) { return 0.5; });
  EXPECT_EQ(q.rotation, 0);
}

// The reads stop once those left cannot change the verdict: an upright page's lines reading 0.9
// and turned 0.4 are decided after two samples read both ways (4 reads, not 6); a page whose
// samples read alike either way needs them all; the verdicts are those of reading all.
TEST(PagePreparer, OrientationReadsStopWhenTheRestCannotChangeTheVerdict) {
  PagePreparer prep(kDpi);
  const cv::Mat page = TextPage();
  int calls = 0;
  auto clear = [&](const cv::Mat&) { return ++calls % 2 == 1 ? 0.9 : 0.4; };
  EXPECT_EQ(prep.prepare(page, clear).rotation, 0);
  EXPECT_EQ(calls, 4);
  calls = 0;
  auto alike = [&](const cv::Mat&) { return ++calls % 2 == 1 ? 0.6 : 0.55; };
  EXPECT_EQ(prep.prepare(page, alike).rotation, 0);
  EXPECT_EQ(calls, 6);
  // Turned lines reading clearly better still turn the page, decided early too.
  calls = 0;
  auto upside_down = [&](const cv::Mat&) { return ++calls % 2 == 1 ? 0.1 : 0.95; };
  EXPECT_EQ(prep.prepare(page, upside_down).rotation, 180);
  EXPECT_LT(calls, 6);
}

// Geometry can take a page with little text among specks for a page on its side (f24-finance-dept-
// mod's two-row tail on a landscape page was turned 90 degrees and lost). The scorer has the last
// word: a page whose own lines read clearly better as they stand is kept. The stub scorer reads
// crops of one image well (by their memory, so it knows which image a crop came from).
TEST(PagePreparer, ASidewaysVerdictIsCheckedByReading) {
  PagePreparer prep(kDpi);
  // Two upright text lines among columns of specks, which smear into vertical runs.
  cv::Mat sideways(1800, 2400, CV_8U, cv::Scalar(255));
  for (int line = 0; line < 2; ++line)
    cv::putText(sideways, "ABCDEFGH 2024 IJKLMN", {150, 250 + line * 100}, cv::FONT_HERSHEY_SIMPLEX,
                1.6, 0, 3);
  for (int x = 300; x < 2300; x += 60)
    for (int y = 500; y < 1700; y += 20)
      cv::rectangle(sideways, cv::Rect(x, y, 6, 6), cv::Scalar(0), cv::FILLED);
  ASSERT_TRUE(prep.text_runs_vertically(prep.binarise(sideways)));
  auto reads_well = [](const cv::Mat& source) {
    return [source](const cv::Mat& crop) { return crop.datastart == source.datastart ? 0.9 : 0.2; };
  };
  const cv::Mat turned = RotateQuarterTurns(sideways, 90);
  EXPECT_TRUE(
      prep.ReadsBetterAsItStands(sideways, prep.binarise(sideways), turned, reads_well(sideways)));
  EXPECT_FALSE(
      prep.ReadsBetterAsItStands(sideways, prep.binarise(sideways), turned, reads_well(turned)));
  // In prepare(): the page's own crops read well, so it is not turned.
  PreparedPage kept = prep.prepare(sideways, reads_well(sideways));
  EXPECT_EQ(kept.rotation, 0);
  EXPECT_EQ(kept.gray.size(), sideways.size());
  // A scorer without a preference leaves geometry's verdict standing.
  PreparedPage turned_page = prep.prepare(sideways, [](const cv::Mat&) { return 0.5; });
  EXPECT_TRUE(turned_page.rotation == 90 || turned_page.rotation == 270) << turned_page.rotation;
}

TEST(RotateQuarterTurns, DimensionsAndPixels) {
  cv::Mat img(50, 100, CV_8U, cv::Scalar(0));  // 100 wide, 50 high
  img.at<uchar>(0, 0) = 255;                   // top-left corner marked
  cv::Mat r90 = RotateQuarterTurns(img, 90);
  EXPECT_EQ(r90.cols, 50);
  EXPECT_EQ(r90.rows, 100);
  EXPECT_EQ(r90.at<uchar>(0, r90.cols - 1), 255);  // clockwise: top-left -> top-right
  cv::Mat r180 = RotateQuarterTurns(img, 180);
  EXPECT_EQ(r180.size(), img.size());
  EXPECT_EQ(r180.at<uchar>(r180.rows - 1, r180.cols - 1), 255);
  cv::Mat r270 = RotateQuarterTurns(img, 270);
  EXPECT_EQ(r270.cols, 50);
  EXPECT_EQ(r270.rows, 100);
  EXPECT_EQ(r270.at<uchar>(r270.rows - 1, 0), 255);  // top-left -> bottom-left
  // Negative and full turns are normalised; 0 returns a copy, not a view.
  EXPECT_EQ(cv::norm(RotateQuarterTurns(img, -90), r270, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(RotateQuarterTurns(img, 450), r90, cv::NORM_INF), 0.0);
  cv::Mat same = RotateQuarterTurns(img, 360);
  EXPECT_EQ(same.size(), img.size());
  EXPECT_NE(same.data, img.data);
}

}  // namespace
}  // namespace juesuan
