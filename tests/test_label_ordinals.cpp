// Ordinal prefixes of row labels: the readings below are what Tesseract made of real-budget
// scans (b25-govoffice-dept, b26-justice-dept, f24-socialwork-dept, b25-wanli-dept), placed in
// columns with the neighbours those pages print.
#include <gtest/gtest.h>

#include "model_fixtures.h"
#include "stages/common/label_ordinals.h"
#include "stages/repair/repairer.h"

namespace juesuan {
namespace {

std::vector<LabelReading> Column(const std::vector<std::string>& texts) {
  std::vector<LabelReading> out;
  for (const auto& t : texts) out.push_back({t, t});
  return out;
}

TEST(ChineseNumbers, ParseAndPrintOneToNinetyNine) {
  EXPECT_EQ(ParseChineseNumber(U"一"), 1);
  EXPECT_EQ(ParseChineseNumber(U"十"), 10);
  EXPECT_EQ(ParseChineseNumber(U"十六"), 16);
  EXPECT_EQ(ParseChineseNumber(U"二十"), 20);
  EXPECT_EQ(ParseChineseNumber(U"二十二"), 22);
  EXPECT_EQ(ParseChineseNumber(U"九十九"), 99);
  EXPECT_FALSE(ParseChineseNumber(U"十十"));
  EXPECT_FALSE(ParseChineseNumber(U"二二"));
  EXPECT_FALSE(ParseChineseNumber(U"一十"));
  EXPECT_FALSE(ParseChineseNumber(U""));
  for (int n = 1; n <= 99; ++n) EXPECT_EQ(ParseChineseNumber(ChineseNumber(n)), n) << n;
  EXPECT_EQ(ChineseNumber(22), U"二十二");
  EXPECT_EQ(ChineseNumber(0), U"");
}

TEST(RepairOrdinals, ChineseOrdinalTakesItsPrintedSeparator) {
  const auto fixes = RepairOrdinals(Column(
      {"四、卫生健康支出", "五.教育支出", "二十二,灾害防治及应急管理支出", "三*国有资本经营预算"}));
  ASSERT_EQ(fixes.size(), 3u);
  EXPECT_EQ(fixes[0].index, 1u);
  EXPECT_EQ(fixes[0].text, "五、教育支出");
  EXPECT_EQ(fixes[1].text, "二十二、灾害防治及应急管理支出");
  EXPECT_EQ(fixes[2].text, "三、国有资本经营预算");
  EXPECT_GE(fixes[2].confidence, 0.8);
}

TEST(RepairOrdinals, LostNumeralComesFromTheSequence) {
  // raw " 、其他收入": the normaliser dropped the lone 、, the raw reading still shows it.
  std::vector<LabelReading> col =
      Column({"一、财政拨款收入", "二、事业收入", "三、事业单位经营收入"});
  col.push_back({"其他收入", " 、其他收入"});
  col.push_back({"五、上级补助收入", "五、上级补助收入"});
  const auto fixes = RepairOrdinals(col);
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0].index, 3u);
  EXPECT_EQ(fixes[0].text, "四、其他收入");
  EXPECT_GE(fixes[0].confidence, 0.8);  // both neighbours agree
}

TEST(RepairOrdinals, MisreadNumeralWithOneNeighbourIsAnUnsureRepair) {
  const auto fixes =
      RepairOrdinals(Column({"一、一般公共服务支出", "二、公共安全支出", "=、卫生健康支出"}));
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0].text, "三、卫生健康支出");
  EXPECT_LT(fixes[0].confidence, 0.8);  // the sequence could have ended or restarted
}

TEST(RepairOrdinals, LostNumeralWithoutNeighboursIsFlaggedNotGuessed) {
  std::vector<LabelReading> col = {{"其他收入", "、其他收入"}};
  const auto fixes = RepairOrdinals(col);
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0].text, "");
  EXPECT_NE(fixes[0].reason.find("no neighbouring ordinal"), std::string::npos);
}

