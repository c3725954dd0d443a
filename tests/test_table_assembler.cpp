// TableAssembler and the records stage on hand-built tables: header rows, leaf headers, columns,
// records, continuations, and
// the cell-text classifiers.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model_fixtures.h"
#include "stages/assemble/table_assembler.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"
#include "stages/records/records.h"

namespace juesuan {
namespace {

struct Merge {
  int r, c, rs, cs;
};

// A table from its texts, row by row (every row n_cols long); merged cells take the text of
// their anchor, the texts under the rest of the span are ignored.
Table MakeTable(const std::vector<std::vector<std::string>>& rows,
                const std::vector<Merge>& merged = {}, int page = 1) {
  Table t;
  t.n_rows = static_cast<int>(rows.size());
  t.n_cols = rows.empty() ? 0 : static_cast<int>(rows[0].size());
  t.pages = {page};
  t.kind = "unknown";
  for (int r = 0; r < t.n_rows; ++r)
    for (int c = 0; c < t.n_cols; ++c) {
      Cell cell;
      cell.r = r, cell.c = c, cell.page = page;
      bool covered = false;
      for (const Merge& m : merged) {
        bool in = m.r <= r && r < m.r + m.rs && m.c <= c && c < m.c + m.cs;
        if (in && (m.r != r || m.c != c)) covered = true;
        if (in && m.r == r && m.c == c) cell.rs = m.rs, cell.cs = m.cs;
      }
      if (covered) continue;
      cell.text = rows[r][c];
      cell.raw = rows[r][c];
      cell.conf = cell.text.empty() ? 0.f : 0.95f;
      t.cells.push_back(cell);
    }
  return t;
}

// 公开02表-like: 项目 over 编码/名称, rowspan headers, 栏次 row, 合计 row, coded rows.
Table IncomeTable() {
  Table t = MakeTable(
      {
          {"项目", "", "本年收入合计", "财政拨款收入", "其他收入"},
          {"功能分类科目编码", "科目名称", "", "", ""},
          {"栏次", "", "1", "2", "3"},
          {"", "合计", "1,285.83", "1,285.83", "0.00"},
          {"201", "一般公共服务支出", "861.56", "861.56", ""},
          {"20103", "政府办公厅(室)及相关机构事务", "861.56", "861.56", "——"},
          {"2010350", "事业运行", "556.56", "556.56", "0.00"},
      },
      {{0, 0, 1, 2}, {0, 2, 2, 1}, {0, 3, 2, 1}, {0, 4, 2, 1}, {2, 0, 1, 2}});
  return t;
}

const Record* FindRecord(const std::vector<Record>& records, const std::string& code) {
  for (const Record& r : records)
    if (r.code == code) return &r;
  return nullptr;
}

// The value of record r under the column whose leaf header is `header` (text; nullopt = blank).
std::optional<std::string> Value(const Table& t, const Record& r, const std::string& header) {
  const std::vector<Column> columns = BuildColumns(t, testing::Catalogue());
  for (const auto& v : r.values)
    if (columns.at(v.column).header == header)
      return v.text.empty() ? std::nullopt : std::optional<std::string>(v.text);
  ADD_FAILURE() << "record " << r.code << " has no column " << header;
  return std::nullopt;
}

std::vector<Record> Records(const Table& t) { return BuildRecords(t, testing::Catalogue()); }

TEST(CountHeaderRows, EndsAtTheTotalsRow) {
  // Header, 栏次 row (column numbers are not data), then 合计 with amounts.
  EXPECT_EQ(TableAssembler::CountHeaderRows(IncomeTable()), 3);
}

TEST(CountHeaderRows, EndsAtTheFirstAmountOrCode) {
  Table amounts = MakeTable({{"项目", "金额"}, {"栏次", "1"}, {"基本支出", "12.00"}});
  EXPECT_EQ(TableAssembler::CountHeaderRows(amounts), 2);
  Table codes = MakeTable({{"科目编码", "科目名称", "金额"}, {"301", "工资福利支出", ""}});
  EXPECT_EQ(TableAssembler::CountHeaderRows(codes), 1);
  // Whole 元 with the separators lost in OCR (real-budget b23-wanli-dept 财务收支预算总表: the
  // whole table was taken as header, so its row labels were never repaired).
  Table yuan = MakeTable({{"本年收入", "", "本年支出", ""},
                          {"项目", "预算数", "项目", "预算数"},
                          {"一、财政拨款收入", "164978640", "一、一般公共服务支出", "2976800"}});
  EXPECT_EQ(TableAssembler::CountHeaderRows(yuan), 2);
  // A table without any data row has no recognisable header.
  Table text_only = MakeTable({{"项目", "说明"}, {"其他", "无"}});
  EXPECT_EQ(TableAssembler::CountHeaderRows(text_only), 0);
}

TEST(CountHeaderRows, TotalColumnTitleIsNotATotalsRow) {
  // 公开09表 (三公经费): "合计" is a column title in the header, under 预算数. Rows 0-3 are
  // the header (预算数 / 合计… / 小计… / 栏次), row 4 holds the amounts.
  Table t = MakeTable(
      {
          {"预算数", "", "", "", "决算数", "", "", ""},
          {"合计", "因公出国(境)费", "公务用车购置及运行维护费", "", "合计", "因公出国(境)费",
           "公务用车购置及运行维护费", ""},
          {"", "", "小计", "公务用车购置费", "", "", "小计", "公务用车购置费"},
          {"1", "2", "3", "4", "5", "6", "7", "8"},
          {"6.00", "0.00", "5.00", "0.00", "3.58", "0.00", "3.33", "0.00"},
      },
      {{0, 0, 1, 4},
       {0, 4, 1, 4},
       {1, 0, 2, 1},
       {1, 1, 2, 1},
       {1, 2, 1, 2},
       {1, 4, 2, 1},
       {1, 5, 2, 1},
       {1, 6, 1, 2}});
  EXPECT_EQ(TableAssembler::CountHeaderRows(t), 4);
}

TEST(LeafHeaders, RowspanHeadersAndColumnNumbersSkipped) {
  Table t = IncomeTable();
  t.header_rows = 3;
  EXPECT_EQ(LeafHeaders(t), (std::vector<std::string>{"功能分类科目编码", "科目名称",
                                                      "本年收入合计", "财政拨款收入", "其他收入"}));
}

TEST(LeafHeaders, LowestFilledHeaderCellWins) {
  // 支出 spans columns 1-2 over 基本支出 / 项目支出; column 0's 项目 spans two rows.
  Table t =
      MakeTable({{"项目", "支出", ""}, {"", "基本支出", "项目支出"}, {"合计", "1.00", "2.00"}},
                {{0, 0, 2, 1}, {0, 1, 1, 2}});
  t.header_rows = 2;
  EXPECT_EQ(LeafHeaders(t), (std::vector<std::string>{"项目", "基本支出", "项目支出"}));
  // Spaces from OCR are not part of a header.
  t.cells[1].text = "支 出";
  t.cells[2].text = "基本 支出";
  EXPECT_EQ(LeafHeaders(t)[1], "基本支出");
}

TEST(BuildRecords, CodedRowsBecomeRecords) {
  Table t = IncomeTable();
  t.header_rows = TableAssembler::CountHeaderRows(t);
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 4u);  // the 合计 row is keyed by its label
  EXPECT_EQ(records[0].key, "label");
  EXPECT_EQ(records[0].label, "合计");
  EXPECT_EQ(records[0].role, "total");
  EXPECT_EQ(records[0].code, "");
  ASSERT_EQ(records[0].values.size(), 3u);
  EXPECT_EQ(records[0].values[0].column, 2);
  EXPECT_EQ(records[0].values[0].text, "1,285.83");
  EXPECT_EQ(records[1].code, "201");
  EXPECT_EQ(records[2].code, "20103");
  EXPECT_EQ(records[3].code, "2010350");
  // Level, parent, classification and role come from the code and the codes below it.
  EXPECT_EQ(records[1].level, "类");
  EXPECT_EQ(records[1].parent, "");
  EXPECT_EQ(records[1].role, "subtotal");
  EXPECT_EQ(records[2].level, "款");
  EXPECT_EQ(records[2].parent, "201");
  EXPECT_EQ(records[3].level, "项");
  EXPECT_EQ(records[3].parent, "20103");
  EXPECT_EQ(records[3].role, "item");
  EXPECT_EQ(records[3].classification, "function");
  EXPECT_EQ(records[3].key, "code");

