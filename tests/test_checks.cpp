// The arithmetic checks and the constrained numeric repair.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "pipeline/document_stages.h"
#include "quality_fixtures.h"
#include "stages/check/checker.h"
#include "stages/classify/table_classifier.h"
#include "stages/emit/json_output.h"

namespace juesuan {
namespace {

Document Doc(std::vector<Table> tables) {
  Document d;
  for (auto& t : tables) {
    t.kind = ClassifyTable(t, testing::Catalogue());
    d.tables.push_back(std::move(t));
  }
  return d;
}

std::map<std::string, int> Count(const std::vector<Check>& checks) {
  std::map<std::string, int> m;
  for (const auto& c : checks) ++m[c.status];
  return m;
}

const Check* Find(const std::vector<Check>& checks, const std::string& id) {
  for (const auto& c : checks)
    if (c.id == id) return &c;
  return nullptr;
}

void Set(Document& d, int t, int r, int c, const std::string& s) {
  testing::CellRC(d.tables[t], r, c)->text = s;
}

TEST(Checker, CorrectTablePasses) {
  Document d = Doc({testing::Table02()});
  int trivial = 0;
  auto checks = Checker(testing::Catalogue()).check(d, &trivial);
  auto n = Count(checks);
  // 7 类 + 7 款 parents with children, over 2 non-zero columns; 24 row sums; 2 合计 columns.
  EXPECT_EQ(n["pass"], 28 + 24 + 2);
  EXPECT_EQ(n["fail"], 0);
  EXPECT_EQ(n["warning"], 0);
  EXPECT_GT(trivial, 0);  // the all-zero columns are left out
  const Check* c = Find(checks, "T02.hier[201][total_income]");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->actual, 86156);
  EXPECT_EQ(c->expected, 86156);
  EXPECT_EQ(c->cells.size(), 2u);  // 201 and its one 款 20103
  const Check* total = Find(checks, "T02.total[total_income]");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->actual, 128583);
}

TEST(Checker, SplitCodeColumnsGiveTheHierarchy) {
  // 预算 支出预算总表 layout: 类 | 款 | 项 columns. Every row prints 201 under 类, so the
  // 合计 is the sum of the 类 rows only, not of every row.
  Table t = testing::MakeTable("", "2025年部门支出预算总表",
                               {{"类", "款", "项", "功能分类科目名称", "合计"},
                                {"", "", "", "合计", "30.00"},
                                {"201", "", "", "一般公共服务支出", "30.00"},
                                {"201", "13", "", "商贸事务", "30.00"},
                                {"201", "13", "01", "行政运行", "10.00"},
                                {"201", "13", "99", "其他商贸事务支出", "20.00"}},
                               1);
  t.number.reset();
  Document d = Doc({t});
  auto checks = Checker(testing::Catalogue()).check(d);
  auto n = Count(checks);
  EXPECT_EQ(n["fail"], 0);
  int hier = 0, total = 0;
  for (const auto& c : checks) {
    hier += c.id.find(".hier[") != std::string::npos;
    total += c.id.find(".total[") != std::string::npos;
  }
  EXPECT_EQ(hier, 2);   // 201 = Σ 款, 20113 = Σ 项
  EXPECT_EQ(total, 1);  // 合计 = Σ 类 (one 类 row)
  Set(d, 0, 4, 4, "11.00");
  n = Count(Checker(testing::Catalogue()).check(d));
  EXPECT_EQ(n["fail"], 1);  // 20113 = Σ 项 now fails
}

// A table of unknown kind whose two amount columns share the leaf 合计 (under 预算数 and 决算数):
// each column is checked on its own. Keyed by the leaf, the second column hid the first.
TEST(Checker, RepeatedLeafHeadersOfAnUnknownTableAreCheckedApart) {
  Table t = testing::MakeTable("", "某某情况表",
                               {{"科目编码", "科目名称", "预算数", "决算数"},
                                {"", "", "合计", "合计"},
                                {"201", "一般公共服务支出", "10.00", "6.00"},
                                {"20103", "政府办公厅（室）及相关机构事务", "10.00", "5.00"}},
                               2);
  t.number.reset();
  Document d = Doc({t});
  auto checks = Checker(testing::Catalogue()).check(d);
  std::vector<std::string> hier;
  for (const auto& c : checks)
    if (c.id.find(".hier[") != std::string::npos) hier.push_back(c.id + " " + c.status);
  std::sort(hier.begin(), hier.end());
  EXPECT_EQ(hier, (std::vector<std::string>{"T#0.hier[201][决算数/合计] fail",  // 6.00 ≠ 5.00
                                            "T#0.hier[201][预算数/合计] pass"}));
}

