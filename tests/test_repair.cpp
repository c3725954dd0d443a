// The repair stage: amounts, codes, names, headers/labels, and a table with planted misreads.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/document_stages.h"
#include "quality_fixtures.h"
#include "stages/check/flags.h"
#include "stages/common/amount.h"
#include "stages/common/text_match.h"
#include "stages/emit/json_output.h"
#include "stages/repair/repairer.h"

namespace juesuan {
namespace {

const CodeDictionary& Dict() { return testing::Dictionary(); }

std::string Norm(const std::string& s) {
  std::string why;
  auto n = NormalizeAmountText(s, &why);
  return n ? *n : "<none>";
}

TEST(Amount, ParsesExactDecimalsAndKeepsBlankZeroDashDistinct) {
  EXPECT_EQ(ParseAmount("1,285.83").cents, 128583);
  EXPECT_EQ(ParseAmount("7.4").cents, 740);
  EXPECT_EQ(ParseAmount("8").cents, 800);
  EXPECT_EQ(ParseAmount("-3.20").cents, -320);
  EXPECT_EQ(ParseAmount("").kind, Amount::Kind::kBlank);
  EXPECT_EQ(ParseAmount("0").kind, Amount::Kind::kNumber);
  EXPECT_EQ(ParseAmount("0").decimals, 0);
  EXPECT_EQ(ParseAmount("0.00").decimals, 2);
  EXPECT_EQ(ParseAmount("—").kind, Amount::Kind::kDash);
  EXPECT_EQ(ParseAmount("——").kind, Amount::Kind::kDash);
  EXPECT_EQ(ParseAmount("12.345").kind, Amount::Kind::kInvalid);  // not a 2-decimal amount
  EXPECT_EQ(ParseAmount("1,28.5").kind, Amount::Kind::kInvalid);  // bad grouping
  EXPECT_EQ(ParseAmount("abc").kind, Amount::Kind::kInvalid);
  // No binary floating point: 0.1 + 0.2 is exactly 0.3.
  EXPECT_EQ(ParseAmount("0.1").cents + ParseAmount("0.2").cents, ParseAmount("0.3").cents);
  EXPECT_EQ(FormatCents(128583), "1,285.83");
  EXPECT_EQ(FormatCents(-5, false), "-0.05");
}

TEST(Amount, TwoFusedAmountsAreNotOneNumber) {
  EXPECT_EQ(Norm("0.00                                0.00"), "<none>");
  EXPECT_EQ(Norm("861.56 1,285.83"), "<none>");
  EXPECT_EQ(Norm("1 285.83"), "1285.83");  // a space inside one number is still repaired
}

TEST(Amount, NormalisesOcrNoise) {
  EXPECT_EQ(Norm("８６１．５６"), "861.56");  // full-width digits and stop
  EXPECT_EQ(Norm("86l.56"), "861.56");        // l -> 1
  EXPECT_EQ(Norm("1O5.OO"), "105.00");        // O -> 0
  EXPECT_EQ(Norm("1.285.83"), "1,285.83");    // full stop for the thousands comma
  EXPECT_EQ(Norm("1,285,83"), "1,285.83");    // comma for the decimal point
  EXPECT_EQ(Norm("285,83"), "285.83");
  EXPECT_EQ(Norm("0:00"), "0.00");         // colon for the decimal point (seen in scan_tables.pdf)
  EXPECT_EQ(Norm("1 285.83"), "1285.83");  // space inside the number
  EXPECT_EQ(Norm("。556.56"), "556.56");   // stray mark
  EXPECT_EQ(Norm("556.56'"), "556.56");
  // A bar and noise after a space are marks, not digits (b25-wanli-dept's scan: "0 | WA" was
  // read as 01): only the pieces up to the last one with a digit are the number.
  EXPECT_EQ(Norm("0 | WA"), "0");
  EXPECT_EQ(Norm("1,285.83 l"), "1,285.83");
  EXPECT_EQ(Norm("l 285.83"), "1285.83");   // before the digits a look-alike still counts
  EXPECT_EQ(Norm("——"), "——");              // dashes stay dashes
  EXPECT_EQ(Norm("一"), "—");               // 一 alone in an amount cell is a dash
  EXPECT_EQ(Norm("1,285.83"), "1,285.83");  // clean input unchanged
  EXPECT_EQ(Norm("0.00"), "0.00");
  // Failing inputs: not amounts.
  EXPECT_EQ(Norm("事业运行"), "<none>");
  EXPECT_EQ(Norm("12.345"), "<none>");
  EXPECT_EQ(Norm("5万6"), "<none>");
}

TEST(TextMatch, ConfusionAwareDistance) {
  EXPECT_DOUBLE_EQ(ConfusionDistance("支出", "支出"), 0.0);
  EXPECT_NEAR(ConfusionDistance("支山", "支出"), 0.3, 1e-9);   // 出/山
  EXPECT_NEAR(ConfusionDistance("古山", "支出"), 0.6, 1e-9);   // 支/古 + 出/山
  EXPECT_NEAR(ConfusionDistance("支 出", "支出"), 0.1, 1e-9);  // stray space
  EXPECT_NEAR(ConfusionDistance("已", "己"), 0.3, 1e-9);
  EXPECT_NEAR(ConfusionDistance("(室)", "（室）"), 0.1, 1e-9);  // width variants
  EXPECT_DOUBLE_EQ(ConfusionDistance("收入", "支出"), 2.0);     // unrelated glyphs cost 1 each
  EXPECT_TRUE(
      FuzzyContains("2024年一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表"));
}

TEST(Repairer, CodeFromNameAndNeighbours) {
  Repairer rep(Dict(), testing::Catalogue());
  // 20921 in an economic block between 30919 and 30922, printed name 文物和陈列品购置.
  auto fix = rep.RepairCode("20921", "文物和陈列品购置", "30919", "30922", true);
  ASSERT_TRUE(fix);
  EXPECT_EQ(fix->code, "30921");
  EXPECT_GE(fix->confidence, 0.9);
  // Same misread without a legible name: the neighbours alone prove it (one confusable digit).
  fix = rep.RepairCode("20921", "", "30919", "30922", true);
  ASSERT_TRUE(fix);
  EXPECT_EQ(fix->code, "30921");
  EXPECT_LT(fix->confidence, 0.9);
  // A function code misread 2010550 for 事业运行 under 20103.
  fix = rep.RepairCode("2010550", "事业运行", "20103", "2010399", false);
  ASSERT_TRUE(fix);
  EXPECT_EQ(fix->code, "2010350");
}

TEST(Repairer, CodeLeftAloneWhenRightOrUnproven) {
  Repairer rep(Dict(), testing::Catalogue());
  EXPECT_FALSE(rep.RepairCode("30921", "文物和陈列品购置", "30919", "30922", true));  // correct
  EXPECT_FALSE(rep.RepairCode("2010350", "事业运行", "20103", "2010399", false));     // correct
  EXPECT_FALSE(rep.RepairCode("98765", "", "", "", true));                            // no evidence
  EXPECT_FALSE(rep.RepairCode("20921", "", "", "", true));  // no neighbours, no name
  // A name that matches nothing near: no change.
  EXPECT_FALSE(rep.RepairCode("20921", "某某不存在的科目", "30919", "30922", true));
  EXPECT_EQ(Repairer::CleanCode("2O1 03"), "20103");
  EXPECT_EQ(Repairer::CleanCode("２０１"), "201");
  EXPECT_FALSE(Repairer::CleanCode("合计"));
}

TEST(Repairer, NameAgainstDictionaryWithinTheCodeContext) {
  Repairer rep(Dict(), testing::Catalogue());
  double d = 0;
  bool far = false;
  auto n = rep.RepairName("21219", "国有土地使用权出让收入对应专项债务收入安排的支 山", &d, &far);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, "国有土地使用权出让收入对应专项债务收入安排的支出");
  n = rep.RepairName("2121999", "其他国有土地使用权出让收入对应专项债务收入安排 的古山", &d, &far);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, "其他国有土地使用权出让收入对应专项债务收入安排的支出");
  EXPECT_FALSE(rep.RepairName("2010350", "事业运行"));                    // already right
  EXPECT_FALSE(rep.RepairName("20103", "政府办公厅(室)及相关机构事务"));  // width variant only
  // Far from the dictionary name: kept, flagged.
  EXPECT_FALSE(rep.RepairName("31101", "资本金注入（基本建设）", &d, &far));
  EXPECT_TRUE(far);
  // 行政运行 is right under 20103 but is not the name of 2080505: no "repair" into it.
  EXPECT_FALSE(rep.RepairName("2080505", "行政运行", &d, &far));
  EXPECT_TRUE(far);
}

