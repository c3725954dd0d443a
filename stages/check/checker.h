// Stage 6b: arithmetic checks on the repaired tables: hierarchy sums (合计 = Σ 类, 类 = Σ 款,
// 款 = Σ 项), row identities per kind, the 01/04 line identities, 06 人员/公用 totals, 三公
// sums, and cross-table identities (hard ones fail, conditional/soft ones warn). Amounts are
// exact integer cents; independent rounding of each printed cell is tolerated (a few 0.01,
// reported as the difference). Plus the constrained numeric repair.
//
// In:    a Document whose tables are repaired, classified (t.kind) and have their leaf headers
//        (Repairer, then ClassifyTable); the catalogue, loaded once by the caller.
// Out:   check() returns one Check per non-trivial identity, in a fixed order (each table's own
//        identities in document order, then the cross-table ones); it reads the document only.
//        RepairNumbers() rewrites the cells it proves wrong (raw keeps the reading) and returns
//        one Repair per change; call BuildColumnsAndRecords on the tables afterwards.
// Owns:  its Params; it refers to the catalogue, which must outlive it. Stateless between
//        calls: one Checker may serve any number of documents and threads.
// Order: Repairer -> Checker::RepairNumbers -> BuildColumnsAndRecords -> Checker::check ->
//        FlagDoubtfulCells (stages/check/flags.h); pipeline/document_stages.cpp does this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/quality.h"
#include "stages/classify/table_classifier.h"

namespace juesuan {

class Checker {
 public:
  // The constrained numeric repair's evidence rules.
  struct Params {
    // A cell is re-read only when this many failing checks point at it and want (about) the same
    // value, and the re-reading clears at least as many: one check alone cannot tell which of its
    // cells is wrong.
    size_t min_failing_checks = 2;
    // The values the checks want may differ by this many cents (each check tolerates the rounding
    // of its own cells), and the re-reading may lie this far outside them.
    int64_t max_spread_cents = 3;
    // One cell is repaired a round; a document seldom has more than a handful of provable misreads,
    // and every round re-runs every check once per candidate.
    int max_rounds = 20;
    // Confidence of a repaired amount: proven by two identities, but a re-reading all the same.
    double confidence = 0.85;
  };

  explicit Checker(const TableCatalogue& catalogue) : Checker(catalogue, Params{}) {}
  Checker(const TableCatalogue& catalogue, const Params& params)
      : catalogue_(catalogue), params_(params) {}

  // Every non-trivial check of the document (checks whose operands are all blank/zero are left
  // out and counted in *trivial).
  std::vector<Check> check(const Document& doc, int* trivial = nullptr) const;

  // Constrained numeric repair: a cell that two or more failing hard checks point at (they all
  // need the same new value), and whose single candidate makes every check pass, is corrected:
  // an OCR-plausible re-reading (one confusable digit, a moved or lost decimal point, a lost or
  // extra digit) or one of the cell's OCR alternatives (Cell::alternatives). A cell whose text is
  // no amount is corrected when a candidate (an alternative, or its separators read as thousands
  // commas) makes two or more of the hard checks it left undecided pass and none fail. Never on a
  // single check's evidence. Returns the repairs made (cells' raw keeps the reading).
  std::vector<Repair> RepairNumbers(Document& doc) const;

  // Tolerance in cents for an identity with n operands.
  static int64_t Tolerance(size_t n_terms);
  // The rounding unit, in cents, of an amount printed with `decimals` digits after the point:
  // a check's tolerance is Tolerance(n) of the coarsest unit among its non-zero operands, so
  // documents that print whole 元 (b25's 预算 tables, a total rounded above children printed to
  // the fen) do not fail on their own rounding. A printed 0 is taken as exact.
  static int64_t RoundingUnit(int decimals);

 private:
  const TableCatalogue& catalogue_;
  Params params_;
};

}  // namespace juesuan
