// Stage 5: page findings -> document tables. Reads the table number (公开NN表), title and
// disclosure facts (部门, 年度, 单位) from the text around each grid, joins a table continued on
// the next page, finds header rows and leaf column headers, and builds records for coded rows.
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