  const Record* r = FindRecord(records, "2010350");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->name, "事业运行");
  EXPECT_EQ(r->row, 6);
  ASSERT_EQ(r->values.size(), 3u);  // value columns only, in column order
  EXPECT_EQ(r->values[0].column, 2);
  EXPECT_EQ(r->values[2].column, 4);
  EXPECT_EQ(Value(t, *r, "本年收入合计"), "556.56");
  EXPECT_EQ(Value(t, *r, "财政拨款收入"), "556.56");
  EXPECT_EQ(Value(t, *r, "其他收入"), "0.00");

  const Record* general = FindRecord(records, "201");
  ASSERT_NE(general, nullptr);
  EXPECT_EQ(Value(t, *general, "其他收入"), std::nullopt);  // blank is not 0
  const Record* office = FindRecord(records, "20103");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(Value(t, *office, "其他收入"), "——");  // kept as printed
}

TEST(BuildRecords, SideBySideCodeGroups) {
  // 公开06表-like: two 科目编码 / 科目名称 / 决算数 blocks side by side in one row.
  Table t = MakeTable({
      {"科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"},
      {"301", "工资福利支出", "100.00", "302", "商品和服务支出", "50.00"},
      {"30101", "基本工资", "60.00", "30201", "办公费", ""},
      {"30102", "津贴补贴", "40.00", "", "", ""},
  });
  t.header_rows = TableAssembler::CountHeaderRows(t);
  ASSERT_EQ(t.header_rows, 1);
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 5u);  // the empty third block of the last row is no record
  const Record* wages = FindRecord(records, "301");
  const Record* goods = FindRecord(records, "302");
  const Record* office = FindRecord(records, "30201");
  ASSERT_TRUE(wages && goods && office);
  EXPECT_EQ(wages->name, "工资福利支出");
  EXPECT_EQ(goods->name, "商品和服务支出");
  EXPECT_EQ(goods->row, 1);
  // Each group carries only its own value column.
  ASSERT_EQ(wages->values.size(), 1u);
  EXPECT_EQ(wages->values[0].column, 2);
  EXPECT_EQ(wages->values[0].text, "100.00");
  EXPECT_EQ(wages->role, "subtotal");
  ASSERT_EQ(goods->values.size(), 1u);
  EXPECT_EQ(goods->values[0].column, 5);
  EXPECT_EQ(goods->values[0].text, "50.00");
  ASSERT_EQ(office->values.size(), 1u);
  EXPECT_EQ(office->values[0].text, "");
  EXPECT_EQ(FindRecord(records, "30102")->values[0].text, "40.00");
  // Repeated canonical ids are made unique: the columns of the blocks never share one.
  std::set<std::string> ids;
  for (const auto& c : BuildColumns(t, testing::Catalogue()))
    if (!c.id.empty()) {
      EXPECT_TRUE(ids.insert(c.id).second) << c.id;
    }
}

