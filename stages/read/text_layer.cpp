#include "stages/read/text_layer.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "stages/common/utf8.h"
#include "stages/prepare/input_frame.h"
#include "stages/read/cell_ocr.h"

namespace juesuan {
namespace {

struct Glyph {
  char32_t ch;
  cv::Rect2d box;
  bool space_after;   // last glyph of a word followed by a space
  int quarter_turns;  // writing direction of its word (TextBox::quarter_turns)
  double cx() const { return box.x + box.width / 2; }
  double cy() const { return box.y + box.height / 2; }
};

// A text-layer cell's content box. The characters' boxes are the font's (a CJK font's can be
// twice the line's height, reaching over the rules), so they only say where to look: the box is
// that of the ink inside them and inside the cell's rules, on `binary` (the rendered page), or
// the characters' boxes clipped to the cell when there is no ink there. On the input image
// (`to_input`); nullopt for a cell without characters.
std::optional<Box> GlyphsBox(const std::vector<Glyph>& glyphs, const Box& cell,
                             const cv::Mat& binary, const std::array<double, 6>& to_input) {
  if (glyphs.empty()) return std::nullopt;
  cv::Rect2d all = glyphs.front().box;
  for (const auto& g : glyphs) all |= g.box;
  // Clear of the rules: a rule and its antialiased edge are 3 px at the text-layer resolution.
  constexpr int kRuleClear = 3;
  const cv::Rect inside(cell.x + kRuleClear, cell.y + kRuleClear, cell.w - 2 * kRuleClear,
                        cell.h - 2 * kRuleClear);
  // Clipped in doubles first: a damaged text layer's boxes may lie anywhere (or be NaN), and
  // only coordinates on the page may be rounded to pixels.
  const cv::Rect page = inside & cv::Rect(0, 0, binary.cols, binary.rows);
  const bool finite = std::isfinite(all.x) && std::isfinite(all.y) && std::isfinite(all.width) &&
                      std::isfinite(all.height);
  const cv::Rect2d clip =
      finite ? all & cv::Rect2d(page.x, page.y, page.width, page.height) : cv::Rect2d();
  const int x0 = static_cast<int>(std::floor(clip.x)), y0 = static_cast<int>(std::floor(clip.y));
  cv::Rect region = clip.empty()
                        ? cv::Rect()
                        : cv::Rect(x0, y0, static_cast<int>(std::ceil(clip.x + clip.width)) - x0,
                                   static_cast<int>(std::ceil(clip.y + clip.height)) - y0) &
                              page;
  if (!binary.empty() && !region.empty()) {
    const std::vector<cv::Point> ink = InkOutline(binary(region), region.tl());
    if (!ink.empty()) return MapPixelsToInput(to_input, ink);
  }
  if (region.empty()) region = inside;
  return MapBoxToInput(to_input, Box{region.x, region.y, region.width, region.height});
}

std::vector<Glyph> Glyphs(const std::vector<TextBox>& words) {
  std::vector<Glyph> out;
  for (const auto& w : words)
    for (size_t i = 0; i < w.text.size() && i < w.chars.size(); ++i)
      if (w.text[i] != U' ')
        out.push_back({w.text[i], w.chars[i], w.space_after && i + 1 == w.text.size(),
                       ((w.quarter_turns % 4) + 4) % 4});
  return out;
}

// A box of an image `height` pixels high, in that image turned one quarter clockwise:
// a point (x, y) goes to (height - y, x).
cv::Rect2d TurnQuarter(const cv::Rect2d& r, double height) {
  return cv::Rect2d(height - (r.y + r.height), r.x, r.height, r.width);
}

// Pixel boxes from text-layer coordinates, which can be anything (1e12, NaN): saturated to a
// range whose sums still fit in int, so no conversion or later arithmetic is undefined.
int ToPixel(double v) {
  constexpr double kLimit = 1 << 26;
  if (!std::isfinite(v)) return 0;
  return static_cast<int>(std::clamp(v, -kLimit, kLimit));
}
Box ToBox(const cv::Rect2d& r) {
  return {ToPixel(r.x), ToPixel(r.y), ToPixel(r.width), ToPixel(r.height)};
}

bool IsAsciiWord(char32_t c) { return c < 0x80 && std::isalnum(static_cast<int>(c)); }

// Glyphs in reading order: lines by vertical overlap, top down, each left to right.
std::vector<std::vector<Glyph>> Lines(std::vector<Glyph> g) {
  std::sort(g.begin(), g.end(), [](const Glyph& a, const Glyph& b) { return a.cy() < b.cy(); });
  std::vector<std::vector<Glyph>> lines;
  for (const auto& x : g) {
    if (!lines.empty()) {
      const Glyph& ref = lines.back().front();
      // Text-layer boxes include the line spacing, so lines of a wrapped cell overlap by up to
      // half their height; centres closer than 0.3 of a box share a line.
      if (std::abs(x.cy() - ref.cy()) < std::min(ref.box.height, x.box.height) * 0.3) {
        lines.back().push_back(x);
        continue;
      }
    }
    lines.push_back({x});
  }
  for (auto& line : lines)
    std::sort(line.begin(), line.end(),
              [](const Glyph& a, const Glyph& b) { return a.cx() < b.cx(); });
  return lines;
}

// Joins lines of one cell without a separator (Chinese wraps anywhere); words keep a space only
// between Latin letters or digits.
std::string Join(const std::vector<std::vector<Glyph>>& lines) {
  std::u32string out;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      out.push_back(line[i].ch);
      if (line[i].space_after && i + 1 < line.size() && IsAsciiWord(line[i].ch) &&
          IsAsciiWord(line[i + 1].ch))
        out.push_back(U' ');
    }
  }
  return EncodeUtf8(out);
}

