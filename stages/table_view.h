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
// Columns whose body cells are mostly subject codes (same rule as TableAssembler::BuildRecords).
std::vector<int> CodeColumns(const Table& t);
// Cell texts of the header rows (spaces removed), non-empty ones.
std::vector<std::string> HeaderTexts(const Table& t);
// "一、一般公共服务支出" -> "一般公共服务支出"; "（一）行政单位" -> "行政单位"; "1. 主要负责人用车"
// -> ...
std::string StripOrdinal(const std::string& label);
// 合计 / 总计 (after removing spaces).
bool IsTotalLabel(const std::string& text);

}  // namespace juesuan