// The 部门 / 单位预算 set (titles as real-budget prints them, with the year in front) has kinds
// of its own; before it had, 支出预算总表 and the 功能分类预算表 were classified state_capital.
TEST(Checker, BudgetTablesHaveKindsOfTheirOwn) {
  using Headers = std::vector<std::string>;
  const Headers coded = {"功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"};
  struct Case {
    std::string title;
    Headers headers;
    std::string kind;
  };
  const std::vector<Case> cases = {
      {"2025年部门财务收支预算总表",
       {"本年收入", "预算数", "本年支出", "预算数"},
       "budget_financial_summary"},
      {"2025年预算单位财务收支预算总表",
       {"本年收入", "预算数", "本年支出", "预算数"},
       "budget_financial_summary"},
      {"2025年部门收入预算总表",
       {"功能分类科目编码", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "其他收入"},
       "budget_income"},
      {"2025年部门支出预算总表", coded, "budget_expenditure"},
      {"2025年部门财政拨款收支预算总表",
       {"项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"},
       "budget_fiscal_summary"},
      {"2025年部门一般公共预算支出功能分类预算表", coded, "budget_general_by_function"},
      {"2025年部门政府性基金预算支出功能分类预算表", coded, "budget_gov_fund_by_function"},
      {"2025年部门国有资本经营预算支出功能分类预算表", coded, "budget_state_capital_by_function"},
      {"2025年部门一般公共预算基本支出部门预算经济分类预算表",
       {"部门预算经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"},
       "budget_basic_by_economic"},
      {"2025年部门“三公”经费和机关运行经费预算表",
       {"合计", "因公出国(境)费", "公务接待费", "购置费", "运行费"},
       "budget_three_public"},
      {"财政项目支出绩效目标填报表", {"项目名称", "绩效目标", "指标"}, "performance_targets"},
      // Other provinces' and institutions' titles of the same kinds.
      {"2025年部门“三公”经费、会议费、培训费支出预算表",
       {"合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "会议费", "培训费"},
       "budget_three_public"},
      {"2024年高等学校收支决算总表",
       {"收入", "支出", "项目", "行次", "决算数"},
       "income_expenditure_summary"},
      {"2024年财政拨款收支决算总表",
       {"收入", "支出", "行次", "一般公共预算财政拨款", "政府性基金预算财政拨款"},
       "fiscal_summary"},
      // Tables of the 预算 set that the 支出预算表 words would otherwise take.
      {"2025年机关运行经费支出预算表",
       {"经济分类科目编码", "经济分类科目名称", "合计"},
       "budget_operating_costs"},
      {"2025年政府采购预算表", {"采购项目", "采购品目", "数量", "合计"}, "budget_procurement"},
      // The 决算 kind with the same columns stays itself.
      {"国有资本经营预算财政拨款支出决算表",
       {"科目代码", "科目名称", "本年支出", "合计", "基本支出", "项目支出"},
       "state_capital"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> body(c.headers.size(), "");
    Table t = testing::MakeTable("", c.title, {c.headers, body}, 1);
    EXPECT_EQ(ClassifyTable(t, testing::Catalogue()), c.kind) << c.title;
  }
}

std::vector<std::vector<std::string>> BudgetExpenditureRows(const std::string& extra_header,
                                                            const std::string& extra) {
  return {{"类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出", extra_header},
          {"", "", "", "合计", "30.00", "10.00", "20.00", extra},
          {"201", "", "", "一般公共服务支出", "30.00", "10.00", "20.00", extra},
          {"201", "13", "", "商贸事务", "30.00", "10.00", "20.00", extra},
          {"201", "13", "01", "行政运行", "30.00", "10.00", "20.00", extra}};
}

int RowChecks(const std::vector<Check>& checks, const std::string& status) {
  int n = 0;
  for (const auto& c : checks) n += c.id.find(".row[") != std::string::npos && c.status == status;
  return n;
}

TEST(Checker, BudgetRowIdentityAndAnAmountColumnTheKindDoesNotKnow) {
  Table t = testing::MakeTable("", "2025年部门支出预算总表", BudgetExpenditureRows("", ""), 1);
  t.number.reset();
  Document d = Doc({t});
  ASSERT_EQ(d.tables[0].kind, "budget_expenditure");
  EXPECT_EQ(RowChecks(Checker(testing::Catalogue()).check(d), "pass"),
            4);  // 合计 = 基本 + 项目 on every row
  Set(d, 0, 4, 5, "11.00");
  EXPECT_EQ(RowChecks(Checker(testing::Catalogue()).check(d), "fail"), 1);
  // Another province adds a column the catalogue does not list (here with amounts that are
  // not part of 合计): the row identity would miss it, so it is not checked rather than failed.
  Table wide = testing::MakeTable("", "2025年部门支出预算总表",
                                  BudgetExpenditureRows("上年结转", "5.00"), 1);
  wide.number.reset();
  Document w = Doc({wide});
  ASSERT_EQ(w.tables[0].kind, "budget_expenditure");
  const auto checks = Checker(testing::Catalogue()).check(w);
  EXPECT_EQ(RowChecks(checks, "pass") + RowChecks(checks, "fail"), 0);
  EXPECT_EQ(Count(checks)["fail"], 0);  // the hierarchy still holds, per column
}

TEST(Checker, PerturbedCellFailsAndRoundingIsTolerated) {
  Document d = Doc({testing::Table02()});
  Set(d, 0, 4, 3, "556.57");  // 2010350 财政拨款收入 off by 0.01: within rounding
  auto checks = Checker(testing::Catalogue()).check(d);
  const Check* row = Find(checks, "T02.row[2010350]");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, "pass");
  EXPECT_EQ(row->difference, -1);  // 556.56 vs 556.57
  EXPECT_EQ(Count(checks)["fail"], 0);

  Set(d, 0, 4, 3, "556.66");  // off by 0.10: fails
  checks = Checker(testing::Catalogue()).check(d);
  row = Find(checks, "T02.row[2010350]");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, "fail");
  EXPECT_EQ(row->difference, -10);
  const Check* hier = Find(checks, "T02.hier[20103][fiscal_grant_income]");
  ASSERT_NE(hier, nullptr);
  EXPECT_EQ(hier->status, "fail");
  EXPECT_EQ(hier->difference, -10);
  EXPECT_EQ(Count(checks)["fail"], 2);
}

