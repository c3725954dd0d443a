// The one text normaliser: how every stage cleans the text it reads (OCR readings, text-layer
// words, cell texts before a comparison). Comparison itself (folding, distances) is in
// text_match.h; the Han test is IsHanIdeograph in utf8.h.
#pragma once

#include <string>

#include "stages/common/utf8.h"

namespace juesuan {

// Han, or full-width CJK punctuation and forms (U+3000..U+303F, U+FF00..U+FFEF): the characters
// around which Tesseract's spaces are noise.
bool IsCjkWide(char32_t c);

// Removes all whitespace: space, tab, CR, LF, the ideographic space U+3000 and NBSP U+00A0.
std::string StripSpaces(const std::string& s);
// Code point count.
size_t U32Length(const std::string& s);

// Drops the spaces (and line breaks of wrapped cells) Tesseract puts next to Han and CJK-wide
// characters, which are never part of the printed text; a whitespace run between two other
// characters (Latin words) becomes one space; whitespace at the ends goes.
std::string RemoveSpacesNearHan(const std::string& utf8);
// The normalised text of a reading: spaces near Han characters removed, 〈〉 read for （） mapped
// back, 《 closed by a round bracket read as （.
std::string NormaliseReading(const std::string& raw);
// Drops punctuation that scanner specks become at the ends of a cell ("。556.56" -> "556.56",
// "事业运行." -> "事业运行"). The raw reading is kept alongside.
std::string StripStrayMarks(const std::string& text);

// True when the text holds at least one Han ideograph (IsHanIdeograph).
bool HasHan(const std::string& s);

}  // namespace juesuan
