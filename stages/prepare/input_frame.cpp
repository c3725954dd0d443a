#include "stages/prepare/input_frame.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace juesuan {
namespace {

// A 2-D affine map in homogeneous form (the last row is 0 0 1). Positions are continuous: pixel
// (x, y) covers [x, x + 1) x [y, y + 1), so a box's far edge is x + w.
using Affine = cv::Matx33d;

Affine Linear(double a, double b, double c, double d, double e, double f) {
  return Affine(a, b, c, d, e, f, 0, 0, 1);
}

// A clockwise quarter turn of an image `w` x `h` wide (as cv::rotate does to its pixels).
Affine QuarterTurn(int degrees_clockwise, double w, double h) {
  switch (((degrees_clockwise % 360) + 360) % 360) {
    case 90:
      return Linear(0, -1, h, 1, 0, 0);
    case 180:
      return Linear(-1, 0, w, 0, -1, h);
    case 270:
      return Linear(0, 1, 0, -1, 0, w);
    default:
      return Affine::eye();
  }
}

// EXIF orientation `o` applied to an image `w` x `h` (as the page-image decoder turns and
// mirrors it so that it shows upright).
Affine ExifOrientation(int o, double w, double h) {
  switch (o) {
    case 2:
      return Linear(-1, 0, w, 0, 1, 0);  // mirrored left to right
    case 3:
      return QuarterTurn(180, w, h);
    case 4:
      return Linear(1, 0, 0, 0, -1, h);  // mirrored top to bottom
    case 5:
      return Linear(0, 1, 0, 1, 0, 0);  // transposed
    case 6:
      return QuarterTurn(90, w, h);
    case 7:
      return Linear(0, -1, h, -1, 0, w);  // transposed, then turned half round
    case 8:
      return QuarterTurn(270, w, h);
    default:
      return Affine::eye();
  }
}

}  // namespace

std::array<double, 6> PreparedToInput(const InputImage& input, int rotation, double skew_deg) {
  double w = input.width, h = input.height;
  Affine forward = ExifOrientation(input.orientation, w, h);
  if (input.orientation >= 5) std::swap(w, h);
  // The decoder's resize rounds the size; the scale it was asked for is what its pixels follow.
  forward = Linear(input.scale, 0, 0, 0, input.scale, 0) * forward;
  w = std::round(w * input.scale), h = std::round(h * input.scale);
  forward = QuarterTurn(rotation, w, h) * forward;
  if (((rotation % 180) + 180) % 180 == 90) std::swap(w, h);
  if (skew_deg != 0.0) {
    // RemoveSkew: cv::getRotationMatrix2D(centre, skew_deg, 1) about the image's centre.
    const cv::Mat rot = cv::getRotationMatrix2D(
        cv::Point2f(static_cast<float>(w / 2), static_cast<float>(h / 2)), skew_deg, 1.0);
    forward = Linear(rot.at<double>(0, 0), rot.at<double>(0, 1), rot.at<double>(0, 2),
                     rot.at<double>(1, 0), rot.at<double>(1, 1), rot.at<double>(1, 2)) *
              forward;
  }
  const Affine back = forward.inv();
  return {back(0, 0), back(0, 1), back(0, 2), back(1, 0), back(1, 1), back(1, 2)};
}

namespace {

Box BoundsOf(const std::array<double, 6>& m, const std::vector<cv::Point2d>& corners) {
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (const auto& p : corners) {
    const double x = m[0] * p.x + m[1] * p.y + m[2], y = m[3] * p.x + m[4] * p.y + m[5];
    x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
  }
  // Rounded outwards, less a hair: a corner that lands on a pixel edge stays on it.
  const int ix0 = static_cast<int>(std::floor(x0 + 1e-6)),
            iy0 = static_cast<int>(std::floor(y0 + 1e-6));
  const int ix1 = static_cast<int>(std::ceil(x1 - 1e-6)),
            iy1 = static_cast<int>(std::ceil(y1 - 1e-6));
  return Box{ix0, iy0, ix1 - ix0, iy1 - iy0};
}

}  // namespace

std::optional<Box> MapPixelsToInput(const std::array<double, 6>& to_input,
                                    const std::vector<cv::Point>& points) {
  if (points.empty()) return std::nullopt;
  std::vector<cv::Point2d> corners;
  corners.reserve(points.size() * 4);
  for (const auto& p : points)
    for (int dy = 0; dy <= 1; ++dy)
      for (int dx = 0; dx <= 1; ++dx) corners.emplace_back(p.x + dx, p.y + dy);
  return BoundsOf(to_input, corners);
}

Box MapBoxToInput(const std::array<double, 6>& to_input, const Box& box) {
  return BoundsOf(to_input,
                  {{static_cast<double>(box.x), static_cast<double>(box.y)},
                   {static_cast<double>(box.x + box.w), static_cast<double>(box.y)},
                   {static_cast<double>(box.x), static_cast<double>(box.y + box.h)},
                   {static_cast<double>(box.x + box.w), static_cast<double>(box.y + box.h)}});
}

}  // namespace juesuan
