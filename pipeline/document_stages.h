// The document-level stages after assembly, as the extract graph runs them (and as tests call
// them on hand-built documents). In order:
//   RepairTables: classify -> repair codes, names, headers, labels and amounts -> leaf headers
//                 and kind again (a repaired title may settle an unknown kind);
//   CheckTables:  constrained numeric repair -> checks -> cell flags -> columns and records
//                 (last, so that each record value carries its cell's final text and flags).
// With repair off, ClassifyTables and the checks alone run (no cell is changed or flagged).
#pragma once

#include <vector>

#include "pipeline/document.h"
#include "stages/classify/table_classifier.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {

// Appends every repair to `repairs`; the repairer's warnings go to doc.warnings.
void RepairTables(Document& doc, const CodeDictionary& dict, const TableCatalogue& catalogue,
                  std::vector<Repair>& repairs);
// Appends the numeric repairs to `repairs`, sets `checks` to the final checks, flags the
// operands of non-passing checks and unsure cells, and builds every table's columns and records.
void CheckTables(Document& doc, const TableCatalogue& catalogue, std::vector<Repair>& repairs,
                 std::vector<Check>& checks);
// --no-repair: each table's kind, columns and records, and the checks of the text as read.
void ClassifyAndCheckAsRead(Document& doc, const TableCatalogue& catalogue,
                            std::vector<Check>& checks);

// RepairTables then CheckTables. Either output pointer may be null.
void RepairAndCheck(Document& doc, const CodeDictionary& dict, const TableCatalogue& catalogue,
                    std::vector<Repair>* repairs, std::vector<Check>* checks);

}  // namespace juesuan
