// Small tables for the repair/check tests, with values copied from the corpus truth of document
// 000a (三门峡市公共资源交易中心 2024, 公开02/03/06/09表).
#pragma once

#include <string>
#include <vector>

#include "model_fixtures.h"
#include "pipeline/document.h"
#include "stages/common/table_view.h"
#include "stages/records/records.h"

namespace juesuan::testing {

// Builds a table from rows of cell texts (one cell per column, no spans).
inline Table MakeTable(const std::string& number, const std::string& title,
                       const std::vector<std::vector<std::string>>& rows, int header_rows) {
  Table t;
  t.number = number;
  t.title = title;
  t.kind = "unknown";
  t.n_rows = static_cast<int>(rows.size());
  t.n_cols = rows.empty() ? 0 : static_cast<int>(rows[0].size());
  t.header_rows = header_rows;
  for (int r = 0; r < t.n_rows; ++r)
    for (int c = 0; c < t.n_cols; ++c) {
      Cell cell;
      cell.r = r;
      cell.c = c;
      cell.text = c < static_cast<int>(rows[r].size()) ? rows[r][c] : "";
      cell.raw = cell.text;
      cell.conf = 0.9f;
      t.cells.push_back(cell);
    }
  t.leaf_headers = LeafHeaders(t);
  BuildColumnsAndRecords(t, Catalogue());
  return t;
}

// 000a 公开02表 收入决算表 (7 value columns; the last five are all 0.00 in this document).
inline std::vector<std::vector<std::string>> Rows02() {
  auto row = [](std::string code, std::string name, std::string total) {
    return std::vector<std::string>{code,   name,   total,  total, "0.00",
                                    "0.00", "0.00", "0.00", "0.00"};
  };
  return {
      {"功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入",
       "经营收入", "附属单位上缴收入", "其他收入"},
      row("", "合计", "1,285.83"),
      row("201", "一般公共服务支出", "861.56"),
      row("20103", "政府办公厅（室）及相关机构事务", "861.56"),
      row("2010350", "事业运行", "556.56"),
      row("2010399", "其他政府办公厅（室）及相关机构事务支出", "305.00"),
      row("206", "科学技术支出", "49.92"),
      row("20699", "其他科学技术支出", "49.92"),
      row("2069999", "其他科学技术支出", "49.92"),
      row("208", "社会保障和就业支出", "59.57"),
      row("20805", "行政事业单位养老支出", "59.57"),
      row("2080502", "事业单位离退休", "3.42"),
      row("2080505", "机关事业单位基本养老保险缴费支出", "56.15"),
      row("210", "卫生健康支出", "43.86"),
      row("21011", "行政事业单位医疗", "43.86"),
      row("2101102", "事业单位医疗", "43.86"),
      row("212", "城乡社区支出", "222.06"),
      row("21219", "国有土地使用权出让收入对应专项债务收入安排的支出", "222.06"),
      row("2121999", "其他国有土地使用权出让收入对应专项债务收入安排的支出", "222.06"),
      row("213", "农林水支出", "6.85"),
      row("21305", "巩固脱贫攻坚成果衔接乡村振兴", "6.85"),
      row("2130599", "其他巩固脱贫攻坚成果衔接乡村振兴支出", "6.85"),
      row("221", "住房保障支出", "42.01"),
      row("22102", "住房改革支出", "42.01"),
      row("2210201", "住房公积金", "42.01"),
  };
}

inline Table Table02() { return MakeTable("02", "收入决算表", Rows02(), 1); }

// The 309 block of an 06 table (001a) with 303 on the left: economic codes, one amount each.
inline Table Table06Block() {
  return MakeTable("06", "一般公共预算财政拨款基本支出决算明细表",
                   {{"经济分类科目编码", "科目名称", "决算数"},
                    {"309", "资本性支出（基本建设）", "——"},
                    {"30913", "公务用车购置", "——"},
                    {"30919", "其他交通工具购置", "——"},
                    {"30921", "文物和陈列品购置", "——"},
                    {"30922", "无形资产购置", "——"},
                    {"30999", "其他基本建设支出", "——"},
                    {"303", "对个人和家庭的补助", "3.42"},
                    {"30305", "生活补助", "3.42"}},
                   1);
}

// 000a 公开09表 (one data row; 栏次 row kept in the header).
inline Table Table09() {
  return MakeTable(
      "09", "一般公共预算财政拨款“三公”经费支出决算表",
      {{"合计", "因公出国(境)费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费",
        "合计", "因公出国(境)费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"},
       {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"},
       {"6.00", "0.00", "5.00", "0.00", "5.00", "1.00", "3.58", "0.00", "3.33", "0.00", "3.33",
        "0.25"}},
      2);
}

inline Cell* CellRC(Table& t, int r, int c) {
  for (auto& cell : t.cells)
    if (cell.r == r && cell.c == c) return &cell;
  return nullptr;
}

}  // namespace juesuan::testing
