#include "stages/emit/debug_image.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace juesuan {

namespace {

// Draws the text read into a cell in blue at its bottom left, small enough not to hide the
// scan. Chinese needs a CJK font (fonts-wqy-zenhei or fonts-noto-cjk); without one only the
// ASCII part (amounts, codes) is drawn.
void DrawText(cv::Mat& img, const std::string& text, cv::Point at, int height) {
  static std::mutex lock;  // FreeType2 is not safe to share across threads
  static cv::Ptr<cv::freetype::FreeType2> font = [] {
    cv::Ptr<cv::freetype::FreeType2> f;
    for (const char* path : {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"}) {
      if (!std::filesystem::exists(path)) continue;
      f = cv::freetype::createFreeType2();
      f->loadFontData(path, 0);
      break;
    }
    return f;
  }();
  if (text.empty()) return;
  std::lock_guard<std::mutex> guard(lock);
  if (font) {
    font->putText(img, text, at, height, {255, 0, 0}, -1, cv::LINE_AA, true);
    return;
  }
  std::string ascii;
  for (char ch : text)
    if (static_cast<unsigned char>(ch) < 0x80) ascii += ch;
  cv::putText(img, ascii, at, cv::FONT_HERSHEY_SIMPLEX, height / 24.0, {255, 0, 0}, 1);
}

}  // namespace

void WriteDebugImage(const std::string& dir, int page_index, const cv::Mat& gray,
                     const PageResult& page) {
  cv::Mat img;
  cv::cvtColor(gray, img, cv::COLOR_GRAY2BGR);
  for (const auto& t : page.tables) {
    for (size_t i = 0; i < t.grid.cells.size(); ++i) {
      const Box& b = t.grid.cells[i].box;
      const Cell& c = t.cells[i];
      // Green: confident text, orange: unsure, grey: blank.
      cv::Scalar colour = c.text.empty()          ? cv::Scalar(160, 160, 160)
                          : c.conf >= kUnsureConf ? cv::Scalar(0, 170, 0)
                                                  : cv::Scalar(0, 140, 255);
      cv::rectangle(img, {b.x + 2, b.y + 2, b.w - 4, b.h - 4}, colour, 2);
      DrawText(img, c.text, {b.x + 4, b.y + b.h - 4}, std::clamp(b.h / 3, 10, 16));
    }
    const Box& bb = t.grid.bbox;
    cv::rectangle(img, {bb.x, bb.y, bb.w, bb.h}, {0, 0, 255}, 3);
  }
  for (const auto& l : page.lines) {
    cv::rectangle(img, {l.bbox.x, l.bbox.y, l.bbox.w, l.bbox.h}, {255, 0, 255}, 2);
    DrawText(img, l.text, {l.bbox.x, l.bbox.y + l.bbox.h + 18}, 16);
  }
  char name[32];
  std::snprintf(name, sizeof name, "page-%03d.png", page_index + 1);
  cv::imwrite((std::filesystem::path(dir) / name).string(), img);
}

}  // namespace juesuan
