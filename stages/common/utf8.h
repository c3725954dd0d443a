// UTF-8 <-> code points, shared by every stage that handles Chinese text.
#pragma once

#include <string>

namespace juesuan {

// Strict decoding (Unicode §3.9, Table 3-7): overlong forms, surrogates (U+D800..U+DFFF),
// values above U+10FFFF, stray continuation bytes and truncated sequences are invalid. Each
// maximal subpart of an invalid sequence becomes one U+FFFD and the byte that broke it is decoded
// afresh, so "\xE4AB" is {U+FFFD, 'A', 'B'} (the WHATWG Encoding Standard's behaviour). The result
// never holds a surrogate or a value above U+10FFFF. Nothing throws.
std::u32string DecodeUtf8(const std::string& s);
// Surrogates and values above U+10FFFF are not scalar values and have no UTF-8 form: each is
// written as U+FFFD, so the output is always valid UTF-8.
std::string EncodeUtf8(const std::u32string& s);

// A Han ideograph: CJK Unified Ideographs and Extension A (U+3400..U+4DBF, U+4E00..U+9FFF), the
// blocks Tesseract's chi_sim and these documents' fonts use. Punctuation is not Han.
inline bool IsHanIdeograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

}  // namespace juesuan
