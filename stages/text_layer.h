// The born-digital path: a page's own text layer placed into the detected grid, instead of OCR.
// Text in, cells out — the same Cell/TextLine shapes the OCR path produces, so assembly, repair
// and checks run the same on both.
#pragma once

#include <string>
#include <vector>

#include "pipeline/document.h"
#include "stages/rasteriser.h"

namespace juesuan {

struct TextLayerVerdict {
  bool usable = false;
  std::string reason;  // why the page takes the path it takes, for the JSON
};

// Usable = enough characters, and they decode to Chinese, digits and punctuation. Fonts
// without a Unicode map give private-use or replacement characters, or unrelated symbols.
TextLayerVerdict JudgeTextLayer(const std::vector<TextBox>& words);

// Every grid cell gets the characters whose centres fall inside it, in reading order; a word
// that crosses a rule is split by its characters' boxes. Wrapped text joins line by line.
std::vector<Cell> FillGridFromText(const Grid& grid, const std::vector<TextBox>& words, int page);

// Words outside every grid, grouped into lines (a wide gap starts a new TextLine).
std::vector<TextLine> TextLinesOutside(const std::vector<TextBox>& words,
                                       const std::vector<Grid>& grids);

}  // namespace juesuan