TEST(Checker, ToleranceGrowsWithOperandsButStaysSmall) {
  EXPECT_EQ(Checker::Tolerance(2), 1);
  EXPECT_EQ(Checker::Tolerance(3), 1);
  EXPECT_EQ(Checker::Tolerance(6), 3);
  EXPECT_EQ(Checker::Tolerance(30), 3);
}

// Interval arithmetic on what is printed: b25's 预算 tables print whole 元 computed from amounts
// to the fen, so 项 rows 94,995,790 may add up to a 款 of 94,995,789. A table printed to the fen
// keeps its tolerance of a few fen.
TEST(Checker, WholeYuanAmountsMayDifferByTheirRounding) {
  auto rows = [](const std::string& total, const std::string& basic) {
    return std::vector<std::vector<std::string>>{
        {"类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"},
        {"", "", "", "合计", total, basic, "20"},
        {"201", "", "", "一般公共服务支出", total, basic, "20"},
        {"201", "13", "", "商贸事务", total, basic, "20"},
        {"201", "13", "01", "行政运行", "31", "10", "20"},
        {"201", "13", "02", "一般行政管理事务", "0", "0", "0"}};
  };
  Table whole = testing::MakeTable("", "2025年部门支出预算总表", rows("30", "10"), 1);
  Document d = Doc({whole});
  auto checks = Checker(testing::Catalogue()).check(d);
  const Check* row = Find(checks, "B03.row[2011301]");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, "pass");  // 31 vs 10 + 20: one 元 of rounding over three operands
  EXPECT_EQ(row->difference, 100);
  EXPECT_EQ(row->tolerance, 100);
  Set(d, 0, 4, 4, "33");  // three 元 off: a slip, not rounding
  checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Find(checks, "B03.row[2011301]")->status, "fail");
  // The same difference printed to the fen is no rounding.
  Table fen = testing::MakeTable("", "2025年部门支出预算总表", rows("30.00", "10.00"), 1);
  for (Cell& c : fen.cells)
    if (c.r >= 4 && c.c >= 4 && c.text != "0") c.text += ".00";
  Document f = Doc({fen});
  checks = Checker(testing::Catalogue()).check(f);
  EXPECT_EQ(Find(checks, "B03.row[2011301]")->status, "fail");
  EXPECT_EQ(Find(checks, "B03.row[2011301]")->tolerance, 1);
}

