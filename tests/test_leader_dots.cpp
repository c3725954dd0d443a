// Dot leaders of 目录 lines (stages/read/leader_dots.h): found on synthetic lines, and a real
// scanned contents page read without them.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <string>

#include "pipeline/extractor.h"
#include "stages/read/leader_dots.h"
#include "test_support.h"

namespace juesuan {
namespace {

// A 200-dpi line 40 px high: `glyphs` character-sized blocks from x 10, then `dots` 3-px dots
// on the baseline every 10 px, then a page number's block.
cv::Mat Line(int glyphs, int dots) {
  cv::Mat line(40, 40 + glyphs * 30 + dots * 10 + 40, CV_8U, cv::Scalar(255));
  int x = 10;
  for (int g = 0; g < glyphs; ++g, x += 30) cv::rectangle(line, {x, 8, 24, 24}, 0, cv::FILLED);
  x += 6;
  for (int d = 0; d < dots; ++d, x += 10) cv::rectangle(line, {x, 28, 3, 3}, 0, cv::FILLED);
  cv::rectangle(line, {x + 8, 10, 12, 22}, 0, cv::FILLED);
  return line;
}

TEST(LeaderDots, ARunOfDotsOnTheBaselineIsFound) {
  const auto run = LeaderDots(Line(6, 20), 200);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->start, 10 + 6 * 30 + 6);
  EXPECT_EQ(run->end, 10 + 6 * 30 + 6 + 19 * 10 + 3);
}

TEST(LeaderDots, AnEllipsisOrPlainTextIsNoLeader) {
  EXPECT_FALSE(LeaderDots(Line(6, 0), 200).has_value());
  EXPECT_FALSE(LeaderDots(Line(6, 3), 200).has_value());  // "…": three dots
  EXPECT_FALSE(LeaderDots(Line(6, 7), 200).has_value());  // fewer than eight
  // Dots high in the line (a row of degree signs, say) are no leaders.
  cv::Mat high = Line(6, 0);
  for (int d = 0; d < 12; ++d) cv::rectangle(high, {200 + 10 * d, 4, 3, 3}, 0, cv::FILLED);
  EXPECT_FALSE(LeaderDots(high, 200).has_value());
}

TEST(LeaderDots, AScannedContentsPageIsReadWithoutItsDots) {
  // b25-finance-dept's 目录 (office scan, 200 dpi, landscape, no page numbers): the line finder
  // boxes most leaders apart from their entries. Read as text, a box of dots came out as a line
  // of garbage ("wwee…", "本全二:最县…") and cost more than the entries; now a box of dots alone
  // reads as nothing and a leader inside an entry's box as "……".
  ExtractOptions o;
  o.threads = 1;
  const Document doc = Extractor(o).extract(testing::TestData("scan_contents_page.pdf"));
  ASSERT_EQ(doc.page_results.size(), 1u);
  int tables = 0, sections = 0;
  for (const auto& line : doc.page_results[0].lines) {
    tables += line.text.find("2025年部门") != std::string::npos;
    sections += line.text.find("情况说明") != std::string::npos;
    // 1,200 px at 200 dpi is 41 ems: no entry is that long; only its leaders are.
    if (line.bbox.w > 1200) {
      EXPECT_NE(line.text.find("……"), std::string::npos) << line.text;
    }
  }
  EXPECT_EQ(tables, 9);  // 1. 2025年部门财务收支预算总表 … 9. 2025年部门“三公”经费…
  EXPECT_EQ(sections, 2);
}

}  // namespace
}  // namespace juesuan
