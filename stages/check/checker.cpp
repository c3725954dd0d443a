#include "stages/check/checker.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "stages/common/amount.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"

namespace juesuan {
namespace {

struct Ref {
  int table = -1, r = 0, c = 0;
};

struct Term {
  Ref ref;
  int coef = 1;
};

std::vector<Term> operator+(std::vector<Term> a, const std::vector<Term>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A coded row: code + value cell per column key (canonical id, or printed header).
struct CodedRow {
  std::string code;
  int r = 0;
  std::map<std::string, Ref> vals;
};

struct TableData {
  int index = -1;
  const Table* t = nullptr;
  const TableKind* kind = nullptr;
  std::vector<std::string> ids;   // per column: canonical id or leaf header
  std::vector<CodedRow> rows;     // coded rows (all groups)
  std::optional<CodedRow> total;  // the 合计 row
  std::map<std::string, const CodedRow*> by_code;
  // The header of an amount column that no column of the kind matched ("" when every one was):
  // a row identity over the kind's columns would leave that column out and fail wrongly.
  std::string unmatched_amount_column;
};

std::string Label(const Table& t, int index) {
  return t.number ? *t.number : "#" + std::to_string(index);
}

bool LabelIs(const std::string& text, const std::vector<std::string>& labels) {
  std::string s = StripOrdinal(text);
  if (s.empty()) return false;
  for (const auto& l : labels)
    if (HeaderMatches(s, l)) return true;
  return false;
}

class Builder {
 public:
  Builder(const Document& doc, std::vector<Check>* out) : doc_(doc), out_(out) {}
  int trivial = 0;

  Amount Value(const Ref& r) const {
    const Table& t = doc_.tables[r.table];
    const Cell* c = AnchorAt(t, r.r, r.c);
    return c ? ParseAmount(c->text) : Amount{};
  }

  // actual terms = expected terms (each with a coefficient).
  void Add(const std::string& rule, const std::string& where, const std::string& detail,
           const std::vector<Term>& actual, const std::vector<Term>& expected,
           bool conditional = false) {
    if (actual.empty()) return;
    Check ch;
    ch.rule = rule;
    ch.id = rule + where;
    ch.detail = detail;
    ch.conditional = conditional;
    bool all_zero = true, invalid = false;
    int64_t a = 0, e = 0;
    int64_t unit = 1;  // the coarsest rounding unit (in cents) of a non-zero operand as printed
    std::set<int> tables;
    auto take = [&](const std::vector<Term>& terms, int side, int64_t& acc) {
      for (const auto& term : terms) {
        Amount v = Value(term.ref);
        auto sv = v.sum_value();
        int64_t term_value = 0;
        // A sum beyond int64 cents (about 93 cells of 999,999,999,999,999.99) is no amount.
        if (!sv || __builtin_mul_overflow(term.coef, *sv, &term_value) ||
            __builtin_add_overflow(acc, term_value, &acc))
          invalid = true;
        else
          all_zero = all_zero && *sv == 0;
        if (v.is_number() && v.cents != 0) unit = std::max(unit, Checker::RoundingUnit(v.decimals));
        ch.cells.push_back({term.ref.table, term.ref.r, term.ref.c, side, term.coef});
        tables.insert(term.ref.table);
      }
    };
    take(actual, 1, a);
    take(expected, -1, e);
    if (all_zero && !invalid) {
      ++trivial;
      return;
    }
    for (int t : tables) {
      ch.tables.push_back(t);
      ch.table_labels.push_back(Label(doc_.tables[t], t));
    }
    ch.actual = a;
    ch.expected = e;
    if (__builtin_sub_overflow(a, e, &ch.difference) || ch.difference == INT64_MIN)
      invalid = true, ch.difference = 0;
    ch.tolerance = Checker::Tolerance(actual.size() + expected.size()) * unit;
    if (invalid) {
      ch.status = "warning";
      ch.detail += " (an operand could not be read as an amount)";
    } else if (std::llabs(ch.difference) <= ch.tolerance) {
      ch.status = "pass";
      if (ch.difference != 0)
        ch.detail += " (rounding difference " + FormatCents(ch.difference, false) + ")";
    } else {
      ch.status = conditional ? "warning" : "fail";
    }
    out_->push_back(std::move(ch));
  }

 private:
  const Document& doc_;
  std::vector<Check>* out_;
};

std::vector<Term> Terms(const std::vector<Ref>& refs, int coef = 1) {
  std::vector<Term> out;
  for (const auto& r : refs) out.push_back({r, coef});
  return out;
}

// Column keys of a table of unknown kind: the header path joined ("决算数/合计"), and the column
// index after a repeated one, so that two columns never share a key (one would hide the other).
std::vector<std::string> UniqueColumnKeys(const Table& t) {
  std::vector<std::string> keys(static_cast<size_t>(t.n_cols));
  std::set<std::string> taken;
  for (int c = 0; c < t.n_cols; ++c) {
    std::string key;
    for (const auto& part : HeaderPath(t, c)) key += (key.empty() ? "" : "/") + part;
    if (key.empty()) continue;
    if (!taken.insert(key).second) key += "#" + std::to_string(c);
    keys[c] = key;
  }
  return keys;
}

TableData BuildData(const Document& doc, int index, const TableCatalogue& cat) {
  TableData d;
  d.index = index;
  d.t = &doc.tables[index];
  const Table& t = *d.t;
  d.kind = cat.Find(t.kind);
  d.ids = CanonicalColumnIds(t, cat);
  std::vector<std::string> roles = ColumnRoles(t, cat);
  if (!d.kind) d.ids = UniqueColumnKeys(t);
  std::vector<CodeColumn> groups = FindCodeColumns(t);
  if (groups.empty()) {
    for (int c = 0; c < t.n_cols; ++c)
      if (c < static_cast<int>(roles.size()) && roles[c] == "code")
        groups.push_back({c, 0, c + 1, t.n_cols});
    for (size_t k = 0; k + 1 < groups.size(); ++k) groups[k].end = groups[k + 1].col;
  }
  auto is_value_col = [&](int vc) {
    if (vc >= t.n_cols || d.ids[vc].empty()) return false;
    if (d.kind) return roles[vc] == "amount";
    return true;
  };
  for (const CodeColumn& g : groups)
    for (int vc = g.name_col + 1; d.kind && vc < g.end && d.unmatched_amount_column.empty(); ++vc) {
      const std::string header =
          vc < static_cast<int>(t.leaf_headers.size()) ? t.leaf_headers[vc] : "";
      if (header.empty() || !d.ids[vc].empty()) continue;
      for (const auto& cell : t.cells)
        if (cell.c == vc && cell.r >= t.header_rows && ParseAmount(cell.text).is_number()) {
          d.unmatched_amount_column = header;
          break;
        }
    }
  for (size_t k = 0; k < groups.size(); ++k) {
    const CodeColumn& g = groups[k];
    for (int r = t.header_rows; r < t.n_rows; ++r) {
      const std::string code = RowCode(t, r, g);
      bool total = false;
      if (code.empty()) {
        // Only the first group carries the 合计 row (in its code or its name column).
        if (k != 0) continue;
        const Cell* label = AnchorAt(t, r, g.col);
        const Cell* name = CellAt(t, r, g.name_col);
        total = (label && IsTotalLabel(label->text)) || (name && IsTotalLabel(name->text));
        if (!total) continue;
      }
      CodedRow row;
      row.code = code;
      row.r = r;
      for (int vc = g.name_col; vc < g.end; ++vc) {
        const Cell* v = AnchorAt(t, r, vc);
        if (!v || !is_value_col(vc) || (!d.kind && vc == g.name_col)) continue;
        if (v->cs > 1 && !ParseAmount(v->text).is_number()) continue;
        row.vals[d.ids[vc]] = {index, r, vc};
      }
      if (total) {
        if (!d.total) d.total = row;
      } else {
        d.rows.push_back(row);
      }
    }
  }
  for (const auto& row : d.rows) d.by_code.emplace(row.code, &row);
  return d;
}

// 类 = Σ 款, 款 = Σ 项, per column key.
void HierarchyChecks(const TableData& d, const std::string& p, const std::set<std::string>& keys,
                     Builder& b) {
  for (const auto& row : d.rows) {
    if (row.code.size() != 3 && row.code.size() != 5) continue;
    std::vector<const CodedRow*> kids;
    for (const auto& o : d.rows)
      if (o.code.size() == row.code.size() + 2 && o.code.compare(0, row.code.size(), row.code) == 0)
        kids.push_back(&o);
    if (kids.empty()) continue;
    for (const auto& key : keys) {
      auto it = row.vals.find(key);
      if (it == row.vals.end()) continue;
      std::vector<Ref> parts;
      for (const auto* k : kids)
        if (auto jt = k->vals.find(key); jt != k->vals.end()) parts.push_back(jt->second);
      b.Add(p + ".hier", "[" + row.code + "][" + key + "]",
            row.code + " = Σ its " + (row.code.size() == 3 ? "款" : "项") + " (" + key + ")",
            Terms({it->second}), Terms(parts));
    }
  }
}

// 合计 = Σ 类, per column key.
void GrandTotalChecks(const TableData& d, const std::string& p, const std::set<std::string>& keys,
                      Builder& b) {
  if (!d.total) return;
  for (const auto& key : keys) {
    auto it = d.total->vals.find(key);
    if (it == d.total->vals.end()) continue;
    std::vector<Ref> parts;
    for (const auto& row : d.rows)
      if (row.code.size() == 3)
        if (auto jt = row.vals.find(key); jt != row.vals.end()) parts.push_back(jt->second);
    if (parts.empty()) continue;
    b.Add(p + ".total", "[" + key + "]", "合计 = Σ 类 (" + key + ")", Terms({it->second}),
          Terms(parts));
  }
}

// The kind's row identity (total column = Σ part columns) on every row, 合计 first; 07's
// balance (年末 = 年初 + 本年收入 - 本年支出).
void RowIdentityChecks(const TableData& d, const std::string& p, Builder& b) {
  std::vector<const CodedRow*> all;
  if (d.total) all.push_back(&*d.total);
  for (const auto& row : d.rows) all.push_back(&row);
  if (!d.kind->row_total.empty() && d.unmatched_amount_column.empty()) {
    for (const auto* row : all) {
      auto it = row->vals.find(d.kind->row_total);
      if (it == row->vals.end()) continue;
      std::vector<Ref> parts;
      for (const auto& part : d.kind->row_parts)
        if (auto jt = row->vals.find(part); jt != row->vals.end()) parts.push_back(jt->second);
      if (parts.empty()) continue;
      std::string where = row->code.empty() ? "合计" : row->code;
      b.Add(p + ".row", "[" + where + "]", where + ": " + d.kind->row_total + " = Σ parts",
            Terms({it->second}), Terms(parts));
    }
  }
  // The balance identity of the 收入支出 tables (政府性基金, and 国有资本经营 in its 收入支出 form,
  // whose spending subtotal is keyed `subtotal` like the 支出-only 08 it stands in for).
  if (d.kind->id != "gov_fund" && d.kind->id != "state_capital_income_expenditure") return;
  for (const auto* row : all) {
    auto get = [&](const char* k) -> std::optional<Ref> {
      auto it = row->vals.find(k);
      return it == row->vals.end() ? std::nullopt : std::optional<Ref>(it->second);
    };
    auto close = get("closing_balance"), open = get("opening_balance"), inc = get("income"),
         exp = get("expenditure_subtotal");
    if (!exp) exp = get("subtotal");
    if (!close || !open || !inc || !exp) continue;
    std::string where = row->code.empty() ? "合计" : row->code;
    b.Add(p + ".bal", "[" + where + "]", where + ": 年末 = 年初 + 本年收入 - 本年支出",
          Terms({*close}), {{*open, 1}, {*inc, 1}, {*exp, -1}});
  }
}

// Coded tables: hierarchy, 合计, row identities.
void CodedChecks(const TableData& d, Builder& b) {
  const std::string p = d.kind ? d.kind->rule_prefix : "T" + Label(*d.t, d.index);
  std::set<std::string> keys;
  for (const auto& row : d.rows)
    for (const auto& [k, v] : row.vals) keys.insert(k);
  HierarchyChecks(d, p, keys, b);
  GrandTotalChecks(d, p, keys, b);
  if (d.kind) RowIdentityChecks(d, p, b);
}

// 06: 人员经费合计 / 公用经费合计.
struct BasicTotals {
  std::optional<Ref> personnel, public_;
};
BasicTotals FindBasicTotals(const TableData& d) {
  BasicTotals out;
  const Table& t = *d.t;
  for (const auto& cell : t.cells) {
    std::string s = StripSpaces(cell.text);
    bool pers = HeaderMatches(s, "人员经费合计"), pub = HeaderMatches(s, "公用经费合计");
    if (!pers && !pub) continue;
    for (int c = cell.c + cell.cs; c < t.n_cols; ++c) {
      const Cell* v = AnchorAt(t, cell.r, c);
      if (!v) continue;
      (pers ? out.personnel : out.public_) = Ref{d.index, cell.r, c};
      break;
    }
  }
  return out;
}

void BasicChecks(const TableData& d, Builder& b) {
  BasicTotals bt = FindBasicTotals(d);
  std::set<std::string> pers(d.kind->personnel_classes.begin(), d.kind->personnel_classes.end());
  if (pers.empty()) pers = {"301", "303"};
  std::vector<Ref> ps, us;
  for (const auto& row : d.rows) {
    if (row.code.size() != 3 || row.vals.empty()) continue;
    (pers.count(row.code) ? ps : us).push_back(row.vals.begin()->second);
  }
  if (bt.personnel)
    b.Add("T06.a", "", "人员经费合计 = Σ 人员经费 类 (301, 303)", Terms({*bt.personnel}),
          Terms(ps));
  if (bt.public_)
    b.Add("T06.b", "", "公用经费合计 = Σ 公用经费 类", Terms({*bt.public_}), Terms(us));
}

// 01 / 04: the two-sided line tables.
struct SideRow {
  int r = 0;
  std::string label;
  std::map<std::string, Ref> vals;
};
struct Summary {
  std::vector<SideRow> income, expenditure;
  const SideRow* Find(const std::vector<SideRow>& side,
                      const std::vector<std::string>& labels) const {
    for (const auto& row : side)
      if (LabelIs(row.label, labels)) return &row;
    return nullptr;
  }
};

std::vector<std::string> LabelsOf(const TableCatalogue& cat, const char* group, const char* id) {
  std::vector<std::string> out;
  for (const RowLabel& line : cat.row_labels())
    if (line.group == group && line.id == id)
      out.insert(out.end(), line.labels.begin(), line.labels.end());
  return out;
}

Summary BuildSummary(const TableData& d) {
  Summary s;
  const Table& t = *d.t;
  int income_item = -1, exp_item = -1;
  for (int c = 0; c < t.n_cols; ++c) {
    if (d.ids[c] == "income_item") income_item = c;
    if (d.ids[c] == "expenditure_item") exp_item = c;
  }
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    SideRow in, ex;
    in.r = ex.r = r;
    for (int c = 0; c < t.n_cols; ++c) {
      const Cell* cell = AnchorAt(t, r, c);
      if (!cell) continue;
      const std::string& id = d.ids[c];
      if (c == income_item)
        in.label = cell->text;
      else if (c == exp_item)
        ex.label = cell->text;
      else if (id.rfind("income_", 0) == 0 && id != "income_line")
        in.vals[id] = {d.index, r, c};
      else if (id.rfind("expenditure_", 0) == 0 && id != "expenditure_line")
        ex.vals[id] = {d.index, r, c};
    }
    if (!StripSpaces(in.label).empty()) s.income.push_back(in);
    if (!StripSpaces(ex.label).empty()) s.expenditure.push_back(ex);
  }
  return s;
}

// Income lines before 本年收入合计; class lines before 本年支出合计 (with their 类 code).
struct SummaryLines {
  std::vector<const SideRow*> income_lines;
  std::vector<std::pair<std::string, const SideRow*>> classes;
  const SideRow *income_total = nullptr, *use_surplus = nullptr, *opening = nullptr,
                *income_grand = nullptr;
  const SideRow *exp_total = nullptr, *distribution = nullptr, *closing = nullptr,
                *exp_grand = nullptr;
  std::vector<const SideRow*> opening_sub;  // 04: the per-fund lines after 年初
};

SummaryLines Lines(const Summary& s, const TableCatalogue& cat) {
  SummaryLines l;
  l.income_total = s.Find(s.income, LabelsOf(cat, "summary_labels", "income_total"));
  l.use_surplus = s.Find(s.income, LabelsOf(cat, "summary_labels", "use_of_surplus"));
  l.opening = s.Find(s.income, LabelsOf(cat, "summary_labels", "opening_balance"));
  l.income_grand = s.Find(s.income, LabelsOf(cat, "summary_labels", "grand_total"));
  l.exp_total = s.Find(s.expenditure, LabelsOf(cat, "summary_labels", "expenditure_total"));
  l.distribution = s.Find(s.expenditure, LabelsOf(cat, "summary_labels", "surplus_distribution"));
  l.closing = s.Find(s.expenditure, LabelsOf(cat, "summary_labels", "closing_balance"));
  l.exp_grand = s.Find(s.expenditure, LabelsOf(cat, "summary_labels", "grand_total"));
  for (const auto& row : s.income) {
    if (&row == l.income_total) break;
    l.income_lines.push_back(&row);
  }
  if (!l.income_total) l.income_lines.clear();
  if (l.opening)
    for (const auto& row : s.income)
      if (row.r > l.opening->r && &row != l.income_grand &&
          (!l.income_grand || row.r < l.income_grand->r))
        l.opening_sub.push_back(&row);
  std::vector<const RowLabel*> classes;  // the 类 lines, in the catalogue's order
  for (const RowLabel& line : cat.row_labels())
    if (line.group == "function_classes") classes.push_back(&line);
  size_t k = 0;
  for (const auto& row : s.expenditure) {
    if (&row == l.exp_total) break;
    std::string code;
    for (const RowLabel* line : classes)
      if (LabelIs(row.label, line->labels)) code = line->code;
    if (code.empty() && k < classes.size())
      code = classes[k]->code;  // keyed by offset when illegible
    l.classes.emplace_back(code, &row);
    ++k;
  }
  if (!l.exp_total) l.classes.clear();
  return l;
}

std::optional<Ref> Val(const SideRow* row, const std::string& key) {
  if (!row) return std::nullopt;
  auto it = row->vals.find(key);
  return it == row->vals.end() ? std::nullopt : std::optional<Ref>(it->second);
}

std::vector<Ref> Vals(const std::vector<const SideRow*>& rows, const std::string& key) {
  std::vector<Ref> out;
  for (const auto* r : rows)
    if (auto v = Val(r, key)) out.push_back(*v);
  return out;
}

void SummaryChecks(const TableData& d, const SummaryLines& l, Builder& b) {
  bool fiscal = d.kind->id == "fiscal_summary";
  std::string p = d.kind->rule_prefix;
  std::string in = "income_amount";
  std::string ex = fiscal ? "expenditure_total" : "expenditure_amount";
  if (auto v = Val(l.income_total, in))
    b.Add(p + ".a", "", "本年收入合计 = Σ income lines", Terms({*v}),
          Terms(Vals(l.income_lines, in)));
  std::vector<std::string> cols = {ex};
  if (fiscal)
    cols = {"expenditure_total", "expenditure_general_budget", "expenditure_gov_fund",
            "expenditure_state_capital"};
  std::vector<const SideRow*> class_rows;
  for (const auto& [code, row] : l.classes) class_rows.push_back(row);
  for (const auto& col : cols)
    if (auto v = Val(l.exp_total, col))
      b.Add(fiscal ? p + ".col" : p + ".b", "[" + col + "]",
            "本年支出合计 = Σ 类 lines (" + col + ")", Terms({*v}), Terms(Vals(class_rows, col)));
  if (fiscal) {
    std::vector<const SideRow*> rows = class_rows;
    for (const auto* r : {l.exp_total, l.closing, l.exp_grand})
      if (r) rows.push_back(r);
    for (const auto* r : rows) {
      auto tot = Val(r, "expenditure_total");
      if (!tot) continue;
      b.Add(p + ".row", "[r" + std::to_string(r->r) + "]",
            StripSpaces(r->label) + ": 合计 = 一般 + 基金 + 国资", Terms({*tot}),
            Terms(Vals({r}, "expenditure_general_budget")) +
                Terms(Vals({r}, "expenditure_gov_fund")) +
                Terms(Vals({r}, "expenditure_state_capital")));
    }
    if (auto v = Val(l.opening, in); v && !l.opening_sub.empty())
      b.Add(p + ".b", "", "年初财政拨款结转和结余 = Σ per-fund lines", Terms({*v}),
            Terms(Vals(l.opening_sub, in)));
    if (auto v = Val(l.income_grand, in))
      b.Add(p + ".c", "", "收入总计 = 本年收入合计 + 年初", Terms({*v}),
            Terms(Vals({l.income_total, l.opening}, in)));
    for (const auto& col : cols)
      if (auto v = Val(l.exp_grand, col))
        b.Add(p + ".d", "[" + col + "]", "支出总计 = 本年支出合计 + 年末 (" + col + ")",
              Terms({*v}), Terms(Vals({l.exp_total, l.closing}, col)));
    if (auto a = Val(l.income_grand, in), e = Val(l.exp_grand, "expenditure_total"); a && e)
      b.Add(p + ".e", "", "收入总计 = 支出总计", Terms({*a}), Terms({*e}));
    const char* funds[] = {"expenditure_general_budget", "expenditure_gov_fund",
                           "expenditure_state_capital"};
    for (size_t k = 0; k < 3 && k < l.income_lines.size(); ++k) {
      std::vector<Term> lhs = Terms(Vals({l.income_lines[k]}, in));
      if (k < l.opening_sub.size()) lhs = lhs + Terms(Vals({l.opening_sub[k]}, in));
      std::vector<Term> rhs = Terms(Vals({l.exp_total, l.closing}, funds[k]));
      if (!lhs.empty() && !rhs.empty())
        b.Add(p + ".f", "[" + std::string(funds[k]) + "]", "fund income + 年初 = 本年支出 + 年末",
              lhs, rhs);
    }
  } else {
    if (auto v = Val(l.income_grand, in))
      b.Add(p + ".c", "", "收入总计 = 本年收入合计 + 使用结余 + 年初结转和结余", Terms({*v}),
            Terms(Vals({l.income_total, l.use_surplus, l.opening}, in)));
    if (auto v = Val(l.exp_grand, ex))
      b.Add(p + ".d", "", "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余", Terms({*v}),
            Terms(Vals({l.exp_total, l.distribution, l.closing}, ex)));
    if (auto a = Val(l.income_grand, in), e = Val(l.exp_grand, ex); a && e)
      b.Add(p + ".e", "", "收入总计 = 支出总计", Terms({*a}), Terms({*e}));
  }
}

void ThreePublicChecks(const TableData& d, Builder& b) {
  const Table& t = *d.t;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    std::map<std::string, Ref> v;
    for (int c = 0; c < t.n_cols; ++c)
      if (!d.ids[c].empty() && AnchorAt(t, r, c)) v[d.ids[c]] = {d.index, r, c};
    for (const char* side : {"budget", "actual"}) {
      std::string s = side;
      auto get = [&](const std::string& k) -> std::vector<Ref> {
        auto it = v.find(s + "_" + k);
        return it == v.end() ? std::vector<Ref>{} : std::vector<Ref>{it->second};
      };
      auto total = get("total"), car = get("car_subtotal");
      if (!total.empty())
        b.Add("T09.a", "[" + s + "][r" + std::to_string(r) + "]",
              s + ": 合计 = 出国 + 车小计 + 接待", Terms(total),
              Terms(get("abroad")) + Terms(car) + Terms(get("reception")));
      if (!car.empty())
        b.Add("T09.b", "[" + s + "][r" + std::to_string(r) + "]", s + ": 车小计 = 购置 + 运行维护",
              Terms(car), Terms(get("car_purchase")) + Terms(get("car_running")));
    }
  }
}

void InfoStatsChecks(const TableData& d, Builder& b) {
  const Table& t = *d.t;
  int item = -1, value = -1;
  for (int c = 0; c < t.n_cols; ++c) {
    if (d.ids[c] == "item") item = c;
    if (d.ids[c] == "value") value = c;
  }
  if (item < 0 || value < 0) return;
  std::vector<std::pair<std::string, int>> rows;
  for (int r = t.header_rows; r < t.n_rows; ++r)
    if (const Cell* c = AnchorAt(t, r, item)) rows.emplace_back(StripSpaces(c->text), r);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].first == "合计") {
      std::vector<Ref> parts;
      for (size_t k = i + 1; k < rows.size() && parts.size() < 3; ++k)
        if (LabelIs(rows[k].first, {"货物", "工程", "服务"}))
          parts.push_back({d.index, rows[k].second, value});
      if (!parts.empty())
        b.Add("T10.a", "", "政府采购合计 = 货物 + 工程 + 服务",
              Terms({{d.index, rows[i].second, value}}), Terms(parts));
    }
    if (rows[i].first.find("车辆数合计") != std::string::npos) {
      std::vector<Ref> parts;
      for (size_t k = i + 1; k < rows.size(); ++k) {
        const std::string& s = rows[k].first;
        if (s.empty() || s[0] < '1' || s[0] > '9') break;
        parts.push_back({d.index, rows[k].second, value});
      }
      if (!parts.empty())
        b.Add("T10.b", "", "车辆数合计 = Σ vehicle types",
              Terms({{d.index, rows[i].second, value}}), Terms(parts));
    }
  }
}

