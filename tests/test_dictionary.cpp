// The subject-code dictionary, the table catalogue and the classifier.
#include <gtest/gtest.h>

#include "quality_fixtures.h"
#include "stages/classify/table_classifier.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {
namespace {

const CodeDictionary& Dict() { return testing::Dictionary(); }

TEST(CodeDictionary, LoadsTheModelFile) {
  EXPECT_GT(Dict().size(), 1800u);
  const CodeEntry* e = Dict().Find("30921");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "文物和陈列品购置");
  EXPECT_EQ(e->level, "款");
  EXPECT_EQ(e->parent, "309");
  EXPECT_EQ(e->system, CodeSystem::kEconDept);
  EXPECT_TRUE(e->sure);
  const CodeEntry* f = Dict().Find("2010350");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name, "事业运行");
  EXPECT_EQ(f->level, "项");
  EXPECT_EQ(f->system, CodeSystem::kFunction);
  EXPECT_EQ(Dict().Find("2010350", CodeSystem::kEconDept), nullptr);
}

TEST(CodeDictionary, UnknownCodesAndUnsureEntries) {
  EXPECT_EQ(Dict().Find("20921"), nullptr);  // the OCR misread of 30921 is not an entry
  EXPECT_EQ(Dict().Find("99999"), nullptr);
  const CodeEntry* e = Dict().Find("31101");
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(e->sure);
}

TEST(CodeDictionary, ChildrenAndNamesUnderAParent) {
  auto kids = Dict().Children("20103");
  bool has_2010350 = false;
  for (const auto* k : kids) has_2010350 = has_2010350 || k->code == "2010350";
  EXPECT_TRUE(has_2010350);
  for (const auto* k : kids) EXPECT_EQ(k->parent, "20103");
  // The same name exists under several parents: resolve through the parent.
  EXPECT_TRUE(Dict().NameExistsUnder("行政运行", "20103"));
  EXPECT_EQ(Dict().FindNameUnder("行政运行", "20131")->code, "2013101");
  EXPECT_FALSE(Dict().NameExistsUnder("行政运行", "20805"));
  EXPECT_GE(Dict().FindByName("其他支出").size(), 3u);  // 229, 22999, 2299999, 399, 39999...
}

TEST(CodeDictionary, ParsesTextAndRejectsBadRows) {
  auto d = CodeDictionary::FromString(
      "# comment\nsystem\tcode\tname\tlevel\tparent\teditions\tcertainty\n"
      "econ_dept\t301\t工资福利支出\t类\t\t2023-2025\tsure\n"
      "econ_dept\t30101\t基本工资\t款\t301\t2023-2025\tunsure\n");
  EXPECT_EQ(d.size(), 2u);
  EXPECT_FALSE(d.Find("30101")->sure);
  EXPECT_EQ(d.Children("301").size(), 1u);
  EXPECT_THROW(CodeDictionary::FromString("bogus\t1\tx\t类\t\t\t\n"), std::runtime_error);
  EXPECT_THROW(CodeDictionary("/nonexistent/subject_codes.tsv"), std::runtime_error);
}

TEST(TableClassifier, ClassifiesByTitleHeadersAndCodeType) {
  using testing::MakeTable;
  Table t02 = testing::Table02();
  EXPECT_EQ(ClassifyTable(t02, testing::Catalogue()), "income_by_function");
  t02.title = "";  // header signature alone is enough for 02
  EXPECT_EQ(ClassifyTable(t02, testing::Catalogue()), "income_by_function");
  EXPECT_EQ(ClassifyTable(testing::Table06Block(), testing::Catalogue()),
            "general_budget_basic_by_economic");
  EXPECT_EQ(ClassifyTable(testing::Table09(), testing::Catalogue()), "three_public");
}

