#include "stages/table_view.h"

#include <string_view>

#include "stages/table_assembler.h"
#include "stages/text_match.h"

namespace juesuan {

const Cell* CellAt(const Table& t, int r, int c) {
  for (const auto& cell : t.cells)
    if (cell.r <= r && r < cell.r + cell.rs && cell.c <= c && c < cell.c + cell.cs) return &cell;
  return nullptr;
}
Cell* CellAt(Table& t, int r, int c) {
  return const_cast<Cell*>(CellAt(static_cast<const Table&>(t), r, c));
}
const Cell* AnchorAt(const Table& t, int r, int c) {
  for (const auto& cell : t.cells)
    if (cell.r == r && cell.c == c) return &cell;
  return nullptr;
}
Cell* AnchorAt(Table& t, int r, int c) {
  return const_cast<Cell*>(AnchorAt(static_cast<const Table&>(t), r, c));
}

std::vector<int> CodeColumns(const Table& t) {
  std::vector<int> code_cols;
  for (int c = 0; c + 1 < t.n_cols; ++c) {
    int codes = 0, filled = 0;
    for (const auto& cell : t.cells) {
      if (cell.c != c || cell.cs != 1 || cell.r < t.header_rows) continue;
      std::string s = StripSpaces(cell.text);
      if (s.empty()) continue;
      ++filled;
      codes += IsSubjectCode(s);
    }
    if (codes >= 1 && codes * 2 >= filled) code_cols.push_back(c);
  }
  return code_cols;
}

std::vector<std::string> HeaderTexts(const Table& t) {
  std::vector<std::string> out;
  for (const auto& cell : t.cells)
    if (cell.r < t.header_rows) {
      std::string s = StripSpaces(cell.text);
      if (!s.empty()) out.push_back(s);
    }
  return out;
}

std::string StripOrdinal(const std::string& label) {
  std::u32string u = DecodeUtf8(StripSpaces(label));
  auto is_cn = [](char32_t c) {
    return std::u32string_view(U"一二三四五六七八九十").find(c) != std::u32string_view::npos;
  };
  size_t i = 0;
  if (i < u.size() && (u[i] == U'（' || u[i] == U'(')) {
    size_t j = i + 1;
    while (j < u.size() && (is_cn(u[j]) || (u[j] >= U'0' && u[j] <= U'9'))) ++j;
    if (j > i + 1 && j < u.size() && (u[j] == U'）' || u[j] == U')'))
      return EncodeUtf8(u.substr(j + 1));
    return EncodeUtf8(u);
  }
  size_t j = i;
  while (j < u.size() && is_cn(u[j])) ++j;
  if (j > i && j < u.size() && (u[j] == U'、' || u[j] == U'.' || u[j] == U'．'))
    return EncodeUtf8(u.substr(j + 1));
  j = i;
  while (j < u.size() && u[j] >= U'0' && u[j] <= U'9') ++j;
  if (j > i && j <= i + 2 && j + 1 < u.size() && (u[j] == U'.' || u[j] == U'、' || u[j] == U'．') &&
      !(u[j + 1] >= U'0' && u[j + 1] <= U'9'))
    return EncodeUtf8(u.substr(j + 1));
  return EncodeUtf8(u);
}

bool IsTotalLabel(const std::string& text) {
  std::string s = StripSpaces(text);
  return s == "合计" || s == "总计";
}

}  // namespace juesuan