TEST(Repairer, HeadersAndLabelsAgainstTheCatalogue) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::Table02();
  testing::CellRC(t, 0, 2)->text = testing::CellRC(t, 0, 2)->raw = "本年收人合计";  // 入 -> 人
  testing::CellRC(t, 0, 8)->text = "其他收入";
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "income_by_function");
  auto repairs = rep.repair(t, 1);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].field, "header");
  EXPECT_EQ(repairs[0].after, "本年收入合计");
  EXPECT_EQ(testing::CellRC(t, 0, 2)->raw, "本年收人合计");

  Table s = testing::MakeTable(
      "01", "收入支出决算总表",
      {{"项目", "行次", "金额", "项目", "行次", "金额"},
       {"一、一般公共预算财政拨款收人", "1", "1.00", "一、一般公共服务支山", "31", "1.00"},
       {"本年收入合计", "27", "1.00", "本年支出合计", "57", "1.00"}},
      1);
  s.kind = ClassifyTable(s, testing::Catalogue());
  repairs = rep.repair(s, 0);
  ASSERT_EQ(repairs.size(), 2u);
  EXPECT_EQ(testing::CellRC(s, 1, 0)->text, "一、一般公共预算财政拨款收入");
  EXPECT_EQ(testing::CellRC(s, 1, 3)->text, "一、一般公共服务支出");
}

// Plants misreads into a correct 02 table and an 06 block, runs the full stage, and checks that
// each one is repaired and logged, nothing else changes, and every check passes afterwards.
TEST(Repairer, PlantedMisreadsAreRepairedAndLogged) {
  Document doc;
  doc.tables.push_back(testing::Table02());
  doc.tables.push_back(testing::Table06Block());
  const Document clean = doc;
  Table& t = doc.tables[0];
  struct Plant {
    int table, r, c;
    std::string misread, field;
  };
  std::vector<Plant> plants = {
      {0, 17, 1, "国有土地使用权出让收入对应专项债务收入安排的支 山", "name"},
      {0, 18, 1, "其他国有土地使用权出让收入对应专项债务收入安排 的古山", "name"},
      {0, 1, 2, "1.285.83", "amount"},   // full stop for the thousands comma
      {0, 2, 3, "86l.56", "amount"},     // l for 1
      {0, 6, 4, "0. 00", "amount"},      // space inside
      {0, 9, 2, "５９.５７", "amount"},  // full-width
      {0, 4, 2, "566.56", "amount"},     // 5 -> 6: only the checks can tell (row + column)
      {0, 5, 3, "30500", "amount"},      // lost decimal point (row + column)
      {0, 10, 0, "2O805", "code"},       // O for 0
      {1, 4, 0, "20921", "code"},        // 3 -> 2 inside the 309 block
  };
  for (const auto& p : plants) {
    Cell* c = testing::CellRC(doc.tables[p.table], p.r, p.c);
    c->text = c->raw = p.misread;
  }
  BuildColumnsAndRecords(t, testing::Catalogue());
  std::vector<Repair> repairs;
  std::vector<Check> checks;
  RepairAndCheck(doc, Dict(), testing::Catalogue(), &repairs, &checks);
  for (const auto& p : plants) {
    const Cell* fixed = testing::CellRC(doc.tables[p.table], p.r, p.c);
    const Cell* truth = testing::CellRC(const_cast<Document&>(clean).tables[p.table], p.r, p.c);
    EXPECT_EQ(fixed->text, truth->text) << "planted " << p.misread;
    EXPECT_EQ(fixed->raw, p.misread);
    bool logged = false;
    for (const auto& r : repairs)
      if (r.table == p.table && r.r == p.r && r.c == p.c && r.field == p.field &&
          r.after == truth->text)
        logged = true;
    EXPECT_TRUE(logged) << "no repair record for " << p.misread;
  }
  // Nothing else changed.
  for (size_t ti = 0; ti < doc.tables.size(); ++ti)
    for (const auto& cell : doc.tables[ti].cells) {
      bool planted = false;
      for (const auto& p : plants)
        planted = planted || (p.table == static_cast<int>(ti) && p.r == cell.r && p.c == cell.c);
      if (!planted) {
        EXPECT_EQ(cell.text,
                  testing::CellRC(const_cast<Document&>(clean).tables[ti], cell.r, cell.c)->text);
      }
    }
  EXPECT_EQ(repairs.size(), plants.size());
  for (const auto& c : checks) EXPECT_EQ(c.status, "pass") << c.id << " diff " << c.difference;
  EXPECT_EQ(doc.tables[0].kind, "income_by_function");
  // Records are rebuilt from the repaired cells.
  bool found = false;
  for (const auto& rec : doc.tables[0].records)
    if (rec.code == "21219") {
      found = true;
      EXPECT_EQ(rec.name, "国有土地使用权出让收入对应专项债务收入安排的支出");
    }
  EXPECT_TRUE(found);
  auto j = QualityJson(repairs, checks);
  EXPECT_EQ(j["repairs"].size(), plants.size());
  EXPECT_EQ(j["checks_summary"]["fail"], 0);
  EXPECT_EQ(j["checks_summary"]["pass"], checks.size());
}

