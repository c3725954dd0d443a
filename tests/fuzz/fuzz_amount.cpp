// The amount parser and the OCR amount cleaner on arbitrary text, with the invariants every
// caller relies on: a number is exact and printable, a cleaned text parses, nothing overflows
// (UBSan stops signed overflow in the cents arithmetic).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "fuzz_check.h"
#include "stages/common/amount.h"
#include "stages/common/utf8.h"

namespace {

using juesuan::Amount;

// The text is what it claims to be: cents within what 15 digits and 2 decimals allow.
void CheckAmount(const Amount& a) {
  constexpr int64_t kMaxCents = 999'999'999'999'999LL * 100 + 99;
  switch (a.kind) {
    case Amount::Kind::kNumber: {
      FUZZ_CHECK(a.decimals >= 0 && a.decimals <= 2);
      FUZZ_CHECK(a.cents >= -kMaxCents && a.cents <= kMaxCents);
      FUZZ_CHECK(a.sum_value() == a.cents);
      // Printing and reading back gives the same cents, grouped or not.
      for (bool grouped : {true, false}) {
        const Amount back = juesuan::ParseAmount(juesuan::FormatCents(a.cents, grouped));
        FUZZ_CHECK(back.is_number() && back.cents == a.cents && back.decimals == 2);
      }
      break;
    }
    case Amount::Kind::kBlank:
    case Amount::Kind::kDash:
      FUZZ_CHECK(a.sum_value() == 0);
      break;
    case Amount::Kind::kInvalid:
      FUZZ_CHECK(!a.sum_value().has_value());
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckAmount(juesuan::ParseAmount(text));

  std::string reason;
  if (auto cleaned = juesuan::NormalizeAmountText(text, &reason)) {
    // The cleaner promises an amount or a dash (or nothing): its output is valid UTF-8 and
    // parses as blank, dash or number, never as invalid.
    FUZZ_CHECK(juesuan::EncodeUtf8(juesuan::DecodeUtf8(*cleaned)) == *cleaned);
    FUZZ_CHECK(juesuan::EncodeUtf8(juesuan::DecodeUtf8(reason)) == reason);
    const Amount a = juesuan::ParseAmount(*cleaned);
    FUZZ_CHECK(a.kind != Amount::Kind::kInvalid);
    CheckAmount(a);
  }

  // FormatCents on any int64, INT64_MIN included (it once negated that as signed; seed
  // amount-formatcents-int64-min). ParseAmount never gives it; an overflowing sum could.
  if (size >= sizeof(int64_t)) {
    int64_t cents = 0;
    std::memcpy(&cents, data, sizeof cents);
    const std::string printed = juesuan::FormatCents(cents, size % 2 == 0);
    FUZZ_CHECK(printed.size() >= 4 && printed[printed.size() - 3] == '.');
  }
  return 0;
}
