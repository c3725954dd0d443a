// Checks of the narrative facts, with interval arithmetic (stages/facts/interval.h): every
// printed operand stands for the values that round to it, so rounding never fails a check.
//   F.rate   决算 ÷ the budget the sentence names (年初 or 全年) = the printed completion rate
//            (a rate that names 年初 but fits only 全年 is a warning);
//   F.change this year's amount, the change and the printed percentage agree;
//   F.parts  the parts printed after a total (the catalogue's `parts`) add up to it;
//   F.share  a part ÷ its total = its printed share;
//   F.table  the fact = the table cell the catalogue links it to (unit converted).
// In:    a Document whose tables are checked and records built, and whose facts are read.
// Out:   one Check per judged identity; operands in Check::facts (and Check::cells for tables).
#pragma once

#include <vector>

#include "pipeline/document.h"
#include "stages/facts/fact_catalogue.h"

namespace juesuan {

std::vector<Check> CheckFacts(const Document& doc, const FactCatalogue& catalogue);

}  // namespace juesuan
