// Exact amounts: printed decimal text <-> integer cents. No binary floating point anywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace juesuan {

struct Amount {
  enum class Kind { kBlank, kDash, kNumber, kInvalid };
  Kind kind = Kind::kBlank;
  int64_t cents = 0;  // valid for kNumber (value * 100, exact)
  int decimals = 0;   // digits printed after the decimal point
  bool is_number() const { return kind == Kind::kNumber; }
  bool is_blank() const { return kind == Kind::kBlank; }
  bool is_dash() const { return kind == Kind::kDash; }
  // Value used in sums: blank and dashes (not applicable) count as 0; invalid has no value.
  std::optional<int64_t> sum_value() const;
};

// Parses clean amount text: optional sign, digits with optional thousands commas, optional
// '.' with at most 2 decimals ("1,285.83", "7.4", "8", "0", "-3.20"). Blank -> kBlank; a dash
// ("—", "——", "-", "--", "–", "－") -> kDash; anything else -> kInvalid. Spaces are ignored.
Amount ParseAmount(const std::string& text);

// Formats cents as "#,##0.00" (with thousands separators when `grouped`).
std::string FormatCents(int64_t cents, bool grouped = true);

// Cleans an OCR reading of an amount: full-width digits and punctuation, O/o/D->0, l/I/|->1,
// spaces inside the number, a comma or full stop used as the decimal point (2-decimal amounts:
// the last separator followed by 1-2 digits is the decimal point), stray marks at the ends, and
// dash variants ("一", "_" alone) -> "—". Returns the cleaned text (possibly unchanged) and
// sets `reason` to a short description of what changed. nullopt when the text does not read as
// an amount or dash at all.
std::optional<std::string> NormalizeAmountText(const std::string& text, std::string* reason);

// A number with a decimal point or thousands separators ("1,285.83", "8.00", "164,978"): the
// shape that tells a data row from a header row.
bool IsAmount(const std::string& s);

}  // namespace juesuan