std::optional<Ref> TotalVal(const TableData* d, const std::string& key) {
  if (!d || !d->total) return std::nullopt;
  auto it = d->total->vals.find(key);
  return it == d->total->vals.end() ? std::nullopt : std::optional<Ref>(it->second);
}
std::optional<Ref> CodeVal(const TableData* d, const std::string& code, const std::string& key) {
  if (!d) return std::nullopt;
  auto it = d->by_code.find(code);
  if (it == d->by_code.end()) return std::nullopt;
  auto jt = it->second->vals.find(key);
  return jt == it->second->vals.end() ? std::nullopt : std::optional<Ref>(jt->second);
}
std::vector<Term> Opt(std::optional<Ref> r) {
  return r ? std::vector<Term>{{*r, 1}} : std::vector<Term>{};
}

// The first table of each kind (what the cross-table identities read) and the lines of the
// first 01 and 04. `lines` points into `summaries`: both live as long as this object.
struct KindTables {
  std::map<std::string, const TableData*> first;
  std::map<std::string, Summary> summaries;
  std::map<std::string, SummaryLines> lines;

  const TableData* Get(const char* kind) const {
    auto it = first.find(kind);
    return it == first.end() ? nullptr : it->second;
  }
  const SummaryLines* LinesOf(const char* kind) const {
    auto it = lines.find(kind);
    return it == lines.end() ? nullptr : &it->second;
  }
};

