#include "stages/repair/repairer.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "stages/common/amount.h"
#include "stages/common/label_ordinals.h"
#include "stages/common/table_view.h"
#include "stages/common/text_match.h"
#include "stages/common/utf8.h"

namespace juesuan {
namespace {

std::string Fmt(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool DigitConfusable(char a, char b) {
  return SubstitutionCost(static_cast<char32_t>(a), static_cast<char32_t>(b)) < 0.5;
}

}  // namespace

std::optional<Repairer::CodeFromNameFix> Repairer::CodeFromName(
    const std::string& lei, const std::vector<std::optional<std::string>>& parts,
    const std::string& name, CodeSystem system) const {
  const std::string printed = StripSpaces(name);
  if (printed.empty() || !dict_.Find(lei, system)) return std::nullopt;
  // Every code at or below the 类 that the readable parts allow: a readable part must be the
  // code's own, a blank part lies below the code's level, an unreadable one may be either, and
  // one digit read by OCR is a part that holds that digit (02 without its zero, or 12 with a
  // digit lost).
  std::vector<const CodeEntry*> candidates{dict_.Find(lei, system)};
  for (size_t k = 0; k < candidates.size(); ++k)
    if (candidates[k]->code.size() < 3 + 2 * parts.size())
      for (const CodeEntry* child : dict_.Children(candidates[k]->code))
        if (child->system == system) candidates.push_back(child);
  auto fits = [&](const std::string& code) {
    for (size_t p = 0; p < parts.size(); ++p) {
      const bool within = code.size() >= 3 + 2 * (p + 1);
      if (!parts[p]) continue;
      const std::string own = within ? code.substr(3 + 2 * p, 2) : "";
      if (parts[p]->size() == 1) {
        if (!within || own.find((*parts[p])[0]) == std::string::npos) return false;
        continue;
      }
      // A blank part ("") never equals the code's own two digits, so it must lie below its level.
      if (within ? own != *parts[p] : !parts[p]->empty()) return false;
    }
    return true;
  };
  const CodeEntry* best = nullptr;
  double best_d = 1.0, second_d = 1.0;
  for (const CodeEntry* e : candidates) {
    if (!fits(e->code)) continue;
    const double d =
        FoldEqual(printed, e->name) ? 0.0 : NormalisedConfusionDistance(printed, e->name);
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
  // A part read as one digit has already narrowed the entries to a few, so a name with a glyph
  // of OCR noise in four ("嫂贴补贴" for 30102 津贴补贴, the only 301 entry with a 2 in its part
  // whose name is near) may decide when every other entry is far; the fix is then unsure.
  bool one_digit = false;
  for (const auto& part : parts) one_digit = one_digit || (part && part->size() == 1);
  const bool near_enough = best && ((best_d <= 0.15 && second_d - best_d >= 0.2) ||
                                    (one_digit && best_d <= 0.3 && second_d - best_d >= 0.5));
  if (!best || (!exact && !near_enough)) return std::nullopt;
  CodeFromNameFix fix;
  for (size_t p = 0; p < parts.size(); ++p)
    fix.parts.push_back(best->code.size() >= 3 + 2 * (p + 1) ? best->code.substr(3 + 2 * p, 2)
                                                             : "");
  fix.confidence = best_d == 0 && best->sure ? 0.85 : best_d <= 0.15 ? 0.7 : 0.6;
  fix.reason = "code part unreadable or one digit; the printed name is the dictionary's " +
               best->code + " " + best->name + " (the only entry under " + lei +
               " the readable parts allow)";
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

namespace {

// A code one OCR slip away from the reading, with what speaks for it.
struct CodeCandidate {
  const CodeEntry* e;
  double edit;  // the slip: a confusable digit 0.3, anything else 1
  double nd;    // normalised distance of the printed name to the entry's name
  bool order;   // sorts between the neighbouring codes
  bool family;  // shares its 类 with a neighbouring code
};

// The readings one OCR slip away from `read`, in the order they are tried, each with the cost of
// its slip: a digit changed, an extra digit dropped (4, 6, 8+ digits), a lost digit put back
// (2, 4, 6 digits). A reading may repeat; the first one counts.
std::vector<std::pair<std::string, double>> CodeSlips(const std::string& read) {
  std::vector<std::pair<std::string, double>> out;
  for (size_t i = 0; i < read.size(); ++i)
    for (char d = '0'; d <= '9'; ++d) {
      if (d == read[i]) continue;
      std::string c = read;
      c[i] = d;
      out.emplace_back(c, DigitConfusable(read[i], d) ? 0.3 : 1.0);
    }
  if (read.size() % 2 == 0 || read.size() > 7)
    for (size_t i = 0; i < read.size(); ++i)
      out.emplace_back(read.substr(0, i) + read.substr(i + 1), 1.0);
  if (read.size() % 2 == 0 && read.size() < 7)
    for (size_t i = 0; i <= read.size(); ++i)
      for (char d = '0'; d <= '9'; ++d)
        out.emplace_back(read.substr(0, i) + d + read.substr(i), 1.0);
  return out;
}

// A code cell as read, with its printed name and neighbouring codes.
struct CodeReading {
  std::string read, pname, prev, next;
  bool economic = false;
  const CodeEntry* cur = nullptr;  // the dictionary entry of `read` (any system), if any
  bool cur_ok = false;             // ... and it is a code of the table's system
  bool context_ok = false;         // ... whose parent is the 款/类 listed above it (or unknown)

  bool Allowed(const CodeEntry* e) const {
    return e &&
           (economic ? e->system != CodeSystem::kFunction : e->system == CodeSystem::kFunction);
  }
  double NameDistance(const CodeEntry* e) const {
    return pname.empty() ? 1.0 : NormalisedConfusionDistance(pname, e->name);
  }
  // The entry's parent is the code listed above (a generic name such as 事业运行 exists under
  // many 款, so the name alone cannot vouch for the code).
  bool ParentFits(const CodeEntry* e) const {
    return e->parent.empty() || prev.empty() || prev.compare(0, e->parent.size(), e->parent) == 0;
  }
  bool InOrder(const std::string& c) const {
    return (prev.empty() || prev < c) && (next.empty() || c < next);
  }
  bool InFamily(const std::string& c) const {
    auto same = [&](const std::string& o) {
      return !o.empty() && o.substr(0, 3) == c.substr(0, 3);
    };
    return same(prev) || same(next);
  }
};

std::vector<CodeCandidate> Candidates(const CodeReading& in, const CodeDictionary& dict) {
  std::vector<CodeCandidate> out;
  std::set<std::string> seen;
  for (const auto& [c, edit] : CodeSlips(in.read)) {
    if (c == in.read || !seen.insert(c).second) continue;
    const CodeEntry* e = dict.Find(c);
    if (!in.Allowed(e)) continue;
    out.push_back({e, edit, in.NameDistance(e), in.InOrder(c), in.InFamily(c)});
  }
  return out;
}

// 1. The printed name proves the code: one candidate clearly nearest to it.
std::optional<Repairer::CodeFix> CodeByPrintedName(const CodeReading& in,
                                                   const std::vector<CodeCandidate>& cands) {
  std::vector<const CodeCandidate*> strong;
  for (const auto& c : cands)
    if (!in.pname.empty() && c.nd <= (in.cur_ok ? 0.1 : 0.2) &&
        (c.order || in.prev.empty() || in.next.empty() || !in.cur_ok) &&
        (in.context_ok || (c.order && in.ParentFits(c.e))))
      strong.push_back(&c);
  if (strong.empty()) return std::nullopt;
  std::sort(strong.begin(), strong.end(), [](const CodeCandidate* a, const CodeCandidate* b) {
    return std::tie(a->nd, a->edit) < std::tie(b->nd, b->edit) ||
           (a->nd == b->nd && a->edit == b->edit && a->order && !b->order);
  });
  const bool unique = strong.size() == 1 || strong[1]->nd > strong[0]->nd + 0.05 ||
                      (strong[0]->order && !strong[1]->order);
  if (!unique || !(!in.cur_ok || !in.context_ok || strong[0]->nd + 0.2 < in.NameDistance(in.cur)))
    return std::nullopt;
  const CodeCandidate& c = *strong[0];
  const double conf =
      0.8 + (c.nd == 0 ? 0.1 : 0) + (c.order && c.family ? 0.05 : 0) + (c.edit < 0.5 ? 0.04 : 0);
  std::string why =
      std::string(in.cur_ok
                      ? "code " + in.read + " is " + in.cur->name + " under " + in.cur->parent +
                            (in.context_ok ? "" : " (not the block above it)") +
                            ", but the printed name"
                      : "code " + in.read + " is not a " + (in.economic ? "economic" : "function") +
                            " code; the printed name") +
      " matches " + c.e->code + " " + c.e->name;
  if (c.order)
    why += "; fits between neighbours " + (in.prev.empty() ? "-" : in.prev) + " and " +
           (in.next.empty() ? "-" : in.next);
  return Repairer::CodeFix{c.e->code, why, std::min(conf, 0.99)};
}

// 2. No usable name: the neighbouring codes prove it (one confusable digit, unique fit).
std::optional<Repairer::CodeFix> CodeByNeighbours(const CodeReading& in,
                                                  const std::vector<CodeCandidate>& cands) {
  std::vector<const CodeCandidate*> fits;
  for (const auto& c : cands)
    if (c.order && c.family && c.edit < 0.5 && (in.pname.empty() || c.nd <= 0.5))
      fits.push_back(&c);
  if (fits.size() != 1 || in.prev.empty() || in.next.empty()) return std::nullopt;
  const CodeCandidate& c = *fits[0];
  return Repairer::CodeFix{
      c.e->code,
      "code " + in.read +
          " is not in the dictionary; the only one-confusable-digit reading that fits between " +
          in.prev + " and " + in.next + " is " + c.e->code + " " + c.e->name,
      0.6};
}

}  // namespace

std::optional<Repairer::CodeFix> Repairer::RepairCode(const std::string& read,
                                                      const std::string& name,
                                                      const std::string& prev,
                                                      const std::string& next,
                                                      bool economic) const {
  CodeReading in{read, StripSpaces(name), prev, next, economic};
  in.cur = dict_.Find(read);
  in.cur_ok = in.Allowed(in.cur);
  // A code of another edition, printed with that edition's name (or no name), is what the
  // document printed: an older list, not a misread of a code of this year's list.
  if (!in.cur_ok) {
    const CodeEntry* other = OtherEdition(read, name);
    if (other && in.Allowed(other)) return std::nullopt;
  }
  in.context_ok = !in.cur_ok || in.ParentFits(in.cur);
  if (in.cur_ok && in.context_ok && (in.pname.empty() || in.NameDistance(in.cur) <= 0.34))
    return std::nullopt;
  const std::vector<CodeCandidate> cands = Candidates(in, dict_);
  if (cands.empty()) return std::nullopt;
  if (auto fix = CodeByPrintedName(in, cands)) return fix;
  if (in.cur_ok) return std::nullopt;
  return CodeByNeighbours(in, cands);
}

const CodeEntry* Repairer::OtherEdition(const std::string& code,
                                        const std::string& printed_name) const {
  if (&all_editions_ == &dict_) return nullptr;
  const std::string p = StripSpaces(printed_name);
  for (const CodeEntry* e : all_editions_.AllEditions(code))
    if (p.empty() || NormalisedConfusionDistance(p, e->name) <= 0.34) return e;
  return nullptr;
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
  // The name of this code in another edition (220 国土海洋气象等支出 until 2018), or nearer to
  // it than to this one: what the document printed, not a misreading of this edition's name.
  // With no year to choose an edition, every edition's name is right.
  const bool any_edition = &all_editions_ == &dict_;
  for (const CodeEntry* other : all_editions_.AllEditions(code))
    if (other->name != e->name &&
        (FoldEqual(p, other->name) || ConfusionDistance(printed, other->name) < d)) {
      if (far) *far = !(any_edition && FoldEqual(p, other->name));
      return std::nullopt;
    }
  double n = static_cast<double>(std::max(U32Length(p), U32Length(e->name)));
  double limit = e->sure ? std::max(params_.name_distance, params_.name_distance_per_char * n)
                         : params_.name_distance;
  if (d <= limit + 1e-9 && d / n <= params_.name_max_ratio) return e->name;
  if (far) *far = true;
  return std::nullopt;
}

namespace {

// The catalogue word nearest to a reading, and how far the runner-up is (a word listed twice is
// no runner-up of itself).
struct NearestWord {
  double best = 1e9, second = 1e9;
  std::string word;
};

NearestWord Nearest(const std::string& s, const std::vector<std::string>& words) {
  NearestWord n;
  for (const auto& w : words) {
    if (w == n.word) continue;
    const double d = ConfusionDistance(s, w);
    if (d < n.best) {
      n.second = n.best;
      n.best = d;
      n.word = w;
    } else if (d < n.second) {
      n.second = d;
    }
  }
  return n;
}

bool FoldsToAny(const std::string& s, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return FoldEqual(s, w); });
}

// "a|b" -> a, b (an empty alternative stays: it matches nothing).
void AppendAlternatives(const std::string& sig, std::vector<std::string>& words) {
  size_t start = 0;
  while (true) {
    const size_t bar = sig.find('|', start);
    words.push_back(sig.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
}

// The header words of the kind (its columns' headers and header signature), or of every kind
// for a table of unknown kind.
std::vector<std::string> HeaderLexicon(const TableKind* kind, const TableCatalogue& catalogue) {
  std::vector<const TableKind*> lexicon_kinds;
  if (kind)
    lexicon_kinds.push_back(kind);
  else
    for (const auto& k : catalogue.kinds()) lexicon_kinds.push_back(&k);
  std::vector<std::string> words;
  for (const TableKind* lk : lexicon_kinds) {
    for (const auto& col : lk->columns)
      words.insert(words.end(), col.headers.begin(), col.headers.end());
    for (const auto& sig : lk->header_signature) AppendAlternatives(sig, words);
  }
  // Each word once: a word that several kinds share ("项目") must not stand as its own runner-up.
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// An OCR reading without a digit made only of what broken ruling lines and specks read as:
// brackets, bars, strokes (一 广 厂 王 ...) and Latin letters ("[一一", "广一一", "Fr", "FT").
// Measured on the real-budget scans: of about 135 such readings, about 106 were blank in print
// and 29 a "0" drowned in remnants; none held another amount. A dash alone is read as a dash
// before this (CellOcr), and a word such as 无 is not made of these glyphs.
bool IsStrokeGlyph(char32_t c) {
  static const std::u32string kStrokes = U"一二三十丁广厂人六王工[]()|!/\\_-—~:;.,'\"“”";
  return kStrokes.find(c) != std::u32string::npos;
}

bool IsRuleRemnant(const std::string& text) {
  const std::u32string u = DecodeUtf8(StripSpaces(text));
  if (u.empty() || u.size() > 4 || ParseAmount(text).is_dash()) return false;
  bool remnant_glyph = false;
  for (char32_t c : u) {
    const bool latin = (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z');
    if (!latin && !IsStrokeGlyph(c)) return false;
    remnant_glyph = remnant_glyph || !latin;
  }
  // One Latin letter alone ("m") may be a misread digit; two, or any stroke or bracket, are no
  // amount.
  return remnant_glyph || u.size() >= 2;
}

bool InSystem(const CodeEntry* e, bool economic) {
  return e && (economic ? e->system != CodeSystem::kFunction : e->system == CodeSystem::kFunction);
}

// One table's repair: the table, what is known of it (kind, column roles, code system) and the
// repairs made so far. Each public step is one kind of repair, called in the order of
// Repairer::repair; warnings go straight to the caller's list.
class TablePass {
 public:
  TablePass(const Repairer& repairer, const CodeDictionary& dict, const TableCatalogue& catalogue,
            const Repairer::Params& params, Table& t, int table_index,
            std::vector<std::string>* warnings)
      : repairer_(repairer),
        dict_(dict),
        catalogue_(catalogue),
        params_(params),
        t_(t),
        table_index_(table_index),
        warnings_(warnings),
        kind_(catalogue.Find(t.kind)),
        roles_(ColumnRoles(t, catalogue)),
        economic_(KindCodeType(t, catalogue) == "economic") {}

  void HeadersByWord();
  void HeadersByPosition();
  void FormLabels();
  void FormValues();
  std::vector<int> CodesAndNames();  // returns the code columns
  void Amounts(const std::vector<int>& code_cols);
  void RowLabels();
  void OrdinalPrefixes();
  void SanGongQuotes();
  std::vector<Repair> TakeRepairs() { return std::move(out_); }

 private:
  void Warn(Cell& cell, const std::string& flag, const std::string& msg);
  void Record(Cell& cell, const std::string& field, const std::string& after,
              const std::string& reason, double conf);
  void UnknownKindHeader(Cell& cell, const std::string& prefix, const NearestWord& near, double n);
  void NearMiss(Cell& cell, const std::string& what, const NearestWord& near, double n);
  Cell* OwnLeafCell(int c);
  int SpecIndex(const std::string& id) const;
  bool ReadsAsAmounts(int c) const;
  void HeaderRunByPosition(const std::vector<std::string>& ids, int c, int end,
                           std::set<std::string>& assigned);
  std::vector<Cell*> BodyColumn(int c, bool one_column_wide);
  std::vector<std::string> CleanCodes(const std::vector<Cell*>& col);
  void CodeColumnPass(const CodeColumn& g);
  void CodeRow(const CodeColumn& g, Cell& code_cell, std::string& clean, const std::string& prev,
               const std::string& next);
  bool CodePartsBroken(const CodeColumn& g, int r, const std::string& lei, const std::string& name,
                       double* from_name);
  bool NameCell(Cell& name_cell, const std::string& code, const CodeEntry& e,
                double max_confidence);
  void Confirmed(Cell& cell) const;
  void LostParts(const std::string& lei, const std::vector<std::optional<std::string>>& part_digits,
                 const std::vector<Cell*>& part_cells, const std::string& name, CodeSystem system,
                 double* from_name);
  std::set<int> ColumnNumberRows() const;
  std::vector<bool> AmountColumns(const std::vector<int>& code_cols,
                                  const std::set<int>& lanci_rows) const;
  void DoubtLookAlikeDashes(const std::vector<bool>& amount_col);
  void NormaliseAmounts(const std::vector<bool>& amount_col, const std::set<int>& lanci_rows);

  const Repairer& repairer_;
  const CodeDictionary& dict_;
  const TableCatalogue& catalogue_;
  const Repairer::Params& params_;
  Table& t_;
  const int table_index_;
  std::vector<std::string>* warnings_;
  const TableKind* const kind_;
  const std::vector<std::string> roles_;  // the columns' roles before any repair
  const bool economic_;
  std::vector<Repair> out_;
};

void TablePass::Warn(Cell& cell, const std::string& flag, const std::string& msg) {
  AddFlag(cell, flag);
  if (warnings_) warnings_->push_back(CellWarningPrefix(t_, table_index_, cell.r, cell.c) + msg);
}

void TablePass::Record(Cell& cell, const std::string& field, const std::string& after,
                       const std::string& reason, double conf) {
  if (cell.exact) {
    // Text-layer characters are what is printed: never rewritten. A name or code that the
    // dictionary would have changed is a local variant (or a misprint), so it is flagged.
    if (field == "name" || field == "code")
      Warn(cell, "dictionary_mismatch",
           field + " '" + cell.text + "' is printed so (text layer); the dictionary suggests '" +
               after + "': kept");
    return;
  }
  if (conf < 0.8) AddFlag(cell, "repaired_unsure");
  Repair rp;
  rp.table = table_index_;
  rp.table_number = t_.number ? *t_.number : "";
  rp.r = cell.r;
  rp.c = cell.c;
  rp.field = field;
  rp.before = cell.text;
  rp.after = after;
  rp.reason = reason;
  rp.confidence = conf;
  if (cell.raw.empty()) cell.raw = cell.text;
  cell.text = after;
  out_.push_back(std::move(rp));
}

// 1. Header cells against the catalogue words of the kind; a table of unknown kind against
// the words of every kind, more carefully (only confusable-glyph changes; a word one
// character off is flagged, never rewritten: 收入 and 支出 differ by design).
void TablePass::HeadersByWord() {
  const std::vector<std::string> words = HeaderLexicon(kind_, catalogue_);
  if (words.empty()) return;
  for (auto& cell : t_.cells) {
    if (cell.r >= t_.header_rows) continue;
    const std::string full = StripSpaces(cell.text);
    const std::string s = StripOrdinal(full);  // keep "一、" style prefixes as printed
    if (FoldsToAny(s, words)) Confirmed(cell);
    if (s.empty() || IsColumnNumberCell(s) || FoldsToAny(s, words)) continue;
    const std::string prefix = full.substr(0, full.size() - s.size());
    const NearestWord near = Nearest(s, words);
    const double n = static_cast<double>(std::max(U32Length(s), U32Length(near.word)));
    if (!kind_) {
      UnknownKindHeader(cell, prefix, near, n);
      continue;
    }
    if (near.best <= std::max(params_.header_distance, params_.header_distance_per_char * n) &&
        near.second > near.best + params_.header_margin)
      Record(cell, "header", prefix + near.word,
             "header repaired against the " + kind_->id + " catalogue (distance " + Fmt(near.best) +
                 ")",
             near.best <= params_.header_distance ? 0.9 : 0.75);
    else
      NearMiss(cell, "header", near, n);
  }
}

// A reading a character or so from a catalogue word that no rule could repair ("项目一" for 项目,
// a stroke of the rule below read as 一; "十六、人金融支出"): flagged, kept as read. On the text
// layer a different word is printed so.
void TablePass::NearMiss(Cell& cell, const std::string& what, const NearestWord& near, double n) {
  if (!cell.exact && near.best > 0 && near.best <= params_.unknown_header_flag_distance &&
      n >= params_.unknown_header_flag_min_chars)
    Warn(cell, "dictionary_mismatch",
         what + " '" + cell.text + "' is a character from '" + near.word + "'; kept as read");
}

// 1c. A form's labels (the kind's form_labels), wherever they stand in its grid: repaired when
// one label is clearly nearest, flagged when the reading is a character from one or more
// ("级指标" lost its 一, 二 or 三: no telling which).
void TablePass::FormLabels() {
  if (!kind_ || kind_->form_labels.empty()) return;
  const std::vector<std::string>& words = kind_->form_labels;
  for (auto& cell : t_.cells) {
    const std::string s = StripSpaces(cell.text);
    if (FoldsToAny(s, words)) Confirmed(cell);
    if (cell.exact || s.empty() || !HasHan(s) || FoldsToAny(s, words)) continue;
    const NearestWord near = Nearest(s, words);
    const double n = static_cast<double>(std::max(U32Length(s), U32Length(near.word)));
    if (near.best <= std::max(params_.header_distance, params_.header_distance_per_char * n) &&
        near.second > near.best + params_.header_margin)
      Record(cell, "label", near.word,
             "form label repaired against the " + kind_->id + " catalogue (distance " +
                 Fmt(near.best) + ")",
             near.best <= params_.header_distance ? 0.9 : 0.75);
    else
      NearMiss(cell, "label", near, n);
  }
}

// 1d. A 绩效 form's amounts are normalised like any amount, and its indicator values (the
// column under 指标值) are printed with a comparator:
// "≥12.00(次)", "=100.00(%)". OCR reads ≥ as 三 and = as 二, or drops them: a value read
// without one is flagged comparator_lost, a 三 or 二 before the digits is repaired, unsure.
void TablePass::FormValues() {
  if (!kind_ || kind_->form_labels.empty()) return;
  std::vector<std::pair<int, int>> value_columns;  // (header row, column)
  for (const auto& cell : t_.cells)
    if (StripSpaces(cell.text).ends_with("指标值"))  // 指标值, 年度(/项目)指标值
      value_columns.emplace_back(cell.r, cell.c);
  static const std::regex kLookAlike(R"(^(三|二)\s*([0-9]))");
  static const std::regex kBareNumber(R"(^[0-9][0-9,.\s]*(?:(?:（|\().*(?:）|\)))?$)");
  for (auto& cell : t_.cells) {
    if (cell.exact || StripSpaces(cell.text).empty()) continue;
    bool under = false;
    for (const auto& [r, c] : value_columns) under = under || (cell.c == c && cell.r > r);
    const std::string s = StripSpaces(cell.text);
    if (!under) {
      // The form's money (项目资金总额 ...) is printed to the fen: the amount rules apply.
      std::string why;
      const auto n = HasHan(s) ? std::nullopt : NormalizeAmountText(s, &why);
      if (n && *n != s && n->find('.') != std::string::npos)
        Record(cell, "amount", *n, why.empty() ? "amount text normalised" : why, 0.9);
      continue;
    }
    std::smatch m;
    if (std::regex_search(s, m, kLookAlike)) {
      const std::string comparator = m[1] == "三" ? "≥" : "=";
      Record(cell, "label", comparator + s.substr(static_cast<size_t>(m.length(1))),
             "a comparator read as " + m[1].str() + " before an indicator value", 0.6);
    } else if (std::regex_match(s, kBareNumber)) {
      Warn(cell, "comparator_lost",
           "indicator value '" + cell.text + "' has no comparator (≥ ≤ =); OCR may have lost it");
    }
  }
}

void TablePass::UnknownKindHeader(Cell& cell, const std::string& prefix, const NearestWord& near,
                                  double n) {
  if (near.best <= params_.header_distance && near.second > near.best + params_.header_margin)
    Record(cell, "header", prefix + near.word,
           "header repaired against the catalogue's header words (distance " + Fmt(near.best) + ")",
           0.8);
  else if (near.best <= params_.unknown_header_flag_distance && near.second > near.best &&
           n >= params_.unknown_header_flag_min_chars && !cell.exact)
    Warn(cell, "dictionary_mismatch",
         "header '" + cell.text + "' is one character from '" + near.word + "'; kept as read");
}

// A leaf header cell of its own (one column wide, read by OCR), or nullptr.
Cell* TablePass::OwnLeafCell(int c) {
  Cell* cell = CellAt(t_, t_.header_rows - 1, c);
  return cell && cell->cs == 1 && !cell->exact ? cell : nullptr;
}

int TablePass::SpecIndex(const std::string& id) const {
  for (size_t k = 0; k < kind_->columns.size(); ++k)
    if (kind_->columns[k].id == id) return static_cast<int>(k);
  return -1;
}

// Most of what the column holds reads as amounts (a garbled dash or two is OCR's, a column of
// words is not an amount column).
bool TablePass::ReadsAsAmounts(int c) const {
  int filled = 0, numbers = 0;
  for (const auto& cell : t_.cells)
    if (cell.c == c && cell.r >= t_.header_rows && !StripSpaces(cell.text).empty()) {
      ++filled;
      const Amount a = ParseAmount(cell.text);
      numbers += a.is_number() || a.kind == Amount::Kind::kDash;
    }
  return filled > 0 && numbers * 5 >= filled * 4;
}

// 1b. Amount headers that OCR garbled beyond repair by distance ("基本文昌", "殉目直", "We") take
// the word of the kind's column that stands in their place: between two matched columns exactly
// as many unmatched ones as the kind lists there; at the table's end the first free ones.
// Without this their records are keyed by the garble and no identity checks them.
void TablePass::HeadersByPosition() {
  if (!kind_ || kind_->columns.empty() || kind_->repeat_columns || t_.header_rows <= 0) return;
  t_.leaf_headers = LeafHeaders(t_);
  const std::vector<std::string> ids = CanonicalColumnIds(t_, catalogue_);
  std::set<std::string> assigned(ids.begin(), ids.end());
  int c = 0;
  while (c < t_.n_cols) {
    if (!ids[c].empty() || !OwnLeafCell(c)) {
      ++c;
      continue;
    }
    int end = c;
    while (end < t_.n_cols && ids[end].empty() && OwnLeafCell(end)) ++end;
    HeaderRunByPosition(ids, c, end, assigned);
    c = end;
  }
}

// The run [c, end) of columns without an id, between the matched columns around it.
void TablePass::HeaderRunByPosition(const std::vector<std::string>& ids, int c, int end,
                                    std::set<std::string>& assigned) {
  const int n_specs = static_cast<int>(kind_->columns.size());
  int before = -1, after = n_specs;
  for (int k = c - 1; k >= 0 && before < 0; --k)
    if (!ids[k].empty()) before = SpecIndex(ids[k]);
  for (int k = end; k < t_.n_cols && after == n_specs; ++k)
    if (!ids[k].empty()) after = std::max(before + 1, SpecIndex(ids[k]));
  std::vector<const ColumnSpec*> free;
  for (int k = before + 1; k < after; ++k)
    if (!assigned.count(kind_->columns[k].id)) free.push_back(&kind_->columns[k]);
  // At the table's end the kind's later columns may simply not be printed (事业单位经营支出
  // rarely is): the run takes the first free ones, the catalogue lists columns in the
  // order the documents print them.
  const bool at_end = after == n_specs;
  if (at_end && static_cast<int>(free.size()) > end - c) free.resize(end - c);
  bool amounts = static_cast<int>(free.size()) == end - c;
  for (const ColumnSpec* spec : free) amounts = amounts && spec->role == "amount";
  for (int k = c; amounts && k < end; ++k) amounts = ReadsAsAmounts(k);
  if (!amounts || before < 0) return;
  for (int k = c; k < end; ++k) {
    Cell& cell = *OwnLeafCell(k);
    const std::string& word = free[k - c]->headers.front();
    // Half the word read right ("基本文昌" / 基本支出) supports the position; less does not.
    size_t shared = 0;
    const std::u32string w = DecodeUtf8(word);
    for (char32_t ch : DecodeUtf8(cell.text)) shared += w.find(ch) != w.npos;
    Record(cell, "header", word,
           "header unreadable; the " + kind_->id + " column in this position is '" + word + "'",
           2 * shared >= w.size() ? 0.8 : 0.7);
    assigned.insert(free[k - c]->id);
  }
}

// The body cells of column c from top to bottom (only those one column wide, when asked).
std::vector<Cell*> TablePass::BodyColumn(int c, bool one_column_wide) {
  std::vector<Cell*> col;
  for (auto& cell : t_.cells)
    if (cell.c == c && (!one_column_wide || cell.cs == 1) && cell.r >= t_.header_rows)
      col.push_back(&cell);
  std::sort(col.begin(), col.end(), [](const Cell* a, const Cell* b) { return a->r < b->r; });
  return col;
}

// 2. Codes and 3. names, column group by column group: the code columns FindCodeColumns sees,
// and any column the kind names a code column.
std::vector<int> TablePass::CodesAndNames() {
  std::vector<CodeColumn> groups = FindCodeColumns(t_);
  std::vector<int> code_cols;
  for (const auto& g : groups) code_cols.push_back(g.col);
  // A 款 / 项 part column of a group is no code column of its own, whatever its header says (a
  // misread 款 header under 科目编码 took the kind's "code" role: f24-finance's 08表 read
  // every 款 part "01" as a code not in the dictionary).
  auto part_of_a_group = [&](int c) {
    return std::any_of(groups.begin(), groups.end(),
                       [c](const CodeColumn& g) { return c > g.col && c <= g.col + g.parts; });
  };
  for (int c = 0; c < t_.n_cols; ++c)
    if (c < static_cast<int>(roles_.size()) && roles_[c] == "code" && !part_of_a_group(c) &&
        std::find(code_cols.begin(), code_cols.end(), c) == code_cols.end()) {
      code_cols.push_back(c);
      groups.push_back({c, 0, c + 1, t_.n_cols});
    }
  for (const CodeColumn& g : groups) CodeColumnPass(g);
  return code_cols;
}

// Each code cell's digits ("" where the cell is blank, a total or text, or no code); OCR
// characters in a code are repaired to digits.
std::vector<std::string> TablePass::CleanCodes(const std::vector<Cell*>& col) {
  std::vector<std::string> clean(col.size());
  for (size_t i = 0; i < col.size(); ++i) {
    std::string s = StripSpaces(col[i]->text);
    if (s.empty() || IsTotalLabel(s) || HasHan(s)) continue;
    auto cc = Repairer::CleanCode(s);
    if (!cc) {
      Warn(*col[i], "not_a_code", "code cell '" + col[i]->text + "' is not a code; kept as read");
      continue;
    }
    clean[i] = *cc;
    if (*cc != s && IsSubjectCode(*cc))
      Record(*col[i], "code", *cc,
             "OCR characters in a code (letters/full-width/stray marks -> digits)", 0.9);
  }
  return clean;
}

void TablePass::CodeColumnPass(const CodeColumn& g) {
  const std::vector<Cell*> col = BodyColumn(g.col, true);
  std::vector<std::string> clean = CleanCodes(col);
  for (size_t i = 0; i < col.size(); ++i) {
    if (clean[i].empty()) continue;
    // The nearest codes above and below, as repaired so far.
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
    CodeRow(g, *col[i], clean[i], prev, next);
  }
}

// The code of one row (its digits `clean` are updated when repaired), then its name.
void TablePass::CodeRow(const CodeColumn& g, Cell& code_cell, std::string& clean,
                        const std::string& prev, const std::string& next) {
  Cell* name_cell = AnchorAt(t_, code_cell.r, g.name_col);
  const std::string name = name_cell ? name_cell->text : "";
  // A split code (201 | 13 | 01) is repaired in its 类 part, with the 类 parts around it as
  // context, but its name belongs to the whole code.
  // A code part taken from this very name proves the name no better than the name proved it.
  double from_name = 1.0;
  if (clean.size() == 3 && CodePartsBroken(g, code_cell.r, clean, name, &from_name)) {
    if (name_cell) AddFlag(*name_cell, "not_in_dictionary");
    return;
  }
  const std::string parts = clean.size() == 3 ? CodeParts(t_, code_cell.r, g) : "";
  bool code_as_read = true;
  if (auto fix = repairer_.RepairCode(clean, parts.empty() ? name : "", prev, next, economic_)) {
    Record(code_cell, "code", fix->code, fix->reason, fix->confidence);
    clean = fix->code;
    code_as_read = false;
  }
  const std::string code = clean + parts;
  const CodeEntry* e = dict_.Find(code);
  if (!InSystem(e, economic_)) {
    if (const CodeEntry* other = repairer_.OtherEdition(code, name); InSystem(other, economic_)) {
      Warn(code_cell, "code_other_edition",
           "code " + code + " is " + other->name + " in the " + other->editions +
               " editions of the dictionary, not in the list of the document's year; kept as "
               "read");
      return;
    }
    Warn(code_cell, "not_in_dictionary",
         "code " + code + " is not in the " + std::string(economic_ ? "economic" : "function") +
             " classification dictionary; kept as read");
    return;
  }
  if (name_cell && NameCell(*name_cell, code, *e, from_name) && code_as_read) {
    Confirmed(code_cell);
    for (int p = 1; p <= g.parts; ++p)
      if (Cell* part = AnchorAt(t_, code_cell.r, g.col + p)) Confirmed(*part);
  }
}

// 款 / 项 part cells of a split code: OCR noise cleaned like a code; a part that stays
// unreadable is taken from the printed name when the dictionary proves it, else it leaves the
// whole code unknown (true), so neither it nor the name is trusted.
bool TablePass::CodePartsBroken(const CodeColumn& g, int r, const std::string& lei,
                                const std::string& name, double* from_name) {
  // Each part: its digits, "" when blank, nullopt when OCR made it unreadable.
  std::vector<std::optional<std::string>> part_digits;
  std::vector<bool> unsure;  // per part: not read as two digits (or one on a text layer)
  std::vector<Cell*> part_cells;
  for (int p = 1; p <= g.parts; ++p) {
    Cell* part = AnchorAt(t_, r, g.col + p);
    part_cells.push_back(part);
    const std::string ps = part ? StripSpaces(part->text) : "";
    if (ps.empty()) {
      part_digits.emplace_back("");
      unsure.push_back(false);
      continue;
    }
    auto cp = Repairer::CleanCode(ps);
    // "2" printed on the text layer is 02 without its zero (see CodeParts).
    if (cp && (cp->size() == 2 || (cp->size() == 1 && part->exact))) {
      if (*cp != ps) Record(*part, "code", *cp, "OCR characters in a code part (-> digits)", 0.85);
      part_digits.push_back(*cp);
      unsure.push_back(false);
      continue;
    }
    // One digit read by OCR: 02 printed without its zero, or 12 with a digit lost. It narrows
    // the dictionary's choice; the name decides, or the code stays unknown.
    part_digits.emplace_back(cp && cp->size() == 1 ? std::optional<std::string>(*cp)
                                                   : std::nullopt);
    unsure.push_back(true);
  }
  const CodeSystem system = !economic_             ? CodeSystem::kFunction
                            : lei.starts_with("5") ? CodeSystem::kEconGov  // 政府预算经济分类
                                                   : CodeSystem::kEconDept;
  if (std::find(unsure.begin(), unsure.end(), true) == unsure.end()) {
    LostParts(lei, part_digits, part_cells, name, system, from_name);
    return false;
  }
  const auto fix = repairer_.CodeFromName(lei, part_digits, name, system);
  bool broken = false;
  for (size_t p = 0; p < part_digits.size(); ++p) {
    if (!unsure[p] || !part_cells[p]) continue;
    if (fix) {
      Record(*part_cells[p], "code", fix->parts[p], fix->reason, fix->confidence);
      *from_name = fix->confidence;
    } else {
      Warn(*part_cells[p], "not_a_code",
           "code part '" + part_cells[p]->text + "' is not two digits; kept as read");
      broken = true;
    }
  }
  return broken;
}

// A 项 (or 款) part that OCR read as blank although the row's name belongs to a deeper code:
// "201 | 06 | (blank) | 行政运行" is 2010601, not a second 20106 财政事务 (b25-finance-dept's
// scan). Only when the name as printed is exactly one entry's below the parts that were read, and
// is not the name of the code as read.
void TablePass::LostParts(const std::string& lei,
                          const std::vector<std::optional<std::string>>& part_digits,
                          const std::vector<Cell*>& part_cells, const std::string& name,
                          CodeSystem system, double* from_name) {
  std::string as_read = lei;
  std::vector<std::optional<std::string>> open = part_digits;
  bool any_blank = false;
  for (size_t p = 0; p < part_digits.size(); ++p) {
    if (part_digits[p] && !part_digits[p]->empty()) {
      as_read += *part_digits[p];
    } else if (part_cells[p] && !part_cells[p]->exact) {
      open[p] = std::nullopt;
      any_blank = true;
    }
  }
  if (!any_blank || StripSpaces(name).empty()) return;
  if (const CodeEntry* e = dict_.Find(as_read, system); e && FoldEqual(StripSpaces(name), e->name))
    return;
  const auto fix = repairer_.CodeFromName(lei, open, name, system);
  if (!fix || fix->confidence < 0.85) return;  // the printed name exactly, and a sure entry
  for (size_t p = 0; p < part_digits.size(); ++p)
    if (!open[p] && part_cells[p] && !fix->parts[p].empty()) {
      Record(*part_cells[p], "code", fix->parts[p], "code part read as blank; " + fix->reason,
             0.85);
      *from_name = 0.85;
    }
}

// The name of a proven code (valid, in this table's system) against its dictionary name.
bool TablePass::NameCell(Cell& name_cell, const std::string& code, const CodeEntry& e,
                         double max_confidence) {
  if (StripSpaces(name_cell.text).empty()) {
    // A coded row always prints its name: an empty OCR reading is a name that was not read,
    // so the dictionary name stands in.
    if (!name_cell.exact)
      Record(name_cell, "name", e.name, "name not read; dictionary name of the proven code " + code,
             e.sure ? 0.8 : 0.7);
    return false;
  }
  double d = 0;
  bool far = false;
  if (auto canon = repairer_.RepairName(code, name_cell.text, &d, &far)) {
    // A reading whose length differs from the dictionary name by a whole character is as
    // likely a local name ("基本养老保险费" for 基本养老保险缴费) as a character OCR lost:
    // repaired, but unsure. Same-length garble (平续费 for 手续费) is OCR's.
    const bool length_differs =
        d >= 1.0 && U32Length(StripSpaces(name_cell.text)) != U32Length(*canon);
    Record(name_cell, "name", *canon,
           "name repaired against dictionary entry " + code + " (confusion-aware distance " +
               Fmt(d) + ")",
           std::min(max_confidence,
                    !e.sure || length_differs ? 0.7 : (d <= params_.name_distance ? 0.95 : 0.85)));
  } else if (far) {
    std::string older;
    for (const CodeEntry* other : repairer_.AllEditionsOf(code))
      if (other->name != e.name && FoldEqual(StripSpaces(name_cell.text), other->name))
        older = " (it is " + code + "'s name in the " + other->editions + " editions)";
    Warn(name_cell, "dictionary_mismatch",
         "name '" + name_cell.text + "' differs from the dictionary name of " + code + " '" +
             e.name + "' for the document's year" + older + "; kept as read");
  } else if (max_confidence >= 1.0 && e.sure) {
    // The code and the name, read apart, agree with the dictionary: each proves the other.
    Confirmed(name_cell);
    return true;
  }
  return false;
}

// A reading that is exactly what the dictionary or the catalogue prints for it (a name of its
// row's code, a header or label word) is not doubtful, whatever OCR's own confidence said.
void TablePass::Confirmed(Cell& cell) const {
  if (!cell.exact && !StripSpaces(cell.text).empty() && cell.conf < kUnsureConf)
    cell.conf = kConfirmedByDictionaryConf;
}

// 4. Amounts: which columns hold amounts, a doubtful dash in a column of zeros, the text of
// every amount normalised.
void TablePass::Amounts(const std::vector<int>& code_cols) {
  const std::set<int> lanci_rows = ColumnNumberRows();
  t_.leaf_headers = LeafHeaders(t_);
  const std::vector<bool> amount_col = AmountColumns(code_cols, lanci_rows);
  DoubtLookAlikeDashes(amount_col);
  NormaliseAmounts(amount_col, lanci_rows);
}

// Body rows that print only column numbers (栏次, 1, 2, ...).
std::set<int> TablePass::ColumnNumberRows() const {
  std::set<int> rows;
  for (int r = t_.header_rows; r < t_.n_rows; ++r) {
    bool any = false, all = true;
    for (const auto& cell : t_.cells)
      if (cell.r == r) {
        std::string s = StripSpaces(cell.text);
        if (s.empty()) continue;
        any = true;
        all = all && IsColumnNumberCell(s);
      }
    if (any && all && t_.n_cols > 3) rows.insert(r);
  }
  return rows;
}

// The kind's amount columns; for a table the catalogue does not name, the columns whose body
// reads mostly as amounts.
std::vector<bool> TablePass::AmountColumns(const std::vector<int>& code_cols,
                                           const std::set<int>& lanci_rows) const {
  std::vector<bool> amount_col(static_cast<size_t>(t_.n_cols), false);
  bool have_roles = false;
  // The roles as the headers now read (Amounts refreshed leaf_headers): a header the first step
  // repaired ("基本文昌" -> 基本支出) makes its column an amount column only now.
  const std::vector<std::string> roles = ColumnRoles(t_, catalogue_);
  for (int c = 0; c < t_.n_cols; ++c)
    if (c < static_cast<int>(roles.size()) && !roles[c].empty())
      have_roles = true, amount_col[c] = roles[c] == "amount";
  if (have_roles) return amount_col;
  // A column of amounts shows two or more; a table of one or two body rows (the 三公 budget's
  // one row of figures) can show only one.
  const int body_rows = t_.n_rows - t_.header_rows - static_cast<int>(lanci_rows.size());
  const int enough = body_rows <= 2 ? 1 : 2;
  for (int c = 0; c < t_.n_cols; ++c) {
    if (std::find(code_cols.begin(), code_cols.end(), c) != code_cols.end()) continue;
    int filled = 0, amounts = 0;
    for (const auto& cell : t_.cells) {
      if (cell.c != c || cell.r < t_.header_rows || lanci_rows.count(cell.r)) continue;
      std::string s = StripSpaces(cell.text);
      if (s.empty()) continue;
      ++filled;
      std::string why;
      auto n = NormalizeAmountText(s, &why);
      if (n && (n->find('.') != std::string::npos || n->find("—") != std::string::npos)) ++amounts;
    }
    amount_col[c] = amounts >= enough && amounts * 2 >= filled;
  }
  return amount_col;
}

// How each amount column prints "nothing": dashes, or zeros. A look-alike that reading took
// for a dash (一 read alone) in a column printing zeros and no dash may as well be a damaged 0
// (b25-wanli-dept's scan): its confidence drops, so the cell is flagged low_confidence.
void TablePass::DoubtLookAlikeDashes(const std::vector<bool>& amount_col) {
  auto look_alike_dash = [](const Cell& c) {
    return ParseAmount(c.text).is_dash() && !c.raw.empty() && !ParseAmount(c.raw).is_dash();
  };
  std::vector<int> dashes(static_cast<size_t>(t_.n_cols), 0);
  std::vector<int> zeros(static_cast<size_t>(t_.n_cols), 0);
  for (const auto& cell : t_.cells) {
    if (cell.r < t_.header_rows || cell.c >= t_.n_cols || !amount_col[cell.c]) continue;
    const Amount a = ParseAmount(cell.text);
    dashes[cell.c] += a.is_dash() && !look_alike_dash(cell);
    zeros[cell.c] += a.is_number() && a.cents == 0;
  }
  for (auto& cell : t_.cells)
    if (cell.r >= t_.header_rows && cell.c < t_.n_cols && amount_col[cell.c] && !cell.exact &&
        look_alike_dash(cell) && dashes[cell.c] == 0 && zeros[cell.c] > 0)
      cell.conf = std::min(cell.conf, 0.6f);
}

void TablePass::NormaliseAmounts(const std::vector<bool>& amount_col,
                                 const std::set<int>& lanci_rows) {
  for (auto& cell : t_.cells) {
    if (cell.r < t_.header_rows || lanci_rows.count(cell.r) || cell.c >= t_.n_cols ||
        !amount_col[cell.c])
      continue;
    std::string s = cell.text;
    if (StripSpaces(s).empty()) continue;
    if (!cell.exact && IsRuleRemnant(s)) {
      // The checks then count the cell as blank (0): when they pass, the arithmetic agrees that
      // nothing was lost; when they fail, the cell is among their operands.
      Record(cell, "amount", "",
             "no digit in an amount cell, only glyphs that ruling lines and specks read as (" + s +
                 "): taken as blank",
             0.5);
      AddFlag(cell, "unreadable");
      continue;
    }
    if (HasHan(s)) {
      // A stroke glyph before the digits ("人82,096,797.42", "一6,783,494"): a rule's corner,
      // or a minus sign misread, so the amount without it is unsure.
      std::u32string u = DecodeUtf8(StripSpaces(s));
      size_t lead = 0;
      while (lead < u.size() && lead < 2 && IsStrokeGlyph(u[lead]) && u[lead] != U'-') ++lead;
      std::string why;
      const std::string rest = EncodeUtf8(u.substr(lead));
      if (lead > 0 && !HasHan(rest))
        if (auto n = NormalizeAmountText(rest, &why); n && ParseAmount(*n).is_number())
          Record(cell, "amount", *n,
                 "a stroke before the amount ('" + EncodeUtf8(u.substr(0, lead)) +
                     "': a rule's corner or a misread minus) dropped",
                 0.6);
      continue;
    }
    std::string why;
    auto n = NormalizeAmountText(s, &why);
    if (!n) {
      Warn(cell, "unreadable", "amount '" + s + "' cannot be read; kept as read");
      continue;
    }
    if (*n != s) Record(cell, "amount", *n, why.empty() ? "amount text normalised" : why, 0.9);
  }
}

// 5. Row labels of the line-keyed tables (01, 04, 10) against the catalogue labels.
void TablePass::RowLabels() {
  if (!kind_) return;
  std::vector<std::string> labels;
  for (const RowLabel& line : catalogue_.row_labels())
    labels.insert(labels.end(), line.labels.begin(), line.labels.end());
  for (auto& cell : t_.cells) {
    if (cell.r < t_.header_rows || cell.c >= static_cast<int>(roles_.size()) ||
        roles_[cell.c] != "item")
      continue;
    const std::string full = StripSpaces(cell.text);
    const std::string label = StripOrdinal(full);
    if (!label.empty() && FoldsToAny(label, labels)) Confirmed(cell);
    if (label.empty() || FoldsToAny(label, labels)) continue;
    const NearestWord near = Nearest(label, labels);
    const double n = static_cast<double>(std::max(U32Length(label), U32Length(near.word)));
    if (near.best <= std::max(params_.label_distance, params_.label_distance_per_char * n) &&
        near.best / n <= params_.label_max_ratio && near.second > near.best + params_.label_margin)
      Record(cell, "label", full.substr(0, full.size() - label.size()) + near.word,
             "row label repaired against the catalogue (distance " + Fmt(near.best) + ")",
             near.best <= params_.label_distance ? 0.9 : 0.75);
    else
      NearMiss(cell, "row label", near, n);
  }
}

// 6. Ordinal prefixes of row labels (一、 1. 2、), column by column: the printed separator
// restored, a lost numeral taken from the sequence around it, the rest flagged.
void TablePass::OrdinalPrefixes() {
  for (int c = 0; c < t_.n_cols; ++c) {
    const std::vector<Cell*> col = BodyColumn(c, false);
    std::vector<LabelReading> readings;
    for (const Cell* cell : col)
      readings.push_back(cell->exact ? LabelReading{} : LabelReading{cell->text, cell->raw});
    for (const OrdinalRepair& fix : RepairOrdinals(readings)) {
      Cell& cell = *col[fix.index];
      if (fix.text.empty())
        Warn(cell, "ordinal_unsure", "label '" + cell.text + "': " + fix.reason);
      else if (fix.text != StripSpaces(cell.text))
        Record(cell, "label", fix.text, fix.reason, fix.confidence);
    }
  }
}

// 7. The quotes of “三公”: OCR often loses one of the pair (三公”经费预算数).
void TablePass::SanGongQuotes() {
  for (auto& cell : t_.cells) {
    if (cell.exact) continue;
    std::string fixed = QuoteSanGong(cell.text);
    if (fixed != cell.text)
      Record(cell, cell.r < t_.header_rows ? "header" : "label", fixed,
             "one of the quotes around 三公 was lost in OCR", 0.9);
  }
}

}  // namespace

std::vector<Repair> Repairer::repair(Table& t, int table_index,
                                     std::vector<std::string>* warnings) const {
  // Each step sees what the earlier ones repaired: header positions are read once the header
  // words are, the amount step skips the code columns the code step found, ordinals are
  // restored in labels already repaired against the catalogue.
  TablePass pass(*this, dict_, catalogue_, params_, t, table_index, warnings);
  pass.HeadersByWord();
  pass.HeadersByPosition();
  pass.FormLabels();
  pass.FormValues();
  const std::vector<int> code_cols = pass.CodesAndNames();
  pass.Amounts(code_cols);
  pass.RowLabels();
  pass.OrdinalPrefixes();
  pass.SanGongQuotes();
  return pass.TakeRepairs();
}

}  // namespace juesuan