TEST(BuildRecords, CodeSplitOverLeiKuanXiangColumns) {
  // 预算 layout: 功能分类科目编码 split into 类 | 款 | 项, name after them.
  Table t = MakeTable(
      {
          {"功能分类科目编码", "", "", "功能分类科目名称", "合计"},
          {"类", "款", "项", "", ""},
          {"201", "", "", "一般公共服务支出", "30.00"},
          {"201", "13", "", "商贸事务", "30.00"},
          {"201", "13", "01", "行政运行", "10.00"},
          {"201", "13", "99", "其他商贸事务支出", "20.00"},
      },
      {{0, 0, 1, 3}, {0, 3, 2, 1}, {0, 4, 2, 1}});
  t.header_rows = 2;
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].code, "201");
  EXPECT_EQ(records[1].code, "20113");
  EXPECT_EQ(records[2].code, "2011301");
  EXPECT_EQ(records[3].code, "2011399");
  EXPECT_EQ(records[2].name, "行政运行");
  ASSERT_EQ(records[2].values.size(), 1u);  // the parts and the name are not values
  EXPECT_EQ(records[2].values[0].column, 4);
  EXPECT_EQ(records[2].values[0].text, "10.00");
}

// A spreadsheet export that dropped the parts' leading zeros (real-budget b24-wanli-dept's
// 经济分类 table prints 301 | 2 津贴补贴 and 301 | 7 绩效工资 on its text layer).
TEST(BuildRecords, OneDigitCodePartIsTheTwoDigitPart) {
  Table t = MakeTable({
      {"类", "款", "经济分类科目名称", "合计"},
      {"301", "", "工资福利支出", "30.00"},
      {"301", "01", "基本工资", "10.00"},
      {"301", "2", "津贴补贴", "15.00"},
      {"301", "7", "绩效工资", "5.00"},
  });
  t.header_rows = 1;
  for (auto& cell : t.cells) cell.exact = true;  // the text layer
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[2].code, "30102");
  EXPECT_EQ(records[3].code, "30107");
  EXPECT_EQ(records[3].name, "绩效工资");
  // The cell keeps what is printed.
  EXPECT_EQ(t.cells[3 * 4 + 1].text, "2");
  // Read by OCR, one digit may be "12" with a digit lost: no code part, no record code 30102.
  for (auto& cell : t.cells) cell.exact = false;
  records = Records(t);
  for (const auto& r : records) EXPECT_NE(r.code, "30102");
}

TEST(BuildRecords, WholeCodeInTheLeiColumnWithEmptyKuanXiang) {
  // Seed 003 (Yunnan): 类 | 款 | 项 headers, but the whole code printed under 类.
  Table t = MakeTable({
      {"类", "款", "项", "科目名称", "本年收入合计"},
      {"201", "", "", "一般公共服务支出", "30.00"},
      {"20103", "", "", "政府办公厅（室）及相关机构事务", "30.00"},
      {"2010301", "", "", "行政运行", "30.00"},
  });
  t.header_rows = 1;
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].code, "20103");
  EXPECT_EQ(records[1].name, "政府办公厅（室）及相关机构事务");
  EXPECT_EQ(records[2].name, "行政运行");
  ASSERT_EQ(records[2].values.size(), 1u);
  EXPECT_EQ(records[2].values[0].column, 4);
  EXPECT_EQ(records[2].values[0].text, "30.00");
}

TEST(BuildRecords, RowsWithoutCodesAreKeyedByLabel) {
  Table t = MakeTable({{"项目", "金额"}, {"基本支出", "12.00"}, {"项目支出", "3.00"}, {"", ""}});
  t.header_rows = 1;
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 2u);  // the empty row is no record
  EXPECT_EQ(records[0].key, "label");
  EXPECT_EQ(records[0].label, "基本支出");
  EXPECT_EQ(records[0].name, "基本支出");
  ASSERT_EQ(records[0].values.size(), 1u);
  EXPECT_EQ(records[0].values[0].column, 1);
  EXPECT_EQ(records[1].values[0].text, "3.00");
}