TEST(Repairer, UnknownCodesAndNamesStayAndWarn) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::Table02();
  testing::CellRC(t, 7, 0)->text = "29876";  // not a code; no one-digit reading fits the name
  testing::CellRC(t, 13, 1)->text = "完全不同的名称文字";  // far from 卫生健康支出
  t.kind = ClassifyTable(t, testing::Catalogue());
  std::vector<std::string> warnings;
  auto repairs = rep.repair(t, 0, &warnings);
  EXPECT_TRUE(repairs.empty());
  EXPECT_EQ(testing::CellRC(t, 7, 0)->text, "29876");
  EXPECT_EQ(testing::CellRC(t, 13, 1)->text, "完全不同的名称文字");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("29876"), std::string::npos);
  EXPECT_NE(warnings[1].find("完全不同的名称文字"), std::string::npos);
  // The cells themselves say so, machine-readably.
  EXPECT_EQ(testing::CellRC(t, 7, 0)->flags, std::vector<std::string>{"not_in_dictionary"});
  EXPECT_EQ(testing::CellRC(t, 13, 1)->flags, std::vector<std::string>{"dictionary_mismatch"});
  EXPECT_TRUE(testing::CellRC(t, 8, 0)->flags.empty());
}

// 预算 layout with the code split over 类 | 款 | 项.
Table SplitCodeTable() {
  return testing::MakeTable("", "2025年部门支出预算总表",
                            {{"类", "款", "项", "功能分类科目名称", "合计"},
                             {"201", "", "", "一般公共服务支出", "30.00"},
                             {"201", "03", "", "政府办公厅（室）及相关机构事务", "30.00"},
                             {"201", "03", "01", "行政运行", "30.00"}},
                            1);
}

TEST(Repairer, UnreadableCodePartLeavesTheNameAlone) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = SplitCodeTable();
  // 款 part garbled and a name no entry under 201 has: the row would look like a 类 row, and its
  // name must not become 201's.
  testing::CellRC(t, 2, 1)->text = "[可";
  testing::CellRC(t, 2, 3)->text = "某某专项事务";
  t.kind = ClassifyTable(t, testing::Catalogue());
  std::vector<std::string> warnings;
  auto repairs = rep.repair(t, 0, &warnings);
  EXPECT_EQ(testing::CellRC(t, 2, 3)->text, "某某专项事务");
  EXPECT_EQ(testing::CellRC(t, 2, 1)->flags, std::vector<std::string>{"not_a_code"});
  EXPECT_EQ(testing::CellRC(t, 2, 3)->flags, std::vector<std::string>{"not_in_dictionary"});
  for (const auto& r : repairs) EXPECT_FALSE(r.r == 2 && r.field == "name") << r.after;
  // An O for 0 in a part is cleaned like a code.
  Table u = SplitCodeTable();
  testing::CellRC(u, 3, 2)->text = testing::CellRC(u, 3, 2)->raw = "O1";
  u.kind = ClassifyTable(u, testing::Catalogue());
  repairs = rep.repair(u, 0, nullptr);
  EXPECT_EQ(testing::CellRC(u, 3, 2)->text, "01");
  EXPECT_EQ(testing::CellRC(u, 3, 2)->raw, "O1");
}

// Real 预算 scans read narrow 款 / 项 cells as "[可", " om" or "[一" (a blank part with a rule
// remnant). The printed name, among the entries the readable parts allow, says what they are.
TEST(Repairer, UnreadableCodePartTakenFromTheNameUnderItsLei) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "2025年部门支出预算总表",
                               {{"类", "款", "项", "功能分类科目名称", "合计"},
                                {"201", "[一", "", "一般公共服务支出", "30.00"},
                                {"201", "[可", "", "政府办公厅（室）及相关机构事务", "30.00"},
                                {"201", "03", " om", "一般行政管理事务", "30.00"},
                                {"201", "03", "0", "行政运行", "0.00"}},
                               1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  auto repairs = rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 1, 1)->text, "");  // the 类 row: its 款 is blank
  EXPECT_EQ(testing::CellRC(t, 2, 1)->text, "03");  // 20103 政府办公厅（室）及相关机构事务
  EXPECT_EQ(testing::CellRC(t, 3, 2)->text, "02");  // 2010302 一般行政管理事务
  EXPECT_EQ(testing::CellRC(t, 4, 2)->text, "01");  // 2010301 行政运行, not 0
  EXPECT_EQ(testing::CellRC(t, 3, 2)->raw, " om");  // the reading is kept
  for (int r = 1; r <= 4; ++r)
    for (int c = 1; c <= 2; ++c) EXPECT_TRUE(testing::CellRC(t, r, c)->flags.empty()) << r << c;
  int from_name = 0;
  for (const auto& r : repairs)
    if (r.field == "code" && r.reason.find("printed name") != std::string::npos) {
      ++from_name;
      EXPECT_DOUBLE_EQ(r.confidence, 0.85);
    }
  EXPECT_EQ(from_name, 4);
  // A name two entries could carry proves nothing: 行政运行 under 201 with the 款 unreadable.
  Table u = testing::MakeTable(
      "", "2025年部门支出预算总表",
      {{"类", "款", "项", "功能分类科目名称", "合计"}, {"201", "[可", "01", "行政运行", "30.00"}},
      1);
  u.kind = ClassifyTable(u, testing::Catalogue());
  rep.repair(u, 0, nullptr);
  EXPECT_EQ(testing::CellRC(u, 1, 1)->text, "[可");
  EXPECT_EQ(testing::CellRC(u, 1, 1)->flags, std::vector<std::string>{"not_a_code"});
}