// Every table's own identities, in document order; `kinds` learns the first table of each kind.
void TableChecks(const std::vector<TableData>& data, const TableCatalogue& catalogue, Builder& b,
                 KindTables& kinds) {
  for (const auto& d : data) {
    std::string kind = d.kind ? d.kind->id : "unknown";
    if (!kinds.first.count(kind)) kinds.first[kind] = &d;
    // The 收入支出 form of 08 carries the same spending columns: the cross-table checks
    // (04 <-> 08, 03 = 05 + 07 + 08) take it as 08.
    if (kind == "state_capital_income_expenditure" && !kinds.first.count("state_capital"))
      kinds.first["state_capital"] = &d;
    if (!d.rows.empty() || d.total) CodedChecks(d, b);
    if (!d.kind) continue;
    if (kind == "general_budget_basic_by_economic") BasicChecks(d, b);
    if (kind == "three_public") ThreePublicChecks(d, b);
    if (kind == "info_stats") InfoStatsChecks(d, b);
    if (kind == "income_expenditure_summary" || kind == "fiscal_summary") {
      if (kinds.summaries.count(kind)) continue;
      kinds.summaries[kind] = BuildSummary(d);
      kinds.lines[kind] = Lines(kinds.summaries[kind], catalogue);
      SummaryChecks(d, kinds.lines[kind], b);
    }
  }
}

