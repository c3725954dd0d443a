// --debug-dir: one PNG per page that shows what the stages saw. The ruled cells are drawn green
// (confident text), orange (unsure) or grey (blank), each with the text read in blue; tables get
// a red frame and the loose text lines a magenta one.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "pipeline/document.h"

namespace juesuan {

// Writes DIR/page-NNN.png (NNN = page_index + 1) from the page image the grids were found on
// (`gray`, after preparation) and the page's findings. Throws cv::Exception when it cannot write.
void WriteDebugImage(const std::string& dir, int page_index, const cv::Mat& gray,
                     const PageResult& page);

}  // namespace juesuan