// f24-finance-dept's scanned 08表: two groups side by side, the second group's 款 header misread
// as nothing. Its 款 parts are parts of the 302 group (mostly two digits right of a 类 column),
// not codes of their own: the kind's "code" role for that column must not make "01" a code.
TEST(Repairer, PartColumnWithAMisreadHeaderIsNoCodeColumn) {
  Repairer rep(Dict(), testing::Catalogue(), 2024);
  Table t = testing::MakeTable(
      "", "一般公共预算财政拨款基本支出决算表",
      {{"科目编码", "", "科目名称", "决算数", "科目编码", "", "科目名称", "决算数"},
       {"类", "款", "", "", "类", "", "", ""},
       {"301", "", "工资福利支出", "2082.85", "302", "", "商品和服务支出", "171.07"},
       {"301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21"},
       {"301", "02", "津贴补贴", "1238.58", "302", "02", "印刷费", "7.61"},
       {"301", "03", "奖金", "", "302", "04", "手续费", "0.09"}},
      2);
  // 科目编码 spans its group's 类 and 款 columns.
  for (int c : {0, 4}) testing::CellRC(t, 0, c)->cs = 2;
  std::erase_if(t.cells,
                [](const Cell& cell) { return cell.r == 0 && (cell.c == 1 || cell.c == 5); });
  t.leaf_headers = LeafHeaders(t);
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "general_budget_basic_by_economic");
  rep.repair(t, 0, nullptr);
  for (int r = 2; r <= 5; ++r)
    for (int c : {4, 5, 6}) EXPECT_TRUE(testing::CellRC(t, r, c)->flags.empty()) << r << " " << c;
  EXPECT_EQ(testing::CellRC(t, 5, 6)->text, "手续费");
}

// b24-wanli-dept prints 款 parts without their zero ("2" for 02). On the text layer that is
// exact; read by OCR a lone digit may be 02 or 12 with a digit lost, so it only narrows the
// dictionary's choice and the printed name decides (economic codes too).
TEST(Repairer, OneDigitPartReadByOcrIsDecidedByTheName) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "2024年部门一般公共预算基本支出部门预算经济分类预算表",
                               {{"类", "款", "经济分类科目名称", "合计", "人员经费", "公用经费"},
                                {"301", "", "工资福利支出", "30", "30", "0"},
                                {"301", "7", "绩效工资", "10", "10", "0"},
                                {"301", "2", "嫂贴补贴", "20", "20", "0"},
                                {"301", "9", "某某不存在的科目", "0", "0", "0"}},
                               1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "budget_basic_by_economic");
  auto repairs = rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 2, 1)->text, "07");  // 30107 绩效工资: the name is exact
  EXPECT_EQ(testing::CellRC(t, 3, 1)->text, "02");  // 30102 津贴补贴, one glyph garbled
  EXPECT_EQ(testing::CellRC(t, 3, 2)->text, "津贴补贴");
  // The name proved the code and the code the name: both stay unsure.
  for (const auto& r : repairs) {
    if (r.r == 3) {
      EXPECT_LT(r.confidence, 0.8) << r.field << " " << r.after;
    }
  }
  // No name near an entry with a 9 in its part: the code stays unknown, flagged.
  EXPECT_EQ(testing::CellRC(t, 4, 1)->text, "9");
  EXPECT_EQ(testing::CellRC(t, 4, 1)->flags, std::vector<std::string>{"not_a_code"});
}

// A 项 part OCR read as blank: the row's name belongs below the 款, so the part was lost.
TEST(Repairer, BlankPartUnderANameOfADeeperCodeWasLost) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t =
      testing::MakeTable("", "2025年部门一般公共预算支出功能分类预算表",
                         {{"类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"},
                          {"201", "", "", "一般公共服务支出", "30.00", "10.00", "20.00"},
                          {"201", "06", "", "财政事务", "30.00", "10.00", "20.00"},
                          {"201", "06", "", "行政运行", "10.00", "10.00", "0.00"},
                          {"201", "06", "02", "一般行政管理事务", "20.00", "0.00", "20.00"}},
                         1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 3, 2)->text, "01");  // 2010601 行政运行
  EXPECT_EQ(testing::CellRC(t, 3, 2)->raw, "");
  EXPECT_EQ(testing::CellRC(t, 1, 1)->text, "");  // the 类 and 款 rows keep their blanks
  EXPECT_EQ(testing::CellRC(t, 2, 2)->text, "");
  // On the text layer a blank is printed so: never filled in.
  for (auto& cell : t.cells) cell.exact = true;
  testing::CellRC(t, 3, 2)->text = testing::CellRC(t, 3, 2)->raw = "";
  rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 3, 2)->text, "");
}

// The 三公 budget table prints one row of figures: each column shows one amount, and a comma
// read for the decimal point is still repaired there.
TEST(Repairer, AmountsOfAOneRowTableAreNormalised) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "某某情况表",
                               {{"甲费", "乙费", "丙费"}, {"1.00", "213,28", "9:98"}}, 1);
  rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 1, 1)->text, "213.28");
  EXPECT_EQ(testing::CellRC(t, 1, 1)->raw, "213,28");
  EXPECT_EQ(testing::CellRC(t, 1, 2)->text, "9.98");
}

