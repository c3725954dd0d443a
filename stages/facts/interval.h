// Interval arithmetic on printed numbers: a number printed as "87.29" stands for every value
// that rounds to it, [87.285, 87.295]. A check between printed numbers passes when some values
// inside their intervals satisfy it exactly, so rounding never fails a check and a slip beyond
// the last printed digit always does. Exact integer arithmetic (128 bits), never floating point.
#pragma once

#include <cstdint>

#include "stages/common/amount.h"

namespace juesuan {

__extension__ using Int128 = __int128;

// Bounds in half-cents of the base unit (元 for amounts, one hundredth of a percent for %):
// a printed value v with d decimals is [2·v·100 − 10^(2−d), 2·v·100 + 10^(2−d)] half-cents.
struct Interval {
  Int128 lo = 0, hi = 0;
};

// An amount printed in a unit `scale` base units large (万元 = 10000 元); ParseAmount's result.
Interval PrintedInterval(const Amount& printed, int64_t scale = 1);
// Exactly `cents` (a computed value, or a blank table cell counted as 0).
Interval ExactInterval(int64_t cents, int64_t scale = 1);

Interval operator+(const Interval& a, const Interval& b);
Interval operator-(const Interval& a, const Interval& b);
bool Overlap(const Interval& a, const Interval& b);

// part / whole · 100 can be the printed percentage `percent` (both amounts in one base unit).
bool RatioFits(const Interval& part, const Interval& whole, const Interval& percent);

// A change printed with the current amount: `current` is this year, `change` the magnitude of
// the change (up: last year = current − change; down: last year = current + change), `percent`
// the printed change ÷ last year. False also when last year may be 0 or less (no percentage).
bool ChangeFits(const Interval& current, const Interval& change, const Interval& percent, bool up);
// Last year may be zero or negative: no percentage of change can be judged.
bool PriorMayBeZero(const Interval& current, const Interval& change, bool up);

// Half the width of an interval, in cents of the base unit, rounded up (a check's tolerance),
// and its middle in cents (a check's value).
int64_t HalfWidthCents(const Interval& a);
int64_t MidCents(const Interval& a);

}  // namespace juesuan
