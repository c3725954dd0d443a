#include "stages/records/records.h"

#include <algorithm>
#include <map>
#include <set>

#include "stages/common/amount.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"

namespace juesuan {
namespace {

// 合计 / 总计 anywhere in the label (本年收入合计, 收入总计, 车辆数合计) make a total; 小计 a
// subtotal.
std::string RoleOfLabel(const std::string& label) {
  const std::string s = StripOrdinal(label);
  if (s.find("合计") != std::string::npos || s.find("总计") != std::string::npos) return "total";
  if (s.find("小计") != std::string::npos) return "subtotal";
  return "item";
}

void SetCode(Record& rec, const std::string& code, const std::string& classification) {
  rec.code = code;
  rec.classification = classification == "none" ? "" : classification;
  rec.level = code.size() == 3 ? "类" : code.size() == 5 ? "款" : code.size() == 7 ? "项" : "";
  rec.parent = code.size() > 3 ? code.substr(0, code.size() - 2) : "";
}

// The cells of row r in columns [from, end) except `skip`, each once at its anchor: a cell merged
// from a column to the left or a row above was reported there.
void AddValues(const Table& t, int r, int from, int end, const std::vector<int>& skip,
               Record& rec) {
  for (int vc = std::max(from, 0); vc < end && vc < t.n_cols; ++vc) {
    if (std::find(skip.begin(), skip.end(), vc) != skip.end()) continue;
    const Cell* v = CellAt(t, r, vc);
    if (v && (v->c != vc || v->r != r)) continue;
    RecordValue value{vc, "", {}};
    if (v) value.text = StripSpaces(v->text), value.flags = v->flags;
    rec.values.push_back(std::move(value));
  }
}

bool AnyValue(const Record& rec) {
  return std::any_of(rec.values.begin(), rec.values.end(),
                     [](const RecordValue& v) { return !v.text.empty(); });
}

std::vector<Record> CodedRecords(const Table& t, const std::vector<CodeColumn>& groups,
                                 const std::string& classification) {
  std::vector<Record> out;
  std::vector<size_t> group_of;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    int covered_until = 0;  // a label merged over this group from the left (06's 公用经费合计)
    for (size_t k = 0; k < groups.size(); ++k) {
      const CodeColumn& g = groups[k];
      if (g.col < covered_until) continue;
      Record rec;
      rec.row = r;
      // The first cell of the group: the code, or a label merged over the code columns (合计).
      const Cell* first = CellAt(t, r, g.col);
      const bool own = first && first->r == r && first->c == g.col;
      const int first_end = own ? g.col + first->cs : g.col + 1;
      const std::string code = RowCode(t, r, g);
      int value_from = std::max(g.name_col + 1, first_end);
      if (!code.empty()) {
        rec.key = "code";
        SetCode(rec, code, classification);
        const int name_col = std::max(g.name_col, first_end);
        if (const Cell* name = CellAt(t, r, name_col); name && name_col < g.end)
          rec.name = StripSpaces(name->text);
        value_from = name_col + 1;
      } else {
        const Cell* name = g.name_col < g.end ? CellAt(t, r, g.name_col) : nullptr;
        if (name && name->r == r && name->c >= g.col) rec.label = StripSpaces(name->text);
        if (rec.label.empty() && own) rec.label = StripSpaces(first->text);
        rec.name = rec.label;
        rec.role = RoleOfLabel(rec.label);
      }
      int end = g.end;
      for (size_t next = k + 1; rec.key != "code" && next < groups.size() && first_end > end;
           ++next)
        end = groups[next].end;  // the label reaches into the next group: its values are ours
      covered_until = own ? first_end : 0;
      AddValues(t, r, value_from, end, {}, rec);
      if (rec.key != "code" && rec.label.empty() && !AnyValue(rec)) continue;
      out.push_back(std::move(rec));
      group_of.push_back(k);
    }
  }
  // A code with a child code in its group (a 类 above its 款) is a subtotal of them.
  std::vector<std::set<std::string>> codes(groups.size());
  for (size_t i = 0; i < out.size(); ++i)
    if (!out[i].code.empty()) codes[group_of[i]].insert(out[i].code);
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string& code = out[i].code;
    if (code.empty()) continue;
    const auto& seen = codes[group_of[i]];
    for (auto it = seen.upper_bound(code); it != seen.end() && it->starts_with(code); ++it)
      if (it->size() > code.size()) {
        out[i].role = "subtotal";
        break;
      }
  }
  return out;
}

