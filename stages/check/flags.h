// Cell flags from the checks: the cells a reader must not trust blindly.
//
// In:    a Document after the checks, and the checks Checker::check returned for it.
// Out:   flags added to its cells (nothing else changes).
// Order: last of the document stages, after the final Checker::check.
#pragma once

#include <string>
#include <vector>

#include "pipeline/document.h"

namespace juesuan {

// An amount read with low confidence that two or more passing hard identities use, and no
// failing or undecided one, is proven by arithmetic (two independent sums agree with it within
// rounding): its conf is raised to kConfirmedConf, so "conf < 0.8" keeps meaning doubtful. Measured
// on the real-budget scans before this rule: 65 right cells and no wrong one qualified (one
// passing check alone would have confirmed a wrong one). Runs before FlagDoubtfulCells.
inline constexpr int kConfirmingChecks = 2;
inline constexpr float kConfirmedConf = 0.85f;
void ConfirmByArithmetic(Document& doc, const std::vector<Check>& checks);

// Machine-readable flags on the cells a reader must not trust blindly: operands of a failing
// check ("check_failed") or of one that could not be decided ("check_unresolved"), and non-empty
// cells read with confidence below kUnsureConf ("low_confidence"), OCR readings that hold a ruling
// line ("rule_in_text", see HoldsARule). Repairs and the repairer's
// warnings add their own flags (see README, "Cell flags").
void FlagDoubtfulCells(Document& doc, const std::vector<Check>& checks);

// An OCR reading with a vertical bar in it (|, ｜ or 丨): a ruling line read as text, so a
// separator the grid missed ("rule_in_text").
bool HoldsARule(const std::string& text);

}  // namespace juesuan
