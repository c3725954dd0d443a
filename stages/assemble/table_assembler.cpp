#include "stages/assemble/table_assembler.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "stages/common/amount.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"
#include "stages/common/utf8.h"

namespace juesuan {
namespace {

const std::regex kTableNo(R"(公\s*开\s*[0O]?\s*([0-9]{1,2})\s*表)");
// Multi-byte characters are grouped before a quantifier: std::regex works on bytes.
const std::regex kYear(R"(((?:19|20)[0-9]{2})\s*年\s*(?:度)?)");
// "单位" means both the unit of measure (单位：万元) and the organisation (单位：某某中心).
const std::regex kUnit(R"(单\s*位\s*(?::|：)?\s*(?:\.|．|·|,|，)?\s*(万\s*元|千\s*元|元)\s*$)");
const std::regex kDept(R"((?:部\s*门|单\s*位)\s*(?:名\s*称)?\s*(?::|：)\s*(.+))");
const std::regex kNote(R"(^\s*(注|说\s*明)\s*(?::|：))");

// Lines that carry only a fact (公开02表, 2024年度, 单位：万元, 部门：…), not a title. A title may
// contain a year ("2025年部门收入预算总表"), so a year counts only as the whole line.
bool IsMetaLine(const std::string& t) {
  static const std::regex kYearOnly(R"(^(?:19|20)[0-9]{2}\s*年\s*(?:度)?$)");
  static const std::regex kNumberOnly(R"(^(?:公\s*开\s*)?[0O]?\s*[0-9]{1,2}\s*表$)");
  return std::regex_match(t, kNumberOnly) || std::regex_search(t, kUnit) ||
         std::regex_search(t, kDept) || std::regex_match(t, kYearOnly);
}

// The document heading printed above every table of some producers:
// "中共上海市普陀区委社会工作部2024年度部门决算表", "某某局2025年部门预算". It names the
// department and the year, not the table.
const std::regex kHeading(
    R"(^(.*?)((?:19|20)[0-9]{2})\s*年\s*度?\s*(?:部\s*门|单\s*位)?\s*(?:决\s*算|预\s*算)\s*(?:表)?$)");

// A line that names a kind of table: it ends in 表 (before a 续 mark or closing bracket).
// Multi-byte brackets are alternatives, not a bracket expression: std::regex works on bytes.
bool NamesATable(const std::string& s) {
  static const std::regex kTitle(R"(表\s*(?:(?:（|\()?\s*续\s*(?:表)?\s*(?:）|\))?)?\s*$)");
  return std::regex_search(s, kTitle);
}

// The title a continued table's title continues: "收入决算表（续）", "收入决算表(续表)" ->
// 收入决算表; "续表" -> "". nullopt for a title without a 续 mark.
std::optional<std::string> ContinuedTitle(const std::string& title) {
  static const std::regex kContinued(
      R"(^(.*?)\s*(?:（|\()?\s*续\s*(?:表)?\s*[0-9]*\s*(?:）|\))?$)");
  std::smatch m;
  if (!std::regex_match(title, m, kContinued)) return std::nullopt;
  return m[1].str();
}

// A sentence that introduces what follows ("纳入…编制范围的单位包括：").
bool IntroducesAList(const std::string& s) {
  return s.size() >= 12 && (s.ends_with("：") || s.ends_with(":"));
}

}  // namespace

int TableAssembler::CountHeaderRows(const Table& t) {
  // The header ends at the first row that carries data: an amount, a subject code in the left
  // half, or a 合计/总计 row label. "合计" as a column title (04: 支出/合计) is not a row label,
  // so only the row's first filled cell counts for that.
  for (int r = 0; r < t.n_rows; ++r) {
    bool first = true;
    for (const auto& cell : t.cells) {
      if (cell.r != r) continue;
      const std::string s = StripSpaces(cell.text);
      if (IsAmount(s) || (IsSubjectCode(s) && cell.c < t.n_cols / 2 + 1)) return r;
      // Budgets print whole 元 ("164,978,640"); OCR may lose the separators. Six digits or
      // more are no header text (a year has four, a code in the left half is caught above).
      if (s.size() >= 6 && s.find_first_not_of("0123456789") == std::string::npos) return r;
      if (s.empty()) continue;
      // A 合计 row label sits in one row; a 合计 column title (09) spans header rows.
      if (first && (s == "合计" || s == "总计") && cell.c <= 1 && cell.rs == 1) return r;
      first = false;
    }
  }
  return 0;
}

void TableAssembler::AppendContinuation(Table& t, const Table& next) {
  // A continuation often repeats the header rows; drop its leading non-data rows when they read
  // like t's header (OCR noise makes exact comparison useless, so compare by similarity).
  auto row_text = [](const Table& tb, int r) {
    std::string s;
    for (const auto& c : tb.cells)
      if (c.r == r) s += StripSpaces(c.text);
    return s;
  };
  // Compare the leading block of k rows as a whole: a broken rule in the repeated header can
  // merge cells across its rows, so row-by-row comparison is too strict.
  auto block = [&](const Table& tb, int k) {
    std::string s;
    for (int r = 0; r < k; ++r) s += row_text(tb, r);
    return s;
  };
  int drop = 0;
  for (int k = std::min(t.header_rows, next.n_rows); k > 0 && drop == 0; --k) {
    bool crosses = false;
    for (const auto& c : next.cells) crosses |= c.r < k && c.r + c.rs > k;
    if (!crosses && !block(next, k).empty() && TextSimilarity(block(next, k), block(t, k)) >= 0.6)
      drop = k;
  }
  for (Cell c : next.cells) {
    if (c.r < drop) continue;
    c.r += t.n_rows - drop;
    t.cells.push_back(std::move(c));
  }
  t.n_rows += next.n_rows - drop;
  t.n_cols = std::max(t.n_cols, next.n_cols);
  for (int p : next.pages)
    if (std::find(t.pages.begin(), t.pages.end(), p) == t.pages.end()) t.pages.push_back(p);
  t.notes.insert(t.notes.end(), next.notes.begin(), next.notes.end());
}

namespace {

// A continuation grid may have fewer columns than the table it continues: its cells merge some
// (the 合计 row alone on the last page spans 类 | 款 | 项 | 名称). Each of its column lines must
// then fall on one of the table's, once the outer edges are aligned (scans shift and scale a
// page a little). Returns the table's line index for each of the grid's lines, or nothing.
std::optional<std::vector<int>> MapColumnLines(const std::vector<int>& table_xs,
                                               const std::vector<int>& next_xs, int tol) {
  if (table_xs.size() < 2 || next_xs.size() < 2 || next_xs.size() > table_xs.size())
    return std::nullopt;
  const double width = table_xs.back() - table_xs.front();
  const double next_width = next_xs.back() - next_xs.front();
  if (width <= 0 || next_width <= 0) return std::nullopt;
  const int last = static_cast<int>(table_xs.size()) - 1;
  auto map_with = [&](double scale) -> std::optional<std::vector<int>> {
    std::vector<int> map;
    size_t k = 0;
    for (size_t i = 0; i < next_xs.size(); ++i) {
      const double at = table_xs.front() + (next_xs[i] - next_xs.front()) * scale;
      while (k < table_xs.size() && table_xs[k] < at - tol) ++k;
      if (k < table_xs.size() && std::abs(table_xs[k] - at) <= tol) {
        map.push_back(static_cast<int>(k++));
      } else if (i + 1 == next_xs.size() && at > table_xs[last - 1] && at < table_xs[last]) {
        // The right border broke off in the scan: the grid ends inside the last column.
        map.push_back(last);
      } else {
        return std::nullopt;
      }
    }
    if (map.front() != 0 || map.back() != last) return std::nullopt;
    return map;
  };
  // The right edge alone, when the left border broke off in the scan (the grid starts inside
  // the first column: b25-wanli-dept's 合计 row alone on its page began 70 px right of it).
  auto map_from_right = [&]() -> std::optional<std::vector<int>> {
    std::vector<int> map;
    size_t k = 0;
    for (size_t i = 0; i < next_xs.size(); ++i) {
      const double at = table_xs.back() + (next_xs[i] - next_xs.back());
      while (k < table_xs.size() && table_xs[k] < at - tol) ++k;
      if (k < table_xs.size() && std::abs(table_xs[k] - at) <= tol) {
        map.push_back(static_cast<int>(k++));
      } else if (i == 0 && at > table_xs[0] && at < table_xs[1]) {
        map.push_back(0);
        k = 1;
      } else {
        return std::nullopt;
      }
    }
    if (map.front() != 0 || map.back() != last) return std::nullopt;
    return map;
  };
  // The whole width scaled (a scan shrinks or grows a page a little), else the left edge alone,
  // else the right edge alone.
  if (std::abs(next_width / width - 1.0) <= 0.03)
    if (auto map = map_with(width / next_width)) return map;
  if (auto map = map_with(1.0)) return map;
  return map_from_right();
}

}  // namespace

namespace {

// The disclosure facts (部门, 年度, 单位) voted over every line that states one; the first line
// each voted value was read from is kept for the output's provenance.
class FactVotes {
 public:
  enum Fact { kDepartment, kYear, kUnit };
  void Vote(Fact fact, const std::string& value, int page, const std::string& line) {
    ++votes_[fact][value];
    at_[fact].try_emplace(value, Document::Provenance{page, line});
  }
  // The most voted value (the first in byte order on a tie) and where it was read.
  std::string Winner(Fact fact, std::optional<Document::Provenance>* source) const {
    std::string best;
    int n = 0;
    for (auto& [k, v] : votes_[fact])
      if (v > n) best = k, n = v;
    auto it = at_[fact].find(best);
    *source =
        it == at_[fact].end() ? std::nullopt : std::optional<Document::Provenance>(it->second);
    return best;
  }

