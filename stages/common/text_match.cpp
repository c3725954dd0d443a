#include "stages/common/text_match.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

namespace juesuan {

namespace {

// CJK forms that print the same thing as an ASCII one, folded to it for comparison.
constexpr std::pair<char32_t, char32_t> kFolds[] = {
    {0x3000, U' '}, {U'〈', U'('}, {U'《', U'('}, {U'〔', U'('}, {U'【', U'('},
    {U'〉', U')'},  {U'》', U')'}, {U'〕', U')'}, {U'】', U')'}, {U'“', U'"'},
    {U'”', U'"'},   {U'„', U'"'},  {U'‘', U'\''}, {U'’', U'\''}, {U'、', U','},
    {U'。', U'.'},  {U'—', U'-'},  {U'–', U'-'},  {U'－', U'-'}, {U'―', U'-'},
};

}  // namespace

char32_t FoldChar(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;  // full-width ASCII
  // Every fold lies in General Punctuation (dashes, quotes) or CJK Symbols and Punctuation: the
  // digits and Han characters that make up most text return at once.
  if (!((c >= 0x2013 && c <= 0x201E) || (c >= 0x3000 && c <= 0x3015))) return c;
  for (auto [from, to] : kFolds)
    if (c == from) return to;
  return c;
}

bool IsStrayChar(char32_t c) {
  c = FoldChar(c);
  if (c == U' ' || c == U'\t' || c == U'\n') return true;
  if (c < 0x80)
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
  return c == U'·' || c == U'・' || c == U'…' || c == U'°' || c == U'¦' || c == U'§' || c == U'∶' ||
         c == U'′' || c == U'″' || c == U'丶' || c == U'丨' || c == U'亅';
}

namespace {

// Shape-similar glyph pairs seen in (or typical of) OCR of these tables; each counts both ways.
constexpr std::pair<char32_t, char32_t> kConfusablePairs[] = {
    {U'出', U'山'},
    {U'支', U'古'},
    {U'支', U'文'},
    {U'己', U'已'},
    {U'已', U'巳'},
    {U'己', U'巳'},
    {U'未', U'末'},
    {U'士', U'土'},
    {U'拨', U'拔'},
    {U'〈', U'（'},
    {U'〉', U'）'},
    {U'入', U'人'},
    {U'八', U'人'},
    {U'八', U'入'},
    {U'日', U'曰'},
    {U'王', U'玉'},
    {U'大', U'太'},
    {U'大', U'犬'},
    {U'厂', U'广'},
    {U'千', U'干'},
    {U'干', U'于'},
    {U'戊', U'戌'},
    {U'贷', U'货'},
    {U'务', U'条'},
    {U'费', U'赀'},
    {U'补', U'朴'},
    {U'助', U'肋'},
    {U'经', U'轻'},
    {U'营', U'菅'},
    {U'理', U'埋'},
    {U'办', U'か'},
    {U'公', U'么'},
    {U'金', U'全'},
    {U'计', U'汁'},
    {U'合', U'台'},
    {U'保', U'堡'},
    {U'险', U'验'},
    {U'工', U'エ'},
    {U'口', U'囗'},
    {U'0', U'O'},
    {U'0', U'o'},
    {U'0', U'D'},
    {U'1', U'l'},
    {U'1', U'I'},
    {U'1', U'|'},
    {U'2', U'Z'},
    {U'5', U'S'},
    {U'8', U'B'},
    {U'3', U'2'},
    {U'3', U'8'},
    {U'3', U'5'},
    {U'6', U'8'},
    {U'6', U'5'},
    {U'6', U'0'},
    {U'8', U'0'},
    {U'8', U'9'},
    {U'9', U'0'},
    {U'1', U'7'},
    {U'1', U'4'},
    {U'4', U'9'},
    {U'7', U'2'},
    {U'0', U'〇'},
    {U'一', U'-'},
    {U'一', U'—'},
    {U'息', U'急'},
    {U'〔', U'匚'},
    {U'职', U'職'},
    {U'业', U'業'},
    {U'体', U'休'},
    {U'设', U'没'},
    {U'场', U'扬'},
    {U'拆', U'折'},
    // Seen on the real-budget scans (2026-12): 科目 read 科日 / 科旧, 年末 read 年林,
    // 项 read 页, （ read 《.
    {U'目', U'日'},
    {U'目', U'旧'},
    {U'末', U'林'},
    {U'项', U'页'},
    {U'《', U'（'},
};

const std::set<std::pair<char32_t, char32_t>>& ConfusablePairs() {
  static const std::set<std::pair<char32_t, char32_t>> pairs = [] {
    std::set<std::pair<char32_t, char32_t>> s;
    for (auto [a, b] : kConfusablePairs) s.insert({a, b}), s.insert({b, a});
    return s;
  }();
  return pairs;
}

double IndelCost(char32_t c) { return IsStrayChar(c) ? 0.1 : 1.0; }

// Weighted Levenshtein distance between a and b. With `free_ends`, b is a haystack: the match may
// start and end anywhere in it (Sellers), and the result is the best over all its substrings.
template <class Indel, class Substitute>
double EditDistance(const std::u32string& a, const std::u32string& b, bool free_ends, Indel indel,
                    Substitute substitute) {
  std::vector<double> prev(b.size() + 1, 0.0), cur(b.size() + 1);
  if (!free_ends)
    for (size_t j = 1; j <= b.size(); ++j) prev[j] = prev[j - 1] + indel(b[j - 1]);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = prev[0] + indel(a[i - 1]);
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + indel(a[i - 1]), cur[j - 1] + indel(b[j - 1]),
                         prev[j - 1] + substitute(a[i - 1], b[j - 1])});
    prev.swap(cur);
  }
  return free_ends ? *std::min_element(prev.begin(), prev.end()) : prev[b.size()];
}

}  // namespace

