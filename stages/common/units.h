// Physical lengths on a rendered page, in pixels at the page's resolution. Thresholds of the
// image stages are stated as fractions of an inch so that they hold at any dpi; the integer
// arithmetic (multiply, then truncate) is the one every threshold was tuned with:
// Inches(dpi, 1, 4) is exactly dpi / 4, Inches(dpi, 3, 5) exactly dpi * 3 / 5.
#pragma once

namespace juesuan {

// `num`/`den` of an inch at `dpi`, truncated to whole pixels.
constexpr int Inches(int dpi, int num, int den) { return dpi * num / den; }

// The em of the body type of these tables (10.5 pt, 五号) at `dpi`, in pixels: the unit of
// character-sized tests (a dash's length, the gap between two cells' text, an ellipsis dot).
constexpr double BodyEm(int dpi) { return dpi * 10.5 / 72.0; }

// A share of an integer length, truncated like the pixel arithmetic it replaces (v * num / den).
struct Share {
  int num = 1, den = 1;
  constexpr int of(int v) const { return v * num / den; }
};

}  // namespace juesuan