// "一" read where a dash or a 0 was printed: reading takes it for a dash, and the column's way of
// printing nothing says how sure that is (b25-wanli-dept's scan printed 0 and read 一: silent).
TEST(Repairer, DashLookAlikeAmongZerosIsUnsure) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "某某情况表",
                               {{"项目", "甲", "乙"},
                                {"一类", "0.00", "——"},
                                {"二类", "12.50", "3.00"},
                                {"三类", "——", "——"}},
                               1);
  testing::CellRC(t, 3, 1)->raw = testing::CellRC(t, 3, 2)->raw = "一";
  rep.repair(t, 0, nullptr);
  EXPECT_LT(testing::CellRC(t, 3, 1)->conf, kUnsureConf);  // the column prints 0.00
  EXPECT_FLOAT_EQ(testing::CellRC(t, 3, 2)->conf, 0.9f);   // the column prints dashes
  EXPECT_EQ(testing::CellRC(t, 3, 1)->text, "——");         // the reading stands
}

// Broken rules in a blank amount cell read as "[一一", "广一一", "Fr": no amount. Left as read,
// every check through the cell was undecided and flagged all its operands; taken as blank, the
// checks test the cell like any other.
TEST(Repairer, RuleRemnantsInAnAmountCellAreBlank) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "某某情况表",
                               {{"项目", "甲", "乙"},
                                {"一类", "[一一", "12.50"},
                                {"二类", "Fr", "3.00"},
                                {"三类", "广一一", "——"},
                                {"四类", "——", "m"},
                                {"五类", "1.00", "无"},
                                {"六类", "人2.00", "4.00"},
                                {"七类", "3.00", "5.00"}},
                               1);
  auto repairs = rep.repair(t, 0, nullptr);
  for (int r : {1, 2, 3}) {
    const Cell* cell = testing::CellRC(t, r, 1);
    EXPECT_EQ(cell->text, "") << r;
    EXPECT_NE(cell->raw, "") << r;  // the reading is kept
    EXPECT_EQ(cell->flags, (std::vector<std::string>{"repaired_unsure", "unreadable"})) << r;
  }
  EXPECT_EQ(testing::CellRC(t, 4, 1)->text, "——");  // a dash is a dash
  EXPECT_EQ(testing::CellRC(t, 4, 2)->text, "m");   // one letter may be a misread digit
  EXPECT_EQ(testing::CellRC(t, 5, 2)->text, "无");  // a word
  // A stroke before the digits is dropped, unsure (it may have been a minus).
  EXPECT_EQ(testing::CellRC(t, 6, 1)->text, "2.00");
  EXPECT_EQ(testing::CellRC(t, 6, 1)->flags, std::vector<std::string>{"repaired_unsure"});
  int blanked = 0;
  for (const auto& r : repairs) blanked += r.after.empty() && r.field == "amount";
  EXPECT_EQ(blanked, 3);
}

// A header a character from the kind's word that no rule can repair is flagged, not kept
// silently ("项目一": a stroke of the rule below read as 一).
TEST(Repairer, HeaderACharacterOffIsFlagged) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable(
      "", "收入支出决算总表",
      {{"项目一", "行次", "金额", "项目", "行次", "金额"},
       {"一般公共预算财政拨款收入", "1", "12.00", "一般公共服务支出", "32", "12.00"}},
      1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "income_expenditure_summary");
  rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 0, 0)->text, "项目一");
  EXPECT_EQ(testing::CellRC(t, 0, 0)->flags, std::vector<std::string>{"dictionary_mismatch"});
  EXPECT_TRUE(testing::CellRC(t, 0, 3)->flags.empty());
}

// A 绩效目标 form prints its labels all over the grid; OCR damages them like headers.
TEST(Repairer, FormLabelsAnywhereInTheGrid) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "财政项目支出绩效目标填报表",
                               {{"项目名称", "社区服务中心", "项目性质", "阶段性项目"},
                                {"-级指标", "级指标", "三级指林", "指标值"},
                                {"产出指标", "数量指标", "规划建筑面积", "≥13459.00(平方米)"}},
                               0);
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "performance_targets");
  rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 1, 0)->text, "一级指标");  // 一 read as a hyphen
  EXPECT_EQ(testing::CellRC(t, 1, 0)->raw, "-级指标");
  // 一, 二 or 三 lost: no telling which, so flagged and kept.
  EXPECT_EQ(testing::CellRC(t, 1, 1)->text, "级指标");
  EXPECT_EQ(testing::CellRC(t, 1, 1)->flags, std::vector<std::string>{"dictionary_mismatch"});
  const Cell* lin = testing::CellRC(t, 1, 2);
  EXPECT_TRUE(lin->text == "三级指标" || !lin->flags.empty()) << lin->text;
  // Indicator values under 指标值 carry a comparator: 三 before the digits was ≥ (unsure), a
  // value without one is flagged.
  Table v = testing::MakeTable("", "财政项目支出绩效目标填报表",
                               {{"项目名称", "社区服务中心", "项目性质", "阶段性项目"},
                                {"一级指标", "二级指标", "三级指标", "年度(/项目)指标值"},
                                {"产出指标", "数量指标", "规划建筑面积", "三13459. 00 (平方米)"},
                                {"产出指标", "质量指标", "完工及时率", "100.00(%)"},
                                {"产出指标", "时效指标", "按时完成", "≥95.00(%)"},
                                {"项目资金总额", "7595500,00", "", ""}},
                               0);
  v.kind = ClassifyTable(v, testing::Catalogue());
  rep.repair(v, 0, nullptr);
  EXPECT_EQ(testing::CellRC(v, 2, 3)->text, "≥13459.00(平方米)");
  EXPECT_EQ(testing::CellRC(v, 2, 3)->flags, std::vector<std::string>{"repaired_unsure"});
  EXPECT_EQ(testing::CellRC(v, 3, 3)->flags, std::vector<std::string>{"comparator_lost"});
  EXPECT_TRUE(testing::CellRC(v, 4, 3)->flags.empty());
  EXPECT_EQ(testing::CellRC(v, 5, 1)->text, "7595500.00");  // a comma read for the point
  // The form's own values are not labels.
  EXPECT_EQ(testing::CellRC(t, 0, 1)->text, "社区服务中心");
  EXPECT_TRUE(testing::CellRC(t, 2, 2)->flags.empty());
}