TEST(Checker, ThreePublicSums) {
  Document d = Doc({testing::Table09()});
  auto checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Count(checks)["pass"], 4);  // T09.a and T09.b for 预算数 and 决算数
  Set(d, 0, 2, 11, "0.35");             // 公务接待费 决算数 0.25 -> 0.35
  checks = Checker(testing::Catalogue()).check(d);
  const Check* a = Find(checks, "T09.a[actual][r2]");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->status, "fail");
  EXPECT_EQ(a->expected, 368);
  EXPECT_EQ(a->actual, 358);
}

TEST(Checker, GovFundBalanceAndDashes) {
  Table g = testing::MakeTable(
      "07", "政府性基金预算财政拨款收入支出决算表",
      {{"功能分类科目编码", "科目名称", "年初结转和结余", "本年收入", "小计", "基本支出",
        "项目支出", "年末结转和结余"},
       {"", "合计", "0.00", "222.06", "222.06", "0.00", "222.06", "0.00"},
       {"212", "城乡社区支出", "0.00", "222.06", "222.06", "—", "222.06", "0.00"}},
      1);
  Document d = Doc({g});
  EXPECT_EQ(d.tables[0].kind, "gov_fund");
  auto checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Count(checks)["fail"], 0);
  EXPECT_NE(Find(checks, "T07.bal[212]"), nullptr);
  EXPECT_EQ(Find(checks, "T07.bal[212]")->status, "pass");
  Set(d, 0, 2, 7, "10.00");  // 年末 should be 0
  checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Find(checks, "T07.bal[212]")->status, "fail");
  // An unreadable operand makes a warning, not a pass.
  Set(d, 0, 2, 7, "1O.x");
  checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Find(checks, "T07.bal[212]")->status, "warning");
}

// 国有资本经营预算财政拨款收入支出决算表 prints 07's 收入支出 layout. It was classified gov_fund
// (08's kind forbids 年初结转和结余); it is 08 in its 收入支出 form, with 08's row identity and
// 07's balance.
TEST(Checker, StateCapitalIncomeExpenditureIsItsOwnKind) {
  Table g = testing::MakeTable(
      "", "国有资本经营预算财政拨款收入支出决算表",
      {{"功能分类科目编码", "科目名称", "年初结转和结余", "本年收入", "小计", "基本支出",
        "项目支出", "年末结转和结余"},
       {"", "合计", "0.00", "50.00", "40.00", "0.00", "40.00", "10.00"},
       {"223", "国有资本经营预算支出", "0.00", "50.00", "40.00", "0.00", "40.00", "10.00"}},
      1);
  Document d = Doc({g});
  EXPECT_EQ(d.tables[0].kind, "state_capital_income_expenditure");
  auto checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Count(checks)["fail"], 0);
  ASSERT_NE(Find(checks, "T08.bal[223]"), nullptr);
  EXPECT_EQ(Find(checks, "T08.bal[223]")->status, "pass");
  ASSERT_NE(Find(checks, "T08.row[223]"), nullptr);
  EXPECT_EQ(Find(checks, "T08.row[223]")->status, "pass");
  Set(d, 0, 2, 6, "30.00");  // 项目支出 40 -> 30: the row no longer adds up
  checks = Checker(testing::Catalogue()).check(d);
  EXPECT_EQ(Find(checks, "T08.row[223]")->status, "fail");
}

TEST(Checker, CrossTableHardAndConditional) {
  // 02 and 03 of 000a share the 合计 (1285.83): X02_03.code is conditional -> warning on mismatch.
  Table t03 = testing::MakeTable(
      "03", "支出决算表",
      {{"功能分类科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出",
        "经营支出", "对附属单位补助支出"},
       {"", "合计", "1,285.83", "702.00", "583.83", "0.00", "0.00", "0.00"},
       {"201", "一般公共服务支出", "861.56", "556.56", "305.00", "0.00", "0.00", "0.00"}},
      1);
  Document d = Doc({testing::Table02(), t03});
  auto checks = Checker(testing::Catalogue()).check(d);
  const Check* x = Find(checks, "X02_03.code[201]");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->status, "pass");
  EXPECT_TRUE(x->conditional);
  EXPECT_EQ(x->tables.size(), 2u);
  Set(d, 1, 2, 2, "860.56");
  Set(d, 1, 2, 3, "555.56");
  checks = Checker(testing::Catalogue()).check(d);
  x = Find(checks, "X02_03.code[201]");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->status, "warning");  // conditional identity: never "fail"
}

