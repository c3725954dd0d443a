// Small read helpers over a Table's cells, shared by the classifier, repairer and checker.
#pragma once

#include <string>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

// The cell covering (r, c), or nullptr.
const Cell* CellAt(const Table& t, int r, int c);
Cell* CellAt(Table& t, int r, int c);
// The cell anchored exactly at (r, c), or nullptr.
Cell* AnchorAt(Table& t, int r, int c);
const Cell* AnchorAt(const Table& t, int r, int c);
// Where a table prints subject codes: the one answer for records, repairs and checks.
// Usually one column holds the whole code (201 / 20103 / 2010301). Some layouts split it over
// 类 | 款 | 项 columns (201 | 03 | 01, 经济分类 301 | 01), and some print the whole code in the
// 类 column and leave 款 and 项 empty. Side-by-side blocks (06-style) give several groups.
struct CodeColumn {
  int col = 0;       // the code's column (its 类 part when split)
  int parts = 0;     // columns after `col` holding 款 / 项 parts (0, 1 or 2)
  int name_col = 0;  // the subject name: col + 1 + parts
  int end = 0;       // one past this group's last value column (the next group's `col`)
};
std::vector<CodeColumn> FindCodeColumns(const Table& t);
// The columns of FindCodeColumns (their `col`).
std::vector<int> CodeColumns(const Table& t);
// The subject code printed in row r of group g, split parts joined ("201"+"13"+"01" ->
// "2011301"), spaces removed; "" when the row's code cell is not a code or is not anchored at r,
// or when a part cell holds something that is not a part (the code is then unknown).
std::string RowCode(const Table& t, int r, const CodeColumn& g);
// The 款 / 项 parts printed in row r of group g, joined ("1301"); "" when there are none.
std::string CodeParts(const Table& t, int r, const CodeColumn& g);
// Adds `flag` to the cell's flags once.
void AddFlag(Cell& cell, const std::string& flag);
// The start of a document warning about one cell, "table 02 r11 c1: " (the table's printed
// number, else "#" and its index; "?" without either): the one place that names a cell in
// warnings, so that a later stage can find a warning it makes stale.
std::string CellWarningPrefix(const Table& t, int table_index, int r, int c);

// The 栏次 row's cells: "栏次" and the small integers that number the columns.
bool IsColumnNumberCell(const std::string& text);
// Column c's header cells top down, each once (a merged cell spans several rows or columns),
// spaces removed, empty and column-number cells left out. The last one is the leaf header.
std::vector<std::string> HeaderPath(const Table& t, int c);

// Cell texts of the header rows (spaces removed), non-empty ones.
std::vector<std::string> HeaderTexts(const Table& t);
// "一、一般公共服务支出" -> "一般公共服务支出"; "（一）行政单位" -> "行政单位"; "1. 主要负责人用车"
// -> ...
std::string StripOrdinal(const std::string& label);
// 合计 / 总计 (after removing spaces).
bool IsTotalLabel(const std::string& text);

// A subject code: 3, 5 or 7 digits (类 201, 款 20103, 项 2010301).
bool IsSubjectCode(const std::string& s);
// Each column's leaf header (the last of HeaderPath), "" where a column has none.
std::vector<std::string> LeafHeaders(const Table& t);

}  // namespace juesuan