TEST(Repairer, LostQuoteOfSanGongIsRestored) {
  EXPECT_EQ(QuoteSanGong("三公”经费预算数"), "“三公”经费预算数");
  EXPECT_EQ(QuoteSanGong("“三公经费预算数"), "“三公”经费预算数");
  EXPECT_EQ(QuoteSanGong("“三公”经费预算数"), "“三公”经费预算数");
  EXPECT_EQ(QuoteSanGong("三公经费支出"), "三公经费支出");  // printed without quotes
  Repairer rep(Dict(), testing::Catalogue());
  Table t =
      testing::MakeTable("", "某某情况表", {{"三公”经费预算数", "合计"}, {"一类", "1.00"}}, 1);
  auto repairs = rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 0, 0)->text, "“三公”经费预算数");
  EXPECT_EQ(testing::CellRC(t, 0, 0)->raw, "三公”经费预算数");
  ASSERT_FALSE(repairs.empty());
  EXPECT_EQ(repairs.back().field, "header");
}

TEST(Repairer, UnreadNameOfAProvenCodeTakesTheDictionaryName) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = SplitCodeTable();
  testing::CellRC(t, 3, 3)->text = "";
  t.kind = ClassifyTable(t, testing::Catalogue());
  auto repairs = rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 3, 3)->text, "行政运行");
  bool logged = false;
  for (const auto& r : repairs)
    logged |=
        r.r == 3 && r.c == 3 && r.field == "name" && r.before.empty() && r.after == "行政运行";
  EXPECT_TRUE(logged);
  // On the text layer an empty cell is what is printed.
  Table u = SplitCodeTable();
  testing::CellRC(u, 3, 3)->text = "";
  for (auto& cell : u.cells) cell.exact = true;
  u.kind = ClassifyTable(u, testing::Catalogue());
  rep.repair(u, 0, nullptr);
  EXPECT_EQ(testing::CellRC(u, 3, 3)->text, "");
}

// The real-budget scans read 科目 as 科日 / 科旧 and 年末 as 年林 (seen 2026-12): such headers are
// repaired against the kind's words; the budget kinds give 功能分类科目名称 its lexicon.
TEST(Repairer, GlyphsSeenOnRealScansAreConfusable) {
  EXPECT_NEAR(ConfusionDistance("科日名称", "科目名称"), 0.3, 1e-9);
  EXPECT_NEAR(ConfusionDistance("功能分类科旧名称", "功能分类科目名称"), 0.3, 1e-9);
  EXPECT_NEAR(ConfusionDistance("年林结转和结余", "年末结转和结余"), 0.3, 1e-9);
  Repairer rep(Dict(), testing::Catalogue());
  Table t = SplitCodeTable();
  testing::CellRC(t, 0, 3)->text = testing::CellRC(t, 0, 3)->raw = "功能分类科旧名称";
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "budget_expenditure");
  rep.repair(t, 0, nullptr);
  EXPECT_EQ(testing::CellRC(t, 0, 3)->text, "功能分类科目名称");
  EXPECT_EQ(testing::CellRC(t, 0, 3)->raw, "功能分类科旧名称");
}

// b24-welfare-unit prints 30108 as 机关事业单位基本养老保险费 (the national list: ...保险缴费). A
// reading one whole character shorter or longer than the dictionary name may be the document's
// own name: repaired, but flagged repaired_unsure. A same-length garble stays a sure repair.
TEST(Repairer, NameRepairThatAddsACharacterIsUnsure) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::MakeTable("", "2025年部门一般公共预算基本支出部门预算经济分类预算表",
                               {{"经济分类科目编码", "经济分类科目名称", "合计"},
                                {"30108", "机关事业单位基本养老保险费", "1.00"},
                                {"30101", "基本工货", "1.00"}},
                               1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "budget_basic_by_economic");
  auto repairs = rep.repair(t, 0, nullptr);
  const Cell* local = testing::CellRC(t, 1, 1);
  EXPECT_EQ(local->text, "机关事业单位基本养老保险缴费");
  EXPECT_NE(std::find(local->flags.begin(), local->flags.end(), "repaired_unsure"),
            local->flags.end());
  const Cell* garble = testing::CellRC(t, 2, 1);
  EXPECT_EQ(garble->text, "基本工资");
  EXPECT_TRUE(garble->flags.empty());
}

// Amount headers as the real-budget scans read them (b25-commerce-dept: "基本文昌", "项目雪册";
// b25-commerce-unit: "殉目直") take the word of the kind's column in their position.
TEST(Repairer, GarbledAmountHeadersTakeTheWordOfTheirPosition) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t =
      testing::MakeTable("", "2025年部门一般公共预算支出功能分类预算表",
                         {{"功能分类科目编码", "功能分类科目名称", "合计", "基本文昌", "殉目直"},
                          {"201", "一般公共服务支出", "30.00", "10.00", "20.00"}},
                         1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  ASSERT_EQ(t.kind, "budget_general_by_function");
  rep.repair(t, 0, nullptr);
  const Cell* basic = testing::CellRC(t, 0, 3);
  const Cell* project = testing::CellRC(t, 0, 4);
  EXPECT_EQ(basic->text, "基本支出");
  EXPECT_EQ(basic->raw, "基本文昌");
  EXPECT_TRUE(basic->flags.empty());  // half the word was read
  EXPECT_EQ(project->text, "项目支出");
  EXPECT_NE(std::find(project->flags.begin(), project->flags.end(), "repaired_unsure"),
            project->flags.end());
  // Between two matched columns the count must agree: one garbled column where the kind lists
  // two (基本支出, 项目支出) between 合计 and 事业单位经营支出 is left as read.
  Table u = testing::MakeTable(
      "", "2025年部门一般公共预算支出功能分类预算表",
      {{"功能分类科目编码", "功能分类科目名称", "合计", "殉目直", "事业单位经营支出"},
       {"201", "一般公共服务支出", "30.00", "30.00", ""}},
      1);
  u.kind = ClassifyTable(u, testing::Catalogue());
  rep.repair(u, 0, nullptr);
  EXPECT_EQ(testing::CellRC(u, 0, 3)->text, "殉目直");
  // A column of text is no amount column, whatever its position.
  Table v = testing::MakeTable("", "2025年部门一般公共预算支出功能分类预算表",
                               {{"功能分类科目编码", "功能分类科目名称", "合计", "备往"},
                                {"201", "一般公共服务支出", "30.00", "见说明"}},
                               1);
  v.kind = ClassifyTable(v, testing::Catalogue());
  rep.repair(v, 0, nullptr);
  EXPECT_EQ(testing::CellRC(v, 0, 3)->text, "备往");
}