// 公开09表: two header rows over one row of figures; 合计 and 小计 repeat under 预算数 and 决算数.
TEST(BuildRecords, ThreePublicFiguresHaveOneColumnPathEach) {
  Table t = MakeTable(
      {
          {"预算数", "", "", "决算数", "", ""},
          {"合计", "因公出国(境)费", "公务接待费", "合计", "因公出国(境)费", "公务接待费"},
          {"6.00", "0.00", "1.00", "3.58", "0.00", "0.25"},
      },
      {{0, 0, 1, 3}, {0, 3, 1, 3}});
  t.header_rows = 2;
  t.leaf_headers = LeafHeaders(t);
  const std::vector<Column> columns = BuildColumns(t, testing::Catalogue());
  ASSERT_EQ(columns.size(), 6u);
  EXPECT_EQ(columns[0].path, (std::vector<std::string>{"预算数", "合计"}));
  EXPECT_EQ(columns[3].path, (std::vector<std::string>{"决算数", "合计"}));
  EXPECT_EQ(columns[3].header, "合计");
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].label, "");  // no label column: the row is its figures
  ASSERT_EQ(records[0].values.size(), 6u);
  EXPECT_EQ(records[0].values[0].text, "6.00");  // 预算数 → 合计
  EXPECT_EQ(records[0].values[3].text, "3.58");  // 决算数 → 合计: not overwritten
  // A figure that OCR garbled into a character (001b's scan) is no label: 09 has none.
  t.kind = "three_public";
  for (auto& cell : t.cells)
    if (cell.r == 2 && cell.c == 1) cell.text = "站";
  records = Records(t);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].label, "");
  ASSERT_EQ(records[0].values.size(), 6u);
  EXPECT_EQ(records[0].values[1].text, "站");
}

// A 07 whose body is its 合计 row alone (no 政府性基金 spending): no code column is found, yet the
// row is a total keyed by its label, and the name column is no value.
TEST(BuildRecords, CodedKindWithoutCodesKeysItsTotalByLabel) {
  Table t = MakeTable({
      {"功能分类科目编码", "科目名称", "年初结转和结余", "本年收入", "小计", "基本支出", "项目支出",
       "年末结转和结余"},
      {"", "合计", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"},
  });
  t.header_rows = 1;
  t.kind = "gov_fund";
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].label, "合计");
  EXPECT_EQ(records[0].role, "total");
  ASSERT_EQ(records[0].values.size(), 6u);
  EXPECT_EQ(records[0].values[0].column, 2);
}

// 公开01表: income and expenditure halves, each 项目 | 行次 | 金额, keyed by line.
TEST(BuildRecords, SummaryLinesOfBothHalves) {
  Table t = MakeTable(
      {
          {"收入", "", "", "支出", "", ""},
          {"项目", "行次", "金额", "项目", "行次", "金额"},
          {"一、一般公共预算财政拨款收入", "1", "1,063.77", "一、一般公共服务支出", "31", "861.56"},
          {"", "2", "", "年末结转和结余", "59", "0.00"},
          {"本年收入合计", "27", "1,285.83", "本年支出合计", "57", "1,285.83"},
      },
      {{0, 0, 1, 3}, {0, 3, 1, 3}});
  t.header_rows = 2;
  t.kind = "income_expenditure_summary";
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 5u);  // line 2 prints no label and no amount
  EXPECT_EQ(records[0].key, "line");
  EXPECT_EQ(records[0].half, "income");
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[0].line_id, "general_budget_grant");
  EXPECT_EQ(records[1].half, "expenditure");
  EXPECT_EQ(records[1].line, 31);
  EXPECT_EQ(records[1].code, "201");  // a line named after a 类 carries its code
  EXPECT_EQ(records[1].level, "类");
  EXPECT_EQ(records[2].line_id, "closing_balance");  // not 年初结转和结余, one character away
  EXPECT_EQ(records[3].role, "total");
  EXPECT_EQ(records[3].line_id, "income_total");
  ASSERT_EQ(records[3].values.size(), 1u);
  EXPECT_EQ(records[3].values[0].column, 2);
  EXPECT_EQ(records[3].values[0].text, "1,285.83");
  EXPECT_EQ(records[4].line_id, "expenditure_total");
  EXPECT_EQ(records[4].values[0].column, 5);
}

// 公开06表's last row: 公用经费合计 merged over the second block and the third's code and name.
TEST(BuildRecords, TotalLabelMergedIntoTheNextBlockTakesItsValue) {
  Table t = MakeTable(
      {
          {"科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数", "科目编码",
           "科目名称", "决算数"},
          {"301", "工资福利支出", "1.00", "302", "商品和服务支出", "2.00", "307", "债务利息",
           "0.00"},
          {"人员经费合计", "", "1.00", "公用经费合计", "", "", "", "", "2.00"},
      },
      {{2, 0, 1, 2}, {2, 3, 1, 5}});
  t.header_rows = 1;
  t.leaf_headers = LeafHeaders(t);
  std::vector<Record> records = Records(t);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[3].label, "人员经费合计");
  EXPECT_EQ(records[3].role, "total");
  EXPECT_EQ(records[4].label, "公用经费合计");
  ASSERT_EQ(records[4].values.size(), 1u);
  EXPECT_EQ(records[4].values[0].column, 8);
  EXPECT_EQ(records[4].values[0].text, "2.00");
}

