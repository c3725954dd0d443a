#include "stages/common/label_ordinals.h"

#include <algorithm>
#include <string_view>

#include "stages/common/utf8.h"

namespace juesuan {

namespace {

constexpr std::u32string_view kChineseDigits = U"一二三四五六七八九";

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsChineseNumeral(char32_t c) {
  return c == U'十' || kChineseDigits.find(c) != std::u32string_view::npos;
}

// What OCR reads in place of a separator, or as specks right after one. No quotes: “三公”
// opens with one.
bool IsMark(char32_t c) {
  return std::u32string_view(U".．,，:：;；*·。`^~_|-'").find(c) != std::u32string_view::npos;
}

std::u32string WithoutSpaces(const std::string& s) {
  std::u32string out;
  for (char32_t c : DecodeUtf8(s))
    if (c != U' ' && c != U'\n' && c != U'\t' && c != U'\r' && c != 0x3000) out.push_back(c);
  return out;
}

enum class Style { kNone, kChinese, kArabic, kLost };

struct Parsed {
  Style style = Style::kNone;
  int value = 0;          // the ordinal as read (kChinese, kArabic)
  std::u32string number;  // its digits as read (kArabic)
  std::u32string sep;     // the separator as read; "" when none was read
  bool clean = false;     // printed form already: a good separator and nothing in between
  std::u32string rest;    // the label after the ordinal, marks removed
};

// Drops marks before the label proper; true when there were any.
bool StripLeadingMarks(std::u32string& s) {
  size_t i = 0;
  while (i < s.size() && IsMark(s[i])) ++i;
  s.erase(0, i);
  return i > 0;
}

Parsed Parse(const LabelReading& reading) {
  Parsed p;
  const std::u32string t = WithoutSpaces(reading.text);
  if (t.empty()) return p;
  // 一、 二十二、 (a numeral run, then the separator).
  size_t j = 0;
  while (j < t.size() && j < 3 && IsChineseNumeral(t[j])) ++j;
  if (j > 0 && j + 1 < t.size()) {
    const auto value = ParseChineseNumber(t.substr(0, j));
    const char32_t sep = t[j];
    if (value && (sep == U'、' || IsMark(sep))) {
      std::u32string rest = t.substr(j + 1);
      const bool marks = StripLeadingMarks(rest);
      if (!rest.empty() && IsHanIdeograph(rest[0])) {
        p.style = Style::kChinese;
        p.value = *value;
        p.sep = std::u32string(1, sep);
        p.clean = sep == U'、' && !marks;
        p.rest = rest;
        return p;
      }
    }
  }
  // 1. 2、 (one or two digits, then the separator, or nothing before the label).
  j = 0;
  while (j < t.size() && j < 2 && IsDigit(t[j])) ++j;
  if (j > 0 && j < t.size() && !IsDigit(t[j])) {
    const char32_t sep = t[j];
    std::u32string rest = t.substr(IsHanIdeograph(sep) ? j : j + 1);
    const bool marks = StripLeadingMarks(rest);
    if ((IsHanIdeograph(sep) || sep == U'、' || IsMark(sep)) && !rest.empty() &&
        IsHanIdeograph(rest[0])) {
      p.style = Style::kArabic;
      p.number = t.substr(0, j);
      p.value = std::stoi(EncodeUtf8(p.number));
      if (!IsHanIdeograph(sep)) p.sep = std::u32string(1, sep);
      p.clean = (sep == U'.' || sep == U'．' || sep == U'、') && !marks;
      p.rest = rest;
      return p;
    }
  }
  // A "、" whose numeral was lost or misread: "=、卫生健康支出", or only in the raw reading
  // (" 、其他收入", whose normalised text dropped the lone mark).
  auto lost = [&](const std::u32string& s, size_t at) {
    if (at + 1 >= s.size() || s[at] != U'、') return false;
    std::u32string rest = s.substr(at + 1);
    StripLeadingMarks(rest);
    if (rest.empty() || !IsHanIdeograph(rest[0])) return false;
    p.style = Style::kLost;
    p.rest = rest;
    return true;
  };
  const bool misread = t.size() > 2 && !IsHanIdeograph(t[0]) && !IsDigit(t[0]);
  if (lost(t, 0) || (misread && lost(t, 1))) return p;
  const std::u32string raw = WithoutSpaces(reading.raw);
  if (IsHanIdeograph(t[0]) && raw.size() > t.size() && raw.ends_with(t)) {
    const size_t at = raw.size() - t.size();
    if ((at == 1 && raw[0] == U'、') || (at == 2 && raw[1] == U'、' && !IsHanIdeograph(raw[0]))) {
      p.style = Style::kLost;
      p.rest = t;
      return p;
    }
  }
  return {};
}

// The value the sequence around `i` gives it: the nearest ordinal of `style` above plus the
// positions between, and the nearest below minus them. `sure` when both sides exist and agree.
struct Expected {
  std::optional<int> value;
  bool sure = false;
  bool conflict = false;
};

Expected FromNeighbours(const std::vector<Parsed>& parsed, size_t i, Style style) {
  auto counts = [&](size_t k) {
    return parsed[k].style == style ||
           (style == Style::kChinese && parsed[k].style == Style::kLost);
  };
  std::optional<int> up, down;
  int between = 0;
  for (size_t k = i; k-- > 0;) {
    if (!counts(k)) continue;
    if (parsed[k].style == style) {
      up = parsed[k].value + 1 + between;
      break;
    }
    ++between;
  }
  between = 0;
  for (size_t k = i + 1; k < parsed.size(); ++k) {
    if (!counts(k)) continue;
    if (parsed[k].style == style) {
      down = parsed[k].value - 1 - between;
      break;
    }
    ++between;
  }
  Expected e;
  if (up && down) {
    e.conflict = *up != *down;
    e.sure = !e.conflict;
    if (!e.conflict) e.value = up;
  } else {
    e.value = up ? up : down;
  }
  if (e.value && (*e.value < 1 || *e.value > 99)) e.value.reset();
  return e;
}

}  // namespace

std::optional<int> ParseChineseNumber(const std::u32string& s) {
  auto digit = [](char32_t c) -> int {
    const size_t k = kChineseDigits.find(c);
    return k == std::u32string_view::npos ? 0 : static_cast<int>(k) + 1;
  };
  if (s.size() == 1) {
    if (s[0] == U'十') return 10;
    const int d = digit(s[0]);
    return d ? std::optional<int>(d) : std::nullopt;
  }
  const size_t ten = s.find(U'十');
  if (ten == std::u32string::npos || s.size() > 3 || s.find(U'十', ten + 1) != s.npos)
    return std::nullopt;
  int tens = 1, units = 0;
  if (ten == 1 && !(tens = digit(s[0]))) return std::nullopt;
  if (ten > 1) return std::nullopt;
  if (ten + 1 < s.size() && !(units = digit(s[ten + 1]))) return std::nullopt;
  if (ten + 2 < s.size()) return std::nullopt;
  if (ten == 1 && tens == 1) return std::nullopt;  // "一十" is not how these documents count
  return tens * 10 + units;
}

std::u32string ChineseNumber(int n) {
  if (n < 1 || n > 99) return {};
  std::u32string out;
  const int tens = n / 10, units = n % 10;
  if (tens > 1) out.push_back(kChineseDigits[tens - 1]);
  if (tens > 0) out.push_back(U'十');
  if (units > 0) out.push_back(kChineseDigits[units - 1]);
  return out;
}

std::vector<OrdinalRepair> RepairOrdinals(const std::vector<LabelReading>& column) {
  std::vector<Parsed> parsed;
  parsed.reserve(column.size());
  for (const auto& reading : column) parsed.push_back(Parse(reading));

  // The Arabic separator the column prints, when every clean reading agrees on it.
  std::u32string arabic_sep;
  bool arabic_agree = true;
  for (const auto& p : parsed)
    if (p.style == Style::kArabic && p.clean) {
      const std::u32string s = p.sep == U"．" ? U"." : p.sep;
      if (arabic_sep.empty()) arabic_sep = s;
      arabic_agree = arabic_agree && s == arabic_sep;
    }
  if (!arabic_agree) arabic_sep.clear();

  std::vector<OrdinalRepair> out;
  auto repair = [&](size_t i, const std::u32string& text, const std::string& why, double conf) {
    out.push_back({i, EncodeUtf8(text), why, conf});
  };
  auto flag = [&](size_t i, const std::string& why) { out.push_back({i, "", why, 0.0}); };
  for (size_t i = 0; i < parsed.size(); ++i) {
    const Parsed& p = parsed[i];
    switch (p.style) {
      case Style::kNone:
        break;
      case Style::kChinese: {
        const Expected e = FromNeighbours(parsed, i, Style::kChinese);
        if (e.sure && *e.value != p.value) {
          flag(i, "ordinal " + EncodeUtf8(ChineseNumber(p.value)) + " is out of sequence (" +
                      EncodeUtf8(ChineseNumber(*e.value)) + " expected)");
        } else if (!p.clean) {
          repair(i, ChineseNumber(p.value) + U"、" + p.rest,
                 "a Chinese-numeral ordinal is always followed by 、 (read '" + EncodeUtf8(p.sep) +
                     "')",
                 0.9);
        }
        break;
      }
      case Style::kArabic: {
        if (p.clean) break;
        // Without a separator "15个居民区" is no ordinal: only the sequence makes it one.
        const Expected e = FromNeighbours(parsed, i, Style::kArabic);
        if (p.sep.empty() && e.value != p.value) break;
        if (!arabic_sep.empty())
          repair(i, p.number + arabic_sep + p.rest,
                 "ordinal separator as the column prints it ('" + EncodeUtf8(arabic_sep) +
                     "'; read '" + EncodeUtf8(p.sep) + "')",
                 0.85);
        else
          flag(i, "ordinal separator unreadable (read '" + EncodeUtf8(p.sep) +
                      "'; the column prints no clean one to follow)");
        break;
      }
      case Style::kLost: {
        const Expected e = FromNeighbours(parsed, i, Style::kChinese);
        if (e.value)
          repair(i, ChineseNumber(*e.value) + U"、" + p.rest,
                 e.sure ? "ordinal numeral lost in OCR; the ordinals above and below prove it"
                        : "ordinal numeral lost in OCR; taken from the one neighbouring ordinal",
                 e.sure ? 0.9 : 0.7);
        else
          flag(i, e.conflict ? "ordinal numeral lost in OCR; its neighbours disagree"
                             : "ordinal numeral lost in OCR; no neighbouring ordinal to prove it");
        break;
      }
    }
  }
  return out;
}

}  // namespace juesuan