// 01 <-> 02 / 03.
void Checks01(const KindTables& k, Builder& b) {
  const SummaryLines* l01 = k.LinesOf("income_expenditure_summary");
  const TableData *t02 = k.Get("income_by_function"), *t03 = k.Get("expenditure_by_function");
  if (l01 && t02) {
    b.Add("X01_02.total", "", "01 本年收入合计 = 02 合计 本年收入合计",
          Opt(Val(l01->income_total, "income_amount")), Opt(TotalVal(t02, "total_income")));
    std::vector<const SideRow*> fiscal(
        l01->income_lines.begin(),
        l01->income_lines.begin() + std::min<size_t>(3, l01->income_lines.size()));
    b.Add("X01_02.fiscal", "", "01 lines 1-3 = 02 合计 财政拨款收入",
          Opt(TotalVal(t02, "fiscal_grant_income")), Terms(Vals(fiscal, "income_amount")));
    const char* src[] = {"upper_subsidy_income", "business_income", "operating_income",
                         "affiliated_remittance_income", "other_income"};
    for (size_t n = 0; n < 5 && 3 + n < l01->income_lines.size(); ++n)
      b.Add("X01_02.src", "[" + std::string(src[n]) + "]",
            "01 line " + std::to_string(4 + n) + " = 02 合计 " + src[n],
            Opt(Val(l01->income_lines[3 + n], "income_amount")), Opt(TotalVal(t02, src[n])));
  }
  if (l01 && t03) {
    b.Add("X01_03.total", "", "01 本年支出合计 = 03 合计 本年支出合计",
          Opt(Val(l01->exp_total, "expenditure_amount")), Opt(TotalVal(t03, "total_expenditure")));
    for (const auto& [code, row] : l01->classes)
      b.Add("X01_03.cat", "[" + code + "]",
            "01 类 line " + code + " = 03 row " + code + " (0 when absent)",
            Opt(Val(row, "expenditure_amount")), Opt(CodeVal(t03, code, "total_expenditure")));
  }
}

