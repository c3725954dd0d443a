#include "stages/facts/fact_checks.h"

#include <algorithm>
#include <optional>

#include "stages/check/flags.h"
#include "stages/common/amount.h"
#include "stages/common/table_view.h"
#include "stages/facts/fact_reader.h"
#include "stages/facts/interval.h"

namespace juesuan {
namespace {

// Parts of a total are looked for among this many facts after it, on its page or the next.
constexpr int kPartsWindow = 30;

// A printed number of a fact as an interval in its base unit (元 for money), or nullopt when
// it is not a number (a change's sign is dropped: callers ask for the direction).
struct Operand {
  Interval value;
  bool negative = false;
  bool money = false;
};

std::optional<Operand> NumberOf(const Fact& f, const std::string& role) {
  const FactNumber* n = FindNumber(f, role);
  if (!n) return std::nullopt;
  const bool negative = !n->text.empty() && n->text[0] == '-';
  const Amount a = ParseAmount(negative ? n->text.substr(1) : n->text);
  if (!a.is_number()) return std::nullopt;
  const int64_t scale = MoneyScale(n->unit);
  return Operand{PrintedInterval(a, scale > 0 ? scale : 1), negative, scale > 0};
}

std::string Label(const Table& t, int index) {
  return t.number ? *t.number : "#" + std::to_string(index);
}

Check MakeCheck(const std::string& rule, const std::string& where, const std::string& detail,
                std::vector<CheckFact> facts, const Interval& expected, const Interval& actual,
                const std::string& status) {
  Check c;
  c.rule = rule;
  c.id = rule + "[" + where + "]";
  c.detail = detail;
  c.facts = std::move(facts);
  c.expected = MidCents(expected);
  c.actual = MidCents(actual);
  c.difference = c.actual - c.expected;
  c.tolerance = HalfWidthCents(expected) + HalfWidthCents(actual);
  c.status = status;
  return c;
}

// Shows a money check in the prose's unit (万元 cents for "307.82万元") instead of 元 cents.
void InProseUnit(Check& c, int64_t scale) {
  if (scale <= 1) return;
  auto rounded = [scale](int64_t cents) {
    return (cents >= 0 ? cents + scale / 2 : cents - scale / 2) / scale;
  };
  c.expected = rounded(c.expected);
  c.actual = rounded(c.actual);
  c.difference = c.actual - c.expected;
  c.tolerance = (c.tolerance + scale - 1) / scale;
}

// A percentage computed from two intervals, for the report: part ÷ whole in percent.
Interval PercentOf(const Interval& part, const Interval& whole) {
  const Int128 mid_whole = (whole.lo + whole.hi) / 2;
  if (mid_whole == 0) return {0, 0};
  const Int128 v = 20000 * ((part.lo + part.hi) / 2) / mid_whole;
  return {v, v};
}

void RateChecks(const Document& doc, int i, std::vector<Check>& out) {
  const Fact& f = doc.facts[i];
  auto final_value = NumberOf(f, "final");
  std::string final_role = "final";
  if (!final_value) final_value = NumberOf(f, final_role = "amount");
  if (!final_value) return;
  for (const char* rate_role : {"rate_initial", "rate_full", "rate"}) {
    const auto rate = NumberOf(f, rate_role);
    if (!rate) continue;
    const std::string named = rate_role == std::string("rate_initial") ? "budget_initial"
                              : rate_role == std::string("rate_full")  ? "budget_full"
                                                                       : "";
    std::vector<std::string> bases = named.empty()
                                         ? std::vector<std::string>{"budget_full", "budget_initial"}
                                         : std::vector<std::string>{named};
    std::optional<Operand> budget;
    std::string budget_role;
    for (const auto& b : bases)
      if (!budget && (budget = NumberOf(f, b))) budget_role = b;
    if (!budget) continue;
    std::string status =
        RatioFits(final_value->value, budget->value, rate->value) ? "pass" : "fail";
    const std::string other = budget_role == "budget_initial" ? "budget_full" : "budget_initial";
    const auto other_budget = named.empty() ? std::nullopt : NumberOf(f, other);
    if (status == "fail" && other_budget &&
        RatioFits(final_value->value, other_budget->value, rate->value))
      status = "warning";  // the sentence names one budget, the rate is of the other
    Check c = MakeCheck("F.rate", std::to_string(i) + "][" + rate_role,
                        final_role + " ÷ " + budget_role + " = " + rate_role + " (" + f.kind + ")",
                        {{i, final_role, -1, 1}, {i, budget_role, -1, 1}, {i, rate_role, 1, 1}},
                        PercentOf(final_value->value, budget->value), rate->value, status);
    c.conditional = status == "warning";
    out.push_back(std::move(c));
  }
}

// This year's amount against last year's printed figure and the printed percentage.
void ChangeFromPrior(const Document& doc, int i, const std::string& role, const Operand& current,
                     const Operand& percent, std::vector<Check>& out) {
  const auto prior = NumberOf(doc.facts[i], "prior");
  if (!prior || !prior->money) return;
  const bool up = !percent.negative;
  const Interval diff = up ? current.value - prior->value : prior->value - current.value;
  out.push_back(MakeCheck("F.change", std::to_string(i),
                          std::string(up ? "(" + role + " − prior)" : "(prior − " + role + ")") +
                              " ÷ prior = change_pct (" + doc.facts[i].kind + ")",
                          {{i, role, -1, 1}, {i, "prior", -1, 1}, {i, "change_pct", 1, 1}},
                          PercentOf(diff, prior->value), percent.value,
                          RatioFits(diff, prior->value, percent.value) ? "pass" : "fail"));
}

void ChangeCheck(const Document& doc, int i, std::vector<Check>& out) {
  const Fact& f = doc.facts[i];
  auto current = NumberOf(f, "amount");
  std::string role = "amount";
  if (!current) current = NumberOf(f, role = "final");
  const auto change = NumberOf(f, "change"), percent = NumberOf(f, "change_pct");
  if (!current || !percent || !current->money) return;
  if (!change || !change->money) return ChangeFromPrior(doc, i, role, *current, *percent, out);
  const bool up = !change->negative;
  if (PriorMayBeZero(current->value, change->value, up)) return;  // from nothing: no percentage
  const Interval prior = up ? current->value - change->value : current->value + change->value;
  const bool fits = ChangeFits(current->value, change->value, percent->value, up);
  out.push_back(MakeCheck(
      "F.change", std::to_string(i),
      "change ÷ (" + role + (up ? " − " : " + ") + "change) = change_pct (" + f.kind + ")",
      {{i, role, -1, 1}, {i, "change", -1, 1}, {i, "change_pct", 1, 1}},
      PercentOf(change->value, prior), percent->value, fits ? "pass" : "fail"));
}

// The role a total and its parts are compared in: the first of amount and count it prints
// (决算 by 项 after a total's 决算 lists the main 项 only, often not all of them).
std::string TotalRole(const Fact& f) {
  for (const char* role : {"amount", "count"})
    if (NumberOf(f, role)) return role;
  return "";
}

// The facts printed after total `i` whose kinds are its parts, before the next fact of its kind;
// empty unless every part kind is printed.
std::vector<int> PartsOf(const Document& doc, int i, const FactKind& kind,
                         const std::string& role) {
  std::vector<int> parts;
  std::vector<std::string> seen;
  const Fact& total = doc.facts[i];
  const int end = std::min<int>(doc.facts.size(), i + 1 + kPartsWindow);
  for (int j = i + 1; j < end; ++j) {
    const Fact& f = doc.facts[j];
    if (f.kind == total.kind || f.page > total.page + 1) break;
    if (std::find(kind.parts.begin(), kind.parts.end(), f.kind) == kind.parts.end()) continue;
    if (!NumberOf(f, role)) continue;
    parts.push_back(j);
    seen.push_back(f.kind);
  }
  for (const auto& k : kind.parts)
    if (std::find(seen.begin(), seen.end(), k) == seen.end()) return {};
  return parts;
}

// The printed shares of the parts add up to exactly 100 %: a writer who rounds each share and
// then makes them add up moves one of them by a unit, so that share's own check may fail.
bool SharesBalanced(const Document& doc, const std::vector<int>& parts) {
  int64_t sum = 0;
  for (int j : parts) {
    const FactNumber* share = FindNumber(doc.facts[j], "share");
    const Amount a = share ? ParseAmount(share->text) : Amount{};
    if (!a.is_number()) return false;
    sum += a.cents;
  }
  return sum == 10000;
}

void ShareCheck(const Document& doc, int i, int j, const std::string& role, bool balanced,
                std::vector<Check>& out) {
  const Operand total = *NumberOf(doc.facts[i], role), part = *NumberOf(doc.facts[j], role);
  const auto share = NumberOf(doc.facts[j], "share");
  if (!share || !total.money) return;
  const bool fits = RatioFits(part.value, total.value, share->value);
  Check c = MakeCheck("F.share", std::to_string(j) + "][" + std::to_string(i),
                      "part ÷ total = share (" + doc.facts[j].kind + " of " + doc.facts[i].kind +
                          (balanced ? "; the shares are made to add up to 100 %" : "") + ")",
                      {{j, role, -1, 1}, {i, role, -1, 1}, {j, "share", 1, 1}},
                      PercentOf(part.value, total.value), share->value,
                      fits       ? "pass"
                      : balanced ? "warning"
                                 : "fail");
  c.conditional = balanced;
  out.push_back(std::move(c));
}

void PartsChecks(const Document& doc, int i, const FactCatalogue& catalogue,
                 std::vector<Check>& out) {
  const Fact& f = doc.facts[i];
  const FactKind* kind = catalogue.Find(f.kind);
  const std::string role = TotalRole(f);
  if (!kind || kind->parts.empty() || role.empty()) return;
  const std::vector<int> parts = PartsOf(doc, i, *kind, role);
  if (parts.empty()) return;
  const Operand total = *NumberOf(f, role);
  const bool balanced = SharesBalanced(doc, parts);
  Interval sum;
  std::vector<CheckFact> operands{{i, role, 1, 1}};
  for (int j : parts) {
    const Operand part = *NumberOf(doc.facts[j], role);
    if (part.money != total.money) return;
    sum = sum + part.value;
    operands.push_back({j, role, -1, 1});
    ShareCheck(doc, i, j, role, balanced, out);
  }
  if (MidCents(total.value) == 0 && MidCents(sum) == 0) return;  // all zero, as for tables
  Check c = MakeCheck("F.parts", std::to_string(i), f.kind + " = Σ its parts", operands, sum,
                      total.value, Overlap(sum, total.value) ? "pass" : "fail");
  if (total.money) InProseUnit(c, MoneyScale(FindNumber(f, role)->unit));
  out.push_back(std::move(c));
}

// The record of `table` that `link` names for fact `f`, or nullptr.
const Record* LinkedRecord(const Table& table, const FactTableLink& link, const Fact& f) {
  for (const auto& r : table.records) {
    if (link.first_row) return &r;
    if (!link.line_id.empty() && r.line_id == link.line_id &&
        (link.half.empty() || r.half == link.half))
      return &r;
    if (link.total_row && r.role == "total") return &r;
    if (link.subject_row && !f.subject_code.empty() && r.code == f.subject_code) return &r;
  }
  return nullptr;
}

// Whether the table's own arithmetic proves cell (table, r, c): it is an operand of at least
// kConfirmingChecks passing table checks (unconditional) and of no table check that does not
// pass, and it carries no flag. When such a cell and the prose disagree, the prose is what was
// misread or misprinted (on scans most failing F.table checks are OCR'd prose numbers), so the
// check cites the cell as its reference instead of naming it as a suspect operand.
bool ProvenByItsTable(const Document& doc, int table, int r, int c) {
  int passing = 0;
  for (const auto& ch : doc.checks) {
    if (!ch.facts.empty()) continue;  // a fact check of an earlier run (validate)
    for (const auto& ref : ch.cells) {
      if (ref.table != table || ref.r != r || ref.c != c) continue;
      if (ch.status != "pass") return false;
      passing += !ch.conditional;
    }
  }
  const Cell* cell = AnchorAt(doc.tables[table], r, c);
  return passing >= kConfirmingChecks && cell && cell->flags.empty();
}

int64_t TableScale(const Document& doc, const Table& t, int64_t fallback) {
  const int64_t scale = MoneyScale(t.unit ? *t.unit : doc.unit);
  return scale > 0 ? scale : fallback;
}

void TableCheck(const Document& doc, int i, const FactTableLink& link, std::vector<Check>& out) {
  const Fact& f = doc.facts[i];
  const auto number = NumberOf(f, link.role);
  const FactNumber* printed = FindNumber(f, link.role);
  if (!number || !number->money) return;
  const bool unknown_subject =
      std::find(f.flags.begin(), f.flags.end(), "subject_not_in_dictionary") != f.flags.end();
  if (link.subject_row && (f.subject_code.empty() || unknown_subject)) return;
  for (int ti = 0; ti < static_cast<int>(doc.tables.size()); ++ti) {
    const Table& t = doc.tables[ti];
    if (t.kind != link.table) continue;
    const auto column = std::find_if(t.columns.begin(), t.columns.end(),
                                     [&](const Column& c) { return c.id == link.column; });
    const Record* record = LinkedRecord(t, link, f);
    if (column == t.columns.end() || !record) continue;
    const auto value =
        std::find_if(record->values.begin(), record->values.end(),
                     [&](const RecordValue& v) { return v.column == column->index; });
    if (value == record->values.end()) continue;
    const Amount cell = ParseAmount(value->text);
    if (!cell.is_number() && cell.kind != Amount::Kind::kBlank && !cell.is_dash()) continue;
    const int64_t scale = TableScale(doc, t, MoneyScale(printed->unit));
    const Interval table_value =
        cell.is_number() ? PrintedInterval(cell, scale) : ExactInterval(0, scale);
    if (table_value.lo == 0 && table_value.hi == 0 && number->value.lo + number->value.hi == 0)
      return;  // both nothing: no check, as for the table checks
    Check c = MakeCheck("F.table", std::to_string(i) + "][" + link.role + "][" + link.table,
                        f.kind + " " + link.role + " = " + link.table + " " + link.column,
                        {{i, link.role, 1, 1}}, table_value, number->value,
                        Overlap(table_value, number->value) ? "pass" : "fail");
    InProseUnit(c, MoneyScale(printed->unit));
    c.tables = {ti};
    c.table_labels = {Label(t, ti)};
    const CheckCell table_cell{ti, record->row, column->index, -1, 1};
    if (c.status == "fail" && ProvenByItsTable(doc, ti, record->row, column->index))
      c.reference_cells = {table_cell};
    else
      c.cells = {table_cell};
    out.push_back(std::move(c));
    return;
  }
}

}  // namespace

std::vector<Check> CheckFacts(const Document& doc, const FactCatalogue& catalogue) {
  std::vector<Check> out;
  for (int i = 0; i < static_cast<int>(doc.facts.size()); ++i) {
    RateChecks(doc, i, out);
    ChangeCheck(doc, i, out);
    PartsChecks(doc, i, catalogue, out);
    if (const FactKind* kind = catalogue.Find(doc.facts[i].kind))
      for (const auto& link : kind->tables) TableCheck(doc, i, link, out);
  }
  return out;
}

}  // namespace juesuan
