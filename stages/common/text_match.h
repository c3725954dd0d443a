// Text comparison for OCR repair: a confusion-aware edit distance (shape-similar glyphs and
// stray spaces/punctuation cost less than other edits), fuzzy substring search and UTF-8 helpers.
#pragma once

#include <string>

#include "stages/common/utf8.h"

namespace juesuan {

// Full-width ASCII forms -> ASCII, ideographic space -> space, CJK brackets/quotes folded to one
// form. Used only for comparison, never for output.
char32_t FoldChar(char32_t c);
// Space, ASCII/CJK punctuation and marks that specks and wraps turn into.
bool IsStrayChar(char32_t c);
// Cost of substituting a by b: 0 equal, 0.05 same after FoldChar, 0.3 shape-similar pair, 1.
double SubstitutionCost(char32_t a, char32_t b);

// Weighted Levenshtein distance: substitution as above, insertion/deletion of a stray char 0.1,
// of anything else 1.
double ConfusionDistance(const std::string& a, const std::string& b);
// Smallest ConfusionDistance between `needle` and any substring of `haystack`.
double FuzzySubstringDistance(const std::string& needle, const std::string& haystack);
// Fuzzy containment: distance <= max_ratio * length of needle (in code points).
bool FuzzyContains(const std::string& haystack, const std::string& needle, double max_ratio = 0.2);

// Removes all whitespace (ASCII and ideographic).
std::string StripSpaces(const std::string& s);
// Code point count.
size_t U32Length(const std::string& s);

// 1 - edit distance / longer length, over Unicode code points.
double TextSimilarity(const std::string& a, const std::string& b);

}  // namespace juesuan
