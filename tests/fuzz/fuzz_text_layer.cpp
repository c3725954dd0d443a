// Text-layer placement on arbitrary geometry. The words stand for what Poppler reads from a PDF
// (untrusted: any double, huge, infinite or NaN, from a hostile text matrix); the grid stands for
// what GridDetector finds in a rendered page (ours: integer pixels inside an image that the pixel
// cap keeps below 2^27 on a side).
//
// The word coordinates are fed exactly as drawn: NaN, infinities, 1e300 (they once crashed
// TextLinesOutside, a double outside int's range converted to int; seed
// text_layer-textlinesoutside-int-cast).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "stages/common/utf8.h"
#include "stages/read/text_layer.h"

namespace {

using juesuan::Grid;
using juesuan::TextBox;

// Mostly ordinary page coordinates, sometimes the values that break arithmetic.
double Coordinate(FuzzedDataProvider& in) {
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  static constexpr std::array<double, 14> kSpecial = {0.0,
                                                      -0.0,
                                                      1e9,
                                                      -1e9,
                                                      2147483647.0,
                                                      2147483648.0,
                                                      -2147483649.0,
                                                      1e18,
                                                      1e300,
                                                      -1e300,
                                                      kInf,
                                                      -kInf,
                                                      std::numeric_limits<double>::quiet_NaN(),
                                                      std::numeric_limits<double>::min()};
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return in.PickValueInArray(kSpecial);
    case 1:
      return in.ConsumeFloatingPoint<double>();  // anything a double holds
    default:
      return in.ConsumeFloatingPointInRange<double>(-50.0, 5000.0);
  }
}

cv::Rect2d Rect(FuzzedDataProvider& in) {
  const double x = Coordinate(in), y = Coordinate(in), w = Coordinate(in), h = Coordinate(in);
  return {x, y, w, h};
}

int Pixel(FuzzedDataProvider& in) { return in.ConsumeIntegralInRange<int>(-16, 1 << 27); }

Grid MakeGrid(FuzzedDataProvider& in) {
  Grid g;
  const int cols = in.ConsumeIntegralInRange<int>(0, 6),
            rows = in.ConsumeIntegralInRange<int>(0, 6);
  for (int i = 0; i <= cols; ++i) g.xs.push_back(Pixel(in));
  for (int i = 0; i <= rows; ++i) g.ys.push_back(Pixel(in));
  const int cells = in.ConsumeIntegralInRange<int>(0, 24);
  for (int i = 0; i < cells; ++i) {
    juesuan::GridCell c;
    c.r = in.ConsumeIntegralInRange<int>(0, 8);
    c.c = in.ConsumeIntegralInRange<int>(0, 8);
    c.rs = in.ConsumeIntegralInRange<int>(1, 4);
    c.cs = in.ConsumeIntegralInRange<int>(1, 4);
    c.box = {Pixel(in), Pixel(in), in.ConsumeIntegralInRange<int>(0, 1 << 27),
             in.ConsumeIntegralInRange<int>(0, 1 << 27)};
    g.cells.push_back(c);
  }
  g.bbox = {Pixel(in), Pixel(in), in.ConsumeIntegralInRange<int>(0, 1 << 27),
            in.ConsumeIntegralInRange<int>(0, 1 << 27)};
  return g;
}

TextBox MakeWord(FuzzedDataProvider& in) {
  TextBox w;
  // Poppler's text goes through the decoder, so the code points are scalar values; a small
  // alphabet of budget characters makes useful collisions (same glyph, reading order) likely.
  static constexpr std::array<char32_t, 12> kAlphabet = {U'公', U'开', U'表', U'合', U'计', U'0',
                                                         U'1',  U'.',  U',',  U' ',  U'（', U'A'};
  if (in.ConsumeBool()) {
    const size_t n = in.ConsumeIntegralInRange<size_t>(0, 8);
    for (size_t i = 0; i < n; ++i) w.text.push_back(in.PickValueInArray(kAlphabet));
  } else {
    w.text = juesuan::DecodeUtf8(in.ConsumeRandomLengthString(16));
  }
  w.box = Rect(in);
  // Usually one box per character, as Poppler gives; sometimes fewer or more.
  size_t n_chars = w.text.size();
  if (in.ConsumeIntegralInRange<int>(0, 7) == 0) n_chars = in.ConsumeIntegralInRange<size_t>(0, 10);
  for (size_t i = 0; i < n_chars; ++i) w.chars.push_back(Rect(in));
  w.space_after = in.ConsumeBool();
  // Poppler's rotation, which the rasteriser reduces to 0..3 (the TextBox contract).
  w.quarter_turns = in.ConsumeIntegralInRange<int>(0, 3);
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<Grid> grids(in.ConsumeIntegralInRange<size_t>(0, 3));
  for (auto& g : grids) g = MakeGrid(in);
  std::vector<TextBox> words(in.ConsumeIntegralInRange<size_t>(0, 48));
  for (auto& w : words) w = MakeWord(in);
  const int page = in.ConsumeIntegralInRange<int>(1, 2000);

  (void)juesuan::JudgeTextLayer(words);
  const int turn = juesuan::UprightTurn(words);
  FUZZ_CHECK(turn == 0 || turn == 90 || turn == 180 || turn == 270);
  if (in.ConsumeBool()) juesuan::TurnTextBoxes(words, turn, cv::Size(Pixel(in), Pixel(in)));

  for (const auto& g : grids) {
    const auto cells = juesuan::FillGridFromText(g, words, page);
    FUZZ_CHECK(cells.size() == g.cells.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      FUZZ_CHECK(cells[i].r == g.cells[i].r && cells[i].c == g.cells[i].c);
      FUZZ_CHECK(cells[i].page == page && cells[i].exact);
      FUZZ_CHECK(juesuan::EncodeUtf8(juesuan::DecodeUtf8(cells[i].text)) == cells[i].text);
      FUZZ_CHECK(cells[i].conf >= 0.f && cells[i].conf <= 1.f);
    }
  }
  size_t in_chars = 0;
  for (const auto& w : words) in_chars += w.text.size();
  size_t out_chars = 0;
  for (const auto& line : juesuan::TextLinesOutside(words, grids)) {
    FUZZ_CHECK(juesuan::EncodeUtf8(juesuan::DecodeUtf8(line.text)) == line.text);
    out_chars += juesuan::DecodeUtf8(line.text).size();
  }
  FUZZ_CHECK(out_chars <= in_chars);
  return 0;
}
