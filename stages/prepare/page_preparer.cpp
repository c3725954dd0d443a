#include "stages/prepare/page_preparer.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace juesuan {
namespace {

// Sum of squared row counts of points sheared by angle `deg`: largest when lines are level.
double ProjectionScore(const std::vector<cv::Point>& pts, double deg, int height) {
  const double t = std::tan(deg * std::numbers::pi / 180.0);
  std::vector<int> hist(static_cast<size_t>(height) * 2 + 2, 0);
  const int off = height / 2;
  for (const auto& p : pts) {
    int y = static_cast<int>(std::lround(p.y - p.x * t)) + off;
    if (y >= 0 && y < static_cast<int>(hist.size())) ++hist[y];
  }
  double s = 0;
  for (int v : hist) s += static_cast<double>(v) * v;
  return s;
}

std::vector<cv::Point> SamplePoints(const cv::Mat& mask, size_t max_points) {
  std::vector<cv::Point> pts;
  cv::findNonZero(mask, pts);
  if (pts.size() > max_points) {
    size_t step = pts.size() / max_points + 1;
    std::vector<cv::Point> sub;
    for (size_t i = 0; i < pts.size(); i += step) sub.push_back(pts[i]);
    pts.swap(sub);
  }
  return pts;
}

}  // namespace

cv::Mat RotateQuarterTurns(const cv::Mat& img, int degrees_clockwise) {
  cv::Mat out;
  switch (((degrees_clockwise % 360) + 360) % 360) {
    case 90:
      cv::rotate(img, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(img, out, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(img, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = img.clone();
  }
  return out;
}

cv::Mat PagePreparer::binarise(const cv::Mat& gray) const {
  cv::Mat bin;
  // Local mean threshold survives uneven illumination and faded rulings better than Otsu.
  int block = std::max(15, (dpi_ / 10) | 1);
  cv::adaptiveThreshold(gray, bin, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, block,
                        12);
  return bin;
}

double PagePreparer::estimate_skew(const cv::Mat& binary) const {
  // Ruling lines give the sharpest signal; fall back to all ink (text lines) without a table.
  const int len = std::max(20, dpi_ / 3);
  cv::Mat lines;
  cv::morphologyEx(binary, lines, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {len, 1}));
  auto pts = SamplePoints(lines, 200000);
  if (pts.size() < static_cast<size_t>(dpi_) * 4) pts = SamplePoints(binary, 200000);
  if (pts.size() < 100) return 0.0;
  double best = 0, best_score = -1;
  for (double a = -3.0; a <= 3.0001; a += 0.1) {
    double s = ProjectionScore(pts, a, binary.rows);
    if (s > best_score) best_score = s, best = a;
  }
  double coarse = best;
  for (double a = coarse - 0.1; a <= coarse + 0.1001; a += 0.01) {
    double s = ProjectionScore(pts, a, binary.rows);
    if (s > best_score) best_score = s, best = a;
  }
  return best;
}

bool PagePreparer::text_runs_vertically(const cv::Mat& binary) const {
  // Work at ~75 dpi. Remove ruling lines, then smear ink along x and along y: characters of a
  // text line merge along the line direction into fewer, longer blobs.
  cv::Mat small;
  double f = std::min(1.0, 75.0 / dpi_);
  cv::resize(binary, small, {}, f, f, cv::INTER_AREA);
  cv::threshold(small, small, 60, 255, cv::THRESH_BINARY);
  cv::Mat h, v;
  const int long_len = 40;
  cv::morphologyEx(small, h, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {long_len, 1}));
  cv::morphologyEx(small, v, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {1, long_len}));
  cv::Mat text = small & ~(h | v);
  auto blobs = [&](cv::Size k) {
    cv::Mat m;
    cv::morphologyEx(text, m, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, k));
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(m, labels, stats, centroids, 8);
    long long elongated = 0;
    for (int i = 1; i < n; ++i) {
      int w = stats.at<int>(i, cv::CC_STAT_WIDTH), ht = stats.at<int>(i, cv::CC_STAT_HEIGHT);
      if (k.width > 1 ? w > 3 * ht : ht > 3 * w) elongated += std::max(w, ht);
    }
    return elongated;
  };
  long long along_x = blobs({7, 1}), along_y = blobs({1, 7});
  return along_y > 2 * along_x && along_y > 200;
}

std::vector<cv::Rect> PagePreparer::SampleTextLines(const cv::Mat& binary, size_t count) const {
  // Text without rules, smeared along the line; the widest line-shaped blobs are the samples.
  const int long_len = std::max(20, dpi_ / 4);
  cv::Mat h, v;
  cv::morphologyEx(binary, h, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {long_len, 1}));
  cv::morphologyEx(binary, v, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {1, long_len}));
  cv::Mat text = binary & ~(h | v), smear;
  cv::morphologyEx(text, smear, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {std::max(3, dpi_ / 20), 1}));
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(smear, labels, stats, centroids, 8);
  std::vector<cv::Rect> lines;
  for (int i = 1; i < n; ++i) {
    cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
               stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (r.height < dpi_ / 25 || r.height > dpi_ / 4 || r.width < 4 * r.height) continue;
    lines.push_back(r);
  }
  std::sort(lines.begin(), lines.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.width > b.width; });
  if (lines.size() > count) lines.resize(count);
  for (auto& r : lines) {
    int pad = std::max(2, r.height / 4);
    r = cv::Rect(r.x - pad, r.y - pad, r.width + 2 * pad, r.height + 2 * pad) &
        cv::Rect(0, 0, binary.cols, binary.rows);
  }
  return lines;
}

PreparedPage PagePreparer::prepare(const cv::Mat& gray, const ReadabilityScorer& scorer) const {
  PreparedPage out;
  cv::Mat upright = gray;
  cv::Mat bin = binarise(gray);
  if (text_runs_vertically(bin)) {
    // On its side: 90 or 270. Try both and let the scorer pick when it can.
    out.rotation = 90;
    upright = RotateQuarterTurns(gray, 90);
  }
  if (scorer) {
    // 0 vs 180: read a few sample text lines both ways round; upside-down Chinese still yields
    // characters, but with clearly lower confidence. Single lines are what Tesseract reads best.
    cv::Mat b = out.rotation ? binarise(upright) : bin;
    double upright_score = 0, turned_score = 0;
    for (const cv::Rect& r : SampleTextLines(b, 3)) {
      cv::Mat crop = upright(r);
      upright_score += scorer(crop);
      turned_score += scorer(RotateQuarterTurns(crop, 180));
    }
    if (turned_score > upright_score + 0.3) {
      upright = RotateQuarterTurns(upright, 180);
      out.rotation = (out.rotation + 180) % 360;
    }
  }
  if (out.rotation != 0) bin = binarise(upright);
  out.skew_deg = estimate_skew(bin);
  if (std::abs(out.skew_deg) >= 0.02) {
    cv::Point2f centre(upright.cols / 2.0f, upright.rows / 2.0f);
    // Positive score angle = lines fall to the right (y grows with x); rotate back.
    cv::Mat rot = cv::getRotationMatrix2D(centre, out.skew_deg, 1.0);
    cv::warpAffine(upright, out.gray, rot, upright.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(255));
    out.binary = binarise(out.gray);
  } else {
    out.gray = upright.clone();
    out.binary = bin;
  }
  return out;
}

}  // namespace juesuan