TEST(Checker, NumericRepairNeedsRowAndColumnEvidence) {
  // Two checks point at the cell with the same difference: repaired and logged.
  Document d = Doc({testing::Table02()});
  Set(d, 0, 4, 2, "566.56");
  auto repairs = Checker(testing::Catalogue()).RepairNumbers(d);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].r, 4);
  EXPECT_EQ(repairs[0].c, 2);
  EXPECT_EQ(repairs[0].before, "566.56");
  EXPECT_EQ(repairs[0].after, "556.56");
  EXPECT_NE(repairs[0].reason.find("T02.row[2010350]"), std::string::npos);
  EXPECT_EQ(Count(Checker(testing::Catalogue()).check(d))["fail"], 0);

  // A single failing check (三公 接待费 only takes part in T09.a): never corrected.
  Document e = Doc({testing::Table09()});
  Set(e, 0, 2, 11, "0.85");
  EXPECT_TRUE(Checker(testing::Catalogue()).RepairNumbers(e).empty());
  EXPECT_EQ(testing::CellRC(e.tables[0], 2, 11)->text, "0.85");

  // Row and column fail, but no single OCR-plausible re-reading fits (off by 123.45): unchanged.
  Document f = Doc({testing::Table02()});
  Set(f, 0, 4, 2, "679.01");
  EXPECT_TRUE(Checker(testing::Catalogue()).RepairNumbers(f).empty());
  EXPECT_EQ(testing::CellRC(f.tables[0], 4, 2)->text, "679.01");
}

// The cell OCR read as `text` (raw the same), with these alternative readings.
void Read(Document& d, int r, int c, const std::string& text,
          const std::vector<std::string>& alternatives) {
  Cell* cell = testing::CellRC(d.tables[0], r, c);
  cell->text = cell->raw = text;
  cell->alternatives = alternatives;
}

// A value no confusion rule reaches (off by 122.45), but that OCR gave as another reading of
// the cell: taken when the row and the column both prove it, the first alternative that does.
TEST(Checker, OcrAlternativeReadingTakenOnTwoChecks) {
  Document d = Doc({testing::Table02()});
  Read(d, 4, 2, "679.01", {"579.01", "556.56"});
  auto repairs = Checker(testing::Catalogue()).RepairNumbers(d);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].before, "679.01");
  EXPECT_EQ(repairs[0].after, "556.56");
  EXPECT_DOUBLE_EQ(repairs[0].confidence, 0.85);
  EXPECT_NE(repairs[0].reason.find("the OCR alternative reading 556.56"), std::string::npos);
  EXPECT_NE(repairs[0].reason.find("T02.row[2010350]"), std::string::npos);
  EXPECT_EQ(testing::CellRC(d.tables[0], 4, 2)->raw, "679.01");
  EXPECT_EQ(Count(Checker(testing::Catalogue()).check(d))["fail"], 0);

  // No alternative fits what the checks want: unchanged.
  Document e = Doc({testing::Table02()});
  Read(e, 4, 2, "679.01", {"579.01", "556.65"});
  EXPECT_TRUE(Checker(testing::Catalogue()).RepairNumbers(e).empty());
  EXPECT_EQ(testing::CellRC(e.tables[0], 4, 2)->text, "679.01");

  // One failing check (三公 接待费 only takes part in T09.a): an alternative is not enough.
  Document f = Doc({testing::Table09()});
  Read(f, 2, 11, "0.85", {"0.25"});
  EXPECT_TRUE(Checker(testing::Catalogue()).RepairNumbers(f).empty());
  EXPECT_EQ(testing::CellRC(f.tables[0], 2, 11)->text, "0.85");
}

