#include "stages/common/amount.h"

#include <algorithm>
#include <regex>
#include <vector>

#include "stages/common/text_normalise.h"

namespace juesuan {
namespace {

bool IsDashText(const std::u32string& u) {
  if (u.empty() || u.size() > 3) return false;
  for (char32_t c : u)
    if (c != U'—' && c != U'-' && c != U'–' && c != U'－' && c != U'―' && c != U'─' && c != U'━')
      return false;
  return true;
}

}  // namespace

std::optional<int64_t> Amount::sum_value() const {
  switch (kind) {
    case Kind::kNumber:
      return cents;
    case Kind::kBlank:
    case Kind::kDash:
      return 0;
    default:
      return std::nullopt;
  }
}

Amount ParseAmount(const std::string& text) {
  Amount a;
  std::u32string u = DecodeUtf8(StripSpaces(text));
  if (u.empty()) return a;
  if (IsDashText(u)) {
    a.kind = Amount::Kind::kDash;
    return a;
  }
  a.kind = Amount::Kind::kInvalid;
  size_t i = 0;
  bool neg = false;
  if (u[0] == U'-' || u[0] == U'+') neg = u[0] == U'-', i = 1;
  int64_t whole = 0;
  int digits = 0, group = 0;
  bool commas = false;
  for (; i < u.size() && u[i] != U'.'; ++i) {
    if (u[i] == U',') {
      if (digits == 0 || (commas && group != 3) || (!commas && group > 3)) return a;
      commas = true;
      group = 0;
      continue;
    }
    if (u[i] < U'0' || u[i] > U'9') return a;
    if (++digits > 15) return a;
    whole = whole * 10 + (u[i] - U'0');
    ++group;
  }
  if (digits == 0 || (commas && group != 3)) return a;
  int64_t frac = 0;
  int dec = 0;
  if (i < u.size()) {  // '.'
    for (++i; i < u.size(); ++i) {
      if (u[i] < U'0' || u[i] > U'9') return a;
      if (++dec > 2) return a;
      frac = frac * 10 + (u[i] - U'0');
    }
    if (dec == 0) return a;
  }
  if (dec == 1) frac *= 10;
  a.kind = Amount::Kind::kNumber;
  a.decimals = dec;
  a.cents = (whole * 100 + frac) * (neg ? -1 : 1);
  return a;
}

std::string FormatCents(int64_t cents, bool grouped) {
  bool neg = cents < 0;
  // Negated as unsigned: -INT64_MIN does not fit in int64_t.
  uint64_t v = neg ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string digits = std::to_string(v / 100);
  std::string out;
  out.reserve(digits.size() * 2 + 4);
  if (neg) out.push_back('-');
  for (size_t k = 0; k < digits.size(); ++k) {
    if (grouped && k > 0 && (digits.size() - k) % 3 == 0) out.push_back(',');
    out.push_back(digits[k]);
  }
  out.push_back('.');
  out.push_back(static_cast<char>('0' + (v % 100) / 10));
  out.push_back(static_cast<char>('0' + v % 10));
  return out;
}

namespace {

// Full-width digits and punctuation, and the letters OCR reads for digits (O->0, l->1, S->5,
// B->8, Z->2), mapped to ASCII. With `letters_at_ends_are_stray`, a letter outside the span of
// digits becomes '~', a stray mark to be cut off.
std::u32string MapToAscii(const std::u32string& s, bool letters_at_ends_are_stray, bool* fw,
                          bool* letters) {
  std::u32string t;
  size_t real_first = std::u32string::npos, real_last = 0;
  for (size_t k = 0; k < s.size(); ++k)
    if ((s[k] >= U'0' && s[k] <= U'9') || (s[k] >= 0xFF10 && s[k] <= 0xFF19)) {
      if (real_first == std::u32string::npos) real_first = k;
      real_last = k;
    }
  for (size_t k = 0; k < s.size(); ++k) {
    char32_t c = s[k];
    char32_t f = c;
    bool outside = real_first == std::u32string::npos || k < real_first || k > real_last;
    if (letters_at_ends_are_stray && outside &&
        ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || c == U'|' || c == U'!')) {
      t.push_back(U'~');
      continue;
    }
    if (c >= 0xFF10 && c <= 0xFF19)
      f = c - 0xFEE0, *fw = true;
    else if (c == U'，' || c == U'、')
      f = U',', *fw = true;
    else if (c == U'。' || c == U'．' || c == U'·' || c == U'・')
      f = U'.', *fw = true;
    else if (c == U'－' || c == U'—' || c == U'–')
      f = U'-', *fw = true;
    else if (c == U'O' || c == U'o' || c == U'D' || c == U'〇' || c == U'Q')
      f = U'0', *letters = true;
    else if (c == U'l' || c == U'I' || c == U'|' || c == U'i' || c == U'!')
      f = U'1', *letters = true;
    else if (c == U'S' || c == U's')
      f = U'5', *letters = true;
    else if (c == U'B')
      f = U'8', *letters = true;
    else if (c == U'Z' || c == U'z')
      f = U'2', *letters = true;
    t.push_back(f);
  }
  return t;
}

// The digits and separators of an amount (first to last digit) with its separators made right:
// the last one before 1-2 digits is the decimal point, the whole part regrouped by thousands
// when the text grouped it. Adds the reason to `why`; nullopt when anything but a digit or a
// separator is inside.
std::optional<std::u32string> Regroup(const std::u32string& core, std::vector<std::string>& why) {
  std::vector<size_t> seps;  // positions in core
  for (size_t k = 0; k < core.size(); ++k) {
    char32_t c = core[k];
    if (c >= U'0' && c <= U'9') continue;
    if (c == U',' || c == U'.' || c == U'\'' || c == U'`' || c == U':' || c == U'：' || c == U';' ||
        c == U'；') {
      seps.push_back(k);
      continue;
    }
    return std::nullopt;
  }
  std::u32string out;
  if (!seps.empty()) {
    size_t lastsep = seps.back();
    size_t tail = core.size() - lastsep - 1;
    bool decimal = tail >= 1 && tail <= 2;
    if (!decimal && core[lastsep] == U'.' && seps.size() == 1)
      decimal = true;  // "12.345" kept as is
    std::u32string whole;
    for (size_t k = 0; k < (decimal ? lastsep : core.size()); ++k)
      if (core[k] >= U'0' && core[k] <= U'9') whole.push_back(core[k]);
    // Re-group the whole part when the printed text grouped it (or when any separator was wrong).
    bool grouped =
        std::count(core.begin(), core.begin() + static_cast<long>(decimal ? lastsep : core.size()),
                   U',') > 0 ||
        seps.size() > 1;
    std::u32string g;
    for (size_t k = 0; k < whole.size(); ++k) {
      if (grouped && k > 0 && (whole.size() - k) % 3 == 0) g.push_back(U',');
      g.push_back(whole[k]);
    }
    out = g;
    if (decimal) out += U'.' + core.substr(lastsep + 1);
    if (decimal && core[lastsep] != U'.')
      why.push_back("separator before the last 1-2 digits read as decimal point");
  } else {
    out = core;
  }
  return out;
}

std::optional<std::string> Normalize(const std::string& text, std::string* reason,
                                     bool letters_at_ends_are_stray) {
  std::vector<std::string> why;
  std::u32string u = DecodeUtf8(text), s;
  bool had_space = false, dropped_token = false;
  // Space-separated pieces without a digit after the last piece with one are marks, not digits:
  // in "0 | WA" (a rule remnant and noise right of a 0) the bar is no 1 of this number.
  auto is_space = [](char32_t c) { return c == U' ' || c == 0x3000 || c == U'\t' || c == 0xA0; };
  auto is_digit = [](char32_t c) { return (c >= U'0' && c <= U'9') || (c >= U'０' && c <= U'９'); };
  std::vector<std::u32string> pieces(1);
  for (char32_t c : u) {
    if (!is_space(c)) {
      pieces.back().push_back(c);
    } else if (!pieces.back().empty()) {
      pieces.emplace_back();
    }
  }
  size_t last_digits = pieces.size();
  for (size_t k = 0; k < pieces.size(); ++k)
    if (std::any_of(pieces[k].begin(), pieces[k].end(), is_digit)) last_digits = k;
  for (size_t k = 0; k < pieces.size(); ++k) {
    const auto& piece = pieces[k];
    if (piece.empty()) continue;
    if (last_digits < k) {
      dropped_token = true;
      continue;
    }
    if (!s.empty()) had_space = true;
    s += piece;
  }
  auto done = [&](const std::u32string& out) -> std::optional<std::string> {
    if (reason) {
      std::string r;
      for (size_t k = 0; k < why.size(); ++k) r += (k ? "; " : "") + why[k];
      *reason = r;
    }
    return EncodeUtf8(out);
  };
  if (s.empty()) return done(s);
  // Dash variants: keep what was printed ("—" or "——") when it is a real dash; map look-alikes.
  if (IsDashText(s)) return done(s);
  if (s == U"一" || s == U"_" || s == U"__" || s == U"一一" || s == U"=") {
    why.push_back("dash look-alike read as dash");
    return done(s.size() >= 2 ? U"——" : U"—");
  }
  bool fw = false, letters = false;
  const std::u32string t = MapToAscii(s, letters_at_ends_are_stray, &fw, &letters);
  // Keep only the span from the first to the last digit (plus a leading minus); everything
  // outside it is a stray mark.
  size_t first = t.find_first_of(U"0123456789"), last = t.find_last_of(U"0123456789");
  if (first == std::u32string::npos) return std::nullopt;
  bool neg = first > 0 && t[first - 1] == U'-' &&
             (first == 1 || !((t[first - 2] >= U'0' && t[first - 2] <= U'9')));
  std::u32string core = t.substr(first, last - first + 1);
  bool stray = (first > (neg ? 1u : 0u)) || last + 1 < t.size() || dropped_token;
  std::optional<std::u32string> out = Regroup(core, why);
  if (!out) return std::nullopt;  // a letter or Han character inside: not an amount
  if (neg) *out = U"-" + *out;
  if (fw) why.push_back("full-width characters");
  if (letters) why.push_back("letters read as digits (O/o->0, l/I->1, S->5, B->8, Z->2)");
  if (had_space) why.push_back("spaces inside the number");
  if (stray) why.push_back("stray marks removed");
  // The whole must now parse.
  if (!ParseAmount(EncodeUtf8(*out)).is_number()) {
    // "12.345": three decimals - not a 2-decimal amount; keep unchanged and let the caller warn.
    return std::nullopt;
  }
  if (EncodeUtf8(*out) != EncodeUtf8(u) && why.empty()) why.push_back("separators regrouped");
  return done(*out);
}

}  // namespace