// A group of a table without codes: its label columns (none, one, or a code and a name column
// of a coded kind whose body holds no code, as in a 07 with only its 合计 row), its 行次 column
// (-1: none) and the columns [begin, end) it spans.
struct LineGroup {
  std::vector<int> label_cols;
  int line_col = -1, begin = 0, end = 0;
  std::string half;
};

bool IsLabelRole(const std::string& role) {
  return role == "item" || role == "name" || role == "code";
}

bool IsLineHeader(const std::string& header) { return StripSpaces(header) == "行次"; }

// Which columns carry labels and 行次: the catalogue's roles when the kind names its columns,
// else read from the body (a label column is mostly text that is no amount and no small integer).
std::vector<LineGroup> FindLineGroups(const Table& t, const std::vector<Column>& columns,
                                      const TableCatalogue& catalogue) {
  const std::vector<std::string> roles = ColumnRoles(t, catalogue);
  // A kind whose columns are all figures (09) has no label column, whatever OCR made of one.
  const TableKind* kind = catalogue.Find(t.kind);
  const bool labels_possible =
      !kind || kind->columns.empty() ||
      std::any_of(kind->columns.begin(), kind->columns.end(),
                  [](const ColumnSpec& spec) { return IsLabelRole(spec.role); });
  std::vector<LineGroup> groups;
  bool amount_since_label = true;
  for (int c = 0; c < t.n_cols; ++c) {
    const std::string header = c < static_cast<int>(columns.size()) ? columns[c].header : "";
    const std::string role = c < static_cast<int>(roles.size()) ? roles[c] : "";
    // The kind's role decides (09's twelve amounts: a garbled one is still no label); a column
    // the kind does not name is judged by its body.
    bool is_label = IsLabelRole(role), is_line = role == "line", is_amount = role == "amount";
    if (role.empty()) {
      int filled = 0, textual = 0, amounts = 0;
      for (const auto& cell : t.cells) {
        if (cell.c != c || cell.r < t.header_rows) continue;
        const std::string s = StripSpaces(cell.text);
        if (s.empty()) continue;
        ++filled;
        const Amount a = ParseAmount(s);
        amounts += a.is_number() || a.is_dash();
        textual += !a.is_number() && !a.is_dash();
      }
      is_line = IsLineHeader(header);
      is_label = labels_possible && !is_line && filled > 0 && textual * 2 > filled;
      is_amount = !is_line && !is_label && amounts > 0;
    }
    if (is_label && (amount_since_label || groups.empty())) {
      if (!groups.empty()) groups.back().end = c;
      groups.push_back({{c}, -1, groups.empty() ? 0 : c, t.n_cols, ""});
      amount_since_label = false;
    } else if (is_label && (role == "name" || role == "code") && groups.back().line_col < 0) {
      groups.back().label_cols.push_back(c);  // the name after the code column
    } else if (is_line && !groups.empty() && groups.back().line_col < 0) {
      groups.back().line_col = c;
    }
    amount_since_label = amount_since_label || is_amount;
  }
  if (groups.empty()) groups.push_back({{}, -1, 0, t.n_cols, ""});
  if (groups.size() == 2) {
    for (auto& g : groups) {
      const Column& col = columns[g.label_cols.front()];
      const std::string top = col.path.empty() ? "" : col.path.front();
      if (col.id.starts_with("income_") || top.find("收入") != std::string::npos)
        g.half = "income";
      else if (col.id.starts_with("expenditure_") || top.find("支出") != std::string::npos)
        g.half = "expenditure";
    }
    if (groups[0].half == groups[1].half) groups[0].half = groups[1].half = "";
  }
  return groups;
}

