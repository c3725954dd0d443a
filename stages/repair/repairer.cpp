#include "stages/repair/repairer.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "stages/common/amount.h"
#include "stages/common/label_ordinals.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"
#include "stages/common/utf8.h"

namespace juesuan {
namespace {

bool HasHan(const std::string& s) {
  for (char32_t c : DecodeUtf8(s))
    if (IsHanIdeograph(c)) return true;
  return false;
}

bool FoldEqual(const std::string& a, const std::string& b) {
  std::u32string x = DecodeUtf8(StripSpaces(a)), y = DecodeUtf8(StripSpaces(b));
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (FoldChar(x[i]) != FoldChar(y[i])) return false;
  return true;
}

double NormDistance(const std::string& a, const std::string& b) {
  double n = static_cast<double>(std::max(U32Length(a), U32Length(b)));
  return n == 0 ? 0 : ConfusionDistance(a, b) / n;
}

std::string Fmt(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool IsSmallIntOrLanci(const std::string& s) {
  if (s == "栏次") return true;
  return !s.empty() && s.size() <= 2 && s.find_first_not_of("0123456789") == std::string::npos;
}

bool DigitConfusable(char a, char b) {
  return SubstitutionCost(static_cast<char32_t>(a), static_cast<char32_t>(b)) < 0.5;
}

}  // namespace

std::optional<Repairer::CodeFromNameFix> Repairer::CodeFromName(
    const std::string& lei, const std::vector<std::optional<std::string>>& parts,
    const std::string& name) const {
  const std::string printed = StripSpaces(name);
  if (printed.empty() || !dict_.Find(lei, CodeSystem::kFunction)) return std::nullopt;
  // Every code at or below the 类 that the readable parts allow: a readable part must be the
  // code's own, a blank part lies below the code's level, an unreadable one may be either.
  std::vector<const CodeEntry*> candidates{dict_.Find(lei, CodeSystem::kFunction)};
  for (size_t k = 0; k < candidates.size(); ++k)
    if (candidates[k]->code.size() < 3 + 2 * parts.size())
      for (const CodeEntry* child : dict_.Children(candidates[k]->code))
        if (child->system == CodeSystem::kFunction) candidates.push_back(child);
  auto fits = [&](const std::string& code) {
    for (size_t p = 0; p < parts.size(); ++p) {
      const bool within = code.size() >= 3 + 2 * (p + 1);
      if (!parts[p]) continue;
      // A blank part ("") never equals the code's own two digits, so it must lie below its level.
      if (within ? code.substr(3 + 2 * p, 2) != *parts[p] : !parts[p]->empty()) return false;
    }
    return true;
  };
  const CodeEntry* best = nullptr;
  double best_d = 1.0, second_d = 1.0;
  for (const CodeEntry* e : candidates) {
    if (!fits(e->code)) continue;
    const double d = FoldEqual(printed, e->name) ? 0.0 : NormDistance(printed, e->name);
    if (d < best_d) {
      second_d = best_d;
      best_d = d;
      best = e;
    } else if (d < second_d) {
      second_d = d;
    }
  }
  // The name must be the entry's and no other's: exactly (党委办公厅 and 政府办公厅 differ in two
  // characters), or up to a character or so of OCR noise when every other entry is far off.
  const bool exact = best && best_d == 0 && second_d > 0;
  if (!best || (!exact && (best_d > 0.15 || second_d - best_d < 0.2))) return std::nullopt;
  CodeFromNameFix fix;
  for (size_t p = 0; p < parts.size(); ++p)
    fix.parts.push_back(best->code.size() >= 3 + 2 * (p + 1) ? best->code.substr(3 + 2 * p, 2)
                                                             : "");
  fix.confidence = best_d == 0 && best->sure ? 0.85 : 0.7;
  fix.reason = "code part unreadable; the printed name is the dictionary's " + best->code + " " +
               best->name + " (the only entry under " + lei + " the readable parts allow)";
  return fix;
}

std::string QuoteSanGong(const std::string& text) {
  const std::string open = "“", close = "”", word = "三公";
  std::string out = text;
  for (size_t at = out.find(word); at != std::string::npos;
       at = out.find(word, at + word.size() + open.size())) {
    const bool opened = at >= open.size() && out.compare(at - open.size(), open.size(), open) == 0;
    const size_t end = at + word.size();
    const bool closed = out.compare(end, close.size(), close) == 0;
    if (opened == closed) continue;  // both, or neither (三公经费 printed without quotes)
    if (opened)
      out.insert(end, close);
    else
      out.insert(at, open);
  }
  return out;
}

std::optional<std::string> Repairer::CleanCode(const std::string& text) {
  std::string out;
  for (char32_t c : DecodeUtf8(text)) {
    if (c >= U'0' && c <= U'9')
      out += static_cast<char>(c);
    else if (c >= 0xFF10 && c <= 0xFF19)
      out += static_cast<char>(c - 0xFEE0);
    else if (c == U'O' || c == U'o' || c == U'〇' || c == U'D')
      out += '0';
    else if (c == U'l' || c == U'I' || c == U'|')
      out += '1';
    else if (IsStrayChar(c))
      continue;
    else
      return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<Repairer::CodeFix> Repairer::RepairCode(const std::string& read,
                                                      const std::string& name,
                                                      const std::string& prev,
                                                      const std::string& next,
                                                      bool economic) const {
  auto allowed = [&](const CodeEntry* e) {
    return e &&
           (economic ? e->system != CodeSystem::kFunction : e->system == CodeSystem::kFunction);
  };
  std::string pname = StripSpaces(name);
  auto name_d = [&](const CodeEntry* e) {
    return pname.empty() ? 1.0 : NormDistance(pname, e->name);
  };
  const CodeEntry* cur = dict_.Find(read);
  bool cur_ok = allowed(cur);
  // A valid code whose parent is not the 款/类 being listed above it (a generic name such as
  // 事业运行 exists under many 款, so the name alone cannot vouch for the code).
  bool context_ok = !cur_ok || cur->parent.empty() || prev.empty() ||
                    prev.compare(0, cur->parent.size(), cur->parent) == 0;
  if (cur_ok && context_ok && (pname.empty() || name_d(cur) <= 0.34)) return std::nullopt;
  auto order_ok = [&](const std::string& c) {
    return (prev.empty() || prev < c) && (next.empty() || c < next);
  };
  auto family_ok = [&](const std::string& c) {
    auto same = [&](const std::string& o) {
      return !o.empty() && o.substr(0, 3) == c.substr(0, 3);
    };
    return same(prev) || same(next);
  };
  struct Cand {
    const CodeEntry* e;
    double edit, nd;
    bool order, family;
  };
  std::vector<Cand> cands;
  std::set<std::string> seen;
  auto consider = [&](const std::string& c, double edit) {
    if (c == read || !seen.insert(c).second) return;
    const CodeEntry* e = dict_.Find(c);
    if (!allowed(e)) return;
    cands.push_back({e, edit, name_d(e), order_ok(c), family_ok(c)});
  };
  for (size_t i = 0; i < read.size(); ++i)
    for (char d = '0'; d <= '9'; ++d) {
      if (d == read[i]) continue;
      std::string c = read;
      c[i] = d;
      consider(c, DigitConfusable(read[i], d) ? 0.3 : 1.0);
    }
  if (read.size() % 2 == 0 || read.size() > 7)  // 4/6/8 digits: an extra digit
    for (size_t i = 0; i < read.size(); ++i) consider(read.substr(0, i) + read.substr(i + 1), 1.0);
  if (read.size() % 2 == 0 && read.size() < 7)  // 2/4/6 digits: a lost digit
    for (size_t i = 0; i <= read.size(); ++i)
      for (char d = '0'; d <= '9'; ++d) consider(read.substr(0, i) + d + read.substr(i), 1.0);
  if (cands.empty()) return std::nullopt;
  // 1. The printed name proves the code.
  std::vector<const Cand*> strong;
  auto parent_fits = [&](const CodeEntry* e) {
    return e->parent.empty() || prev.empty() || prev.compare(0, e->parent.size(), e->parent) == 0;
  };
  for (const auto& c : cands)
    if (!pname.empty() && c.nd <= (cur_ok ? 0.1 : 0.2) &&
        (c.order || prev.empty() || next.empty() || !cur_ok) &&
        (context_ok || (c.order && parent_fits(c.e))))
      strong.push_back(&c);
  if (!strong.empty()) {
    std::sort(strong.begin(), strong.end(), [](const Cand* a, const Cand* b) {
      return std::tie(a->nd, a->edit) < std::tie(b->nd, b->edit) ||
             (a->nd == b->nd && a->edit == b->edit && a->order && !b->order);
    });
    bool unique = strong.size() == 1 || strong[1]->nd > strong[0]->nd + 0.05 ||
                  (strong[0]->order && !strong[1]->order);
    if (unique && (!cur_ok || !context_ok || strong[0]->nd + 0.2 < name_d(cur))) {
      const Cand& c = *strong[0];
      double conf = 0.8 + (c.nd == 0 ? 0.1 : 0) + (c.order && c.family ? 0.05 : 0) +
                    (c.edit < 0.5 ? 0.04 : 0);
      std::string why =
          std::string(cur_ok
                          ? "code " + read + " is " + cur->name + " under " + cur->parent +
                                (context_ok ? "" : " (not the block above it)") +
                                ", but the printed name"
                          : "code " + read + " is not a " + (economic ? "economic" : "function") +
                                " code; the printed name") +
          " matches " + c.e->code + " " + c.e->name;
      if (c.order)
        why += "; fits between neighbours " + (prev.empty() ? "-" : prev) + " and " +
               (next.empty() ? "-" : next);
      return CodeFix{c.e->code, why, std::min(conf, 0.99)};
    }
  }
  // 2. No usable name: the neighbouring codes prove it (one confusable digit, unique fit).
  if (cur_ok) return std::nullopt;
  std::vector<const Cand*> fits;
  for (const auto& c : cands)
    if (c.order && c.family && c.edit < 0.5 && (pname.empty() || c.nd <= 0.5)) fits.push_back(&c);
  if (fits.size() == 1 && !prev.empty() && !next.empty()) {
    const Cand& c = *fits[0];
    return CodeFix{
        c.e->code,
        "code " + read +
            " is not in the dictionary; the only one-confusable-digit reading that fits between " +
            prev + " and " + next + " is " + c.e->code + " " + c.e->name,
        0.6};
  }
  return std::nullopt;
}

std::optional<std::string> Repairer::RepairName(const std::string& code, const std::string& printed,
                                                double* distance, bool* far) const {
  if (far) *far = false;
  const CodeEntry* e = dict_.Find(code);
  if (!e) return std::nullopt;
  std::string p = StripSpaces(printed);
  if (p.empty() || p == e->name || FoldEqual(p, e->name)) return std::nullopt;
  double d = ConfusionDistance(printed, e->name);
  if (distance) *distance = d;
  double n = static_cast<double>(std::max(U32Length(p), U32Length(e->name)));
  double limit = e->sure ? std::max(0.65, 0.25 * n) : 0.65;
  if (d <= limit + 1e-9 && d / n <= 0.34) return e->name;
  if (far) *far = true;
  return std::nullopt;
}

namespace {

// Amount headers that OCR garbled beyond repair by distance ("基本文昌", "殉目直", "We") take
// the word of the kind's column that stands in their place: between two matched columns exactly
// as many unmatched ones as the kind lists there; at the table's end the first free ones.
// Without this their records are keyed by the garble and no identity checks them. `record`
// applies one repair (cell, field, new text, reason, confidence).
template <class ApplyRepair>
void HeadersByPosition(Table& t, const TableKind& kind, const TableCatalogue& catalogue,
                       const ApplyRepair& record) {
  t.leaf_headers = LeafHeaders(t);
  const std::vector<std::string> ids = CanonicalColumnIds(t, catalogue);
  auto spec_index = [&](const std::string& id) {
    for (size_t k = 0; k < kind.columns.size(); ++k)
      if (kind.columns[k].id == id) return static_cast<int>(k);
    return -1;
  };
  std::set<std::string> assigned(ids.begin(), ids.end());
  // Columns with a leaf header cell of their own (one column wide, read by OCR) and no id.
  auto leaf_cell = [&](int c) -> Cell* {
    Cell* cell = CellAt(t, t.header_rows - 1, c);
    return cell && cell->cs == 1 && !cell->exact ? cell : nullptr;
  };
  int c = 0;
  while (c < t.n_cols) {
    if (!ids[c].empty() || !leaf_cell(c)) {
      ++c;
      continue;
    }
    int end = c;
    while (end < t.n_cols && ids[end].empty() && leaf_cell(end)) ++end;
    int before = -1, after = static_cast<int>(kind.columns.size());
    for (int k = c - 1; k >= 0 && before < 0; --k)
      if (!ids[k].empty()) before = spec_index(ids[k]);
    for (int k = end; k < t.n_cols && after == static_cast<int>(kind.columns.size()); ++k)
      if (!ids[k].empty()) after = std::max(before + 1, spec_index(ids[k]));
    std::vector<const ColumnSpec*> free;
    for (int k = before + 1; k < after; ++k)
      if (!assigned.count(kind.columns[k].id)) free.push_back(&kind.columns[k]);
    // At the table's end the kind's later columns may simply not be printed (事业单位经营支出
    // rarely is): the run takes the first free ones, the catalogue lists columns in the
    // order the documents print them.
    const bool at_end = after == static_cast<int>(kind.columns.size());
    if (at_end && static_cast<int>(free.size()) > end - c) free.resize(end - c);
    bool amounts = static_cast<int>(free.size()) == end - c;
    for (const ColumnSpec* spec : free) amounts = amounts && spec->role == "amount";
    // Amount columns: most of what they hold reads as amounts (a garbled dash or two is
    // OCR's, a column of words is not an amount column).
    for (int k = c; amounts && k < end; ++k) {
      int filled = 0, numbers = 0;
      for (const auto& cell : t.cells)
        if (cell.c == k && cell.r >= t.header_rows && !StripSpaces(cell.text).empty()) {
          ++filled;
          const Amount a = ParseAmount(cell.text);
          numbers += a.is_number() || a.kind == Amount::Kind::kDash;
        }
      amounts = filled > 0 && numbers * 5 >= filled * 4;
    }
    if (amounts && before >= 0)
      for (int k = c; k < end; ++k) {
        Cell& cell = *leaf_cell(k);
        const std::string& word = free[k - c]->headers.front();
        // Half the word read right ("基本文昌" / 基本支出) supports the position; less does not.
        size_t shared = 0;
        const std::u32string w = DecodeUtf8(word);
        for (char32_t ch : DecodeUtf8(cell.text)) shared += w.find(ch) != w.npos;
        record(cell, "header", word,
               "header unreadable; the " + kind.id + " column in this position is '" + word + "'",
               2 * shared >= w.size() ? 0.8 : 0.7);
        assigned.insert(free[k - c]->id);
      }
    c = end;
  }
}

}  // namespace

std::vector<Repair> Repairer::repair(Table& t, int table_index,
                                     std::vector<std::string>* warnings) const {
  std::vector<Repair> out;
  std::string tname =
      t.number ? *t.number : (table_index >= 0 ? "#" + std::to_string(table_index) : "?");
  auto warn = [&](Cell& cell, const std::string& flag, const std::string& msg) {
    AddFlag(cell, flag);
    if (warnings)
      warnings->push_back("table " + tname + " r" + std::to_string(cell.r) + " c" +
                          std::to_string(cell.c) + ": " + msg);
  };
  auto record = [&](Cell& cell, const std::string& field, const std::string& after,
                    const std::string& reason, double conf) {
    if (cell.exact) {
      // Text-layer characters are what is printed: never rewritten. A name or code that the
      // dictionary would have changed is a local variant (or a misprint), so it is flagged.
      if (field == "name" || field == "code")
        warn(cell, "dictionary_mismatch",
             field + " '" + cell.text + "' is printed so (text layer); the dictionary suggests '" +
                 after + "': kept");
      return;
    }
    if (conf < 0.8) AddFlag(cell, "repaired_unsure");
    Repair rp;
    rp.table = table_index;
    rp.table_number = t.number ? *t.number : "";
    rp.r = cell.r;
    rp.c = cell.c;
    rp.field = field;
    rp.before = cell.text;
    rp.after = after;
    rp.reason = reason;
    rp.confidence = conf;
    if (cell.raw.empty()) cell.raw = cell.text;
    cell.text = after;
    out.push_back(std::move(rp));
  };
  const TableKind* kind = catalogue_.Find(t.kind);
  std::vector<std::string> roles = ColumnRoles(t, catalogue_);
  std::string code_type = DetectCodeType(t);
  if (kind && kind->code_type != "none") code_type = kind->code_type;
  bool economic = code_type == "economic";

  // 1. Header cells against the catalogue words of the kind; a table of unknown kind against
  // the words of every kind, more carefully (only confusable-glyph changes; a word one
  // character off is flagged, never rewritten: 收入 and 支出 differ by design).
  std::vector<const TableKind*> lexicon_kinds;
  if (kind)
    lexicon_kinds.push_back(kind);
  else
    for (const auto& k : catalogue_.kinds()) lexicon_kinds.push_back(&k);
  std::vector<std::string> words;
  for (const TableKind* lk : lexicon_kinds) {
    for (const auto& col : lk->columns)
      words.insert(words.end(), col.headers.begin(), col.headers.end());
    for (const auto& sig : lk->header_signature) {
      size_t start = 0;
      while (true) {
        size_t bar = sig.find('|', start);
        words.push_back(
            sig.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
    }
  }
  if (!words.empty()) {
    for (auto& cell : t.cells) {
      if (cell.r >= t.header_rows) continue;
      std::string full = StripSpaces(cell.text);
      std::string s = StripOrdinal(full);  // keep "一、" style prefixes as printed
      if (s.empty() || IsSmallIntOrLanci(s)) continue;
      std::string prefix = full.substr(0, full.size() - s.size());
      bool exact = false;
      for (const auto& w : words) exact = exact || FoldEqual(s, w);
      if (exact) continue;
      double best = 1e9, second = 1e9;
      std::string best_w;
      for (const auto& w : words) {
        double d = ConfusionDistance(s, w);
        if (w == best_w) continue;
        if (d < best)
          second = best, best = d, best_w = w;
        else if (d < second)
          second = d;
      }
      double n = static_cast<double>(std::max(U32Length(s), U32Length(best_w)));
      if (!kind) {
        if (best <= 0.35 && second > best + 0.2)
          record(
              cell, "header", prefix + best_w,
              "header repaired against the catalogue's header words (distance " + Fmt(best) + ")",
              0.8);
        else if (best <= 1.0 && second > best && n >= 3 && !cell.exact)
          warn(cell, "dictionary_mismatch",
               "header '" + cell.text + "' is one character from '" + best_w + "'; kept as read");
        continue;
      }
      if (best <= std::max(0.35, 0.2 * n) && second > best + 0.2)
        record(
            cell, "header", prefix + best_w,
            "header repaired against the " + kind->id + " catalogue (distance " + Fmt(best) + ")",
            best <= 0.35 ? 0.9 : 0.75);
    }
  }

  // 1b. Amount headers garbled beyond distance: by their position among the kind's columns.
  if (kind && !kind->columns.empty() && !kind->repeat_columns && t.header_rows > 0)
    HeadersByPosition(t, *kind, catalogue_, record);

  // 2. Codes and 3. names.
  std::vector<CodeColumn> groups = FindCodeColumns(t);
  std::vector<int> code_cols;
  for (const auto& g : groups) code_cols.push_back(g.col);
  for (int c = 0; c < t.n_cols; ++c)
    if (c < static_cast<int>(roles.size()) && roles[c] == "code" &&
        std::find(code_cols.begin(), code_cols.end(), c) == code_cols.end()) {
      code_cols.push_back(c);
      groups.push_back({c, 0, c + 1, t.n_cols});
    }
  for (const CodeColumn& g : groups) {
    const int c = g.col;
    std::vector<Cell*> col;
    for (auto& cell : t.cells)
      if (cell.c == c && cell.cs == 1 && cell.r >= t.header_rows) col.push_back(&cell);
    std::sort(col.begin(), col.end(), [](const Cell* a, const Cell* b) { return a->r < b->r; });
    std::vector<std::string> clean(col.size());
    for (size_t i = 0; i < col.size(); ++i) {
      std::string s = StripSpaces(col[i]->text);
      if (s.empty() || IsTotalLabel(s) || HasHan(s)) continue;
      auto cc = CleanCode(s);
      if (!cc) {
        warn(*col[i], "not_a_code", "code cell '" + col[i]->text + "' is not a code; kept as read");
        continue;
      }
      clean[i] = *cc;
      if (*cc != s && IsSubjectCode(*cc))
        record(*col[i], "code", *cc,
               "OCR characters in a code (letters/full-width/stray marks -> digits)", 0.9);
    }
    for (size_t i = 0; i < col.size(); ++i) {
      if (clean[i].empty()) continue;
      std::string prev, next;
      for (size_t k = i; k-- > 0;)
        if (!clean[k].empty()) {
          prev = clean[k];
          break;
        }
      for (size_t k = i + 1; k < col.size(); ++k)
        if (!clean[k].empty()) {
          next = clean[k];
          break;
        }
      Cell* name_cell = AnchorAt(t, col[i]->r, g.name_col);
      std::string name = name_cell ? name_cell->text : "";
      // A split code (201 | 13 | 01) is repaired in its 类 part, with the 类 parts around it as
      // context, but its name belongs to the whole code.
      // 款 / 项 part cells: OCR noise cleaned like a code; a part that stays unreadable leaves
      // the whole code unknown, so neither it nor the name is trusted.
      bool broken_part = false;
      if (clean[i].size() == 3) {
        // Each part: its digits, "" when blank, nullopt when OCR made it unreadable.
        std::vector<std::optional<std::string>> part_digits;
        std::vector<Cell*> part_cells;
        for (int p = 1; p <= g.parts; ++p) {
          Cell* part = AnchorAt(t, col[i]->r, c + p);
          part_cells.push_back(part);
          const std::string ps = part ? StripSpaces(part->text) : "";
          if (ps.empty()) {
            part_digits.emplace_back("");
            continue;
          }
          auto cp = CleanCode(ps);
          // "2" printed on the text layer is 02 without its zero (see CodeParts).
          if (cp && (cp->size() == 2 || (cp->size() == 1 && part->exact))) {
            if (*cp != ps)
              record(*part, "code", *cp, "OCR characters in a code part (-> digits)", 0.85);
            part_digits.push_back(*cp);
            continue;
          }
          part_digits.emplace_back(std::nullopt);
        }
        const bool unreadable =
            std::find(part_digits.begin(), part_digits.end(), std::nullopt) != part_digits.end();
        std::optional<CodeFromNameFix> fix;
        if (unreadable && !economic) fix = CodeFromName(clean[i], part_digits, name);
        for (size_t p = 0; p < part_digits.size() && unreadable; ++p) {
          if (part_digits[p] || !part_cells[p]) continue;
          if (fix) {
            record(*part_cells[p], "code", fix->parts[p], fix->reason, fix->confidence);
          } else {
            warn(*part_cells[p], "not_a_code",
                 "code part '" + part_cells[p]->text + "' is not two digits; kept as read");
            broken_part = true;
          }
        }
      }
      if (broken_part) {
        if (name_cell) AddFlag(*name_cell, "not_in_dictionary");
        continue;
      }
      const std::string parts = clean[i].size() == 3 ? CodeParts(t, col[i]->r, g) : "";
      if (auto fix = RepairCode(clean[i], parts.empty() ? name : "", prev, next, economic)) {
        record(*col[i], "code", fix->code, fix->reason, fix->confidence);
        clean[i] = fix->code;
      }
      const std::string code = clean[i] + parts;
      const CodeEntry* e = dict_.Find(code);
      bool ok_system =
          e && (economic ? e->system != CodeSystem::kFunction : e->system == CodeSystem::kFunction);
      if (!ok_system) {
        warn(*col[i], "not_in_dictionary",
             "code " + code + " is not in the " + std::string(economic ? "economic" : "function") +
                 " classification dictionary; kept as read");
        continue;
      }
      if (!name_cell) continue;
      if (StripSpaces(name_cell->text).empty()) {
        // A coded row always prints its name: an empty OCR reading is a name that was not read.
        // The code is proven (valid, in this table's system), so its dictionary name stands in.
        if (!name_cell->exact)
          record(*name_cell, "name", e->name,
                 "name not read; dictionary name of the proven code " + code, e->sure ? 0.8 : 0.7);
        continue;
      }
      double d = 0;
      bool far = false;
      if (auto canon = RepairName(code, name_cell->text, &d, &far)) {
        // A reading whose length differs from the dictionary name by a whole character is as
        // likely a local name ("基本养老保险费" for 基本养老保险缴费) as a character OCR lost:
        // repaired, but unsure. Same-length garble (平续费 for 手续费) is OCR's.
        const bool length_differs =
            d >= 1.0 && U32Length(StripSpaces(name_cell->text)) != U32Length(*canon);
        record(*name_cell, "name", *canon,
               "name repaired against dictionary entry " + code + " (confusion-aware distance " +
                   Fmt(d) + ")",
               !e->sure || length_differs ? 0.7 : (d <= 0.65 ? 0.95 : 0.85));
      } else if (far) {
        warn(*name_cell, "dictionary_mismatch",
             "name '" + name_cell->text + "' differs from the dictionary name of " + code + " '" +
                 e->name + "'; kept as read");
      }
    }
  }

  // 4. Amounts.
  std::set<int> lanci_rows;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    bool any = false, all = true;
    for (const auto& cell : t.cells)
      if (cell.r == r) {
        std::string s = StripSpaces(cell.text);
        if (s.empty()) continue;
        any = true;
        all = all && IsSmallIntOrLanci(s);
      }
    if (any && all && t.n_cols > 3) lanci_rows.insert(r);
  }
  std::vector<bool> amount_col(static_cast<size_t>(t.n_cols), false);
  bool have_roles = false;
  for (int c = 0; c < t.n_cols; ++c)
    if (c < static_cast<int>(roles.size()) && !roles[c].empty())
      have_roles = true, amount_col[c] = roles[c] == "amount";
  if (!have_roles) {
    // A column of amounts shows two or more; a table of one or two body rows (the 三公 budget's
    // one row of figures) can show only one.
    const int body_rows = t.n_rows - t.header_rows - static_cast<int>(lanci_rows.size());
    const int enough = body_rows <= 2 ? 1 : 2;
    for (int c = 0; c < t.n_cols; ++c) {
      if (std::find(code_cols.begin(), code_cols.end(), c) != code_cols.end()) continue;
      int filled = 0, amounts = 0;
      for (const auto& cell : t.cells) {
        if (cell.c != c || cell.r < t.header_rows || lanci_rows.count(cell.r)) continue;
        std::string s = StripSpaces(cell.text);
        if (s.empty()) continue;
        ++filled;
        std::string why;
        auto n = NormalizeAmountText(s, &why);
        if (n && (n->find('.') != std::string::npos || n->find("—") != std::string::npos))
          ++amounts;
      }
      amount_col[c] = amounts >= enough && amounts * 2 >= filled;
    }
  }
  // How each amount column prints "nothing": dashes, or zeros. A look-alike that reading took
  // for a dash (一 read alone) in a column printing zeros and no dash may as well be a damaged 0
  // (b25-wanli-dept's scan): its confidence drops, so the cell is flagged low_confidence.
  auto look_alike_dash = [](const Cell& c) {
    return ParseAmount(c.text).is_dash() && !c.raw.empty() && !ParseAmount(c.raw).is_dash();
  };
  std::vector<int> dashes(static_cast<size_t>(t.n_cols), 0);
  std::vector<int> zeros(static_cast<size_t>(t.n_cols), 0);
  for (const auto& cell : t.cells) {
    if (cell.r < t.header_rows || cell.c >= t.n_cols || !amount_col[cell.c]) continue;
    const Amount a = ParseAmount(cell.text);
    dashes[cell.c] += a.is_dash() && !look_alike_dash(cell);
    zeros[cell.c] += a.is_number() && a.cents == 0;
  }
  for (auto& cell : t.cells)
    if (cell.r >= t.header_rows && cell.c < t.n_cols && amount_col[cell.c] && !cell.exact &&
        look_alike_dash(cell) && dashes[cell.c] == 0 && zeros[cell.c] > 0)
      cell.conf = std::min(cell.conf, 0.6f);
  for (auto& cell : t.cells) {
    if (cell.r < t.header_rows || lanci_rows.count(cell.r) || cell.c >= t.n_cols ||
        !amount_col[cell.c])
      continue;
    std::string s = cell.text;
    if (StripSpaces(s).empty() || HasHan(s)) continue;
    std::string why;
    auto n = NormalizeAmountText(s, &why);
    if (!n) {
      warn(cell, "unreadable", "amount '" + s + "' cannot be read; kept as read");
      continue;
    }
    if (*n != s) record(cell, "amount", *n, why.empty() ? "amount text normalised" : why, 0.9);
  }

  // 5. Row labels of the line-keyed tables (01, 04, 10) against the catalogue labels.
  if (kind) {
    std::vector<std::string> labels;
    const auto& raw = catalogue_.raw();
    if (raw.contains("row_labels"))
      for (const auto& [group, list] : raw.at("row_labels").items())
        for (const auto& item : list) {
          if (item.contains("labels"))
            for (const auto& l : item.at("labels")) labels.push_back(l.get<std::string>());
          if (item.contains("label")) labels.push_back(item.at("label").get<std::string>());
        }
    for (auto& cell : t.cells) {
      if (cell.r < t.header_rows || cell.c >= static_cast<int>(roles.size()) ||
          roles[cell.c] != "item")
        continue;
      std::string full = StripSpaces(cell.text);
      std::string label = StripOrdinal(full);
      if (label.empty()) continue;
      bool exact = false;
      for (const auto& l : labels) exact = exact || FoldEqual(label, l);
      if (exact) continue;
      double best = 1e9, second = 1e9;
      std::string best_l;
      for (const auto& l : labels) {
        if (l == best_l) continue;
        double d = ConfusionDistance(label, l);
        if (d < best)
          second = best, best = d, best_l = l;
        else if (d < second)
          second = d;
      }
      double n = static_cast<double>(std::max(U32Length(label), U32Length(best_l)));
      if (best <= std::max(0.65, 0.2 * n) && best / n <= 0.3 && second > best + 0.3) {
        std::string prefix = full.substr(0, full.size() - label.size());
        record(cell, "label", prefix + best_l,
               "row label repaired against the catalogue (distance " + Fmt(best) + ")",
               best <= 0.65 ? 0.9 : 0.75);
      }
    }
  }

  // 6. Ordinal prefixes of row labels (一、 1. 2、), column by column: the printed separator
  // restored, a lost numeral taken from the sequence around it, the rest flagged.
  for (int c = 0; c < t.n_cols; ++c) {
    std::vector<Cell*> col;
    for (auto& cell : t.cells)
      if (cell.c == c && cell.r >= t.header_rows) col.push_back(&cell);
    std::sort(col.begin(), col.end(), [](const Cell* a, const Cell* b) { return a->r < b->r; });
    std::vector<LabelReading> readings;
    for (const Cell* cell : col)
      readings.push_back(cell->exact ? LabelReading{} : LabelReading{cell->text, cell->raw});
    for (const OrdinalRepair& fix : RepairOrdinals(readings)) {
      Cell& cell = *col[fix.index];
      if (fix.text.empty())
        warn(cell, "ordinal_unsure", "label '" + cell.text + "': " + fix.reason);
      else if (fix.text != StripSpaces(cell.text))
        record(cell, "label", fix.text, fix.reason, fix.confidence);
    }
  }

  // 7. The quotes of “三公”: OCR often loses one of the pair (三公”经费预算数).
  for (auto& cell : t.cells) {
    if (cell.exact) continue;
    std::string fixed = QuoteSanGong(cell.text);
    if (fixed != cell.text)
      record(cell, cell.r < t.header_rows ? "header" : "label", fixed,
             "one of the quotes around 三公 was lost in OCR", 0.9);
  }
  return out;
}

}  // namespace juesuan