std::optional<std::string> NormalizeAmountText(const std::string& text, std::string* reason) {
  // Two complete amounts side by side ("0.00   0.00") are two cells fused by a missed
  // separator, not one number with stray spaces: unknown is better than a made-up 0,000.00.
  static const std::regex kTwoAmounts(R"([0-9]\.[0-9]{1,2}\s+[-0-9.,]*[0-9]\.[0-9]{1,2})");
  if (std::regex_search(text, kTwoAmounts)) return std::nullopt;
  if (auto r = Normalize(text, reason, false)) return r;
  return Normalize(text, reason, true);
}

bool IsAmount(const std::string& s) {
  // Grouped by three with the separators damaged ("4563,800.00", b23-wanli-dept's scan): no
  // number to ParseAmount yet (repair regroups it), but it marks a data row all the same.
  static const std::regex kDamagedGrouping(
      R"(^-?[0-9]{1,3}(,?[0-9]{3})*\.[0-9]+$|^-?[0-9]{1,3}(,[0-9]{3})+$)");
  return (ParseAmount(s).is_number() && s.find_first_of(".,") != std::string::npos) ||
         std::regex_match(s, kDamagedGrouping);
}

bool LooksNumeric(const std::string& text) {
  static const std::regex kNumericReading(R"(^[-+]?\(?[0-9][0-9,.\s]*\)?%?$)");
  return std::regex_match(text, kNumericReading);
}

}  // namespace juesuan
