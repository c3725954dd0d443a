#include "stages/facts/fact_reader.h"

#include <algorithm>
#include <optional>

#include "stages/common/utf8.h"

namespace juesuan {
namespace {

using U32 = std::u32string;

// Sentences that follow a fact and give its numbers without naming it again ("…事业运行（项）。
// 主要用于：…。全年预算为52.00万元，…"): this many sentences later, a number still belongs to it
// (the use may take two sentences).
constexpr int kCarrySentences = 3;
// A 款 or 项 name is at most this long (the longest in the dictionary is under 30 characters).
constexpr size_t kMaxSubjectPart = 40;

bool Contains(const U32& s, const char32_t* word) { return s.find(word) != U32::npos; }
bool ContainsAny(const U32& s, std::initializer_list<const char32_t*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char32_t* w) { return Contains(s, w); });
}
bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsClauseEnd(char32_t c) {
  return c == U'，' || c == U'。' || c == U'；' || c == U'：' || c == U',' || c == U';';
}

// The sentence as the triggers are matched: quotes dropped (“三公”经费 -> 三公经费), brackets,
// digits and the percent sign made one width. The sentence itself is kept as printed.
U32 MatchForm(const std::string& sentence) {
  const U32 in = DecodeUtf8(sentence);
  U32 out;
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    if (c == U'“' || c == U'”' || c == U'"' || c == U'‘' || c == U'’' || c == U' ') continue;
    if (c == U'(') c = U'（';
    if (c == U')') c = U'）';
    if (c == U'％') c = U'%';
    if (c >= U'０' && c <= U'９') c = U'0' + (c - U'０');
    if (c == U'．') c = U'.';
    // OCR reads the prose's full-width marks as ASCII; a comma between digits groups them.
    const bool between_digits =
        i > 0 && i + 1 < in.size() && IsDigit(in[i - 1]) && IsDigit(in[i + 1]);
    if (c == U',' && !between_digits) c = U'，';
    if (c == U';') c = U'；';
    if (c == U':') c = U'：';
    out += c;
  }
  // Glyphs OCR confuses in the unit of every amount (万元 read as 刀元 or 万兀).
  for (const U32& misread : {U32(U"刀元"), U32(U"万兀"), U32(U"万无")})
    for (size_t at = out.find(misread); at != U32::npos; at = out.find(misread, at + 1))
      out.replace(at, misread.size(), U"万元");
  return out;
}

struct Trigger {
  size_t start = 0, end = 0;
  const FactKind* kind = nullptr;
  std::string subject_code, subject_name;
  bool subject_unknown = false;
  bool reference =
      false;  // names the base of a share ("占本年支出合计的"): takes its place, no fact
};

struct Number {
  size_t start = 0, end = 0;  // the digits and the unit
  std::string text, unit;
};

// Units a number of the prose is printed with, longest first where one begins another.
const std::vector<U32>& Units() {
  static const std::vector<U32> units = {U"万元", U"亿元", U"元",   U"万", U"%",    U"台（套）",
                                         U"个",   U"辆",   U"台",   U"套", U"人次", U"人",
                                         U"批次", U"次",   U"团组", U"项", U"分"};
  return units;
}

bool StartsWithAt(const U32& s, size_t at, const U32& word) {
  return s.compare(at, word.size(), word) == 0;
}