// A reading that is no amount leaves its checks undecided (warnings). A candidate (its
// separators read as thousands commas, or an OCR alternative) is taken only when two of those
// checks then pass and none fails.
TEST(Checker, UnreadableAmountTakesAReadingTwoChecksProve) {
  Document d = Doc({testing::Table02()});
  Read(d, 1, 2, "1.285.83", {});  // 合计: 合计 = Σ 类 and the 合计 row's own identity
  // As the repair stage leaves a reading that does not parse: flagged, and a warning names it.
  testing::CellRC(d.tables[0], 1, 2)->flags = {"unreadable"};
  d.warnings = {"table 02 r1 c2: amount '1.285.83' cannot be read; kept as read", "other"};
  EXPECT_EQ(Count(Checker(testing::Catalogue()).check(d))["fail"], 0);
  auto repairs = Checker(testing::Catalogue()).RepairNumbers(d);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].after, "1,285.83");
  EXPECT_NE(repairs[0].reason.find("thousands separators"), std::string::npos);
  EXPECT_EQ(Count(Checker(testing::Catalogue()).check(d))["warning"], 0);
  // Proven by two checks, it is no longer unreadable: neither its flag nor its warning stays.
  EXPECT_TRUE(testing::CellRC(d.tables[0], 1, 2)->flags.empty());
  EXPECT_EQ(d.warnings, std::vector<std::string>{"other"});

  Document e = Doc({testing::Table02()});
  Read(e, 4, 2, "55b.56", {"566.56", "556.56"});
  repairs = Checker(testing::Catalogue()).RepairNumbers(e);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].after, "556.56");
  EXPECT_NE(repairs[0].reason.find("the OCR alternative reading 556.56"), std::string::npos);

  // Only wrong alternatives: the cell stays unreadable.
  Document f = Doc({testing::Table02()});
  Read(f, 4, 2, "55b.56", {"566.56"});
  EXPECT_TRUE(Checker(testing::Catalogue()).RepairNumbers(f).empty());

  // One undecided check only (T09.a reads 接待费): never on one check's evidence.
  Document g = Doc({testing::Table09()});
  Read(g, 2, 11, "0.2.5", {"0.25"});
  EXPECT_TRUE(Checker(testing::Catalogue()).RepairNumbers(g).empty());
  EXPECT_EQ(testing::CellRC(g.tables[0], 2, 11)->text, "0.2.5");
}

TEST(Quality, JsonShape) {
  Document d = Doc({testing::Table02()});
  Set(d, 0, 4, 3, "556.66");
  std::vector<Check> checks = Checker(testing::Catalogue()).check(d);
  auto j = QualityJson({}, checks);
  EXPECT_EQ(j["checks_summary"]["fail"], 2);
  EXPECT_EQ(j["checks_summary"]["total"], checks.size());
  bool seen = false;
  for (const auto& c : j["checks"])
    if (c["id"] == "T02.row[2010350]") {
      seen = true;
      EXPECT_EQ(c["status"], "fail");
      EXPECT_DOUBLE_EQ(c["difference"].get<double>(), -0.10);
      EXPECT_DOUBLE_EQ(c["actual"].get<double>(), 556.56);
      EXPECT_EQ(c["tables"][0], "02");
      EXPECT_EQ(c["cells"].size(), 7u);
    }
  EXPECT_TRUE(seen);
}

// A 机关运行经费支出预算表 is its own kind, keyed by economic code, and its codes are checked
// like any coded table's (a 类 is the sum of its 款).
TEST(Checker, OperatingCostsBudgetIsCheckedByItsCodes) {
  Table t = testing::MakeTable("", "2025年机关运行经费支出预算表",
                               {{"经济分类科目编码", "经济分类科目名称", "合计"},
                                {"", "合计", "10.00"},
                                {"302", "商品和服务支出", "10.00"},
                                {"30201", "办公费", "6.00"},
                                {"30211", "差旅费", "3.00"}},
                               1);
  Document d = Doc({t});
  ASSERT_EQ(d.tables[0].kind, "budget_operating_costs");
  BuildColumnsAndRecords(d.tables[0], testing::Catalogue());
  ASSERT_EQ(d.tables[0].records.size(), 4u);
  EXPECT_EQ(d.tables[0].records[1].code, "302");
  std::vector<std::string> hier;
  for (const auto& c : Checker(testing::Catalogue()).check(d))
    if (c.id.find(".hier[") != std::string::npos) hier.push_back(c.id + " " + c.status);
  ASSERT_EQ(hier.size(), 1u);
  EXPECT_NE(hier[0].find("[302]"), std::string::npos) << hier[0];
  EXPECT_NE(hier[0].find(" fail"), std::string::npos) << hier[0];  // 10.00 ≠ 6.00 + 3.00
}

}  // namespace
}  // namespace juesuan