TEST(AppendContinuation, RepeatedHeaderIsDropped) {
  Table t = MakeTable({{"科目编码", "科目名称", "金额"},
                       {"栏次", "", "1"},
                       {"201", "一般公共服务支出", "861.56"},
                       {"20103", "政府办公厅(室)及相关机构事务", "861.56"}},
                      {}, 1);
  t.header_rows = 2;
  // The next page repeats the header (with OCR noise) before its data.
  Table next = MakeTable({{"科目编码", "科目名称", "全额"},
                          {"栏次", "", "1"},
                          {"2010350", "事业运行", "556.56"},
                          {"2010399", "其他支出", "305.00"}},
                         {}, 2);
  next.notes = {"注：本表反映本年度取得的各项收入情况。"};
  TableAssembler::AppendContinuation(t, next);
  EXPECT_EQ(t.n_rows, 6);
  EXPECT_EQ(t.n_cols, 3);
  EXPECT_EQ(t.pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(t.notes, next.notes);
  ASSERT_EQ(t.cells.size(), 18u);
  // The continuation's data rows follow the first page's rows.
  int found = 0;
  for (const Cell& c : t.cells) {
    if (c.text == "2010350") {
      EXPECT_EQ(c.r, 4);
      EXPECT_EQ(c.page, 2);
      ++found;
    }
    if (c.text == "305.00") {
      EXPECT_EQ(c.r, 5);
      ++found;
    }
    if (c.text == "全额") ADD_FAILURE() << "repeated header was kept";
  }
  EXPECT_EQ(found, 2);
}

TEST(AppendContinuation, DataOnlyContinuationIsAppendedWhole) {
  Table t = MakeTable({{"科目编码", "科目名称", "金额"}, {"201", "一般公共服务支出", "861.56"}});
  t.header_rows = 1;
  Table next =
      MakeTable({{"2010350", "事业运行", "556.56"}, {"2010399", "其他支出", "305.00"}}, {}, 2);
  TableAssembler::AppendContinuation(t, next);
  EXPECT_EQ(t.n_rows, 4);
  EXPECT_EQ(t.cells.size(), 12u);
  for (const Cell& c : t.cells) {
    if (c.text == "2010350") {
      EXPECT_EQ(c.r, 2);
    }
  }
  EXPECT_EQ(t.pages, (std::vector<int>{1, 2}));
}

TEST(AppendContinuation, DifferentHeaderIsKept) {
  Table t = MakeTable({{"科目编码", "科目名称", "金额"}, {"201", "一般公共服务支出", "861.56"}});
  t.header_rows = 1;
  Table next = MakeTable({{"项目", "说明", "备注"}, {"301", "工资福利支出", "1.00"}}, {}, 2);
  TableAssembler::AppendContinuation(t, next);
  EXPECT_EQ(t.n_rows, 4);
  EXPECT_EQ(t.cells.size(), 12u);
}

TEST(TextSimilarity, EditDistanceOverCodePoints) {
  EXPECT_DOUBLE_EQ(TextSimilarity("事业运行", "事业运行"), 1.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("abc", ""), 0.0);
  // One of four Han characters differs: 0.75, not a byte-wise ratio.
  EXPECT_DOUBLE_EQ(TextSimilarity("事业运行", "事业远行"), 0.75);
  EXPECT_DOUBLE_EQ(TextSimilarity("kitten", "sitting"), 1.0 - 3.0 / 7.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("财政拨款收入", "财政拨款"), 1.0 - 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("ab", "ba"), TextSimilarity("ba", "ab"));
}

// b24-welfare-unit's scan: whole-元 amounts read without separators look like 7-digit codes; a
// column of them is no code column (it made the 财务收支预算总表 a coded table of unknown kind).
TEST(FindCodeColumns, AmountsWithoutSeparatorsAreNoCodes) {
  Table t = MakeTable({{"项目", "预算数", "项目", "预算数"},
                       {"一、财政拨款收入", "9501164", "一、一般公共服务支出", "11,281,624"},
                       {"1、一般公共预算资金", "9501164", "二、社会保障和就业支出", "503724"},
                       {"二、事业收入", "2620000", "三、住房保障支出", "335816"},
                       {"收入总计", "12121164", "支出总计", "12121164"}});
  t.header_rows = 1;
  EXPECT_TRUE(FindCodeColumns(t).empty());
  Table coded = MakeTable({{"科目编码", "科目名称", "金额"},
                           {"301", "工资福利支出", "12.00"},
                           {"30101", "基本工资", "12.00"}});
  coded.header_rows = 1;
  ASSERT_EQ(FindCodeColumns(coded).size(), 1u);
  EXPECT_EQ(FindCodeColumns(coded)[0].col, 0);
}

TEST(IsSubjectCode, ThreeFiveOrSevenDigits) {
  EXPECT_TRUE(IsSubjectCode("201"));
  EXPECT_TRUE(IsSubjectCode("20103"));
  EXPECT_TRUE(IsSubjectCode("2010350"));
  EXPECT_FALSE(IsSubjectCode("2010"));
  EXPECT_FALSE(IsSubjectCode("12"));
  EXPECT_FALSE(IsSubjectCode("201035"));
  EXPECT_FALSE(IsSubjectCode("201035012"));
  EXPECT_FALSE(IsSubjectCode("20l03"));
  EXPECT_FALSE(IsSubjectCode("556.56"));
  EXPECT_FALSE(IsSubjectCode(""));
}

PageResult EmptyPage(int number, int width, int height, int dpi) {
  PageResult page;
  page.number = number;
  page.width = width;
  page.height = height;
  page.dpi = dpi;
  return page;
}

// A grid found on a page: its column and row lines, and the cells read in it.
PageTable Found(std::vector<int> xs, std::vector<int> ys, std::vector<Cell> cells) {
  PageTable pt;
  pt.grid.bbox = Box{xs.front(), ys.front(), xs.back() - xs.front(), ys.back() - ys.front()};
  pt.grid.xs = std::move(xs);
  pt.grid.ys = std::move(ys);
  pt.cells = std::move(cells);
  return pt;
}

// One page, one grid at y 600..1300 (IncomeTable's cells), with the given text lines.
Document PageWithLines(std::vector<TextLine> lines) {
  Document doc;
  doc.pages = 1;
  PageResult page = EmptyPage(1, 2000, 3000, 300);
  page.tables.push_back(Found({100, 400, 800, 1100, 1400, 1700},
                              {600, 700, 800, 900, 1000, 1100, 1200, 1300}, IncomeTable().cells));
  page.lines = std::move(lines);
  doc.page_results.push_back(page);
  return doc;
}

TEST(Assemble, PageFindingsBecomeATable) {
  // One page with one grid: the lines above it give the number, title, year and unit; the
  // line below is a note.
  Document doc =
      PageWithLines({{"收入决算表", Box{700, 300, 600, 80}, 0.9f},
                     {"公开02表", Box{1500, 420, 200, 40}, 0.9f},
                     {"2024年度", Box{900, 420, 200, 40}, 0.9f},
                     {"部门：三门峡市公共资源交易中心", Box{100, 500, 900, 40}, 0.9f},
                     {"单位：万元", Box{1500, 500, 200, 40}, 0.9f},
                     {"注：本表反映本年度取得的各项收入情况。", Box{100, 1350, 1000, 40}, 0.9f}});
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  const Table& t = doc.tables[0];
  EXPECT_EQ(t.number, "02");
  EXPECT_EQ(t.title, "收入决算表");
  EXPECT_EQ(t.pages, (std::vector<int>{1}));
  EXPECT_EQ(t.header_rows, 3);
  EXPECT_EQ(t.leaf_headers.size(), 5u);
  EXPECT_TRUE(t.records.empty());  // records are built after repair (stages/records.h)
  EXPECT_EQ(t.unit, "万元");
  EXPECT_EQ(t.notes, (std::vector<std::string>{"注：本表反映本年度取得的各项收入情况。"}));
  EXPECT_EQ(doc.department, "三门峡市公共资源交易中心");
  EXPECT_EQ(doc.year, "2024");
  EXPECT_EQ(doc.unit, "万元");
  ASSERT_TRUE(doc.department_source.has_value());
  EXPECT_EQ(doc.department_source->page, 1);
  EXPECT_EQ(doc.department_source->text, "部门：三门峡市公共资源交易中心");
  ASSERT_TRUE(doc.unit_source.has_value());
  EXPECT_EQ(doc.unit_source->text, "单位：万元");
  EXPECT_TRUE(doc.warnings.empty());
}

// A note ruled into the grid as its last row, one cell across (f24 template's 基本支出决算表):
// a note of the table, not a row of it.
TEST(Assemble, NoteRuledIntoTheLastRowIsANote) {
  Document doc;
  doc.pages = 1;
  PageResult page = EmptyPage(1, 2339, 1654, 200);
  Table drawn = MakeTable({{"科目编码", "科目名称", "决算数"},
                           {"301", "工资福利支出", "10.00"},
                           {"302", "商品和服务支出", "5.00"},
                           {"注：本表反映部门本年度基本支出明细情况。", "", ""}},
                          {{3, 0, 1, 3}});
  drawn.cells.back().bbox = Box{100, 400, 900, 40};
  page.tables.push_back(Found({100, 300, 700, 1000}, {200, 266, 333, 400, 440}, drawn.cells));
  page.lines = {{"一般公共预算财政拨款基本支出决算表", Box{300, 100, 600, 60}, 0.9f},
                {"注：金额单位为万元。", Box{100, 460, 600, 40}, 0.9f}};
  doc.page_results.push_back(page);
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  const Table& t = doc.tables[0];
  EXPECT_EQ(t.n_rows, 3);
  for (const Cell& c : t.cells) EXPECT_LT(c.r, 3) << c.text;
  EXPECT_EQ(t.notes, (std::vector<std::string>{"注：本表反映部门本年度基本支出明细情况。",
                                               "注：金额单位为万元。"}));
  EXPECT_EQ(t.bbox.h, 200);  // down to the top of the note's row
}

// Page 1 ends with a 7-column coded table; page 2 holds only its 合计 row, whose label spans
// 类 | 款 | 项 | 名称, so that page's grid has 4 columns (and, as scanned, a left edge 6 px off).
TEST(Assemble, TheTotalRowAloneOnTheNextPageJoinsItsTable) {
  Document doc;
  doc.pages = 2;
  PageResult first = EmptyPage(1, 2339, 1654, 200);
  first.tables.push_back(Found(
      {156, 260, 365, 469, 1207, 1540, 1853, 2186}, {1000, 1070, 1140, 1210, 1600},
      MakeTable({{"类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"},
                 {"201", "", "", "一般公共服务支出", "30.00", "10.00", "20.00"},
                 {"201", "03", "", "政府办公厅（室）及相关机构事务", "30.00", "10.00", "20.00"},
                 {"201", "03", "01", "行政运行", "30.00", "10.00", "20.00"}})
          .cells));
  first.lines = {{"2024年部门支出预算总表", Box{900, 900, 600, 60}, 0.9f}};
  PageResult second = EmptyPage(2, 2339, 1654, 200);
  second.tables.push_back(Found({150, 1201, 1534, 1847, 2180}, {185, 253},
                                MakeTable({{"合计", "30.00", "10.00", "20.00"}}, {}, 2).cells));
  doc.page_results = {first, second};
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  const Table& t = doc.tables[0];
  EXPECT_EQ(t.pages, (std::vector<int>{1, 2}));
  EXPECT_EQ(t.n_rows, 5);
  EXPECT_EQ(t.n_cols, 7);
  std::vector<std::tuple<int, int, std::string>> total;
  for (const auto& c : t.cells)
    if (c.r == 4) total.emplace_back(c.c, c.cs, c.text);
  EXPECT_EQ(total, (std::vector<std::tuple<int, int, std::string>>{
                       {0, 4, "合计"}, {4, 1, "30.00"}, {5, 1, "10.00"}, {6, 1, "20.00"}}));
  // The left border of the lone row broke off in the scan: its grid starts inside the 类
  // column, and only the right edge and the amount columns line up.
  doc.page_results[1].tables[0].grid.xs = {217, 1201, 1534, 1847, 2180};
  doc.tables.clear();
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  EXPECT_EQ(doc.tables[0].n_rows, 5);
  // Columns that do not line up make a table of its own.
  doc.page_results[1].tables[0].grid.xs = {150, 700, 1534, 1847, 2180};
  doc.tables.clear();
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.tables.size(), 2u);
}

