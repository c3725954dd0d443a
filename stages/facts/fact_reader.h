// Narrative facts from sentences: the catalogue's triggers open a fact, each number after a
// trigger (up to the next one) belongs to it, and the words before a number give its role
// (年初预算 -> budget_initial, 完成…% -> rate_*, 增加 -> change, 占 -> share …). A sentence that
// names a 科目 by its 类 / 款 / 项 gives that subject and its code (the subject-code dictionary).
// "无" / "未发生" before a trigger is a fact of value 0; "与2023年持平" a change of 0.
//
// In:    NarrativeSentences of a document; the catalogue and the dictionary, loaded by the caller.
// Out:   facts in reading order. Nothing is kept between calls; both models must outlive it.
#pragma once

#include <vector>

#include "pipeline/document.h"
#include "stages/facts/fact_catalogue.h"
#include "stages/facts/narrative.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {

std::vector<Fact> ReadFacts(const std::vector<NarrativeSentence>& sentences,
                            const FactCatalogue& catalogue, const CodeDictionary& dictionary);

// The number of `role` in `fact`, or nullptr.
const FactNumber* FindNumber(const Fact& fact, const std::string& role);

// Base units (元) in one `unit` (万元 -> 10000); 0 for units that are no money (%, 个, 辆 …).
int64_t MoneyScale(const std::string& unit);

}  // namespace juesuan