// The catalogue line a label names, among the lines its half may hold: the wording as printed,
// else one within OCR noise (labels were repaired against these wordings already, and close
// wordings differ in one character: 年初结转和结余 / 年末结转和结余).
const RowLabel* FindLine(const std::string& label, const std::string& half, const std::string& kind,
                         const TableCatalogue& catalogue) {
  const std::string s = StripOrdinal(label);
  if (s.empty()) return nullptr;
  auto allowed = [&](const RowLabel& line) {
    return line.group == "summary_labels" || (line.group == "income_lines" && half == "income") ||
           (line.group == "function_classes" && half == "expenditure") ||
           (line.group == "info_stats" && kind == "info_stats");
  };
  for (const bool exact : {true, false})
    for (const RowLabel& line : catalogue.row_labels())
      if (allowed(line))
        for (const auto& wording : line.labels)
          if (exact ? StripSpaces(wording) == s : HeaderMatches(s, wording)) return &line;
  return nullptr;
}

std::vector<Record> LineRecords(const Table& t, const std::vector<Column>& columns,
                                const TableCatalogue& catalogue) {
  const TableKind* kind = catalogue.Find(t.kind);
  const bool by_line = kind && kind->row_key == "line+label";
  std::vector<LineGroup> groups = FindLineGroups(t, columns, catalogue);
  std::vector<Record> out;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    for (const LineGroup& g : groups) {
      Record rec;
      rec.row = r;
      rec.half = g.half;
      for (int c : g.label_cols)
        if (const Cell* label = CellAt(t, r, c); label && label->c >= g.begin && rec.label.empty())
          rec.label = StripSpaces(label->text);
      if (g.line_col >= 0)
        if (const Cell* line = AnchorAt(t, r, g.line_col)) {
          const std::string s = StripSpaces(line->text);
          if (!s.empty() && s.size() <= 4 && s.find_first_not_of("0123456789") == std::string::npos)
            rec.line = std::stoi(s);
        }
      std::vector<int> keys = g.label_cols;
      keys.push_back(g.line_col);
      AddValues(t, r, g.begin, g.end, keys, rec);
      if (rec.label.empty() && !AnyValue(rec)) continue;  // a 行次 alone prints no line
      rec.name = rec.label;
      rec.role = RoleOfLabel(rec.label);
      rec.key = by_line || g.line_col >= 0 ? "line" : "label";
      if (rec.key == "line")
        if (const RowLabel* line = FindLine(rec.label, g.half, t.kind, catalogue)) {
          rec.line_id = line->id;
          if (!line->code.empty()) SetCode(rec, line->code, "function");
        }
      out.push_back(std::move(rec));
    }
  }
  return out;
}

}  // namespace

std::vector<Column> BuildColumns(const Table& t, const TableCatalogue& catalogue) {
  const std::vector<std::string> ids = CanonicalColumnIds(t, catalogue);
  std::map<std::string, int> seen;
  std::vector<Column> out;
  for (int c = 0; c < t.n_cols; ++c) {
    Column col;
    col.index = c;
    col.path = HeaderPath(t, c);
    col.header = col.path.empty() ? "" : col.path.back();
    if (c < static_cast<int>(ids.size()) && !ids[c].empty()) {
      const int n = ++seen[ids[c]];
      col.id = n == 1 ? ids[c] : ids[c] + "_" + std::to_string(n);
    }
    out.push_back(std::move(col));
  }
  return out;
}

namespace {

std::vector<Record> RecordsWithColumns(const Table& t, const std::vector<Column>& columns,
                                       const TableCatalogue& catalogue) {
  const std::vector<CodeColumn> groups = FindCodeColumns(t);
  if (!groups.empty()) return CodedRecords(t, groups, KindCodeType(t, catalogue));
  return LineRecords(t, columns, catalogue);
}

}  // namespace

std::vector<Record> BuildRecords(const Table& t, const TableCatalogue& catalogue) {
  return RecordsWithColumns(t, BuildColumns(t, catalogue), catalogue);
}

void BuildColumnsAndRecords(Table& t, const TableCatalogue& catalogue) {
  t.columns = BuildColumns(t, catalogue);
  t.records = RecordsWithColumns(t, t.columns, catalogue);  // the columns once, not twice
}

}  // namespace juesuan