// Two runs of text side by side in one cell, each of at least three characters, with a gap of
// more than three characters' width between them ("各类工作经费      项目性质", "其中：财政资金
// 7595500.00"): the grid missed the rule between two cells. Spread-out labels ("合    计",
// "项    目") have single characters between their gaps and are not this.
bool HasWideGap(const std::vector<std::vector<Glyph>>& lines) {
  for (const auto& line : lines) {
    double em = 0;
    for (const auto& g : line) em = std::max(em, g.box.width);
    // Glyph i ends the left run (i + 1 >= 3 glyphs), i + 1 starts the right one (>= 3 glyphs).
    for (size_t i = 2; i + 4 <= line.size(); ++i)
      if (line[i + 1].box.x - (line[i].box.x + line[i].box.width) > 3 * em) return true;
  }
  return false;
}

}  // namespace

long long CountChars(const std::vector<TextBox>& words) {
  long long n = 0;
  for (const auto& w : words) n += static_cast<long long>(w.text.size());
  return n;
}

void ScaleTextBoxes(std::vector<TextBox>& words, double factor) {
  auto scale = [factor](cv::Rect2d& r) {
    r = cv::Rect2d(r.x * factor, r.y * factor, r.width * factor, r.height * factor);
  };
  for (auto& w : words) {
    scale(w.box);
    for (auto& c : w.chars) scale(c);
  }
}