// 04 <-> 07: expenditure, income, opening and closing balance, and each 类.
void Checks04And07(const SummaryLines& l04, const TableData* t07, Builder& b) {
  b.Add("X04_07.exp", "", "04 本年支出合计 政府性基金 = 07 合计 本年支出小计",
        Opt(Val(l04.exp_total, "expenditure_gov_fund")),
        Opt(TotalVal(t07, "expenditure_subtotal")));
  if (l04.income_lines.size() >= 2)
    b.Add("X04_07.inc", "", "04 income line 2 = 07 合计 本年收入",
          Opt(Val(l04.income_lines[1], "income_amount")), Opt(TotalVal(t07, "income")));
  if (l04.opening_sub.size() >= 2)
    b.Add("X04_07.open", "", "04 年初 政府性基金 line = 07 合计 年初结转和结余",
          Opt(Val(l04.opening_sub[1], "income_amount")), Opt(TotalVal(t07, "opening_balance")));
  b.Add("X04_07.close", "", "04 年末 政府性基金 = 07 合计 年末结转和结余",
        Opt(Val(l04.closing, "expenditure_gov_fund")), Opt(TotalVal(t07, "closing_balance")));
  for (const auto& [code, row] : l04.classes)
    b.Add("X04_07.cat", "[" + code + "]", "04 类 " + code + " 政府性基金 = 07 row " + code,
          Opt(Val(row, "expenditure_gov_fund")), Opt(CodeVal(t07, code, "expenditure_subtotal")));
}

// 04 <-> 01 / 05 / 07 / 08.
void Checks04(const KindTables& k, Builder& b) {
  const SummaryLines* l04 = k.LinesOf("fiscal_summary");
  const SummaryLines* l01 = k.LinesOf("income_expenditure_summary");
  const TableData *t05 = k.Get("general_budget_by_function"), *t07 = k.Get("gov_fund"),
                  *t08 = k.Get("state_capital");
  if (!l04) return;
  if (l01)
    for (size_t n = 0; n < 3 && n < l04->income_lines.size() && n < l01->income_lines.size(); ++n)
      b.Add("X04_01.src", "[" + std::to_string(n + 1) + "]",
            "04 income line " + std::to_string(n + 1) + " = 01 line " + std::to_string(n + 1),
            Opt(Val(l04->income_lines[n], "income_amount")),
            Opt(Val(l01->income_lines[n], "income_amount")));
  if (t05) {
    b.Add("X04_05.total", "", "04 本年支出合计 一般公共预算 = 05 合计 小计",
          Opt(Val(l04->exp_total, "expenditure_general_budget")), Opt(TotalVal(t05, "subtotal")));
    for (const auto& [code, row] : l04->classes)
      b.Add("X04_05.cat", "[" + code + "]", "04 类 " + code + " 一般公共预算 = 05 row " + code,
            Opt(Val(row, "expenditure_general_budget")), Opt(CodeVal(t05, code, "subtotal")));
  }
  if (t07) Checks04And07(*l04, t07, b);
  if (t08)
    b.Add("X04_08", "", "04 本年支出合计 国有资本经营 = 08 合计",
          Opt(Val(l04->exp_total, "expenditure_state_capital")), Opt(TotalVal(t08, "subtotal")));
}

