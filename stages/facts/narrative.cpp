#include "stages/facts/narrative.h"

#include <algorithm>

#include "stages/common/text_normalise.h"
#include "stages/common/utf8.h"

namespace juesuan {
namespace {

// A line that holds no letter, digit run of text or Han: page numbers ("12", "- 12 -", "第3页"
// has Han and stays), lone punctuation left by a misplaced glyph.
bool IsPageNumber(const std::string& text) {
  const std::string s = StripSpaces(text);
  if (s.empty()) return true;
  return s.find_first_not_of("0123456789-/ ") == std::string::npos;
}

bool IsLonePunctuation(const std::string& text) {
  const std::u32string s = DecodeUtf8(StripSpaces(text));
  return !s.empty() && s.size() <= 2 && std::none_of(s.begin(), s.end(), [](char32_t c) {
    return IsHanIdeograph(c) || (c >= U'0' && c <= U'9');
  });
}

// Text lines that share a baseline band (a line split at a wide gap) made one, left to right.
std::vector<TextLine> MergeSameRow(std::vector<TextLine> lines) {
  std::vector<TextLine> out;
  for (auto& l : lines) {
    if (!out.empty()) {
      TextLine& prev = out.back();
      const int prev_mid = prev.bbox.y + prev.bbox.h / 2, mid = l.bbox.y + l.bbox.h / 2;
      if (std::abs(prev_mid - mid) < std::min(prev.bbox.h, l.bbox.h) / 2) {
        const bool after = l.bbox.x >= prev.bbox.x;
        prev.text = after ? prev.text + " " + l.text : l.text + " " + prev.text;
        const int right = std::max(prev.bbox.x + prev.bbox.w, l.bbox.x + l.bbox.w);
        prev.bbox.x = std::min(prev.bbox.x, l.bbox.x);
        prev.bbox.w = right - prev.bbox.x;
        prev.conf = std::min(prev.conf, l.conf);
        continue;
      }
    }
    out.push_back(std::move(l));
  }
  return out;
}

// A line that begins with an ordinal ("1、", "2.", "（三）", "十一、") opens a list item or a
// heading, indented or not.
bool StartsWithOrdinal(const std::string& text) {
  const std::u32string s = DecodeUtf8(StripSpaces(text));
  const std::u32string numerals = U"一二三四五六七八九十";
  size_t i = s.size() > 0 && (s[0] == U'（' || s[0] == U'(') ? 1 : 0;
  const size_t digits_from = i;
  while (i < s.size() &&
         ((s[i] >= U'0' && s[i] <= U'9') || numerals.find(s[i]) != std::u32string::npos))
    ++i;
  if (i == digits_from || i >= s.size() || i - digits_from > 3) return false;
  if (digits_from == 1) return s[i] == U'）' || s[i] == U')';
  return s[i] == U'、' ||
         (s[i] == U'.' && i + 1 < s.size() && !(s[i + 1] >= U'0' && s[i + 1] <= U'9')) ||
         s[i] == U'．';
}

bool EndsSentence(const std::string& text) {
  const std::u32string s = DecodeUtf8(StripSpaces(text));
  if (s.empty()) return true;
  const char32_t last = s.back();
  return last == U'。' || last == U'！' || last == U'？';
}

// The sentences of one paragraph: split after 。！？ (a quote or bracket closing right after
// stays with its sentence).
void SplitSentences(const std::string& paragraph, int page, int number, float conf,
                    std::vector<NarrativeSentence>& out) {
  const std::u32string s = DecodeUtf8(RemoveSpacesNearHan(paragraph));
  std::u32string current;
  for (size_t i = 0; i < s.size(); ++i) {
    current += s[i];
    // OCR reads 。 as "." at times: a point between two digits is a decimal point, after an
    // ordinal's digit ("1. ") a separator; after a character or "%" it ends the sentence.
    const bool ocr_stop = s[i] == U'.' && i > 0 && !(s[i - 1] >= U'0' && s[i - 1] <= U'9') &&
                          i + 1 < s.size() && !(s[i + 1] >= U'0' && s[i + 1] <= U'9');
    const bool end = s[i] == U'。' || s[i] == U'！' || s[i] == U'？' || ocr_stop;
    if (!end) continue;
    while (i + 1 < s.size() && (s[i + 1] == U'”' || s[i + 1] == U'）' || s[i + 1] == U'」'))
      current += s[++i];
    // A full stop printed apart from its sentence ("…支出。\n。") is no sentence of its own.
    if (IsLonePunctuation(EncodeUtf8(current)) && !out.empty() && out.back().paragraph == number)
      out.back().text += EncodeUtf8(current);
    else
      out.push_back({page, number, EncodeUtf8(current), conf});
    current.clear();
  }
  if (!StripSpaces(EncodeUtf8(current)).empty())
    out.push_back({page, number, EncodeUtf8(current), conf});
}

}  // namespace

std::vector<PageParagraph> PageParagraphs(const std::vector<TextLine>& raw_lines) {
  std::vector<TextLine> kept;
  for (const auto& l : raw_lines)
    if (!IsPageNumber(l.text)) kept.push_back(l);
  const std::vector<TextLine> lines = MergeSameRow(std::move(kept));
  if (lines.empty()) return {};
  // The text block's margins: most lines of a prose page run from margin to margin.
  std::vector<int> lefts, rights, heights;
  for (const auto& l : lines) {
    lefts.push_back(l.bbox.x);
    rights.push_back(l.bbox.x + l.bbox.w);
    heights.push_back(l.bbox.h);
  }
  std::sort(lefts.begin(), lefts.end());
  std::sort(rights.begin(), rights.end());
  std::sort(heights.begin(), heights.end());
  // The right margin is the widest line's: a page of short lines (a table's titles and notes
  // above a few lines of prose) has no quantile to go by.
  const int left = lefts[lefts.size() / 4], right = rights.back();
  const int em = std::max(1, heights[heights.size() / 2]);
  std::vector<PageParagraph> out;
  bool open = false;  // the last paragraph may take the next line
  for (const auto& l : lines) {
    if (open && IsLonePunctuation(l.text)) {  // a mark printed below its line ("（项）\n。")
      out.back().text += StripSpaces(l.text);
      continue;
    }
    const bool indented = l.bbox.x > left + em || StartsWithOrdinal(l.text);
    if (!open || indented) out.push_back({"", indented, 1.f});
    out.back().text += (out.back().text.empty() ? "" : " ") + l.text;
    out.back().conf = std::min(out.back().conf, l.conf);
    // A line that ends well short of the margin ends its paragraph (headings, last lines); a
    // line wrapped early because the next word (a number with its unit) did not fit does not.
    open = l.bbox.x + l.bbox.w >= right - std::max(2 * em, (right - left) / 4) &&
           !EndsSentence(l.text);
  }
  return out;
}

std::vector<NarrativeSentence> NarrativeSentences(const std::vector<PageResult>& pages) {
  std::vector<NarrativeSentence> out;
  std::string pending;  // the paragraph being read, which may run onto the next page
  int pending_page = 0, number = 0;
  float pending_conf = 1.f;
  auto flush = [&] {
    if (!pending.empty()) SplitSentences(pending, pending_page, number++, pending_conf, out);
    pending.clear();
    pending_conf = 1.f;
  };
  for (const auto& p : pages) {
    if (p.lines.empty()) continue;
    std::vector<PageParagraph> paragraphs = PageParagraphs(p.lines);
    for (size_t i = 0; i < paragraphs.size(); ++i) {
      const bool continues =
          i == 0 && !pending.empty() && !paragraphs[i].indented && !EndsSentence(pending);
      if (!continues) {
        flush();
        pending_page = p.number;
      }
      pending += (pending.empty() ? "" : " ") + paragraphs[i].text;
      pending_conf = std::min(pending_conf, paragraphs[i].conf);
    }
  }
  flush();
  return out;
}

}  // namespace juesuan