// Producers that print the title again on each page mark it 续 ("收入决算表（续）", "续表"): the
// table goes on; another title starts another table.
TEST(Assemble, ATitleMarkedContinuedContinuesTheTableAbove) {
  for (const std::string mark : {"收入决算表（续）", "收入决算表(续表)", "续表"}) {
    Document doc;
    doc.pages = 2;
    PageResult first = EmptyPage(1, 2000, 3000, 300);
    first.tables.push_back(Found({100, 400, 800, 1100, 1400, 1700},
                                 {600, 700, 800, 900, 1000, 1100, 1200, 1300},
                                 IncomeTable().cells));
    first.lines = {{"收入决算表", Box{700, 300, 600, 80}, 0.9f}};
    PageResult second = first;
    second.number = 2;
    for (Cell& c : second.tables[0].cells) c.page = 2;
    second.lines = {{mark, Box{700, 300, 600, 80}, 0.9f}};
    doc.page_results = {first, second};
    TableAssembler().assemble(doc);
    ASSERT_EQ(doc.tables.size(), 1u) << mark;
    EXPECT_EQ(doc.tables[0].title, "收入决算表") << mark;
    EXPECT_EQ(doc.tables[0].pages, (std::vector<int>{1, 2})) << mark;
  }
  // A different table's title is not a continuation.
  Document doc;
  doc.pages = 2;
  PageResult first = EmptyPage(1, 2000, 3000, 300);
  first.tables.push_back(Found({100, 400, 800, 1100, 1400, 1700},
                               {600, 700, 800, 900, 1000, 1100, 1200, 1300}, IncomeTable().cells));
  first.lines = {{"收入决算表", Box{700, 300, 600, 80}, 0.9f}};
  PageResult second = first;
  second.number = 2;
  second.lines = {{"支出决算表（续）", Box{700, 300, 600, 80}, 0.9f}};
  doc.page_results = {first, second};
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.tables.size(), 2u);
}

