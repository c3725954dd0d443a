// Columns and records: the database view of an assembled, repaired table.
//
// In:  a Table whose cells, header_rows, leaf_headers and kind are final (after repair).
// Out: its `columns` (one per lattice column) and `records` (one per body row and group).
// Owns:  nothing; both are pure functions of the table and the catalogue (passed in, loaded
//        once by the caller), and the results are plain values stored in the table.
// Order: after the Repairer and the second ClassifyTable; call them again after any change to
//        the cells (the constrained numeric repair does so), before the JSON is written.
#pragma once

#include <vector>

#include "pipeline/document.h"
#include "stages/classify/table_classifier.h"

namespace juesuan {

// One Column per lattice column: its header path, leaf and canonical id (ids of repeated groups,
// as in 公开06表, get "_2", "_3" so that every id is unique in the table).
std::vector<Column> BuildColumns(const Table& t, const TableCatalogue& catalogue);

// One Record per body row of every group of the table:
// - coded tables (a subject-code column, FindCodeColumns): a row with a code is keyed by it,
//   any other row with text (合计, a code that does not read as one) by its label;
// - line tables (01, 04, 10: the kind's row_key is "line+label", or a 行次 column is printed):
//   keyed by 行次 and label, with the catalogue's line id, and the half (income / expenditure)
//   when the table prints two;
// - anything else by the text of its label column, or by nothing (09's one row of figures).
// Values are the group's other columns, in column order; a cell merged over several columns or
// rows is reported once, at its anchor; a missing cell is a blank value.
std::vector<Record> BuildRecords(const Table& t, const TableCatalogue& catalogue);

// Sets t.columns and t.records.
void BuildColumnsAndRecords(Table& t, const TableCatalogue& catalogue);

}  // namespace juesuan
