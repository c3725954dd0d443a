// Which Tesseract models read the cells: plain settings, no Tesseract or OpenCV types, so the
// Extractor's public header can carry them.
#pragma once

#include <string>

namespace juesuan {

struct OcrOptions {
  std::string tessdata_dir;            // empty: Tesseract's default / TESSDATA_PREFIX
  std::string text_model = "chi_sim";  // Chinese text cells and lines
  std::string digit_model = "eng";     // amounts and codes: eng reads digits and separators best
};

}  // namespace juesuan