double SubstitutionCost(char32_t a, char32_t b) {
  if (a == b) return 0.0;
  if (FoldChar(a) == FoldChar(b)) return 0.05;
  if (ConfusablePairs().count({a, b})) return 0.3;
  if (IsStrayChar(a) && IsStrayChar(b)) return 0.1;
  return 1.0;
}

double ConfusionDistance(const std::string& a, const std::string& b) {
  return EditDistance(DecodeUtf8(a), DecodeUtf8(b), false, IndelCost, SubstitutionCost);
}

double FuzzySubstringDistance(const std::string& needle, const std::string& haystack) {
  return EditDistance(DecodeUtf8(needle), DecodeUtf8(haystack), true, IndelCost, SubstitutionCost);
}

bool FuzzyContains(const std::string& haystack, const std::string& needle, double max_ratio) {
  if (haystack.find(needle) != std::string::npos) return true;
  size_t n = U32Length(needle);
  if (n == 0) return true;
  return FuzzySubstringDistance(needle, haystack) <= max_ratio * static_cast<double>(n) + 1e-9;
}

double TextSimilarity(const std::string& a, const std::string& b) {
  std::u32string x = DecodeUtf8(a), y = DecodeUtf8(b);
  if (x.empty() && y.empty()) return 1.0;
  // Unit costs: the sums stay small integers, exact in a double.
  const double d = EditDistance(
      x, y, false, [](char32_t) { return 1.0; },
      [](char32_t p, char32_t q) { return p == q ? 0.0 : 1.0; });
  return 1.0 - d / static_cast<double>(std::max(x.size(), y.size()));
}

bool FoldEqual(const std::string& a, const std::string& b) {
  std::u32string x = DecodeUtf8(StripSpaces(a)), y = DecodeUtf8(StripSpaces(b));
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (FoldChar(x[i]) != FoldChar(y[i])) return false;
  return true;
}

double NormalisedConfusionDistance(const std::string& a, const std::string& b) {
  double n = static_cast<double>(std::max(U32Length(a), U32Length(b)));
  return n == 0 ? 0 : ConfusionDistance(a, b) / n;
}

}  // namespace juesuan