// Every number with a unit: "307.82万元", "95.89%", "4辆". Years ("2024年"), ordinals ("1、")
// and thresholds ("单价100万元（含）以上") are no facts' numbers.
std::vector<Number> FindNumbers(const U32& s) {
  std::vector<Number> out;
  for (size_t i = 0; i < s.size();) {
    if (!IsDigit(s[i]) || (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == U'.'))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && (IsDigit(s[j]) || s[j] == U',' || s[j] == U'.')) ++j;
    while (j > i && (s[j - 1] == U',' || s[j - 1] == U'.')) --j;
    Number n{i, j, EncodeUtf8(s.substr(i, j - i)), ""};
    for (const auto& unit : Units())
      if (StartsWithAt(s, j, unit)) {
        n.unit = EncodeUtf8(unit);
        n.end = j + unit.size();
        break;
      }
    // "增长13.95。": a percentage whose sign was left out.
    const bool after_change =
        i >= 2 && (s.compare(i - 2, 2, U"增长") == 0 || s.compare(i - 2, 2, U"下降") == 0);
    if (n.unit.empty() && after_change && (j == s.size() || IsClauseEnd(s[j]))) n.unit = "%";
    const bool threshold = (i >= 2 && s.compare(i - 2, 2, U"单价") == 0) ||
                           StartsWithAt(s, n.end, U"（含）以上") ||
                           StartsWithAt(s, n.end, U"以上") || StartsWithAt(s, n.end, U"以下");
    if (!n.unit.empty() && !threshold) out.push_back(n);
    i = std::max(j, i + 1);
  }
  return out;
}

// The longest run of Han before `end` that is a 类 of the function classification.
const CodeEntry* ClassBefore(const U32& s, size_t end, const CodeDictionary& dict, size_t* start) {
  size_t b = end;
  while (b > 0 && IsHanIdeograph(s[b - 1]) && end - b < kMaxSubjectPart) --b;
  // "一般公共服务（类）支出": the 类 named without its 支出, which follows the bracket.
  for (const char* suffix : {"", "支出"})
    for (size_t from = b; from < end; ++from) {
      const CodeEntry* e = dict.FindNameUnder(EncodeUtf8(s.substr(from, end - from)) + suffix, "");
      if (e && e->system == CodeSystem::kFunction) {
        *start = from;
        return e;
      }
    }
  return nullptr;
}

// One level of a subject as printed: "政府办公厅（室）及相关机构事务（款）" (a name may hold
// brackets of its own) or "司法（06款）" (its code part in the bracket).
struct SubjectPart {
  U32 name;
  std::string digits;  // the code part printed in the bracket, else ""
  size_t start = 0, end = 0;
};

// The bracket "（[digits]level）" that closes at `close` ("类）" found there).
bool ReadBracket(const U32& s, size_t close, size_t* open, std::string* digits) {
  const size_t o = s.rfind(U'（', close);
  if (o == U32::npos || close - o > 8) return false;
  for (size_t k = o + 1; k < close; ++k)
    if (!IsDigit(s[k])) return false;
  *open = o;
  *digits = EncodeUtf8(s.substr(o + 1, close - o - 1));
  return true;
}

// The 款 or 项 part that begins at `at`, before the clause ends.
std::optional<SubjectPart> ReadPart(const U32& s, size_t at, char32_t level) {
  const size_t close = s.find(U32(1, level) + U"）", at);
  size_t open = 0;
  std::string digits;
  if (close == U32::npos || close - at > kMaxSubjectPart ||
      !ReadBracket(s, close, &open, &digits) || open <= at)
    return std::nullopt;
  for (size_t k = at; k < open; ++k)
    if (IsClauseEnd(s[k]) || IsDigit(s[k])) return std::nullopt;
  return SubjectPart{s.substr(at, open - at), digits, at, close + 2};
}

// The class named before `open` (the bracket of "（类）" or "（204类）").
const CodeEntry* ReadClass(const U32& s, size_t open, const std::string& digits,
                           const CodeDictionary& dict, size_t* start) {
  if (digits.empty()) return ClassBefore(s, open, dict, start);
  const CodeEntry* e = dict.Find(digits, CodeSystem::kFunction);
  size_t b = open;
  while (b > 0 && IsHanIdeograph(s[b - 1]) && open - b < kMaxSubjectPart) --b;
  *start = b;
  return e && e->level == "类" ? e : nullptr;
}