TEST(Repairer, TextLayerCellsAreNeverRewrittenOnlyFlagged) {
  Repairer rep(Dict(), testing::Catalogue());
  Table t = testing::Table02();
  for (auto& cell : t.cells) cell.exact = true;
  // What OCR repair would change: a name one character off, a letter in a code, an amount.
  testing::CellRC(t, 17, 1)->text = "国有土地使用权出让收入对应专项债务收入安排的支山";
  testing::CellRC(t, 10, 0)->text = "2O805";
  testing::CellRC(t, 2, 3)->text = "86l.56";
  t.kind = ClassifyTable(t, testing::Catalogue());
  std::vector<std::string> warnings;
  auto repairs = rep.repair(t, 0, &warnings);
  EXPECT_TRUE(repairs.empty());
  EXPECT_EQ(testing::CellRC(t, 17, 1)->text, "国有土地使用权出让收入对应专项债务收入安排的支山");
  EXPECT_EQ(testing::CellRC(t, 10, 0)->text, "2O805");
  EXPECT_EQ(testing::CellRC(t, 2, 3)->text, "86l.56");
  EXPECT_EQ(testing::CellRC(t, 17, 1)->flags, std::vector<std::string>{"dictionary_mismatch"});
  EXPECT_FALSE(testing::CellRC(t, 10, 0)->flags.empty());
  EXPECT_FALSE(warnings.empty());
}

TEST(Quality, OperandsOfFailingChecksAndUnsureCellsAreFlagged) {
  Document doc;
  doc.tables.push_back(testing::Table02());
  testing::CellRC(doc.tables[0], 2, 2)->text = "9,999.99";  // breaks its row and its 类
  testing::CellRC(doc.tables[0], 1, 1)->conf = 0.4f;        // 合计: nothing proves it
  testing::CellRC(doc.tables[0], 12, 1)->conf = 0.4f;       // 卫生健康支出, the name of 210
  std::vector<Check> checks;
  RepairAndCheck(doc, Dict(), testing::Catalogue(), nullptr, &checks);
  const auto& flags = testing::CellRC(doc.tables[0], 2, 2)->flags;
  EXPECT_NE(std::find(flags.begin(), flags.end(), "check_failed"), flags.end());
  EXPECT_EQ(testing::CellRC(doc.tables[0], 1, 1)->flags,
            std::vector<std::string>{"low_confidence"});
  // A name read unsure that is exactly the dictionary name of its row's code is proven by it
  // (and the code by the name).
  EXPECT_TRUE(testing::CellRC(doc.tables[0], 12, 1)->flags.empty());
  EXPECT_FLOAT_EQ(testing::CellRC(doc.tables[0], 12, 1)->conf, kConfirmedByDictionaryConf);
  int flagged = 0;
  for (const auto& cell : doc.tables[0].cells) flagged += !cell.flags.empty();
  EXPECT_LT(flagged, 20);  // the operands of the failing checks, not the whole table
  // The database view carries the same doubts: the record value of a flagged cell has its flags
  // (records are built after the checks; before, every record value's flags were empty).
  int record_values = 0;
  for (const auto& rec : doc.tables[0].records)
    for (const auto& v : rec.values)
      if (const Cell* cell = testing::CellRC(doc.tables[0], rec.row, v.column)) {
        EXPECT_EQ(v.flags, cell->flags) << "row " << rec.row << " column " << v.column;
        ++record_values;
      }
  EXPECT_GT(record_values, 20);
  const Record* r2 = nullptr;
  for (const auto& rec : doc.tables[0].records)
    if (rec.row == 2) r2 = &rec;
  ASSERT_NE(r2, nullptr);
  bool carried = false;
  for (const auto& v : r2->values)
    if (v.column == 2) carried = v.flags == testing::CellRC(doc.tables[0], 2, 2)->flags;
  EXPECT_TRUE(carried);
}

TEST(Quality, AnAmountTwoPassingChecksProveIsNotUnsure) {
  Document doc;
  doc.tables.push_back(testing::Table02());
  Table& t = doc.tables[0];
  testing::CellRC(t, 2, 2)->text = "9,999.99";  // breaks row 201 and its 类 sum
  testing::CellRC(t, 4, 3)->conf = 0.5f;        // 2010350: its row and 20103's sum hold
  testing::CellRC(t, 2, 3)->conf = 0.5f;        // 201: its row fails
  testing::CellRC(t, 1, 1)->conf = 0.5f;        // 合计: no arithmetic proves a label
  RepairAndCheck(doc, Dict(), testing::Catalogue(), nullptr, nullptr);
  EXPECT_FLOAT_EQ(testing::CellRC(t, 4, 3)->conf, kConfirmedConf);
  EXPECT_TRUE(testing::CellRC(t, 4, 3)->flags.empty());
  EXPECT_FLOAT_EQ(testing::CellRC(t, 2, 3)->conf, 0.5f);
  const auto& doubted = testing::CellRC(t, 2, 3)->flags;
  EXPECT_NE(std::find(doubted.begin(), doubted.end(), "low_confidence"), doubted.end());
  EXPECT_FLOAT_EQ(testing::CellRC(t, 1, 1)->conf, 0.5f);
  EXPECT_EQ(testing::CellRC(t, 1, 1)->flags, std::vector<std::string>{"low_confidence"});
}

