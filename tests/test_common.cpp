// stages/common: the one amount parser and the predicates over it, the one text normaliser, the
// edit distances, and code-column detection shared by records, repairs and checks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model_fixtures.h"
#include "quality_fixtures.h"
#include "stages/common/amount.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"
#include "stages/common/text_normalise.h"
#include "stages/records/records.h"

namespace juesuan {
namespace {

// ---- The amount parser and its predicates ----

TEST(ParseAmount, IsTheOneRuleForANumber) {
  EXPECT_EQ(ParseAmount("1,285.83").cents, 128583);
  EXPECT_EQ(ParseAmount("164,978").cents, 16497800);
  EXPECT_EQ(ParseAmount("+1.00").cents, 100);
  EXPECT_EQ(ParseAmount("1 234.00").cents, 123400);  // spaces are ignored
  EXPECT_TRUE(ParseAmount("2024").is_number());      // a bare integer is a number
  // Not numbers: misplaced or mixed separators, three decimals, more than 15 digits.
  for (const char* s : {"1,2,3", "12,34", "1234,567.00", "1.234", "12.345", "1.", ".5",
                        "1234567890123456.00", "(12)", "12%", "1.2.3"})
    EXPECT_EQ(ParseAmount(s).kind, Amount::Kind::kInvalid) << s;
  EXPECT_EQ(ParseAmount("——").kind, Amount::Kind::kDash);
  EXPECT_EQ(ParseAmount("").kind, Amount::Kind::kBlank);
}

TEST(IsAmount, IsANumberWithADecimalPointOrThousandsSeparators) {
  for (const char* s : {"1,285.83", "556.56", "0.00", "-12.50", "12,345", "1285.83", "+1.00"})
    EXPECT_TRUE(IsAmount(s)) << s;
  // A bare integer is a number but no amount here: a code, a year or a column number.
  for (const char* s : {"1285", "12", "1,28.5", "12,34", "——", "合计", ""})
    EXPECT_FALSE(IsAmount(s)) << s;
}

// Where IsAmount says yes and ParseAmount no: grouped by three with damaged separators, three
// or more decimals, more than 15 digits. b23-wanli-dept's scan reads "4563,800.00" in the first
// data row of its table 11; the header ends there (the repair then regroups it).
TEST(IsAmount, DamagedGroupingStillMarksADataRow) {
  for (const char* s : {"4563,800.00", "1234,567.00", "1.234", "0.000", "1234567890123456.00"}) {
    EXPECT_TRUE(IsAmount(s)) << s;
    EXPECT_FALSE(ParseAmount(s).is_number()) << s;
  }
}

TEST(LooksNumeric, EveryNumberAndTheDamagedShapesOcrReads) {
  for (const char* s : {"1,285.83", "0.00", "-12.5", "2010350", "+1.00"})
    EXPECT_TRUE(LooksNumeric(s)) << s;
  // Wider than ParseAmount: damaged amounts for the repair stage to regroup or reject.
  for (const char* s : {"12%", "1,2,3", "1.2.3", "1 2,3", "(12)", "12.345"}) {
    EXPECT_TRUE(LooksNumeric(s)) << s;
    EXPECT_FALSE(ParseAmount(s).is_number()) << s;
  }
  for (const char* s : {"一般", "合计1,285.83", "——", "", "abc"})
    EXPECT_FALSE(LooksNumeric(s)) << s;
}

// Narrower than ParseAmount, which ignores every space: a sign or a space before the digits is
// no numeric reading (b25-wanli-dept's scan: the digit model read "+ 4,333, 478", the text
// model's "4 333,478" is kept).
TEST(LooksNumeric, ASignOrSpaceBeforeTheDigitsIsNoNumericReading) {
  for (const char* s : {"+ 4,333, 478", " 12", "- 3.20", "12\u3000"}) {
    EXPECT_FALSE(LooksNumeric(s)) << s;
    EXPECT_TRUE(ParseAmount(s).is_number()) << s;
  }
}

// Without spaces the rules nest: every IsAmount and every number is a numeric reading.
TEST(AmountRules, WithoutSpacesEveryNumberIsANumericReading) {
  const std::string alphabet = "01,.-+";
  std::vector<std::string> inputs = {""};
  for (int len = 0; len < 6; ++len)
    for (size_t i = 0, n = inputs.size(); i < n; ++i)
      for (char c : alphabet) inputs.push_back(inputs[i] + c);
  for (const auto& s : inputs) {
    if (ParseAmount(s).is_number()) {
      EXPECT_TRUE(LooksNumeric(s)) << s;
    }
    if (IsAmount(s)) {
      EXPECT_TRUE(LooksNumeric(s)) << s;
    }
  }
}

// ---- The text normaliser ----

TEST(RemoveSpacesNearHan, DropsSpacesBetweenHanCharacters) {
  EXPECT_EQ(RemoveSpacesNearHan("一般 公共 服务"), "一般公共服务");
  EXPECT_EQ(RemoveSpacesNearHan("事业\n运行"), "事业运行");  // wrapped cell
  EXPECT_EQ(RemoveSpacesNearHan("合计  1,285.83"), "合计1,285.83");
  EXPECT_EQ(RemoveSpacesNearHan("因公出国 (境) 费"), "因公出国(境)费");
  EXPECT_EQ(RemoveSpacesNearHan("事业\u3000运行"), "事业运行");  // ideographic space
}

TEST(RemoveSpacesNearHan, KeepsSpacesBetweenLatinWords) {
  EXPECT_EQ(RemoveSpacesNearHan("Hello world"), "Hello world");
  EXPECT_EQ(RemoveSpacesNearHan("Hello   world"), "Hello world");  // runs collapse to one
  EXPECT_EQ(RemoveSpacesNearHan("  trimmed "), "trimmed");
  EXPECT_EQ(RemoveSpacesNearHan(""), "");
}

TEST(NormaliseReading, ABracketPairReadInTwoWidthsIsFullWidth) {
  EXPECT_EQ(NormaliseReading("因公出国（境)费用"), "因公出国（境）费用");
  EXPECT_EQ(NormaliseReading("因公出国(境）费用"), "因公出国（境）费用");
  EXPECT_EQ(NormaliseReading("因公出国(境)费用"), "因公出国(境)费用");  // one width: as read
  EXPECT_EQ(NormaliseReading("维修（护）费"), "维修（护）费");
  EXPECT_EQ(NormaliseReading("（一"), "（一");  // unclosed: as read
  // Nested pairs are matched by nesting, so a second pass changes nothing (fuzz_utf8 checks it).
  EXPECT_EQ(NormaliseReading("(（)"), "(（）");
  EXPECT_EQ(NormaliseReading(NormaliseReading("(（)")), "(（）");
  // fuzz_utf8 found (testdata/fuzz-seeds/utf8/utf8-normalise-bracket-pair-idempotence): a ) made
  // full-width is next to Han for the space rule, so spaces are removed after the brackets.
  const std::string found(
      "\xe4\x3e\xe3\x80\x88\xe4\x3e\xe3\x80\x88\xe4\x29\x0a\xe4\x29\xb8\x2e"
      "\x80\xe3\x80",
      20);
  EXPECT_EQ(NormaliseReading(NormaliseReading(found)), NormaliseReading(found));
  EXPECT_EQ(NormaliseReading("（境) 费"), "（境）费");
}

TEST(NormaliseReading, BookTitleMarkClosedByARoundBracketIsABracket) {
  EXPECT_EQ(NormaliseReading("政府办公厅《室) 及相关机构事务"), "政府办公厅（室）及相关机构事务");
  EXPECT_EQ(NormaliseReading("〈境〉"), "（境）");
  EXPECT_EQ(NormaliseReading("《预算法》"), "《预算法》");  // a real book title stays
  EXPECT_EQ(NormaliseReading("《预算法"), "《预算法");
}

TEST(StripStrayMarks, KeepsTheNumberOrTheText) {
  EXPECT_EQ(StripStrayMarks("。556.56"), "556.56");
  EXPECT_EQ(StripStrayMarks("事业运行."), "事业运行");
  EXPECT_EQ(StripStrayMarks("“43.86"), "43.86");
  EXPECT_EQ(StripStrayMarks("事业运行"), "事业运行");
  EXPECT_EQ(StripStrayMarks("因公出国(境)费"), "因公出国(境)费");
  // Slashes at the ends are specks or rule remnants (real-budget scans), but "/" alone prints
  // "not applicable" and a slash inside a number is no speck.
  EXPECT_EQ(StripStrayMarks("收入总计/"), "收入总计");
  EXPECT_EQ(StripStrayMarks("\\项目"), "项目");
  EXPECT_EQ(StripStrayMarks("/ 0"), "0");
  EXPECT_EQ(StripStrayMarks("/"), "/");
  EXPECT_EQ(StripStrayMarks("1/2"), "1/2");
  EXPECT_EQ(StripStrayMarks("公务用车购置费-"), "公务用车购置费");
  EXPECT_EQ(StripStrayMarks("——"), "——");
  EXPECT_EQ(StripStrayMarks("-"), "-");
}

TEST(StripSpaces, RemovesEveryKindOfSpace) {
  EXPECT_EQ(StripSpaces(" 单 位：\t万元\u3000\u00A0\r\n"), "单位：万元");
  EXPECT_EQ(U32Length("单位1"), 3u);
}

TEST(IsCjkWide, HanAndFullWidthFormsButNotAscii) {
  EXPECT_TRUE(IsCjkWide(U'支'));
  EXPECT_TRUE(IsCjkWide(U'（'));
  EXPECT_TRUE(IsCjkWide(U'、'));
  EXPECT_FALSE(IsCjkWide(U'a'));
  EXPECT_FALSE(IsCjkWide(U'('));
  EXPECT_FALSE(IsHanIdeograph(U'（'));  // the Han test itself is narrower
}

// The two distances answer different questions: a shape-similar misreading is near for
// ConfusionDistance but a whole edit for TextSimilarity.
TEST(EditDistances, ConfusionWeighsGlyphsTextSimilarityCountsEdits) {
  EXPECT_NEAR(ConfusionDistance("支山", "支出"), 0.3, 1e-9);
  EXPECT_DOUBLE_EQ(TextSimilarity("支山", "支出"), 0.5);
  EXPECT_NEAR(FuzzySubstringDistance("支出", "一般公共预算支山合计"), 0.3, 1e-9);
  EXPECT_TRUE(FuzzyContains("一般公共预算支山合计", "支出"));
}

// ---- Code columns: one answer for records, repairs and checks ----

// An ideographic space after a code (a text layer that pads the code cell): the code column is
// found, and the records are keyed by that same code.
TEST(CodeColumns, AnIdeographicSpaceAfterACodeIsStillACodeForTheRecords) {
  const Table t = testing::MakeTable("", "支出表",
                                     {{"科目编码", "科目名称", "金额"},
                                      {"201\u3000", "一般公共服务支出", "12.00"},
                                      {"20101\u3000", "人大事务", "12.00"}},
                                     1);
  ASSERT_EQ(CodeColumns(t), std::vector<int>{0});
  const std::vector<CodeColumn> groups = FindCodeColumns(t);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(RowCode(t, 1, groups[0]), "201");
  const std::vector<Record> records = BuildRecords(t, testing::Catalogue());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].key, "code");
  EXPECT_EQ(records[0].code, "201");
  EXPECT_EQ(records[0].role, "subtotal");  // 20101 is its child
  EXPECT_EQ(records[1].code, "20101");
  EXPECT_EQ(records[1].name, "人大事务");
  ASSERT_EQ(records[1].values.size(), 1u);
  EXPECT_EQ(records[1].values[0].text, "12.00");
}

}  // namespace
}  // namespace juesuan