// 03 = 05 + 07 + 08 on every row and spending column (conditional).
void Checks03To0578(const TableData& t03, const KindTables& k, Builder& b) {
  const TableData *t05 = k.Get("general_budget_by_function"), *t07 = k.Get("gov_fund"),
                  *t08 = k.Get("state_capital");
  const std::pair<const char*, const char*> cols[] = {
      {"total_expenditure", ""},
      {"basic_expenditure", "basic_expenditure"},
      {"project_expenditure", "project_expenditure"}};
  std::vector<const CodedRow*> rows;
  if (t03.total) rows.push_back(&*t03.total);
  for (const auto& r : t03.rows) rows.push_back(&r);
  for (const auto* row : rows)
    for (const auto& [c03, cpart] : cols) {
      auto it = row->vals.find(c03);
      if (it == row->vals.end()) continue;
      std::vector<Term> parts;
      auto add = [&](const TableData* d, const char* total_key) {
        std::string key = *cpart ? cpart : total_key;
        auto v = row->code.empty() ? TotalVal(d, key) : CodeVal(d, row->code, key);
        if (v) parts.push_back({*v, 1});
      };
      add(t05, "subtotal");
      add(t07, "expenditure_subtotal");
      add(t08, "subtotal");
      std::string where = row->code.empty() ? "合计" : row->code;
      b.Add("X03_0578", "[" + where + "][" + c03 + "]",
            "03 = 05 + 07 + 08 for " + where + " (holds only when all spending is 财政拨款)",
            Terms({it->second}), parts, true);
    }
}

// 09's 决算 三公 amounts against 06's economic classes (soft).
void Checks09To06(const TableData& t09, const TableData& t06, Builder& b) {
  auto col = [&](const char* id) {
    for (int c = 0; c < t09.t->n_cols; ++c)
      if (t09.ids[c] == id) return c;
    return -1;
  };
  int r = -1, rc = col("actual_reception");
  for (int rr = t09.t->header_rows; rr < t09.t->n_rows && r < 0 && rc >= 0; ++rr)
    if (const Cell* cell = AnchorAt(*t09.t, rr, rc);
        cell && ParseAmount(cell->text).kind != Amount::Kind::kInvalid)
      r = rr;
  const std::pair<const char*, const char*> soft[] = {
      {"actual_reception", "30217"}, {"actual_car_running", "30231"}, {"actual_abroad", "30212"}};
  for (const auto& [id, code] : soft) {
    int c = col(id);
    auto v06 = CodeVal(&t06, code, "amount");
    if (r < 0 || c < 0 || !v06) continue;
    b.Add("X09_06", "[" + std::string(code) + "]",
          std::string("09 决算 ") + id + " = 06 " + code +
              " (soft: fails when 三公 is also paid from 项目支出)",
          Terms({{t09.index, r, c}}), Terms({*v06}), true);
  }
}

// 05 / 03 基本支出 against 06's totals; the conditional identities (warnings, not errors:
// seeds.md §9.4).
void BasicAndConditionalChecks(const KindTables& k, Builder& b) {
  const TableData *t02 = k.Get("income_by_function"), *t03 = k.Get("expenditure_by_function"),
                  *t05 = k.Get("general_budget_by_function"),
                  *t06 = k.Get("general_budget_basic_by_economic"), *t07 = k.Get("gov_fund"),
                  *t08 = k.Get("state_capital"), *t09 = k.Get("three_public");
  if (t05 && t06) {
    BasicTotals bt = FindBasicTotals(*t06);
    if (bt.personnel || bt.public_)
      b.Add("X05_06", "", "05 合计 基本支出 = 06 人员经费合计 + 公用经费合计",
            Opt(TotalVal(t05, "basic_expenditure")), Opt(bt.personnel) + Opt(bt.public_));
  }
  if (t02 && t03)
    for (const auto& row : t02->rows)
      if (auto v = CodeVal(t03, row.code, "total_expenditure"))
        b.Add("X02_03.code", "[" + row.code + "]",
              "02 本年收入合计 = 03 本年支出合计 for " + row.code +
                  " (holds only without 结转/结余分配)",
              Opt(CodeVal(t02, row.code, "total_income")), Opt(v), true);
  if (t03 && (t05 || t07 || t08)) Checks03To0578(*t03, k, b);
  if (t03 && t06) {
    BasicTotals bt = FindBasicTotals(*t06);
    if (bt.personnel || bt.public_)
      b.Add("X03_06", "", "03 合计 基本支出 = 06 人员 + 公用 (conditional)",
            Opt(TotalVal(t03, "basic_expenditure")), Opt(bt.personnel) + Opt(bt.public_), true);
  }
  if (t09 && t06) Checks09To06(*t09, *t06, b);
}

// Every table's data, in document order (by_code points into each one's own rows).
std::vector<TableData> BuildAllData(const Document& doc, const TableCatalogue& catalogue) {
  std::vector<TableData> data;
  for (int i = 0; i < static_cast<int>(doc.tables.size()); ++i)
    data.push_back(BuildData(doc, i, catalogue));
  for (auto& d : data) {  // by_code points into d.rows: rebuild after the move
    d.by_code.clear();
    for (const auto& row : d.rows) d.by_code.emplace(row.code, &row);
  }
  return data;
}

}  // namespace

int64_t Checker::RoundingUnit(int decimals) { return decimals >= 2 ? 1 : decimals == 1 ? 10 : 100; }

int64_t Checker::Tolerance(size_t n_terms) {
  return std::clamp<int64_t>(static_cast<int64_t>(n_terms) / 2, 1, 3);
}

std::vector<Check> Checker::check(const Document& doc, int* trivial) const {
  std::vector<Check> out;
  Builder b(doc, &out);
  const std::vector<TableData> data = BuildAllData(doc, catalogue_);
  KindTables kinds;
  TableChecks(data, catalogue_, b, kinds);
  Checks01(kinds, b);
  Checks04(kinds, b);
  BasicAndConditionalChecks(kinds, b);
  if (trivial) *trivial = b.trivial;
  return out;
}