TEST(Assemble, TitleIsTheTableNameNotTheDocumentHeading) {
  // The department-and-year heading is printed larger, above the table's own title.
  Document doc = PageWithLines(
      {{"中共上海市普陀区委社会工作部2024年度部门决算表", Box{300, 200, 1400, 90}, 0.9f},
       {"收入支出决算总表", Box{700, 350, 600, 60}, 0.9f},
       {"单位：万元", Box{1500, 500, 200, 40}, 0.9f}});
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  EXPECT_EQ(doc.tables[0].title, "收入支出决算总表");
  EXPECT_EQ(doc.department, "中共上海市普陀区委社会工作部");
  EXPECT_EQ(doc.year, "2024");
}

// A cover page (no table) in front of PageWithLines' table page, whose lines name neither the
// department nor the year.
Document CoverThenTable(std::vector<TextLine> cover_lines) {
  Document doc = PageWithLines({{"收入决算表", Box{700, 300, 600, 80}, 0.9f}});
  doc.page_results[0].number = 2;
  PageResult cover = EmptyPage(1, 2000, 3000, 300);
  cover.lines = std::move(cover_lines);
  doc.page_results.insert(doc.page_results.begin(), cover);
  doc.pages = 2;
  return doc;
}

TEST(Assemble, TheCoverNamesDepartmentAndYearWhenTheTablesDoNot) {
  // f24-finance-dept's cover: the department over "2024年度部门决算".
  Document doc = CoverThenTable({{"上海市普陀区财政局", Box{700, 1300, 700, 70}, 0.9f},
                                 {"2024年度部门决算", Box{720, 1420, 660, 70}, 0.9f}});
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.department, "上海市普陀区财政局");
  EXPECT_EQ(doc.year, "2024");
  ASSERT_TRUE(doc.department_source.has_value());
  EXPECT_EQ(doc.department_source->page, 1);
  EXPECT_EQ(doc.department_source->text, "上海市普陀区财政局 2024年度部门决算");
  // b26-justice-dept's: the label and the department read as two lines of one row.
  doc = CoverThenTable({{"预算主管部门：", Box{600, 900, 400, 40}, 0.9f},
                        {"上海市普陀区司法局", Box{1100, 902, 500, 40}, 0.9f}});
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.department, "上海市普陀区司法局");
  // A line far above the year is no department; a table's heading outvotes the cover.
  doc = CoverThenTable({{"上海市普陀区财政局", Box{700, 300, 700, 70}, 0.9f},
                        {"2024年度部门决算", Box{720, 1420, 660, 70}, 0.9f}});
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.department, "");
  EXPECT_EQ(doc.year, "2024");
  doc = CoverThenTable({{"预算主管部门：上海市普陀区司法局", Box{600, 900, 900, 40}, 0.9f}});
  doc.page_results[1].lines.push_back({"部门：上海市普陀区财政局", Box{100, 500, 900, 40}, 0.9f});
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.department, "上海市普陀区财政局");
}

