#include "stages/common/table_view.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <string_view>

#include "stages/common/text_match.h"

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

bool IsColumnNumberCell(const std::string& text) {
  const std::string s = StripSpaces(text);
  return s == "栏次" ||
         (!s.empty() && s.size() <= 2 && s.find_first_not_of("0123456789") == std::string::npos);
}

std::vector<std::string> HeaderPath(const Table& t, int c) {
  std::vector<std::string> out;
  const Cell* previous = nullptr;
  for (int r = 0; r < t.header_rows; ++r) {
    const Cell* cell = CellAt(t, r, c);
    if (!cell || cell == previous) continue;
    previous = cell;
    std::string s = StripSpaces(cell->text);
    if (!s.empty() && !IsColumnNumberCell(s)) out.push_back(std::move(s));
  }
  return out;
}

namespace {

bool IsCodePart(const std::string& s) {
  return s.size() == 2 && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1]));
}

// Body cells of column c that are anchored there and one column wide, spaces removed.
std::vector<std::string> BodyTexts(const Table& t, int c) {
  std::vector<std::string> out;
  for (const auto& cell : t.cells)
    if (cell.c == c && cell.cs == 1 && cell.r >= t.header_rows)
      out.push_back(StripSpaces(cell.text));
  return out;
}

}  // namespace

std::vector<CodeColumn> FindCodeColumns(const Table& t) {
  std::vector<CodeColumn> out;
  for (int c = 0; c + 1 < t.n_cols; ++c) {
    int codes = 0, filled = 0;
    for (const auto& s : BodyTexts(t, c)) {
      filled += !s.empty();
      // Subject codes begin with 1 (收入), 2 (功能), 3 or 5 (经济); a whole-元 amount that OCR
      // read without its separators ("9501164") is seven digits too, but seldom begins so.
      codes += !s.empty() && IsSubjectCode(s) &&
               std::string_view("1235").find(s[0]) != std::string_view::npos;
    }
    if (codes == 0 || codes * 2 < filled) continue;
    CodeColumn g;
    g.col = c;
    // 款 / 项 part columns: under a 款 / 项 header (even when empty: the whole code printed in
    // the 类 column; or misread), else mostly two-digit parts.
    for (int p = c + 1; p <= c + 2 && p + 1 < t.n_cols; ++p) {
      int part_filled = 0, two = 0;
      for (const auto& s : BodyTexts(t, p)) {
        part_filled += !s.empty();
        two += IsCodePart(s);
      }
      const std::string header =
          p < static_cast<int>(t.leaf_headers.size()) ? StripSpaces(t.leaf_headers[p]) : "";
      const bool part_header = header == "款" || header == "项";
      if (!part_header && (part_filled == 0 || two * 2 < part_filled)) break;
      ++g.parts;
    }
    g.name_col = c + 1 + g.parts;
    out.push_back(g);
    c += g.parts;
  }
  for (size_t k = 0; k < out.size(); ++k)
    out[k].end = k + 1 < out.size() ? out[k + 1].col : t.n_cols;
  return out;
}

std::vector<int> CodeColumns(const Table& t) {
  std::vector<int> out;
  for (const auto& g : FindCodeColumns(t)) out.push_back(g.col);
  return out;
}

namespace {

// One part cell of a split code as a part: its two digits, "" when blank; nullopt when it holds
// something else. Parts print two digits, but a spreadsheet export can drop the leading zero
// ("2" for 02, real-budget b24-wanli-dept): one printed digit (text layer) is the part 0d. One
// digit read by OCR may as well be "12" with a digit lost: not a part.
std::optional<std::string> PartOf(const Cell* part) {
  std::string s = part ? StripSpaces(part->text) : "";
  if (s.empty()) return s;
  if (part->exact && s.size() == 1 && std::isdigit(static_cast<unsigned char>(s[0]))) s = "0" + s;
  if (!IsCodePart(s)) return std::nullopt;
  return s;
}

}  // namespace

std::string CodeParts(const Table& t, int r, const CodeColumn& g) {
  std::string out;
  for (int p = 1; p <= g.parts; ++p) {
    const auto s = PartOf(AnchorAt(t, r, g.col + p));
    if (!s || s->empty()) break;
    out += *s;
  }
  return out;
}

std::string RowCode(const Table& t, int r, const CodeColumn& g) {
  const Cell* code = AnchorAt(t, r, g.col);
  if (!code) return "";
  std::string s = StripSpaces(code->text);
  if (!IsSubjectCode(s)) return "";
  if (s.size() != 3) return s;
  // A part that holds something other than a part leaves the code unknown: the row is not the
  // 类 row its first column alone would make it (a second 301 among 301's children).
  for (int p = 1; p <= g.parts; ++p)
    if (!PartOf(AnchorAt(t, r, g.col + p))) return "";
  return s + CodeParts(t, r, g);
}

std::string CellWarningPrefix(const Table& t, int table_index, int r, int c) {
  const std::string name =
      t.number ? *t.number : (table_index >= 0 ? "#" + std::to_string(table_index) : "?");
  return "table " + name + " r" + std::to_string(r) + " c" + std::to_string(c) + ": ";
}

void AddFlag(Cell& cell, const std::string& flag) {
  if (std::find(cell.flags.begin(), cell.flags.end(), flag) == cell.flags.end())
    cell.flags.push_back(flag);
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

bool IsSubjectCode(const std::string& s) {
  static const std::regex kCode(R"(^[0-9]{3}([0-9]{2}){0,2}$)");
  return std::regex_match(s, kCode);
}

std::vector<std::string> LeafHeaders(const Table& t) {
  std::vector<std::string> out(t.n_cols);
  for (int c = 0; c < t.n_cols; ++c)
    if (std::vector<std::string> path = HeaderPath(t, c); !path.empty()) out[c] = path.back();
  return out;
}

}  // namespace juesuan
