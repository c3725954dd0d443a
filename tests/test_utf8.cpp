// Strict UTF-8: every invalid sequence is one U+FFFD (maximal subpart, Unicode §3.9 / WHATWG)
// and what follows it decodes as if it stood alone.
#include <gtest/gtest.h>

#include <string>

#include "stages/common/utf8.h"

namespace juesuan {
namespace {

using U = std::u32string;
constexpr char32_t R = 0xFFFD;

TEST(Utf8Decode, BrokenSequenceDoesNotSwallowAscii) {
  // The old decoder masked 'A' and 'B' into the low bits of one Han-range character.
  EXPECT_EQ(DecodeUtf8("\xE4"
                       "AB"),
            (U{R, U'A', U'B'}));
  EXPECT_EQ(DecodeUtf8("\xE4\xB8"
                       "A"),
            (U{R, U'A'}));
  EXPECT_EQ(DecodeUtf8("x\xC3y"), (U{U'x', R, U'y'}));
  EXPECT_EQ(DecodeUtf8("\xF0\x9F"
                       "1,2"),
            (U{R, U'1', U',', U'2'}));
}

TEST(Utf8Decode, TruncatedAtTheEndIsOneReplacement) {
  EXPECT_EQ(DecodeUtf8("\xC3"), (U{R}));
  EXPECT_EQ(DecodeUtf8("\xE4\xB8"), (U{R}));
  EXPECT_EQ(DecodeUtf8("\xF0\x9F\x98"), (U{R}));
  EXPECT_EQ(DecodeUtf8("\xE5\x85\xAC\xE5\xBC"), (U{U'公', R}));  // 公 then half of 开
}

TEST(Utf8Decode, OverlongFormsAreRejected) {
  // C0 and C1 never start a sequence; each byte is its own maximal subpart.
  EXPECT_EQ(DecodeUtf8("\xC0\xAF"), (U{R, R}));
  EXPECT_EQ(DecodeUtf8("\xC1\xBF"), (U{R, R}));
  EXPECT_EQ(DecodeUtf8("\xE0\x80\xAF"), (U{R, R, R}));
  EXPECT_EQ(DecodeUtf8("\xF0\x80\x80\xAF"), (U{R, R, R, R}));
  EXPECT_EQ(DecodeUtf8("\xE0\x9F\xBF"), (U{R, R, R}));  // U+07FF in three bytes
}

TEST(Utf8Decode, SurrogatesAndValuesAboveTheLastPlaneAreRejected) {
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80"), (U{R, R, R}));         // U+D800
  EXPECT_EQ(DecodeUtf8("\xED\xBF\xBF"), (U{R, R, R}));         // U+DFFF
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80"), (U{R, R, R, R}));  // U+110000
  EXPECT_EQ(DecodeUtf8("\xF5\x80\x80\x80"), (U{R, R, R, R}));
  EXPECT_EQ(DecodeUtf8("\xFF\xFE"), (U{R, R}));
}

TEST(Utf8Decode, StrayContinuationBytesAreOneReplacementEach) {
  EXPECT_EQ(DecodeUtf8("\x80"), (U{R}));
  EXPECT_EQ(DecodeUtf8("a\x80\xBF"
                       "b"),
            (U{U'a', R, R, U'b'}));
}

TEST(Utf8Decode, UnicodeTable3_8Example) {
  // The example of Unicode §3.9, Table 3-8 ("U+FFFD for maximal subparts").
  EXPECT_EQ(DecodeUtf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            (U{0x61, R, R, R, 0x62, R, 0x63, R, R, 0x64}));
}

TEST(Utf8Decode, BoundariesOfEveryLengthDecode) {
  EXPECT_EQ(DecodeUtf8(std::string("\0\x7F", 2)), (U{0x00, 0x7F}));
  EXPECT_EQ(DecodeUtf8("\xC2\x80\xDF\xBF"), (U{0x80, 0x7FF}));
  EXPECT_EQ(DecodeUtf8("\xE0\xA0\x80\xED\x9F\xBF"), (U{0x800, 0xD7FF}));
  EXPECT_EQ(DecodeUtf8("\xEE\x80\x80\xEF\xBF\xBF"), (U{0xE000, 0xFFFF}));
  EXPECT_EQ(DecodeUtf8("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"), (U{0x10000, 0x10FFFF}));
}

TEST(Utf8Decode, ChineseBudgetText) {
  EXPECT_EQ(DecodeUtf8("公开02表 1,285.83 万元"),
            (U{U'公', U'开', U'0', U'2', U'表', U' ', U'1', U',', U'2', U'8', U'5', U'.', U'8',
               U'3', U' ', U'万', U'元'}));
  EXPECT_EQ(DecodeUtf8("（一）"), (U{0xFF08, 0x4E00, 0xFF09}));
  EXPECT_EQ(DecodeUtf8("\xF0\xA0\x80\x80"), (U{0x20000}));  // CJK Extension B
}

TEST(Utf8Encode, InvalidScalarValuesBecomeReplacement) {
  EXPECT_EQ(EncodeUtf8(U{0xD800}), "\xEF\xBF\xBD");
  EXPECT_EQ(EncodeUtf8(U{0xDFFF}), "\xEF\xBF\xBD");
  EXPECT_EQ(EncodeUtf8(U{0x110000}), "\xEF\xBF\xBD");
  EXPECT_EQ(EncodeUtf8(U{0xFFFFFFFF}), "\xEF\xBF\xBD");
  EXPECT_EQ(EncodeUtf8(U{U'a', 0xDC00, U'表'}), "a\xEF\xBF\xBD\xE8\xA1\xA8");
}

TEST(Utf8Encode, BoundariesOfEveryLength) {
  EXPECT_EQ(EncodeUtf8(U{0x7F}), "\x7F");
  EXPECT_EQ(EncodeUtf8(U{0x80}), "\xC2\x80");
  EXPECT_EQ(EncodeUtf8(U{0x7FF}), "\xDF\xBF");
  EXPECT_EQ(EncodeUtf8(U{0x800}), "\xE0\xA0\x80");
  EXPECT_EQ(EncodeUtf8(U{0xFFFF}), "\xEF\xBF\xBF");
  EXPECT_EQ(EncodeUtf8(U{0x10000}), "\xF0\x90\x80\x80");
  EXPECT_EQ(EncodeUtf8(U{0x10FFFF}), "\xF4\x8F\xBF\xBF");
}

TEST(Utf8RoundTrip, ChineseTextIsUnchanged) {
  for (const std::string s : {"公开02表 1,285.83 万元", "一般公共预算财政拨款支出决算表",
                              "因公出国（境）费用", "2050101 行政运行", "𠀀𪚥"}) {
    EXPECT_EQ(EncodeUtf8(DecodeUtf8(s)), s) << s;
  }
}

TEST(Utf8RoundTrip, EveryScalarValue) {
  // Encode then decode is the identity on all 1,112,064 scalar values.
  U all;
  for (char32_t c = 0; c <= 0x10FFFF; ++c)
    if (c < 0xD800 || c > 0xDFFF) all.push_back(c);
  ASSERT_EQ(all.size(), 1112064u);
  EXPECT_EQ(DecodeUtf8(EncodeUtf8(all)), all);
}

}  // namespace
}  // namespace juesuan