namespace {

// OCR-plausible re-readings of an amount's text, as cents.
std::vector<std::pair<int64_t, std::string>> Rereadings(const std::string& text) {
  std::vector<std::pair<int64_t, std::string>> out;
  Amount a = ParseAmount(text);
  if (!a.is_number()) return out;
  std::string s;
  bool neg = false;
  for (char ch : StripSpaces(text)) {
    if (ch == '-') neg = true;
    if ((ch >= '0' && ch <= '9') || ch == '.') s += ch;
  }
  int decimals = a.decimals == 0 ? 2 : a.decimals;
  std::set<std::string> variants;
  // One confusable digit.
  for (size_t i = 0; i < s.size(); ++i)
    for (char d = '0'; d <= '9'; ++d)
      if (s[i] != '.' && d != s[i] &&
          SubstitutionCost(static_cast<char32_t>(s[i]), static_cast<char32_t>(d)) < 0.5) {
        std::string v = s;
        v[i] = d;
        variants.insert(v);
      }
  std::string digits;
  for (char ch : s)
    if (ch != '.') digits += ch;
  // Lost / moved decimal point.
  for (size_t i = 1; i < digits.size(); ++i)
    variants.insert(digits.substr(0, i) + "." + digits.substr(i));
  variants.insert(digits);
  // Lost digit / extra digit.
  for (size_t i = 0; i <= s.size(); ++i)
    for (char d = '0'; d <= '9'; ++d) variants.insert(s.substr(0, i) + d + s.substr(i));
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != '.') variants.insert(s.substr(0, i) + s.substr(i + 1));
  for (const auto& v : variants) {
    if (v.empty() || v == s || v.front() == '.' || v.back() == '.') continue;
    if (v.size() > 1 && v[0] == '0' && v[1] != '.') continue;
    size_t dot = v.find('.');
    if (dot != std::string::npos && v.size() - dot - 1 > 2) continue;
    Amount b = ParseAmount(v);
    if (!b.is_number()) continue;
    if (b.decimals != 0 && b.decimals != decimals && b.decimals != 2) continue;
    int64_t cents = neg ? -b.cents : b.cents;
    out.emplace_back(
        cents, (neg ? "-" : "") +
                   FormatCents(b.cents, text.find(',') != std::string::npos || b.cents >= 100000));
  }
  return out;
}

using CellKey = std::tuple<int, int, int>;  // table, row, column

// A re-reading of one cell that clears failing checks, and how many still fail after it.
struct NumericOption {
  CellKey cell;
  std::string text, reason;
  int after_fails;
};

// The failing hard checks of `checks`, by every cell they read (a cell once per check).
std::map<CellKey, std::vector<const Check*>> FailingByCell(const std::vector<Check>& checks,
                                                           int* fails) {
  std::map<CellKey, std::vector<const Check*>> by_cell;
  *fails = 0;
  for (const auto& ch : checks) {
    if (ch.status != "fail") continue;
    ++*fails;
    std::set<CellKey> seen;
    for (const auto& cc : ch.cells)
      if (seen.insert({cc.table, cc.r, cc.c}).second)
        by_cell[{cc.table, cc.r, cc.c}].push_back(&ch);
  }
  return by_cell;
}

// The values the failing checks want in the cell (each check read alone: the value that makes
// it hold), for the checks where the cell counts once, on either side.
std::vector<int64_t> WantedValues(const CellKey& key, const Cell& cell,
                                  const std::vector<const Check*>& failing) {
  auto [ti, r, c] = key;
  const int64_t old = ParseAmount(cell.text).cents;
  std::vector<int64_t> wanted;
  for (const Check* ch : failing) {
    int f = 0;
    for (const auto& cc : ch->cells)
      if (cc.table == ti && cc.r == r && cc.c == c) f += cc.side * cc.coef;
    if (f != 1 && f != -1) continue;
    wanted.push_back(old - ch->difference * f);
  }
  return wanted;
}

// The checks after the cell reads `text` (the cell is put back after).
struct After {
  int fails = 0;         // failing checks in the document
  bool cell_ok = true;   // no failing check reads the cell
  bool no_new = true;    // every failing check failed before too
  int cell_passing = 0;  // passing hard checks that read the cell
};
After Evaluate(const Checker& checker, Document& doc, const CellKey& key, Cell& cell,
               const std::string& text, const std::vector<Check>& before_checks) {
  auto [ti, r, c] = key;
  const std::string before = cell.text;
  cell.text = text;
  const std::vector<Check> after = checker.check(doc);
  cell.text = before;
  After out;
  std::set<std::string> failed_after;
  for (const auto& ch : after) {
    bool reads_cell = false;
    for (const auto& cc : ch.cells)
      reads_cell = reads_cell || (cc.table == ti && cc.r == r && cc.c == c);
    if (ch.status == "pass" && !ch.conditional && reads_cell) ++out.cell_passing;
    if (ch.status != "fail") continue;
    ++out.fails;
    failed_after.insert(ch.id);
    if (reads_cell) out.cell_ok = false;
  }
  std::set<std::string> failed_before;
  for (const auto& ch : before_checks)
    if (ch.status == "fail") failed_before.insert(ch.id);
  for (const auto& id : failed_after) out.no_new = out.no_new && failed_before.count(id);
  return out;
}

// After the cell reads `text`: how many checks fail, or nullopt when a check on the cell still
// fails or a check that passed before now fails.
std::optional<int> FailsAfter(const Checker& checker, Document& doc, const CellKey& key, Cell& cell,
                              const std::string& text, const std::vector<Check>& before_checks) {
  const After a = Evaluate(checker, doc, key, cell, text, before_checks);
  if (!a.cell_ok || !a.no_new) return std::nullopt;
  return a.fails;
}

// A reading that is no amount only for its separators ("2.177 200", "300. 000", "5 668.416"):
// every run of separators (. , - : ; ' or spaces) between digits that has exactly three digits
// after it is a lost thousands comma; the last group may be two decimals. "" when the digits
// do not fall in such groups.
std::string SeparatorRereading(const std::string& reading) {
  std::vector<std::string> groups;
  std::vector<bool> point_before;  // the separator run before each group held a '.'
  bool in_sep = true, point = false;
  for (char ch : reading) {
    if (ch >= '0' && ch <= '9') {
      if (in_sep) groups.emplace_back(), point_before.push_back(point);
      groups.back() += ch;
      in_sep = false, point = false;
    } else if (std::string_view(" .,-:;'").find(ch) != std::string_view::npos) {
      if (!in_sep) in_sep = true, point = false;
      point = point || ch == '.';
    } else if (ch != '\n' && ch != '\t') {
      return "";
    }
  }
  if (groups.size() < 2 || groups[0].size() > 3) return "";
  std::string out = groups[0];
  for (size_t i = 1; i < groups.size(); ++i) {
    const bool decimals = i + 1 == groups.size() && groups[i].size() == 2 && point_before[i];
    if (groups[i].size() != 3 && !decimals) return "";
    out += (decimals ? "." : ",") + groups[i];
  }
  return out;
}

// A new value to try in a cell, and where it came from.
struct Candidate {
  int64_t cents;
  std::string text;
  std::string source;  // how the reason names it
};

// The OCR-plausible re-readings of the cell's text; for text that is no amount, its separators
// read as thousands commas; then its OCR alternative readings (Cell::alternatives). One per
// value, the first.
std::vector<Candidate> Candidates(const Cell& cell) {
  std::vector<Candidate> out;
  std::set<int64_t> seen;
  const Amount now = ParseAmount(cell.text);
  if (now.is_number()) seen.insert(now.cents);
  for (auto& [cents, text] : Rereadings(cell.text))
    if (seen.insert(cents).second) out.push_back({cents, text, "the re-reading"});
  auto add = [&](const std::string& text, const char* source) {
    const Amount a = ParseAmount(text);
    if (a.is_number() && seen.insert(a.cents).second) out.push_back({a.cents, text, source});
  };
  if (now.kind == Amount::Kind::kInvalid)
    for (const auto* reading : {&cell.raw, &cell.text})
      add(SeparatorRereading(*reading), "the re-reading with thousands separators");
  for (const auto& alt : cell.alternatives) add(alt, "the OCR alternative reading");
  return out;
}

