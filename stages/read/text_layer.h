// Read, born-digital path: a page's own text layer placed into the detected grid, instead of OCR.
// Text in, cells out — the same Cell/TextLine shapes the OCR path produces, so assembly, repair
// and checks run the same on both.
//
// Order of calls for one page: Rasteriser::text_boxes (in points) -> JudgeTextLayer (use it or
// OCR?) -> ScaleTextBoxes (to the pixels actually rendered) -> UprightTurn / TurnTextBoxes (with
// RotateQuarterTurns on the image) -> GridDetector on the image -> FillGridFromText and
// TextLinesOutside. Free functions over values: nothing is kept between calls.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "stages/rasterise/rasteriser.h"

namespace juesuan {

struct TextLayerVerdict {
  bool usable = false;
  std::string reason;  // why the page takes the path it takes, for the JSON
};

// Usable = enough characters, and they decode to Chinese, digits and punctuation. Fonts
// without a Unicode map give private-use or replacement characters, or unrelated symbols.
TextLayerVerdict JudgeTextLayer(const std::vector<TextBox>& words);

// Characters in `words`.
long long CountChars(const std::vector<TextBox>& words);

// Multiplies every box by `factor` (text boxes in points become pixels at factor = dpi / 72).
void ScaleTextBoxes(std::vector<TextBox>& words, double factor);

// Degrees clockwise (0, 90, 180, 270) that turn the page so that most of its characters read
// left to right. A born-digital page whose /Rotate turns its content (a portrait page stored
// turned, or a landscape table drawn sideways) renders with its text on its side; the grid and
// the characters must be read in the upright frame, or every cell comes out empty or jumbled.
int UprightTurn(const std::vector<TextBox>& words);

// Maps the boxes of `words` (in an image of `image_size`) into the same image turned
// `degrees_clockwise` (a multiple of 90, as RotateQuarterTurns does to the pixels), and updates
// their writing direction.
void TurnTextBoxes(std::vector<TextBox>& words, int degrees_clockwise, cv::Size image_size);

// Every grid cell gets the characters whose centres fall inside it, in reading order; a word
// that crosses a rule is split by its characters' boxes. Wrapped text joins line by line. A
// cell whose characters run in several directions is flagged "mixed_direction"; one with two
// runs of text far apart on a line (a rule the grid missed) "gap_in_text".
// A cell's content box is the box of the ink of `binary` (the page the grid was found on) inside
// its characters' boxes and its rules, or of those boxes when `binary` is empty or has no ink
// there, mapped onto the input image by `to_input` (InputImage::to_input; the identity keeps it
// on the prepared page).
std::vector<Cell> FillGridFromText(const Grid& grid, const std::vector<TextBox>& words, int page,
                                   const std::array<double, 6>& to_input = {1, 0, 0, 0, 1, 0},
                                   const cv::Mat& binary = cv::Mat());

// Words outside every grid, grouped into lines (a wide gap starts a new TextLine).
std::vector<TextLine> TextLinesOutside(const std::vector<TextBox>& words,
                                       const std::vector<Grid>& grids);

}  // namespace juesuan