// Subjects named by 类 [款 [项]]:
// "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）",
// "公共安全支出（204类）司法（06款）其他司法支出（99项）".
std::vector<Trigger> FindSubjects(const U32& s, const FactKind* kind, const CodeDictionary& dict) {
  std::vector<Trigger> out;
  const U32 lei = U"类）";
  for (size_t m = s.find(lei); m != U32::npos; m = s.find(lei, m + 1)) {
    size_t open = 0, start = 0;
    std::string digits;
    if (!ReadBracket(s, m, &open, &digits)) continue;
    const CodeEntry* cls = ReadClass(s, open, digits, dict, &start);
    if (!cls) continue;
    Trigger t{start, m + lei.size(), kind, cls->code, "", false};
    if (StartsWithAt(s, t.end, U"支出")) t.end += 2;  // "一般公共服务（类）支出"
    for (char32_t level : {U'款', U'项'}) {
      const auto part = ReadPart(s, t.end, level);
      if (!part) break;
      t.end = part->end;
      if (t.subject_unknown) continue;  // the code stays that of the part above
      const CodeEntry* e = part->digits.empty()
                               ? dict.FindNameUnder(EncodeUtf8(part->name), t.subject_code)
                               : dict.Find(t.subject_code + part->digits, CodeSystem::kFunction);
      if (e)
        t.subject_code = e->code;
      else
        t.subject_unknown = true;
    }
    t.subject_name = EncodeUtf8(s.substr(t.start, t.end - t.start));
    out.push_back(t);
  }
  return out;
}

bool IsDash(char32_t c) { return c == U'-' || c == U'－' || c == U'—' || c == U'–'; }

// Subjects named as "类-款-项" before 科目 (the quotes dropped):
// "一般公共服务支出-政府办公厅（室）及 相关机构事务-行政运行科目1,202.95万元".
std::vector<Trigger> FindDashedSubjects(const U32& s, const FactKind* kind,
                                        const CodeDictionary& dict) {
  std::vector<Trigger> out;
  const U32 marker = U"科目";
  for (size_t m = s.find(marker); m != U32::npos; m = s.find(marker, m + 1)) {
    size_t b = m;
    while (b > 0 && m - b < 3 * kMaxSubjectPart &&
           (IsHanIdeograph(s[b - 1]) || IsDash(s[b - 1]) || s[b - 1] == U'（' || s[b - 1] == U'）'))
      --b;
    std::vector<U32> names(1);
    for (size_t k = b; k < m; ++k) {
      if (IsDash(s[k]))
        names.emplace_back();
      else
        names.back() += s[k];
    }
    if (names.size() < 2 || names.size() > 3) continue;
    Trigger t{b, m + marker.size(), kind, "", EncodeUtf8(s.substr(b, m - b)), false};
    for (const auto& name : names) {
      const CodeEntry* e = dict.FindNameUnder(EncodeUtf8(name), t.subject_code);
      if (!e || e->system != CodeSystem::kFunction) {
        t.subject_unknown = true;
        break;
      }
      t.subject_code = e->code;
    }
    if (!t.subject_code.empty()) out.push_back(t);
  }
  return out;
}

// A trigger right after 占 / 比 / 较 / 完成 names the base of a share or a comparison, not a fact
// ("占本年支出合计的100.00%").
bool IsReference(const U32& s, size_t start) {
  for (const char32_t* word : {U"占", U"比", U"较", U"完成", U"占了", U"高于", U"低于"}) {
    const size_t n = std::char_traits<char32_t>::length(word);
    if (start >= n && s.compare(start - n, n, word) == 0) return true;
  }
  return false;
}