TEST(TableClassifier, NeverByNumberAlone) {
  using testing::MakeTable;
  // Numbered 07, but the title and the economic codes say 项目支出 by economic class (Yunnan 003).
  Table p = MakeTable("07", "一般公共预算财政拨款项目支出决算表",
                      {{"科目编码", "科目名称", "金额"},
                       {"303", "对个人和家庭的补助", "7.40"},
                       {"30305", "生活补助", "7.40"}},
                      1);
  EXPECT_EQ(ClassifyTable(p, testing::Catalogue()), "general_budget_project_by_economic");
  // Numbered 08, titled as the government-fund table.
  Table g = MakeTable("08", "政府性基金预算财政拨款收入支出决算表",
                      {{"功能分类科目编码", "科目名称", "年初结转和结余", "本年收入", "小计",
                        "基本支出", "项目支出", "年末结转和结余"},
                       {"", "合计", "", "", "", "", "", ""}},
                      1);
  EXPECT_EQ(ClassifyTable(g, testing::Catalogue()), "gov_fund");
  // A number and nothing else: unknown.
  Table n = MakeTable("02", "", {{"a", "b"}, {"1.00", "2.00"}}, 1);
  EXPECT_EQ(ClassifyTable(n, testing::Catalogue()), "unknown");
  // A function-code table titled like 06 is rejected by its code type.
  Table wrong = MakeTable("06", "一般公共预算财政拨款基本支出决算明细表",
                          {{"经济分类科目编码", "科目名称", "决算数"},
                           {"201", "一般公共服务支出", "1.00"},
                           {"20103", "政府办公厅（室）及相关机构事务", "1.00"}},
                          1);
  EXPECT_EQ(ClassifyTable(wrong, testing::Catalogue()), "unknown");
}

TEST(TableClassifier, TitleVariantsAndOcrNoise) {
  using testing::MakeTable;
  std::vector<std::vector<std::string>> rows = {
      {"项目", "行次", "金额", "项目", "行次", "金额"},
      {"一、一般公共预算财政拨款收入", "1", "1.00", "一、一般公共服务支出", "31", "1.00"}};
  EXPECT_EQ(ClassifyTable(MakeTable("01", "收入支出决算总表", rows, 1), testing::Catalogue()),
            "income_expenditure_summary");
  EXPECT_EQ(ClassifyTable(MakeTable("01", "收入支出决算表", rows, 1), testing::Catalogue()),
            "income_expenditure_summary");  // 003
  EXPECT_EQ(ClassifyTable(MakeTable("01", "收人支出决算总表", rows, 1), testing::Catalogue()),
            "income_expenditure_summary");  // 入->人
  std::vector<std::vector<std::string>> rows04 = {
      {"项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款",
       "政府性基金预算财政拨款", "国有资本经营预算财政拨款"},
      {"一、一般公共预算财政拨款", "1", "1.00", "一、一般公共服务支出", "33", "1.00", "1.00",
       "0.00", "0.00"}};
  EXPECT_EQ(
      ClassifyTable(MakeTable("04", "财政拨款收入支出决算总表", rows04, 1), testing::Catalogue()),
      "fiscal_summary");
}

TEST(TableClassifier, CanonicalColumnIds) {
  Table t = testing::Table02();
  t.kind = ClassifyTable(t, testing::Catalogue());
  auto ids = CanonicalColumnIds(t, testing::Catalogue());
  ASSERT_EQ(ids.size(), 9u);
  EXPECT_EQ(ids[0], "code");
  EXPECT_EQ(ids[1], "name");
  EXPECT_EQ(ids[2], "total_income");
  EXPECT_EQ(ids[8], "other_income");
  Table u = testing::Table09();
  u.kind = ClassifyTable(u, testing::Catalogue());
  ids = CanonicalColumnIds(u, testing::Catalogue());
  EXPECT_EQ(ids[0], "budget_total");
  EXPECT_EQ(ids[6], "actual_total");
  EXPECT_EQ(ids[10], "actual_car_running");
  Table unknown = testing::Table02();
  unknown.kind = "unknown";
  for (const auto& id : CanonicalColumnIds(unknown, testing::Catalogue())) EXPECT_EQ(id, "");
}

