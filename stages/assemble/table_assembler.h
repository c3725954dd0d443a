// Assemble: page findings -> document tables.
//
// In:  Document::page_results, every page read (its PageTables: grid + cells; its TextLines
//      outside the grids), in page order.
// Out: Document::tables (cells with spans, number 公开NN表, title, unit, notes, header rows, leaf
//      headers; a table continued on the next page joined into one, a repeated header dropped),
//      Document::department / year / unit with the line each was read from, and warnings.
// Order: after every page of the document is read, before classify / repair / records / check
//      (kinds, columns and records are theirs). Stateless: one TableAssembler may serve any number
//      of documents and threads.
#pragma once

#include <vector>

#include "pipeline/document.h"

namespace juesuan {

class TableAssembler {
 public:
  // Fills doc.tables, doc.department/year/unit and adds warnings; pages in page order.
  void assemble(Document& doc) const;

  // Parts, public for tests.
  static int CountHeaderRows(const Table& t);
  // Appends `next` (a continuation) to `t`, dropping leading rows that repeat t's header.
  static void AppendContinuation(Table& t, const Table& next);
};

}  // namespace juesuan