TEST(Assemble, AListTakesTheSentenceThatIntroducesIt) {
  // A 编制范围 unit list: no 表 title, the sentence above it (wrapped over two lines) names it;
  // narrative text further up is not the title even when it is longer.
  Document doc = PageWithLines(
      {{"基础调查、专项调查，建立和维护自然资源和不动产登记信息管理数据库。",
        Box{100, 100, 1700, 50}, 0.9f},
       {"纳入上海市普陀区规划和自然资源局2024年度部门决算编", Box{200, 400, 1500, 50}, 0.9f},
       {"制范围的单位包括：", Box{100, 470, 500, 50}, 0.9f}});
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  EXPECT_EQ(doc.tables[0].title,
            "纳入上海市普陀区规划和自然资源局2024年度部门决算编制范围的单位包括：");
}

TEST(Assemble, AListSentenceStartsAfterTheFullStopOfTheLineAbove) {
  // f24-finance-dept's layout: the sentence starts mid-line after the previous one's 。, and the
  // text layer gives its last line a box only 3 pt (12 px) high, so the gap to the line above is
  // judged by the width of its characters (7 characters in 336 px: 48 px each).
  Document doc =
      PageWithLines({{"从预算单位构成看，上海市普陀区财政局部门决算包括：上海市普陀区财政局本",
                      Box{100, 400, 1700, 12}, 0.9f},
                     {"级决算、下属行政事业单位决算。纳入上海市普陀区财政局2024年度部门决算编制范",
                      Box{100, 410, 1700, 90}, 0.9f},
                     {"围的单位包括：", Box{100, 520, 336, 12}, 0.9f}});
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  EXPECT_EQ(doc.tables[0].title, "纳入上海市普陀区财政局2024年度部门决算编制范围的单位包括：");
}

TEST(Assemble, AFormWithoutATitleLineTakesItsFirstRow) {
  // 绩效目标填报表: the title is the grid's own first row, one cell across every column; the row
  // stays in the table.
  Document doc;
  doc.pages = 1;
  PageResult page = EmptyPage(1, 2000, 3000, 300);
  Table form = MakeTable({{"财政项目支出绩效目标填报表", "", "", ""},
                          {"（2023年度）", "", "", ""},
                          {"项目名称", "社区公共服务中心", "项目性质", "阶段性项目"}},
                         {{0, 0, 1, 4}, {1, 0, 1, 4}});
  page.tables.push_back(Found({100, 500, 900, 1300, 1700}, {300, 400, 500, 600}, form.cells));
  doc.page_results.push_back(page);
  TableAssembler().assemble(doc);
  ASSERT_EQ(doc.tables.size(), 1u);
  EXPECT_EQ(doc.tables[0].title, "财政项目支出绩效目标填报表");
  EXPECT_EQ(doc.tables[0].n_rows, 3);
  // On a scan the rule below the title may be lost: the year shares its cell.
  doc.page_results[0].tables[0].cells[0].text = "财政项目支出绩效目标填报表（2023年度）";
  doc.tables.clear();
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.tables[0].title, "财政项目支出绩效目标填报表");
  EXPECT_EQ(doc.tables[0].cells[0].flags, std::vector<std::string>{"gap_in_text"});
  // A first row that does not name a 表 is no title.
  doc.page_results[0].tables[0].cells[0].text = "项目基本情况";
  doc.tables.clear();
  TableAssembler().assemble(doc);
  EXPECT_EQ(doc.tables[0].title, "");
}

TEST(Assemble, NoTablesIsAWarning) {
  Document doc;
  doc.pages = 1;
  doc.page_results.resize(1);
  doc.page_results[0].number = 1;
  TableAssembler().assemble(doc);
  EXPECT_TRUE(doc.tables.empty());
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_NE(doc.warnings[0].find("no ruled table"), std::string::npos);
}

}  // namespace
}  // namespace juesuan
