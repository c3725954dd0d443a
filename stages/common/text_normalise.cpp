#include "stages/common/text_normalise.h"

#include <regex>
#include <string_view>
#include <vector>

namespace juesuan {
namespace {

bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == 0x3000; }

}  // namespace

bool IsCjkWide(char32_t c) {
  return IsHanIdeograph(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
}

std::string StripSpaces(const std::string& s) {
  std::u32string u = DecodeUtf8(s), out;
  for (char32_t c : u)
    if (!IsSpace(c) && c != U'\r' && c != 0xA0) out.push_back(c);
  return EncodeUtf8(out);
}

size_t U32Length(const std::string& s) { return DecodeUtf8(s).size(); }

std::string RemoveSpacesNearHan(const std::string& utf8) {
  std::u32string s = DecodeUtf8(utf8), out;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (IsSpace(c)) {
      // Tesseract puts spaces (and line breaks in wrapped cells) between Chinese characters;
      // they are never part of the printed text. Spaces between Latin words are kept.
      char32_t prev = out.empty() ? 0 : out.back();
      size_t j = i;
      while (j < s.size() && IsSpace(s[j])) ++j;
      char32_t next = j < s.size() ? s[j] : 0;
      if (prev && next && !IsCjkWide(prev) && !IsCjkWide(next)) out.push_back(U' ');
      i = j - 1;
      continue;
    }
    out.push_back(c);
  }
  return EncodeUtf8(out);
}

std::string StripStrayMarks(const std::string& text) {
  // A number with stray marks around it ("。556.56", "30203…", "“43.86"): keep the number.
  static const std::regex kNumberCore(R"(^[^0-9\-]*?(-?[0-9][0-9,]*(\.[0-9]+)?)[^0-9]*$)");
  std::smatch m;
  std::string compact;
  for (char c : text)
    if (c != ' ') compact += c;
  if (std::regex_match(compact, m, kNumberCore)) {
    // Only when the marks are punctuation, not letters or Han characters that carry meaning.
    bool only_marks = true;
    std::u32string rest =
        DecodeUtf8(compact.substr(0, m.position(1)) + compact.substr(m.position(1) + m.length(1)));
    for (char32_t c : rest)
      only_marks &= std::u32string_view(U".,:;'\"*`^~_-|/\\[](){}。，：；、·‘’“”…°").find(c) !=
                    std::u32string_view::npos;
    if (only_marks) return m[1];
  }
  // Text: marks hanging at the end of a cell are specks read as punctuation. A slash or
  // backslash there is a speck or a rule's remnant too ("收入总计/", "\\项目"), but a cell that
  // is only "/" prints "not applicable" and keeps it.
  std::u32string u = DecodeUtf8(text);
  static const std::u32string_view kTrailing = U".,:;'\"*`^~_|。，：；、·‘’”…";
  static const std::u32string_view kSlashes = U"/\\";
  auto marks_or_slash = [&](std::u32string_view marks, char32_t c, size_t rest) {
    return marks.find(c) != std::u32string_view::npos ||
           (rest > 1 && kSlashes.find(c) != std::u32string_view::npos);
  };
  // A hyphen after a Han character is a rule remnant too ("公务用车购置费-"); after a digit or
  // alone it may be a sign or a dash, and stays.
  auto hyphen_after_han = [&] {
    return u.size() > 1 && (u.back() == U'-' || u.back() == U'－') &&
           IsHanIdeograph(u[u.size() - 2]);
  };
  while (!u.empty() && (marks_or_slash(kTrailing, u.back(), u.size()) || hyphen_after_han()))
    u.pop_back();
  static const std::u32string_view kLeading = U".,:;'*`^~_|。，：；、·‘’”…";
  size_t i = 0;
  while (i < u.size() && marks_or_slash(kLeading, u[i], u.size() - i)) ++i;
  // A leading opening quote without its closing partner is a speck too.
  if (i < u.size() && (u[i] == U'“' || u[i] == U'"') &&
      u.find_first_of(U"”\"", i + 1) == std::u32string::npos)
    ++i;
  return EncodeUtf8(u.substr(i));
}

std::string NormaliseReading(const std::string& raw) {
  // chi_sim reads the full-width bracket （ as the angle bracket 〈 (U+3008), which these
  // documents never print; map the pair back. Everything else is as read.
  // Spaces go last: a bracket made full-width below is next to Han for RemoveSpacesNearHan, so
  // removing them first would leave work for a second pass (fuzz_utf8 checks idempotence).
  std::u32string u = DecodeUtf8(raw);
  for (char32_t& c : u) {
    if (c == 0x3008) c = U'（';
    if (c == 0x3009) c = U'）';
  }
  // 《 closed by a round bracket ("办公厅《室)") is （ misread: a book-title mark is closed by 》.
  for (size_t i = 0; i < u.size(); ++i) {
    if (u[i] != U'《') continue;
    const size_t close = u.find_first_of(U"）)》", i + 1);
    if (close != std::u32string::npos && u[close] != U'》') u[i] = U'（';
  }
  // A pair of round brackets printed in one width and read in two ("因公出国（境)费"): a Chinese
  // text prints full-width brackets, so a pair with one full-width bracket is made full-width.
  // Pairs are matched by nesting, which widths do not change, so a second pass changes nothing.
  std::vector<size_t> open;
  for (size_t i = 0; i < u.size(); ++i) {
    if (u[i] == U'（' || u[i] == U'(') {
      open.push_back(i);
    } else if ((u[i] == U'）' || u[i] == U')') && !open.empty()) {
      const size_t j = open.back();
      open.pop_back();
      if ((u[j] == U'（') != (u[i] == U'）')) u[j] = U'（', u[i] = U'）';
    }
  }
  return RemoveSpacesNearHan(EncodeUtf8(u));
}

bool HasHan(const std::string& s) {
  for (char32_t c : DecodeUtf8(s))
    if (IsHanIdeograph(c)) return true;
  return false;
}

}  // namespace juesuan