TextLayerVerdict JudgeTextLayer(const std::vector<TextBox>& words) {
  size_t total = 0, good = 0, bad = 0, han_count = 0;
  for (const auto& w : words)
    for (char32_t c : w.text) {
      if (c == U' ') continue;
      ++total;
      bool han = IsHanIdeograph(c);
      bool ascii = c >= 0x21 && c < 0x7F;
      bool punct = (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
                   (c >= 0x2010 && c <= 0x206F);
      bool garbage =
          (c >= 0xE000 && c <= 0xF8FF) || c == 0xFFFD || c < 0x20 || (c >= 0x2E80 && c <= 0x2FDF);
      good += han || ascii || punct;
      han_count += han;
      bad += garbage;
    }
  if (total < 10) return {false, "no text layer (" + std::to_string(total) + " characters)"};
  double good_share = static_cast<double>(good) / total;
  if (bad * 20 > total || good_share < 0.9)
    return {false, "text layer does not decode to Chinese and digits (" + std::to_string(bad) +
                       " private-use, replacement or control characters of " +
                       std::to_string(total) + ")"};
  // A font without a Unicode map can also decode to Latin letters; a disclosure page always
  // carries some Chinese.
  if (han_count * 20 < total)
    return {false, "text layer has almost no Chinese (" + std::to_string(han_count) + " of " +
                       std::to_string(total) + " characters): font without a Unicode map?"};
  return {true, "text layer with " + std::to_string(total) + " characters"};
}

int UprightTurn(const std::vector<TextBox>& words) {
  std::array<size_t, 4> chars_by_turn{};
  for (const auto& w : words) chars_by_turn[((w.quarter_turns % 4) + 4) % 4] += w.text.size();
  const auto most = std::max_element(chars_by_turn.begin(), chars_by_turn.end());
  if (*most == 0 || most == chars_by_turn.begin()) return 0;
  // Text turned k quarters clockwise reads upright after (4 - k) more quarters.
  return (4 - static_cast<int>(most - chars_by_turn.begin())) * 90;
}

void TurnTextBoxes(std::vector<TextBox>& words, int degrees_clockwise, cv::Size image_size) {
  const int quarters = ((degrees_clockwise / 90) % 4 + 4) % 4;
  for (int q = 0; q < quarters; ++q) {
    for (auto& w : words) {
      w.box = TurnQuarter(w.box, image_size.height);
      for (auto& c : w.chars) c = TurnQuarter(c, image_size.height);
      w.quarter_turns = (w.quarter_turns + 1) % 4;
    }
    image_size = cv::Size(image_size.height, image_size.width);
  }
}

std::vector<Cell> FillGridFromText(const Grid& grid, const std::vector<TextBox>& words, int page,
                                   const std::array<double, 6>& to_input, const cv::Mat& binary) {
  std::vector<std::vector<Glyph>> per_cell(grid.cells.size());
  for (const auto& g : Glyphs(words)) {
    for (size_t i = 0; i < grid.cells.size(); ++i) {
      const Box& b = grid.cells[i].box;
      if (g.cx() >= b.x && g.cx() < b.x + b.w && g.cy() >= b.y && g.cy() < b.y + b.h) {
        per_cell[i].push_back(g);
        break;
      }
    }
  }
  std::vector<Cell> cells(grid.cells.size());
  for (size_t i = 0; i < grid.cells.size(); ++i) {
    const GridCell& g = grid.cells[i];
    Cell& c = cells[i];
    c.r = g.r, c.c = g.c, c.rs = g.rs, c.cs = g.cs;
    c.page = page;
    c.bbox = g.box;
    c.row_inferred = g.row_inferred;
    c.content_bbox = GlyphsBox(per_cell[i], g.box, binary, to_input);
    // Text written sideways inside an upright page (a narrow header cell, a turned stamp):
    // read it in its own direction. A cell whose characters run in different directions has
    // no reliable order, so it is marked unsure.
    auto& glyphs = per_cell[i];
    bool mixed = false;
    if (!glyphs.empty() && glyphs.front().quarter_turns != 0) {
      const int turns = glyphs.front().quarter_turns;
      for (auto& glyph : glyphs) {
        mixed |= glyph.quarter_turns != turns;
        // Only the order matters here, so the frame's height can be anything.
        for (int q = turns; q < 4; ++q) glyph.box = TurnQuarter(glyph.box, 0.0);
      }
    } else {
      for (const auto& glyph : glyphs) mixed |= glyph.quarter_turns != 0;
    }
    const auto lines = Lines(glyphs);
    c.raw = Join(lines);
    c.text = c.raw;
    c.conf = c.text.empty() ? 0.f : mixed ? 0.5f : 1.f;
    c.exact = true;
    if (mixed) c.flags.push_back("mixed_direction");
    if (HasWideGap(lines)) c.flags.push_back("gap_in_text");
  }
  return cells;
}

std::vector<TextLine> TextLinesOutside(const std::vector<TextBox>& words,
                                       const std::vector<Grid>& grids) {
  std::vector<const TextBox*> outside;
  for (const auto& w : words) {
    cv::Point2d c(w.box.x + w.box.width / 2, w.box.y + w.box.height / 2);
    bool inside = false;
    for (const auto& g : grids)
      inside |= c.x >= g.bbox.x && c.x <= g.bbox.x + g.bbox.w && c.y >= g.bbox.y &&
                c.y <= g.bbox.y + g.bbox.h;
    if (!inside && !w.text.empty()) outside.push_back(&w);
  }
  std::sort(outside.begin(), outside.end(), [](const TextBox* a, const TextBox* b) {
    return a->box.y + a->box.height / 2 < b->box.y + b->box.height / 2;
  });
  // Group into lines, then split a line where the gap is wider than two characters.
  std::vector<TextLine> out;
  for (size_t i = 0; i < outside.size();) {
    size_t j = i + 1;
    const double cy = outside[i]->box.y + outside[i]->box.height / 2, h = outside[i]->box.height;
    while (j < outside.size() && outside[j]->box.y + outside[j]->box.height / 2 - cy < h / 2) ++j;
    std::vector<const TextBox*> line(outside.begin() + i, outside.begin() + j);
    std::sort(line.begin(), line.end(),
              [](const TextBox* a, const TextBox* b) { return a->box.x < b->box.x; });
    std::u32string text;
    cv::Rect2d box;
    for (size_t k = 0; k < line.size(); ++k) {
      if (k > 0 && line[k]->box.x - (line[k - 1]->box.x + line[k - 1]->box.width) > 2 * h) {
        out.push_back({EncodeUtf8(text), ToBox(box), 1.f});
        text.clear();
        box = {};
      }
      text += line[k]->text;
      box = box.area() > 0 ? (box | line[k]->box) : line[k]->box;
    }
    out.push_back({EncodeUtf8(text), ToBox(box), 1.f});
    i = j;
  }
  return out;
}

}  // namespace juesuan