TEST(RepairOrdinals, ArabicSeparatorFollowsTheColumnOrIsFlagged) {
  // The column prints "1." cleanly once: the others follow it.
  auto fixes = RepairOrdinals(Column({"1.一般公共预算资金", "2政府性基金", "3，国有资本经营预算"}));
  ASSERT_EQ(fixes.size(), 2u);
  EXPECT_EQ(fixes[0].text, "2.政府性基金");
  EXPECT_EQ(fixes[1].text, "3.国有资本经营预算");
  // No clean reading to follow ("." and "、" are both printed in these documents): flagged.
  fixes = RepairOrdinals(Column({"1，一般公共预算资金", "2政府性基金", "3，国有资本经营预算"}));
  ASSERT_EQ(fixes.size(), 3u);
  for (const auto& f : fixes) EXPECT_EQ(f.text, "");
  // A stray mark after a clean separator goes.
  fixes = RepairOrdinals(Column({"1、一般公共预算", "2、.政府性基金"}));
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0].text, "2、政府性基金");
}

TEST(RepairOrdinals, WhatIsNoOrdinalIsLeftAlone) {
  EXPECT_TRUE(RepairOrdinals(Column({"一般公共预算", "15个居民区全覆盖", "90%", "2010301",
                                     "（一）行政单位", "“三公”经费", "1.5", "合计", ""}))
                  .empty());
  // Printed forms are kept as they are.
  EXPECT_TRUE(RepairOrdinals(
                  Column({"一、一般公共服务支出", "二、外交支出", "1. 主要负责人用车", "2、其他"}))
                  .empty());
}

TEST(RepairOrdinals, OutOfSequenceNumeralIsFlagged) {
  // 二 read as 三 between 一 and 三: both neighbours say 二.
  auto fixes = RepairOrdinals(Column({"一、财政拨款收入", "三、事业收入", "三、经营收入"}));
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0].index, 1u);
  EXPECT_EQ(fixes[0].text, "");
  EXPECT_NE(fixes[0].reason.find("out of sequence"), std::string::npos);
  // A sequence that restarts (two sections in one column) is no evidence of a misread.
  EXPECT_TRUE(RepairOrdinals(Column({"一、收入", "二、支出", "一、结转", "二、结余"})).empty());
}

TEST(RepairOrdinals, TheRepairerAppliesThemAndKeepsTheRawText) {
  Table t;
  t.n_rows = 5;
  t.n_cols = 2;
  t.header_rows = 1;
  auto cell = [&](int r, int c, const std::string& text, const std::string& raw, bool exact) {
    Cell x;
    x.r = r;
    x.c = c;
    x.text = text;
    x.raw = raw;
    x.conf = exact ? 1.f : 0.93f;
    x.exact = exact;
    t.cells.push_back(x);
  };
  cell(0, 0, "项目", "项目", false);
  cell(0, 1, "金额", "金额", false);
  cell(1, 0, "一、财政拨款收入", "一、财政拨款收入", false);
  cell(2, 0, "其他收入", " 、其他收入", false);
  cell(3, 0, "三、事业收入", "三、事业收入", false);
  cell(4, 0, "五.教育支出", "五.教育支出", true);  // text layer: never rewritten
  for (int r = 1; r < 5; ++r) cell(r, 1, "1.00", "1.00", false);
  std::vector<std::string> warnings;
  const auto repairs =
      Repairer(testing::Dictionary(), testing::Catalogue()).repair(t, 0, &warnings);
  const Cell& lost = t.cells[3];
  EXPECT_EQ(lost.text, "二、其他收入");
  EXPECT_EQ(lost.raw, " 、其他收入");
  const auto it = std::find_if(repairs.begin(), repairs.end(),
                               [](const Repair& r) { return r.field == "label"; });
  ASSERT_NE(it, repairs.end());
  EXPECT_EQ(it->before, "其他收入");
  EXPECT_EQ(it->after, "二、其他收入");
  EXPECT_EQ(t.cells[5].text, "五.教育支出");
}

}  // namespace
}  // namespace juesuan
