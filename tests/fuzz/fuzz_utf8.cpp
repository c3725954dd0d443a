// The UTF-8 decoder and encoder, and the text normalisers built on them, on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_check.h"
#include "stages/common/amount.h"
#include "stages/common/text_normalise.h"
#include "stages/common/utf8.h"

namespace {

bool IsScalarValue(char32_t c) { return c < 0xD800 || (c > 0xDFFF && c <= 0x10FFFF); }

bool IsValidUtf8(const std::string& s) { return juesuan::EncodeUtf8(juesuan::DecodeUtf8(s)) == s; }

// The ASCII bytes of `s`, in order: no valid or invalid multi-byte sequence may swallow one,
// because an ASCII byte is never a continuation byte.
std::u32string AsciiOf(const std::string& s) {
  std::u32string out;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x80) out.push_back(static_cast<unsigned char>(c));
  return out;
}

std::u32string AsciiOf(const std::u32string& u) {
  std::u32string out;
  for (char32_t c : u)
    if (c < 0x80) out.push_back(c);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);

  // Decoding: only scalar values, at most one per byte, ASCII kept in place.
  const std::u32string u = juesuan::DecodeUtf8(bytes);
  FUZZ_CHECK(u.size() <= bytes.size());
  for (char32_t c : u) FUZZ_CHECK(IsScalarValue(c));
  FUZZ_CHECK(AsciiOf(u) == AsciiOf(bytes));
  // What the decoder gives, the encoder writes as valid UTF-8 that decodes to the same.
  const std::string encoded = juesuan::EncodeUtf8(u);
  FUZZ_CHECK(juesuan::DecodeUtf8(encoded) == u);
  // Valid input (no replacement character needed) comes back byte for byte.
  if (u.find(char32_t{0xFFFD}) == std::u32string::npos) FUZZ_CHECK(encoded == bytes);

  // The same bytes as raw 32-bit values, surrogates and values above U+10FFFF included: the
  // encoder writes U+FFFD for those and the decode of the encode is otherwise the identity.
  std::u32string raw(size / 4, 0);
  if (!raw.empty()) std::memcpy(raw.data(), data, raw.size() * 4);
  const std::u32string back = juesuan::DecodeUtf8(juesuan::EncodeUtf8(raw));
  FUZZ_CHECK(back.size() == raw.size());
  for (size_t i = 0; i < raw.size(); ++i)
    FUZZ_CHECK(back[i] == (IsScalarValue(raw[i]) ? raw[i] : char32_t{0xFFFD}));

  // The normalisers every OCR and text-layer reading goes through: valid UTF-8 out, never
  // longer than in (in code points), and a normalised text stays as it is.
  const std::string spaced = juesuan::RemoveSpacesNearHan(bytes);
  FUZZ_CHECK(IsValidUtf8(spaced));
  FUZZ_CHECK(juesuan::DecodeUtf8(spaced).size() <= u.size());
  const std::string normal = juesuan::NormaliseReading(bytes);
  FUZZ_CHECK(IsValidUtf8(normal));
  FUZZ_CHECK(normal.find("\xE3\x80\x88") == std::string::npos);  // 〈 is mapped to （
  FUZZ_CHECK(normal.find("\xE3\x80\x89") == std::string::npos);  // 〉 is mapped to ）
  FUZZ_CHECK(juesuan::NormaliseReading(normal) == normal);
  const std::string stripped = juesuan::StripStrayMarks(bytes);
  FUZZ_CHECK(juesuan::DecodeUtf8(stripped).size() <= juesuan::DecodeUtf8(bytes).size());
  (void)juesuan::LooksNumeric(bytes);
  const std::string no_spaces = juesuan::StripSpaces(bytes);
  FUZZ_CHECK(no_spaces.find(' ') == std::string::npos);
  FUZZ_CHECK(juesuan::U32Length(bytes) == u.size());
  return 0;
}
