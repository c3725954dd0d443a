// Text comparison. Two edit distances that answer different questions:
//  - ConfusionDistance (and FuzzySubstringDistance / FuzzyContains over it): how far an OCR
//    reading is from a known wording, where shape-similar glyphs and stray marks cost little.
//    Repair and classification ask this ("is 支山 a misread 支出?").
//  - TextSimilarity: plain unit-cost Levenshtein over code points, as a 0..1 similarity. The
//    assembler asks this of two readings of the same printed header (a continuation page's
//    repeated header), where both sides carry OCR noise and no wording is the reference.
// Both run on one dynamic programme (EditDistance in text_match.cpp). Text cleaning (spaces,
// brackets, stray marks) is in text_normalise.h, included here for the callers of both.
#pragma once

#include <string>

#include "stages/common/text_normalise.h"

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

// 1 - edit distance / longer length, over Unicode code points.
double TextSimilarity(const std::string& a, const std::string& b);

// Equal after removing spaces and folding each character (FoldChar): "（一）" equals "(一)".
bool FoldEqual(const std::string& a, const std::string& b);
// ConfusionDistance divided by the longer length in code points (0 for two empty texts).
double NormalisedConfusionDistance(const std::string& a, const std::string& b);

}  // namespace juesuan
