// The one amount parser: printed decimal text <-> integer cents (fen), no binary floating point.
// ParseAmount decides what a number is for the JSON writer, the records, the repairs and the
// checks. IsAmount and LooksNumeric below answer other questions (does this cell mark a data
// row? does this OCR reading look numeric?); each says where its answer differs from
// ParseAmount's, and tests/test_common.cpp pins those inputs.
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

// Header detection's question: does a cell mark a data row? A number (ParseAmount) printed with
// a decimal point or thousands separators ("1,285.83", "8.00", "164,978"), or an amount grouped
// by three whose separators OCR damaged ("4563,800.00", "1.234", "1234,567.00"), which the
// repair stage regroups later: the header must end at its row all the same. A bare integer
// ("2024", "12", a 栏次 number) is no amount here although ParseAmount reads it.
bool IsAmount(const std::string& s);

// OCR's question: does a reading look like a number, so that the digit model's reading is kept
// and the cell is marked numeric? A shape test on the reading as Tesseract gave it: an optional
// sign touching the digits, digits mixed with ',', '.' and ASCII spaces, round brackets, '%'.
// Wider than ParseAmount on damaged amounts ("1,2,3", "1.2.3", "1 2,3", "(12)", "12%", which
// the repair stage's NormalizeAmountText regroups or rejects); narrower where ParseAmount
// ignores spaces ("+ 4,333", " 12" are numbers to it, but a sign or space before the digits is
// no numeric reading: OCR then keeps the text model's reading, as it always has).
bool LooksNumeric(const std::string& text);

}  // namespace juesuan