// The re-readings of one cell that every failing check on it agrees with and that clear at
// least `min_checks` failures.
void CellOptions(const Checker& checker, const Checker::Params& params, Document& doc,
                 const CellKey& key, const std::vector<const Check*>& failing,
                 const std::vector<Check>& checks, int fails, std::vector<NumericOption>& options) {
  if (failing.size() < params.min_failing_checks) return;  // never on one check's evidence
  auto [ti, r, c] = key;
  Cell* cell = AnchorAt(doc.tables[ti], r, c);
  if (!cell || cell->exact) return;  // text-layer digits are what is printed
  // Every failing check must want the same new value.
  const std::vector<int64_t> wanted = WantedValues(key, *cell, failing);
  if (wanted.size() < params.min_failing_checks) return;
  auto [lo, hi] = std::minmax_element(wanted.begin(), wanted.end());
  const int64_t spread = params.max_spread_cents;
  if (*hi - *lo > spread) return;
  for (const auto& [cents, text, source] : Candidates(*cell)) {
    if (cents < *lo - spread || cents > *hi + spread) continue;
    const std::optional<int> after_fails = FailsAfter(checker, doc, key, *cell, text, checks);
    if (!after_fails || *after_fails > fails - static_cast<int>(params.min_failing_checks))
      continue;
    std::string reason =
        "constrained numeric repair: " + std::to_string(failing.size()) + " failing checks (";
    for (size_t k = 0; k < failing.size(); ++k) reason += (k ? ", " : "") + failing[k]->id;
    reason += ") all off by " + FormatCents(std::llabs(failing[0]->difference), false) + "; " +
              source + " " + text + " makes every check pass";
    options.push_back({key, text, reason, *after_fails});
  }
}

// The hard checks that could not be decided, by every OCR cell they read whose text is no
// amount (a reading such as "300.000").
std::map<CellKey, std::vector<const Check*>> UndecidedByCell(const Document& doc,
                                                             const std::vector<Check>& checks) {
  std::map<CellKey, std::vector<const Check*>> by_cell;
  for (const auto& ch : checks) {
    if (ch.status != "warning" || ch.conditional) continue;
    std::set<CellKey> seen;
    for (const auto& cc : ch.cells) {
      const Cell* cell = AnchorAt(doc.tables[cc.table], cc.r, cc.c);
      if (cell && !cell->exact && ParseAmount(cell->text).kind == Amount::Kind::kInvalid &&
          seen.insert({cc.table, cc.r, cc.c}).second)
        by_cell[{cc.table, cc.r, cc.c}].push_back(&ch);
    }
  }
  return by_cell;
}

// The candidates (Candidates) for a cell that is no amount which make at least
// `min_failing_checks` hard checks on it pass, none fail, and no check fail that did not: the
// checks, undecided while the cell could not be read, prove the value. Never on one check's
// evidence.
void UnreadableCellOptions(const Checker& checker, const Checker::Params& params, Document& doc,
                           const CellKey& key, const std::vector<const Check*>& undecided,
                           const std::vector<Check>& checks, int fails,
                           std::vector<NumericOption>& options) {
  if (undecided.size() < params.min_failing_checks) return;
  auto [ti, r, c] = key;
  Cell* cell = AnchorAt(doc.tables[ti], r, c);
  for (const auto& [cents, text, source] : Candidates(*cell)) {
    const After a = Evaluate(checker, doc, key, *cell, text, checks);
    if (!a.cell_ok || !a.no_new || a.fails > fails ||
        a.cell_passing < static_cast<int>(params.min_failing_checks))
      continue;
    std::string reason = "constrained numeric repair: \"" + cell->text +
                         "\" is no amount and leaves " + std::to_string(undecided.size()) +
                         " checks undecided (";
    for (size_t k = 0; k < undecided.size(); ++k) reason += (k ? ", " : "") + undecided[k]->id;
    reason +=
        "); " + source + " " + text + " makes " + std::to_string(a.cell_passing) + " of them pass";
    options.push_back({key, text, reason, a.fails});
  }
}

// One unambiguous option per cell; the best cell's (fewest failures left), or nullptr.
const NumericOption* BestOption(const std::vector<NumericOption>& options) {
  std::map<CellKey, int> per_cell;
  for (const auto& o : options) ++per_cell[o.cell];
  const NumericOption* best = nullptr;
  for (const auto& o : options)
    if (per_cell[o.cell] == 1 && (!best || o.after_fails < best->after_fails)) best = &o;
  return best;
}

Repair ApplyOption(Document& doc, const NumericOption& option, double confidence) {
  auto [ti, r, c] = option.cell;
  Cell* cell = AnchorAt(doc.tables[ti], r, c);
  Repair rp;
  rp.table = ti;
  rp.table_number = doc.tables[ti].number.value_or("");
  rp.r = r;
  rp.c = c;
  rp.field = "amount";
  rp.before = cell->text;
  rp.after = option.text;
  rp.reason = option.reason;
  rp.confidence = confidence;
  if (cell->raw.empty()) cell->raw = cell->text;
  cell->text = option.text;
  // A reading that did not parse was flagged unreadable by the repair stage (flag and warning);
  // two checks now prove its value, and the repair record says what it was read as.
  if (std::erase(cell->flags, "unreadable") > 0) {
    const std::string label = CellWarningPrefix(doc.tables[ti], ti, r, c) + "amount '";
    std::erase_if(doc.warnings, [&](const std::string& w) {
      return w.starts_with(label) && w.ends_with("' cannot be read; kept as read");
    });
  }
  return rp;
}

}  // namespace

std::vector<Repair> Checker::RepairNumbers(Document& doc) const {
  std::vector<Repair> repairs;
  for (int round = 0; round < params_.max_rounds; ++round) {
    const std::vector<Check> checks = check(doc);
    int fails = 0;
    const auto by_cell = FailingByCell(checks, &fails);
    const auto undecided_by_cell = UndecidedByCell(doc, checks);
    if (fails == 0 && undecided_by_cell.empty()) break;
    std::vector<NumericOption> options;
    for (const auto& [key, failing] : by_cell)
      CellOptions(*this, params_, doc, key, failing, checks, fails, options);
    for (const auto& [key, undecided] : undecided_by_cell)
      UnreadableCellOptions(*this, params_, doc, key, undecided, checks, fails, options);
    const NumericOption* best = BestOption(options);
    if (!best) break;
    repairs.push_back(ApplyOption(doc, *best, params_.confidence));
  }
  return repairs;
}

}  // namespace juesuan
