// Stage facts: the numbers of the prose (情况说明), read and checked. The one entry point of the
// pipeline into stages/facts; narrative.h, fact_reader.h, fact_checks.h and interval.h are its
// parts (tests use them one by one).
//
// In:    a Document after the check stage (tables repaired, classified, records built): its
//        pages' loose text lines are the prose.
// Out:   doc.facts (reading order) and the facts' checks appended to doc.checks; a fact that is
//        an operand of a failing check is flagged "check_failed". Table cells are not touched.
// Owns:  nothing; the catalogue and the dictionary are the caller's and must outlive the call.
// Order: after CheckTables (pipeline/document_stages.cpp), before the document is written.
#pragma once

#include "pipeline/document.h"
#include "stages/facts/fact_catalogue.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {

void ReadNarrativeFacts(Document& doc, const CodeDictionary& dictionary,
                        const FactCatalogue& catalogue);

// The facts' checks of a document whose facts are read (ReadNarrativeFacts, or the JSON read
// back by `juesuan validate`), and the facts' check_failed flags set from them.
std::vector<Check> CheckNarrativeFacts(Document& doc, const FactCatalogue& catalogue);

}  // namespace juesuan