TEST(Quality, AVerticalBarInAnOcrReadingIsFlagged) {
  EXPECT_TRUE(HoldsARule("购置费|运行费"));
  EXPECT_TRUE(HoldsARule("购置费丨运行费"));
  EXPECT_FALSE(HoldsARule("公务用车购置及运行费"));
  Document doc;
  doc.tables.push_back(testing::Table02());
  testing::CellRC(doc.tables[0], 12, 1)->text = "一般公共服务支出|政府办公厅";
  testing::CellRC(doc.tables[0], 13, 1)->text = "事业运行|";  // text layer: printed so
  testing::CellRC(doc.tables[0], 13, 1)->exact = true;
  RepairAndCheck(doc, Dict(), testing::Catalogue(), nullptr, nullptr);
  const auto& flags = testing::CellRC(doc.tables[0], 12, 1)->flags;
  EXPECT_NE(std::find(flags.begin(), flags.end(), "rule_in_text"), flags.end());
  const auto& exact = testing::CellRC(doc.tables[0], 13, 1)->flags;
  EXPECT_EQ(std::find(exact.begin(), exact.end(), "rule_in_text"), exact.end());
}

// The document's year picks the dictionary's edition: a code of that year's list printed with
// its name then is right, and a code of another edition is kept and flagged, never turned into
// a code of the document's year.
Table EconomicTable(const std::string& year, std::vector<std::vector<std::string>> body) {
  std::vector<std::vector<std::string>> rows{{"经济分类科目编码", "科目名称", "决算数"}};
  rows.insert(rows.end(), body.begin(), body.end());
  return testing::MakeTable("06", year + "年一般公共预算财政拨款基本支出决算明细表", rows, 1);
}

TEST(Repairer, KeepsCodesOfTheDocumentYearsEdition) {
  const std::vector<std::vector<std::string>> body{{"303", "对个人和家庭的补助", "5.00"},
                                                   {"30302", "退休费", "2.00"},
                                                   {"30311", "住房公积金", "3.00"}};
  // 2017: 30311 was 住房公积金 (it moved to 30113 in the 2018 reform): nothing to repair.
  Table old = EconomicTable("2017", body);
  old.kind = ClassifyTable(old, testing::Catalogue());
  std::vector<std::string> warnings;
  auto repairs = Repairer(Dict(), testing::Catalogue(), 2017).repair(old, 0, &warnings);
  for (const auto& r : repairs) EXPECT_NE(r.field, "code") << r.before << " -> " << r.after;
  EXPECT_EQ(testing::CellRC(old, 3, 0)->text, "30311");
  EXPECT_EQ(testing::CellRC(old, 3, 1)->text, "住房公积金");
  EXPECT_TRUE(testing::CellRC(old, 3, 0)->flags.empty());
  // 2024: 30311 is 代缴社会保险费; the name printed is the 2017 one. The code is kept as read
  // and flagged (an older list, or a misprint: a person decides), not rewritten to 30113.
  Table now = EconomicTable("2024", body);
  now.kind = ClassifyTable(now, testing::Catalogue());
  warnings.clear();
  repairs = Repairer(Dict(), testing::Catalogue(), 2024).repair(now, 0, &warnings);
  for (const auto& r : repairs) EXPECT_NE(r.field, "code") << r.before << " -> " << r.after;
  EXPECT_EQ(testing::CellRC(now, 3, 0)->text, "30311");
  EXPECT_EQ(testing::CellRC(now, 3, 1)->text, "住房公积金");
  EXPECT_TRUE(testing::CellRC(now, 3, 0)->flags.empty());
  EXPECT_EQ(testing::CellRC(now, 3, 1)->flags, std::vector<std::string>{"dictionary_mismatch"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("30311's name in the 2017 editions"), std::string::npos)
      << warnings[0];
  // A renamed 类 printed with its older name in an older document is right; with no year at all
  // either name is.
  for (std::optional<int> year : {std::optional<int>(2018), std::optional<int>()}) {
    Table f = testing::MakeTable("04", "一般公共预算财政拨款支出决算表",
                                 {{"科目编码", "科目名称", "合计"},
                                  {"220", "国土海洋气象等支出", "9.00"},
                                  {"22001", "国土资源事务", "9.00"}},
                                 1);
    f.kind = ClassifyTable(f, testing::Catalogue());
    warnings.clear();
    repairs = Repairer(Dict(), testing::Catalogue(), year).repair(f, 0, &warnings);
    EXPECT_TRUE(repairs.empty()) << repairs[0].after;
    EXPECT_TRUE(warnings.empty()) << warnings[0];
    EXPECT_EQ(testing::CellRC(f, 1, 1)->text, "国土海洋气象等支出");
  }
}

TEST(Repairer, RetiredFunctionCodeIsFlaggedNotRepaired) {
  Table t = testing::MakeTable("04", "2024年一般公共预算财政拨款支出决算表",
                               {{"科目编码", "科目名称", "合计"},
                                {"201", "一般公共服务支出", "9.00"},
                                {"20115", "工商行政管理事务", "9.00"},
                                {"2011501", "行政运行", "9.00"}},
                               1);
  t.kind = ClassifyTable(t, testing::Catalogue());
  std::vector<std::string> warnings;
  auto repairs = Repairer(Dict(), testing::Catalogue(), 2024).repair(t, 0, &warnings);
  for (const auto& r : repairs) EXPECT_NE(r.field, "code") << r.before << " -> " << r.after;
  EXPECT_EQ(testing::CellRC(t, 2, 0)->text, "20115");
  EXPECT_EQ(testing::CellRC(t, 2, 0)->flags, std::vector<std::string>{"code_other_edition"});
  // In a 2018 document the same rows are the list of the year.
  Table u = t;
  for (auto& c : u.cells) c.flags.clear();
  u.title = "2018年一般公共预算财政拨款支出决算表";
  repairs = Repairer(Dict(), testing::Catalogue(), 2018).repair(u, 0, &warnings);
  EXPECT_TRUE(repairs.empty());
  EXPECT_TRUE(testing::CellRC(u, 2, 0)->flags.empty());
}

}  // namespace
}  // namespace juesuan