 private:
  std::array<std::map<std::string, int>, 3> votes_;
  std::array<std::map<std::string, Document::Provenance>, 3> at_;
};

// The size of a line's characters: Han characters are square, so a line's width per character
// says it even when its box height does not.
int EmOf(const TextLine& line) {
  const size_t chars = U32Length(line.text);
  const int width_per_char = chars > 0 ? line.bbox.w / static_cast<int>(chars) : 0;
  return std::max(line.bbox.h, width_per_char);
}

// The lines above a grid that could be its title, as a person reads them.
struct TitleCandidates {
  const TextLine* prominent = nullptr;  // the most prominent long line or line with 表
  const TextLine* named = nullptr;      // the nearest line that names a kind of 表
  const TextLine* intro = nullptr;      // the nearest sentence that introduces a list
};

// One line above the grid: its number, disclosure facts, and whether it may be the title.
void ReadLineAbove(const TextLine& line, const std::string& s, int page_number, Table& t,
                   FactVotes& votes, TitleCandidates& titles) {
  std::smatch m;
  if (std::regex_search(s, m, kTableNo)) t.number = (m[1].length() == 1 ? "0" : "") + m[1].str();
  if (std::regex_search(s, m, kYear)) votes.Vote(FactVotes::kYear, m[1], page_number, s);
  if (std::regex_search(s, m, kUnit)) {
    t.unit = StripSpaces(m[1]);  // the lowest unit line above the grid is this table's
    votes.Vote(FactVotes::kUnit, *t.unit, page_number, s);
  }
  if (std::regex_search(s, m, kDept) && !std::regex_search(s, kUnit)) {
    std::string d = StripSpaces(m[1]);
    if (d.size() >= 6 && d.find("元") == std::string::npos)
      votes.Vote(FactVotes::kDepartment, d, page_number, s);
  }
  if (std::regex_match(s, m, kHeading)) {
    votes.Vote(FactVotes::kYear, m[2], page_number, s);
    std::string d = StripSpaces(m[1]);
    if (d.size() >= 6) votes.Vote(FactVotes::kDepartment, d, page_number, s);
    return;
  }
  if (IsMetaLine(s)) return;
  const int cy = line.bbox.y + line.bbox.h / 2;
  auto nearer = [&](const TextLine* other) {
    return !other || cy > other->bbox.y + other->bbox.h / 2;
  };
  if (NamesATable(s) && nearer(titles.named)) titles.named = &line;
  if (IntroducesAList(s) && nearer(titles.intro)) titles.intro = &line;
  bool titled = s.find("表") != std::string::npos || s.size() >= 12;
  if (titled && (!titles.prominent || line.bbox.h > titles.prominent->bbox.h))
    titles.prominent = &line;
}

// The title is the nearest line above that names a kind of 表 (not the document heading); else
// the nearest sentence that introduces a list, joined with the lines above it that end
// mid-sentence; else the most prominent long line.
void SetTitle(const PageResult& page, const TitleCandidates& titles, Table& t) {
  const TextLine* title = titles.named   ? titles.named
                          : titles.intro ? titles.intro
                                         : titles.prominent;
  if (title) t.title = StripSpaces(title->text);
  if (!title || title != titles.intro) return;
  const TextLine* first = title;
  for (auto it = page.lines.rbegin(); it != page.lines.rend(); ++it) {
    const std::string above = StripSpaces(it->text);
    // Text-layer boxes of one font can be 3 pt or 22 pt high (producers' font metrics differ),
    // so the allowed gap is measured in the line's em: its height or its characters' width.
    const bool just_above = it->bbox.y < first->bbox.y &&
                            first->bbox.y - (it->bbox.y + it->bbox.h) < EmOf(*first) * 3 / 2;
    if (!just_above) continue;
    if (above.ends_with("。") || above.ends_with("：") || above.ends_with(":") || IsMetaLine(above))
      break;
    // The sentence may start inside the line above, after the previous sentence's full stop
    // ("…单位决算。纳入…编制范" above "围的单位包括："): take only its own part.
    if (const size_t stop = above.rfind("。"); stop != std::string::npos) {
      t.title = above.substr(stop + std::string("。").size()) + t.title;
      break;
    }
    t.title = above + t.title;
    first = &*it;
  }
}

// A form that prints its title as its own first row (绩效目标填报表: one cell across the whole
// grid) has no title line above it; that row is the title, and it stays a row of the table.
void TitleFromFirstRow(Table& t) {
  if (!t.title.empty()) return;
  for (Cell& c : t.cells)
    if (c.r == 0 && c.c == 0 && c.cs == t.n_cols && t.n_cols > 1) {
      // The year line below the title may share its cell when the rule between them is lost
      // (a scan: "财政项目支出绩效目标填报表(2023年度)"); the title is the part up to 表.
      static const std::regex kYearAfter(
          R"(^(.*表)\s*(?:（|\()\s*(?:19|20)[0-9]{2}\s*年\s*(?:度)?\s*(?:）|\))$)");
      std::string s = StripSpaces(c.text);
      bool with_year = false;
      if (std::smatch m; std::regex_match(s, m, kYearAfter)) s = m[1], with_year = true;
      if (!NamesATable(s)) continue;
      t.title = s;
      // The cell holds two rows' text: the rule between them was missed.
      if (with_year && !c.exact) AddFlag(c, "gap_in_text");
    }
}

// A note ruled into the grid as its last row ("注：本表反映…" in one cell across the table) is a
// note, not a row of the table: it moves to t.notes (before the notes printed under the grid).
void NotesFromLastRows(Table& t) {
  while (t.n_rows > 1) {
    const int last = t.n_rows - 1;
    const auto note = std::find_if(t.cells.begin(), t.cells.end(), [&](const Cell& c) {
      return c.r == last && c.c == 0 && c.cs == t.n_cols && c.rs == 1;
    });
    if (note == t.cells.end() || !std::regex_search(StripSpaces(note->text), kNote)) return;
    t.notes.insert(t.notes.begin(), StripSpaces(note->text));
    t.bbox.h = std::max(0, note->bbox.y - t.bbox.y);
    std::erase_if(t.cells, [&](const Cell& c) { return c.r == last; });
    t.n_rows = last;
  }
}

// Table ti of the page with the text around it: number, title and disclosure facts from the
// lines above the grid (below the previous table), notes from the lines below it.
Table ReadTable(const PageResult& page, size_t ti, FactVotes& votes) {
  const PageTable& pt = page.tables[ti];
  const Box& b = pt.grid.bbox;
  int top_limit = ti > 0 ? page.tables[ti - 1].grid.bbox.y + page.tables[ti - 1].grid.bbox.h : 0;
  int bottom_limit = ti + 1 < page.tables.size() ? page.tables[ti + 1].grid.bbox.y : page.height;
  Table t;
  t.pages = {page.number};
  t.bbox = b;
  t.n_rows = pt.grid.n_rows();
  t.n_cols = pt.grid.n_cols();
  t.cells = pt.cells;
  t.kind = "unknown";
  TitleCandidates titles;
  for (const auto& line : page.lines) {
    int cy = line.bbox.y + line.bbox.h / 2;
    std::string s = StripSpaces(line.text);
    if (cy < b.y && cy > top_limit) {
      ReadLineAbove(line, s, page.number, t, votes, titles);
    } else if (cy > b.y + b.h && cy < bottom_limit) {
      if (std::regex_search(s, kNote) || (!t.notes.empty() && cy - (b.y + b.h) < page.dpi)) {
        if (std::regex_search(s, kNote) || t.notes.empty())
          t.notes.push_back(s);
        else
          t.notes.back() += s;  // a note wrapped onto the next line
      }
    }
  }
  NotesFromLastRows(t);
  SetTitle(page, titles, t);
  TitleFromFirstRow(t);
  return t;
}

// Whether t (the first grid on its page, untitled and unnumbered) continues `prev`, which ended
// its page on the page before. A grid with fewer columns continues it only when it has a few
// rows (a table's tail) and its column lines fall on prev's: its cells are then remapped.
bool ContinuesUntitled(const Table& prev, Table& t, const std::vector<int>& prev_xs,
                       const std::vector<int>& xs, int dpi) {
  if (prev.n_cols == t.n_cols) return true;
  if (prev.n_cols < t.n_cols || t.n_rows > 3) return false;
  auto lines = MapColumnLines(prev_xs, xs, std::max(4, dpi / 25));
  if (!lines) return false;
  for (Cell& c : t.cells) {
    const int right = (*lines)[c.c + c.cs];
    c.c = (*lines)[c.c];
    c.cs = right - c.c;
  }
  t.n_cols = prev.n_cols;
  return true;
}

// The cover (and an inner cover) before the first table: "上海市普陀区2026年区级部门预算" /
// "预算主管部门：上海市普陀区司法局", or "上海市普陀区财政局" over "2024年度部门决算". Only the
// first pages are covers, and only until a table: later prose may end a line in 预算 or 决算.
void VoteFromCover(const PageResult& page, FactVotes& votes) {
  constexpr int kCoverPages = 2;
  if (page.number > kCoverPages) return;
  static const std::regex kNoDigits(R"(^[^0-9]{3,60}$)");
  static const std::regex kDeptLabel(R"((?:部\s*门|单\s*位)\s*(?:名\s*称)?\s*(?::|：)$)");
  const TextLine* above = nullptr;
  for (size_t i = 0; i < page.lines.size(); ++i) {
    const TextLine& line = page.lines[i];
    const std::string s = StripSpaces(line.text);
    std::smatch m;
    if (std::regex_search(s, m, kDept) && !std::regex_search(s, kUnit)) {
      const std::string d = StripSpaces(m[1]);
      if (d.size() >= 6) votes.Vote(FactVotes::kDepartment, d, page.number, s);
    } else if (std::regex_search(s, kDeptLabel) && i + 1 < page.lines.size()) {
      // "预算主管部门：" and its value read as two lines: a wide gap after the colon.
      const TextLine& next = page.lines[i + 1];
      const std::string d = StripSpaces(next.text);
      const bool same_row = next.bbox.x > line.bbox.x && next.bbox.y < line.bbox.y + line.bbox.h &&
                            line.bbox.y < next.bbox.y + next.bbox.h;
      if (same_row && d.size() >= 6 && std::regex_match(d, kNoDigits))
        votes.Vote(FactVotes::kDepartment, d, page.number, s + d);
    } else if (std::regex_match(s, m, kHeading)) {
      votes.Vote(FactVotes::kYear, m[2], page.number, s);
      std::string d = StripSpaces(m[1]);
      // The department on the line just above the year (within two of its ems).
      const std::string prev = above ? StripSpaces(above->text) : "";
      if (d.empty() && above && line.bbox.y - (above->bbox.y + above->bbox.h) < 2 * EmOf(line) &&
          std::regex_match(prev, kNoDigits))
        d = prev;
      if (d.size() >= 6)
        votes.Vote(FactVotes::kDepartment, d, page.number, d == prev ? prev + " " + s : s);
    }
    above = &line;
  }
}

}  // namespace

void TableAssembler::assemble(Document& doc) const {
  FactVotes votes, cover;
  bool before_tables = true;
  int previous = -1;  // index into doc.tables (pointers would dangle as the vector grows)
  bool previous_ends_page = false;
  std::vector<int> previous_xs;  // column lines of the previous table on its last page
  for (auto& page : doc.page_results) {
    before_tables = before_tables && page.tables.empty();
    if (before_tables) VoteFromCover(page, cover);
    for (size_t ti = 0; ti < page.tables.size(); ++ti) {
      const PageTable& pt = page.tables[ti];
      const Box& b = pt.grid.bbox;
      Table t = ReadTable(page, ti, votes);
      bool starts_page = b.y < page.height / 3;  // only the page's running header above it
      Table* prev = previous >= 0 ? &doc.tables[previous] : nullptr;
      bool follows = prev && prev->pages.back() + 1 == page.number;
      bool continuation = follows && previous_ends_page && starts_page && !t.number &&
                          t.title.empty() &&
                          ContinuesUntitled(*prev, t, previous_xs, pt.grid.xs, page.dpi);
      bool same_number = follows && t.number && prev->number == t.number;
      // "收入决算表（续）" or "续表" above a grid on the next page: the table goes on. Its columns
      // must line up as an untitled continuation's would.
      const auto stem = follows ? ContinuedTitle(t.title) : std::nullopt;
      const bool continued_title = stem && (stem->empty() || *stem == prev->title) &&
                                   ContinuesUntitled(*prev, t, previous_xs, pt.grid.xs, page.dpi);
      if (continuation || same_number || continued_title) {
        AppendContinuation(*prev, t);
      } else {
        t.header_rows = CountHeaderRows(t);
        doc.tables.push_back(std::move(t));
        previous = static_cast<int>(doc.tables.size()) - 1;
      }
      previous_ends_page = b.y + b.h > page.height * 3 / 5;
      previous_xs = pt.grid.xs;
    }
    if (page.tables.empty()) previous_ends_page = false;
  }
  for (auto& t : doc.tables) {
    std::sort(t.cells.begin(), t.cells.end(),
              [](const Cell& a, const Cell& b) { return a.r != b.r ? a.r < b.r : a.c < b.c; });
    t.leaf_headers = LeafHeaders(t);
    t.rows_inferred.clear();
    for (const Cell& c : t.cells)
      if (c.row_inferred && (t.rows_inferred.empty() || t.rows_inferred.back() != c.r))
        t.rows_inferred.push_back(c.r);
  }
  // The tables' headings decide; the cover speaks when they name no department or year.
  doc.department = votes.Winner(FactVotes::kDepartment, &doc.department_source);
  if (doc.department.empty())
    doc.department = cover.Winner(FactVotes::kDepartment, &doc.department_source);
  doc.year = votes.Winner(FactVotes::kYear, &doc.year_source);
  if (doc.year.empty()) doc.year = cover.Winner(FactVotes::kYear, &doc.year_source);
  doc.unit = votes.Winner(FactVotes::kUnit, &doc.unit_source);
  if (doc.tables.empty()) doc.warnings.push_back("no ruled table found in the document");
  if (doc.unit.empty() && !doc.tables.empty())
    doc.warnings.push_back("unit (单位：万元) not found");
}

}  // namespace juesuan