// Editions: a code renamed between editions has a row per name; the document's year picks one.
TEST(CodeDictionary, EditionOfTheDocumentYear) {
  auto d = CodeDictionary::FromString(
      "system\tcode\tname\tlevel\tparent\teditions\tcertainty\n"
      "function\t210\t卫生健康支出\t类\t\t2019-2025\tsure\n"
      "function\t210\t医疗卫生与计划生育支出\t类\t\t2017-2018\tsure\n"
      "function\t20115\t工商行政管理事务\t款\t201\t2017-2018\tsure\n"
      "function\t20138\t市场监督管理事务\t款\t201\t2019-2025\tsure\n");
  EXPECT_EQ(d.Edition(2018).Find("210")->name, "医疗卫生与计划生育支出");
  EXPECT_EQ(d.Edition(2019).Find("210")->name, "卫生健康支出");
  EXPECT_EQ(d.Edition(2031).Find("210")->name, "卫生健康支出");            // after the last: latest
  EXPECT_EQ(d.Edition(2012).Find("210")->name, "医疗卫生与计划生育支出");  // before: earliest
  EXPECT_EQ(d.Edition(2018).Find("20138"), nullptr);
  EXPECT_EQ(d.Edition(2024).Find("20115"), nullptr);
  EXPECT_EQ(d.Edition(2018).size(), 2u);
  // No year: every edition, Find gives the latest entry, AllEditions all of them.
  EXPECT_EQ(d.Edition(std::nullopt).size(), 4u);
  EXPECT_EQ(d.Find("210")->name, "卫生健康支出");
  ASSERT_EQ(d.AllEditions("210").size(), 2u);
  EXPECT_EQ(d.AllEditions("210")[1]->name, "医疗卫生与计划生育支出");
  EXPECT_EQ(d.AllEditions("210")[1]->first_year, 2017);
  EXPECT_EQ(d.AllEditions("210")[1]->last_year, 2018);
  EXPECT_EQ(d.FindByName("医疗卫生与计划生育支出").size(), 1u);
  // Overlapping spans of one code and spans that are not years are refused.
  const std::string head = "system\tcode\tname\tlevel\tparent\teditions\tcertainty\n";
  EXPECT_THROW(CodeDictionary::FromString(head + "function\t210\ta\t类\t\t2017-2019\tsure\n" +
                                          "function\t210\tb\t类\t\t2019-2025\tsure\n"),
               std::runtime_error);
  EXPECT_THROW(CodeDictionary::FromString(head + "function\t210\ta\t类\t\t2019-2017\tsure\n"),
               std::runtime_error);
  EXPECT_THROW(CodeDictionary::FromString(head + "function\t210\ta\t类\t\tall\tsure\n"),
               std::runtime_error);
}

// The shipped dictionary: the changes of the 2018 and 2019 editions are there, and every code
// has one entry in every year from 2017 on at most.
TEST(CodeDictionary, ShippedEditionsCoverTheChanges) {
  const CodeDictionary& d = Dict();
  EXPECT_EQ(d.Edition(2017).Find("30311")->name, "住房公积金");
  EXPECT_EQ(d.Edition(2018).Find("30311")->name, "代缴社会保险费");
  EXPECT_EQ(d.Edition(2017).Find("30113"), nullptr);
  EXPECT_EQ(d.Edition(2018).Find("220")->name, "国土海洋气象等支出");
  EXPECT_EQ(d.Edition(2020).Find("21305")->name, "扶贫");
  EXPECT_EQ(d.Edition(2022).Find("21305")->name, "巩固脱贫攻坚成果衔接乡村振兴");
  EXPECT_EQ(d.Edition(2018).Find("224"), nullptr);
  EXPECT_NE(d.Edition(2018).Find("20115"), nullptr);
  EXPECT_EQ(d.Edition(2024).Find("20115"), nullptr);
  EXPECT_EQ(d.Edition(2017).Find("50101"), nullptr);  // 政府预算支出经济分类 began in 2018
  // Most of the list is the same in every edition.
  EXPECT_GT(d.Edition(2017).size(), 1600u);
  EXPECT_GT(d.Edition(2025).size(), 1800u);
}

}  // namespace
}  // namespace juesuan
