// Stage 2: make a rendered page upright and straight, and binarise it for line finding.
// The grayscale is kept for OCR; the binary image is only for geometry.
#pragma once

#include <functional>
#include <opencv2/core.hpp>
#include <vector>

namespace juesuan {

struct PreparedPage {
  cv::Mat gray;      // upright, deskewed
  cv::Mat binary;    // ink = 255, same geometry as `gray`
  int rotation = 0;  // clockwise degrees applied (0, 90, 180, 270)
  double skew_deg =
      0.0;  // skew that was removed (positive = lines fell to the right: turned clockwise)
};

// Scores how readable an upright crop is (e.g. mean OCR confidence, 0..1). Used only to tell
// 0 from 180 degrees; geometry alone decides between horizontal and vertical text lines.
using ReadabilityScorer = std::function<double(const cv::Mat& gray_crop)>;

class PagePreparer {
 public:
  explicit PagePreparer(int dpi) : dpi_(dpi) {}
  PreparedPage prepare(const cv::Mat& gray, const ReadabilityScorer& scorer = {}) const;

  // Parts, public so that they can be tested on their own.
  cv::Mat binarise(const cv::Mat& gray) const;
  // Skew angle in degrees of the dominant horizontal structure (ruling lines, else text lines).
  double estimate_skew(const cv::Mat& binary) const;
  // True when text lines run vertically (the page is on its side).
  bool text_runs_vertically(const cv::Mat& binary) const;
  // Boxes of up to `count` long text lines (rules removed), widest first.
  std::vector<cv::Rect> SampleTextLines(const cv::Mat& binary, size_t count) const;

 private:
  int dpi_;
};

// Rotates an image clockwise by a multiple of 90 degrees.
cv::Mat RotateQuarterTurns(const cv::Mat& img, int degrees_clockwise);

}  // namespace juesuan