std::vector<Trigger> FindTriggers(const U32& s, const FactCatalogue& catalogue,
                                  const CodeDictionary& dict) {
  const FactKind* subject = catalogue.Find("subject_expenditure");
  std::vector<Trigger> found = FindSubjects(s, subject, dict);
  for (auto& t : FindDashedSubjects(s, subject, dict)) found.push_back(std::move(t));
  std::vector<Trigger> words;
  // The clause after 主要用于 describes the money's use ("…基层政权和社区建设项目支出"): no fact.
  const size_t use = s.find(U"主要用于");
  const size_t use_end = use == U32::npos ? use : s.find_first_of(U"，；。", use);
  auto in_use = [&](size_t at) { return use != U32::npos && at >= use && at < use_end; };
  for (const auto& kind : catalogue.kinds())
    for (const auto& trigger : kind.triggers) {
      const U32 w = DecodeUtf8(trigger);
      for (size_t at = s.find(w); at != U32::npos; at = s.find(w, at + 1))
        if (!in_use(at))
          words.push_back({at, at + w.size(), &kind, "", kind.trigger_is_subject ? trigger : "",
                           false, IsReference(s, at)});
    }
  // The earliest, then the longest, wins; a trigger inside a subject's name is part of it.
  std::sort(words.begin(), words.end(), [](const Trigger& a, const Trigger& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  for (const auto& w : words) {
    const bool overlaps = std::any_of(found.begin(), found.end(), [&](const Trigger& t) {
      return w.start < t.end && t.start < w.end;
    });
    if (!overlaps) found.push_back(w);
  }
  std::erase_if(found, [](const Trigger& t) { return t.reference; });
  std::sort(found.begin(), found.end(),
            [](const Trigger& a, const Trigger& b) { return a.start < b.start; });
  return found;
}

// The role of a number from the words between it and what came before it in its fact.
std::string RoleOf(const U32& cue, const std::string& unit, bool* down) {
  *down = ContainsAny(cue, {U"减少", U"下降", U"降低", U"节约", U"减"});
  const bool change = *down || ContainsAny(cue, {U"增加", U"增长", U"上升", U"提高", U"增"});
  if (unit == "%") {
    if (ContainsAny(cue, {U"完成", U"执行率", U"执行进度"}))
      return Contains(cue, U"年初")                 ? "rate_initial"
             : ContainsAny(cue, {U"全年", U"调整"}) ? "rate_full"
                                                    : "rate";
    if (change) return "change_pct";
    return "share";
  }
  if (MoneyScale(unit) == 0) return unit == "分" ? "score" : "count";
  if (change) return "change";
  // Last year's figure: "上年决算数", "2025年当年预算执行数为" (a 预算's prior-year execution).
  if (ContainsAny(cue, {U"上年", U"上一年", U"当年预算执行数"})) return "prior";
  if (Contains(cue, U"年初预算")) return "budget_initial";
  if (ContainsAny(cue, {U"全年预算", U"调整预算", U"调整后预算"})) return "budget_full";
  if (ContainsAny(cue, {U"决算", U"执行数", U"实际支出"})) return "final";
  return "amount";
}

// Stated as none: 无 / 没有 shortly before the trigger in its clause
// ("没有财政拨款“三公”经费支出"), or 未发生 / 未安排 after it.
constexpr size_t kNoneReach = 8;
bool StatedNone(const U32& s, const Trigger& t) {
  for (size_t back = 1; back <= kNoneReach && back <= t.start; ++back) {
    const char32_t c = s[t.start - back];
    if (c == U'无' || c == U'没') return true;
    if (IsClauseEnd(c)) break;
  }
  size_t clause_end = t.end;
  while (clause_end < s.size() && !IsClauseEnd(s[clause_end])) ++clause_end;
  const U32 clause = s.substr(t.end, clause_end - t.end);
  return ContainsAny(clause, {U"未发生", U"未安排", U"无支出"});
}

// "与2023年（度）持平" / "与上年持平": no change. "决算数与全年预算数持平" is no change on the
// year.
bool StatedUnchanged(const U32& segment) {
  const size_t at = segment.find(U"持平");
  if (at == U32::npos) return false;
  const U32 before = segment.substr(0, at);
  const size_t year = before.rfind(U"年");
  return (year != U32::npos && year > 0 && IsDigit(before[year - 1])) ||
         ContainsAny(before, {U"上年", U"上一年"});
}

bool HasRole(const Fact& f, const std::string& role) { return FindNumber(f, role) != nullptr; }

// Facts of one kind and subject in neighbouring sentences are one fact when no role repeats
// ("…收入支出总计307.82万元。与2023年度相比，收入支出总计增加307.82万元，增长100.00%。").
bool MergeInto(Fact& into, const Fact& f) {
  if (into.kind != f.kind || into.subject_code != f.subject_code ||
      into.subject_name != f.subject_name)
    return false;
  for (const auto& n : f.numbers)
    if (n.role != "count" && HasRole(into, n.role)) return false;
  into.numbers.insert(into.numbers.end(), f.numbers.begin(), f.numbers.end());
  for (const auto& flag : f.flags)
    if (std::find(into.flags.begin(), into.flags.end(), flag) == into.flags.end())
      into.flags.push_back(flag);
  return true;
}

}  // namespace

int64_t MoneyScale(const std::string& unit) {
  if (unit == "元") return 1;
  if (unit == "万元" || unit == "万") return 10000;
  if (unit == "亿元") return 100000000;
  return 0;
}

const FactNumber* FindNumber(const Fact& fact, const std::string& role) {
  for (const auto& n : fact.numbers)
    if (n.role == role) return &n;
  return nullptr;
}

namespace {

// What one sentence states: a fact per trigger with numbers, and the numbers printed before any
// trigger, which belong to a fact of an earlier sentence.
struct SentenceFacts {
  std::vector<Fact> facts;
  std::vector<FactNumber> leading;
  // The sentence's last fact when it has no number yet ("…事业运行（项）。"): the numbers of the
  // next sentences may be its.
  std::optional<Fact> open;
};

// A kind carries the roles its catalogue entry lists: "退休2人" in a reason is no number of
// 收入支出总计.
bool Carries(const FactKind* kind, const std::string& role) {
  return !kind ||
         std::find(kind->numbers.begin(), kind->numbers.end(), role) != kind->numbers.end();
}

FactNumber MakeNumber(const U32& cue, const Number& n) {
  bool down = false;
  const std::string role = RoleOf(cue, n.unit, &down);
  const bool signed_role = role == "change" || role == "change_pct";
  return {role, (signed_role && down ? "-" : "") + n.text, n.unit};
}

Fact NewFact(const Trigger& t, const NarrativeSentence& sentence) {
  Fact f;
  f.kind = t.kind ? t.kind->kind : "subject_expenditure";
  f.subject_code = t.subject_code;
  f.subject_name = t.subject_name;
  f.page = sentence.page;
  f.sentence = sentence.text;
  if (t.subject_unknown) f.flags.push_back("subject_not_in_dictionary");
  if (sentence.conf < kUnsureConf) f.flags.push_back("low_confidence");
  return f;
}

// Adds what a trigger's segment says without digits: 无 (value 0) and 持平 (no change).
void AddStatements(const U32& s, const Trigger& t, size_t segment_end, Fact& f) {
  if (f.numbers.empty() && StatedNone(s, t)) {
    f.numbers.push_back({"amount", "0", ""});
    f.flags.push_back("stated_none");
  }
  if (!HasRole(f, "change") && StatedUnchanged(s.substr(t.end, segment_end - t.end))) {
    f.numbers.push_back({"change", "0", ""});
    f.flags.push_back("unchanged");
  }
}

SentenceFacts ReadSentence(const NarrativeSentence& sentence, const FactCatalogue& catalogue,
                           const CodeDictionary& dict) {
  const U32 s = MatchForm(sentence.text);
  const std::vector<Trigger> triggers = FindTriggers(s, catalogue, dict);
  std::vector<Fact> facts;
  std::vector<size_t> cue_from;
  for (const auto& t : triggers) {
    facts.push_back(NewFact(t, sentence));
    cue_from.push_back(t.end);
  }
  SentenceFacts out;
  size_t lead_from = 0;
  for (const Number& n : FindNumbers(s)) {
    const bool in_name = std::any_of(triggers.begin(), triggers.end(), [&](const Trigger& t) {
      return n.start >= t.start && n.start < t.end;  // "（01项）" of a subject
    });
    if (in_name) continue;
    size_t k = triggers.size();
    while (k > 0 && triggers[k - 1].end > n.start) --k;
    size_t& from = k == 0 ? lead_from : cue_from[k - 1];
    const FactNumber number = MakeNumber(s.substr(from, n.start - from), n);
    from = n.end;
    if (k > 0 && !Carries(triggers[k - 1].kind, number.role)) continue;
    (k == 0 ? out.leading : facts[k - 1].numbers).push_back(number);
  }
  // "与2025年预算持平，…" after a fact's sentence: no change, said of that fact.
  if (triggers.empty() && StatedUnchanged(s)) out.leading.push_back({"change", "0", ""});
  for (size_t k = 0; k < triggers.size(); ++k) {
    AddStatements(s, triggers[k], k + 1 < triggers.size() ? triggers[k + 1].start : s.size(),
                  facts[k]);
    if (!facts[k].numbers.empty())
      out.facts.push_back(std::move(facts[k]));
    else if (k + 1 == triggers.size() && !triggers[k].subject_code.empty())
      out.open = std::move(facts[k]);  // a 科目 named alone: its numbers follow
  }
  return out;
}

void AppendSentence(Fact& f, const std::string& sentence) {
  if (f.sentence.size() < sentence.size() ||
      f.sentence.compare(f.sentence.size() - sentence.size(), sentence.size(), sentence) != 0)
    f.sentence += sentence;
}

// Numbers printed before any trigger go to the fact they continue: one named without numbers
// in the sentences just before (`open`), else the last fact when it is that near.
void AddLeading(const SentenceFacts& found, const std::string& sentence, std::optional<Fact>& open,
                bool open_near, bool last_near, std::vector<Fact>& out) {
  Fact* into = open && open_near ? &*open : last_near && !out.empty() ? &out.back() : nullptr;
  if (!into) return;
  for (const auto& n : found.leading)
    if (n.role == "count" || !HasRole(*into, n.role)) into->numbers.push_back(n);
  AppendSentence(*into, sentence);
  if (open && into == &*open) {
    out.push_back(std::move(*open));
    open.reset();
  }
}

}  // namespace

std::vector<Fact> ReadFacts(const std::vector<NarrativeSentence>& sentences,
                            const FactCatalogue& catalogue, const CodeDictionary& dictionary) {
  std::vector<Fact> out;
  std::optional<Fact> open;
  int last = -1000, open_at = -1000;  // the sentences of the last fact and of the open one
  for (int i = 0; i < static_cast<int>(sentences.size()); ++i) {
    const NarrativeSentence& sentence = sentences[i];
    SentenceFacts found = ReadSentence(sentence, catalogue, dictionary);
    // Numbers before the first trigger of a sentence that names facts of its own are not the
    // earlier fact's ("本部门2个预算单位…编报绩效目标的项目20个").
    if (!found.leading.empty() && found.facts.empty() && !found.open) {
      AddLeading(found, sentence.text, open, i - open_at <= kCarrySentences,
                 i - last <= kCarrySentences, out);
      last = i;
    }
    for (auto& f : found.facts) {
      const bool merge = !out.empty() && last == i - 1 &&
                         sentences[i - 1].paragraph == sentence.paragraph &&
                         MergeInto(out.back(), f);
      if (merge)
        AppendSentence(out.back(), sentence.text);
      else
        out.push_back(std::move(f));
      last = i;
    }
    if (found.open) {
      open = std::move(found.open);
      open_at = i;
    } else if (!found.facts.empty()) {
      open.reset();
    }
  }
  return out;
}

}  // namespace juesuan
