// Stage 6b: arithmetic checks on the repaired tables (seeds.md §4/§5): hierarchy sums
// (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项), row identities per kind, the 01/04 line identities, 06
// 人员/公用 totals, 三公 sums, and cross-table identities (hard ones fail, conditional/soft ones
// warn). Amounts are exact integer cents; independent rounding of each printed cell is tolerated
// (a few 0.01, reported as the difference). Plus the constrained numeric repair.
#pragma once

#include <vector>

#include "pipeline/document.h"
#include "pipeline/quality.h"
#include "stages/classify/table_classifier.h"

namespace juesuan {

class Checker {
 public:
  explicit Checker(const TableCatalogue& catalogue = TableCatalogue::Default())
      : catalogue_(catalogue) {}

  // Every non-trivial check of the document (checks whose operands are all blank/zero are left
  // out and counted in *trivial).
  std::vector<Check> check(const Document& doc, int* trivial = nullptr) const;

  // Constrained numeric repair: a cell that two or more failing hard checks point at (they all
  // need the same new value), and whose single OCR-plausible re-reading (one confusable digit, a
  // moved or lost decimal point, a lost or extra digit) makes every check pass, is corrected.
  // Never on a single check's evidence. Returns the repairs made (cells' raw keeps the reading).
  std::vector<Repair> RepairNumbers(Document& doc) const;

  // Tolerance in cents for an identity with n operands.
  static int64_t Tolerance(size_t n_terms);

 private:
  const TableCatalogue& catalogue_;
};

}  // namespace juesuan
