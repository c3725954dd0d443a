#include "stages/read/leader_dots.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "stages/common/units.h"

namespace juesuan {
namespace {

// Leaders are long: fewer dots in a row are an ellipsis or specks.
constexpr int kMinDots = 8;

struct Dot {
  int x0, x1, cy, size;
};

// The small, about square ink blobs of the line's lower two thirds, left to right.
std::vector<Dot> SmallDots(const cv::Mat& gray_line, double em) {
  cv::Mat bin, labels, stats, centroids;
  cv::threshold(gray_line, bin, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  const int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8);
  const int max_side = std::max(2, static_cast<int>(em / 4));
  std::vector<Dot> dots;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int top = stats.at<int>(i, cv::CC_STAT_TOP);
    if (w > max_side || h > max_side || w > 3 * h || h > 3 * w) continue;
    // A dot high in a line of text is no leader; a box of dots alone (the line finder often
    // boxes the leaders apart from the entry's text) may hold them anywhere.
    if (gray_line.rows > em / 2 && top + h / 2 < gray_line.rows / 3) continue;
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT);
    dots.push_back({x, x + w, top + h / 2, std::max(w, h)});
  }
  std::sort(dots.begin(), dots.end(), [](const Dot& a, const Dot& b) { return a.x0 < b.x0; });
  return dots;
}

}  // namespace

std::optional<cv::Range> LeaderDots(const cv::Mat& gray_line, int dpi) {
  if (gray_line.empty() || gray_line.type() != CV_8U) return std::nullopt;
  const double em = BodyEm(dpi);
  const std::vector<Dot> dots = SmallDots(gray_line, em);
  // A missing or smudged dot leaves a gap of two pitches (a pitch is about half an em).
  const int max_gap = static_cast<int>(std::ceil(2 * em));
  const int slack = std::max(2, static_cast<int>(em / 8));
  std::optional<cv::Range> best;
  auto close = [&](const Dot& first, const Dot& last, int count) {
    if (count >= kMinDots && (!best || last.x1 - first.x0 > best->end - best->start))
      best = cv::Range(first.x0, last.x1);
  };
  size_t first = 0, last = 0;
  int count = dots.empty() ? 0 : 1;
  for (size_t k = 1; k < dots.size(); ++k) {
    if (dots[k].x0 - dots[last].x1 > max_gap) {
      close(dots[first], dots[last], count);
      first = last = k;
      count = 1;
    } else if (std::abs(dots[k].cy - dots[last].cy) <= slack &&
               std::abs(dots[k].size - dots[last].size) <= slack) {
      last = k;
      ++count;
    }  // else a speck off the run's baseline or of another size: passed over
  }
  if (!dots.empty()) close(dots[first], dots[last], count);
  return best;
}

}  // namespace juesuan
