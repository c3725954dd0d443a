#include "stages/facts/interval.h"

namespace juesuan {
namespace {

// One unit of the last printed digit, in half-cents, halved: 10^(2−d) half-cents.
Int128 HalfUnit(int decimals) {
  Int128 u = 1;
  for (int d = decimals; d < 2; ++d) u *= 10;
  return u;
}

// 20000 = 100 (a percentage) · 100 (its cents) · 2 (half-cents), over the amounts' own factor
// of 2, which cancels in a ratio of two half-cent amounts.
constexpr Int128 kPercentHalfCents = 20000;

}  // namespace

Interval PrintedInterval(const Amount& printed, int64_t scale) {
  const Int128 mid = Int128(2) * printed.cents * scale, half = HalfUnit(printed.decimals) * scale;
  return {mid - half, mid + half};
}

Interval ExactInterval(int64_t cents, int64_t scale) {
  const Int128 v = Int128(2) * cents * scale;
  return {v, v};
}

Interval operator+(const Interval& a, const Interval& b) { return {a.lo + b.lo, a.hi + b.hi}; }
Interval operator-(const Interval& a, const Interval& b) { return {a.lo - b.hi, a.hi - b.lo}; }
bool Overlap(const Interval& a, const Interval& b) { return a.lo <= b.hi && b.lo <= a.hi; }

bool RatioFits(const Interval& part, const Interval& whole, const Interval& percent) {
  if (whole.hi <= 0) return false;
  // Smallest ratio: the smallest part over the largest whole (over the smallest when the part
  // may be negative); largest: the largest part over the smallest positive whole (unbounded
  // when the whole may be as small as 0).
  const bool low_ok = part.lo >= 0 ? kPercentHalfCents * part.lo <= percent.hi * whole.hi : true;
  const bool high_ok = whole.lo <= 0 ? true : kPercentHalfCents * part.hi >= percent.lo * whole.lo;
  return low_ok && high_ok;
}

bool PriorMayBeZero(const Interval& current, const Interval& change, bool up) {
  const Interval prior = up ? current - change : current + change;
  return prior.lo <= 0;
}

bool ChangeFits(const Interval& current, const Interval& change, const Interval& percent, bool up) {
  if (PriorMayBeZero(current, change, up)) return false;
  // change / (current ∓ change) grows with the change and falls with the current amount, so
  // its extremes are at the corners: (change.lo, current.hi) and (change.hi, current.lo).
  const Int128 prior_at_low = up ? current.hi - change.lo : current.hi + change.lo;
  const Int128 prior_at_high = up ? current.lo - change.hi : current.lo + change.hi;
  return kPercentHalfCents * change.lo <= percent.hi * prior_at_low &&
         kPercentHalfCents * change.hi >= percent.lo * prior_at_high;
}

int64_t HalfWidthCents(const Interval& a) { return static_cast<int64_t>((a.hi - a.lo + 3) / 4); }
int64_t MidCents(const Interval& a) { return static_cast<int64_t>((a.lo + a.hi) / 4); }

}  // namespace juesuan
