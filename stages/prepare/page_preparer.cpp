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
    // Rounded half away from zero, as std::lround, without its library call (a third of the
    // skew search's instructions).
    const double v = p.y - p.x * t;
    int y = static_cast<int>(v < 0 ? v - 0.5 : v + 0.5) + off;
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

// `binary` without its ruling lines (runs of `rule_len` pixels or longer, either way).
cv::Mat WithoutRules(const cv::Mat& binary, int rule_len) {
  cv::Mat h, v;
  cv::morphologyEx(binary, h, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {rule_len, 1}));
  cv::morphologyEx(binary, v, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {1, rule_len}));
  return binary & ~(h | v);
}

// The angle within `from`..`to` (by `step`) whose projection scores best, or `best` when none
// beats `best_score`; `best_score` is updated.
double BestAngle(const std::vector<cv::Point>& pts, int height, double from, double to, double step,
                 double best, double& best_score) {
  // Half a step of slack: the last angle is reached despite the rounding of the sums.
  for (double a = from; a <= to + step / 2; a += step) {
    double s = ProjectionScore(pts, a, height);
    if (s > best_score) best_score = s, best = a;
  }
  return best;
}

}  // namespace

PagePreparer::Params PagePreparer::Params::ForDpi(int dpi) {
  Params p;
  // 1/10 inch (2.5 mm, made odd): wider than a stroke, so that the mean is the paper's around
  // it, and narrow enough to follow uneven illumination.
  p.block = std::max(15, Inches(dpi, 1, 10) | 1);
  // 1/3 inch (8.5 mm): longer than any glyph stroke, so that only rules give the skew.
  p.skew_rule_len = std::max(20, Inches(dpi, 1, 3));
  // Four inches (10 cm) of one-pixel rule: less is too little to measure on, e.g. no table.
  p.min_rule_points = static_cast<size_t>(dpi) * 4;
  // 75 dpi: text lines still show as lines, and the analysis is cheap.
  p.orient_scale = std::min(1.0, 75.0 / dpi);
  // 1/4 inch (6.4 mm): longer than a glyph stroke of body type.
  p.sample_rule_len = std::max(20, Inches(dpi, 1, 4));
  // 1/20 inch (1.3 mm): the gap between two characters of a line, not between two fields.
  p.sample_smear = std::max(3, Inches(dpi, 1, 20));
  // 1/25 to 1/4 inch (3 to 18 pt): from small print to a heading.
  p.min_sample_h = Inches(dpi, 1, 25);
  p.max_sample_h = Inches(dpi, 1, 4);
  return p;
}

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
  cv::adaptiveThreshold(gray, bin, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, p_.block,
                        p_.offset);
  return bin;
}

double PagePreparer::estimate_skew(const cv::Mat& binary) const {
  // Ruling lines give the sharpest signal; fall back to all ink (text lines) without a table.
  cv::Mat lines;
  cv::morphologyEx(binary, lines, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {p_.skew_rule_len, 1}));
  auto pts = SamplePoints(lines, p_.max_points);
  if (pts.size() < p_.min_rule_points) pts = SamplePoints(binary, p_.max_points);
  if (pts.size() < p_.min_points) return 0.0;
  double best_score = -1;
  const double coarse = BestAngle(pts, binary.rows, -p_.coarse_range_deg, p_.coarse_range_deg,
                                  p_.coarse_step_deg, 0, best_score);
  return BestAngle(pts, binary.rows, coarse - p_.fine_range_deg, coarse + p_.fine_range_deg,
                   p_.fine_step_deg, coarse, best_score);
}

bool PagePreparer::text_runs_vertically(const cv::Mat& binary) const {
  // Work at ~75 dpi. Remove ruling lines, then smear ink along x and along y: characters of a
  // text line merge along the line direction into fewer, longer blobs.
  cv::Mat small;
  const double f = p_.orient_scale;
  cv::resize(binary, small, {}, f, f, cv::INTER_AREA);
  cv::threshold(small, small, p_.orient_ink, 255, cv::THRESH_BINARY);
  cv::Mat text = WithoutRules(small, p_.orient_rule_len);
  auto blobs = [&](cv::Size k) {
    cv::Mat m;
    cv::morphologyEx(text, m, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, k));
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(m, labels, stats, centroids, 8);
    long long elongated = 0;
    const int e = p_.elongation;
    for (int i = 1; i < n; ++i) {
      int w = stats.at<int>(i, cv::CC_STAT_WIDTH), ht = stats.at<int>(i, cv::CC_STAT_HEIGHT);
      if (k.width > 1 ? w > e * ht : ht > e * w) elongated += std::max(w, ht);
    }
    return elongated;
  };
  const int s = p_.orient_smear;
  long long along_x = blobs({s, 1}), along_y = blobs({1, s});
  return along_y > p_.vertical_ratio * along_x && along_y > p_.min_vertical;
}

std::vector<cv::Rect> PagePreparer::SampleTextLines(const cv::Mat& binary, size_t count) const {
  // Text without rules, smeared along the line; the widest line-shaped blobs are the samples.
  cv::Mat text = WithoutRules(binary, p_.sample_rule_len), smear;
  cv::morphologyEx(text, smear, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {p_.sample_smear, 1}));
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(smear, labels, stats, centroids, 8);
  std::vector<cv::Rect> lines;
  for (int i = 1; i < n; ++i) {
    cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
               stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (r.height < p_.min_sample_h || r.height > p_.max_sample_h ||
        r.width < p_.min_sample_aspect * r.height)
      continue;
    lines.push_back(r);
  }
  std::sort(lines.begin(), lines.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.width > b.width; });
  // A line of four characters or more holds as many separate glyphs; one long stroke of a big
  // title character (a cover's 预算) is line-shaped too, and reads as noise either way round.
  std::vector<cv::Rect> samples;
  for (const cv::Rect& r : lines) {
    if (samples.size() == count) break;
    cv::Mat glyph_labels;
    if (cv::connectedComponents(text(r), glyph_labels, 8) - 1 >= p_.min_sample_aspect)
      samples.push_back(r);
  }
  lines = std::move(samples);
  for (auto& r : lines) {
    r.width = std::min(r.width, p_.max_sample_aspect * r.height);
    int pad = std::max(p_.min_sample_pad, p_.sample_pad.of(r.height));
    r = cv::Rect(r.x - pad, r.y - pad, r.width + 2 * pad, r.height + 2 * pad) &
        cv::Rect(0, 0, binary.cols, binary.rows);
  }
  return lines;
}

double PagePreparer::MeanReadability(const cv::Mat& gray, const cv::Mat& bin,
                                     const ReadabilityScorer& scorer, bool both_ways) const {
  double sum = 0;
  size_t n = 0;
  for (const cv::Rect& r : SampleTextLines(bin, p_.samples)) {
    double score = scorer(gray(r));
    if (both_ways) score = std::max(score, scorer(RotateQuarterTurns(gray(r), 180)));
    sum += score;
    ++n;
  }
  return n == 0 ? -1.0 : sum / static_cast<double>(n);
}

bool PagePreparer::ReadsBetterAsItStands(const cv::Mat& gray, const cv::Mat& bin,
                                         const cv::Mat& turned,
                                         const ReadabilityScorer& scorer) const {
  const double as_is = MeanReadability(gray, bin, scorer, false);
  if (as_is < 0) return false;            // no horizontal text line at all: the geometry stands
  if (as_is < p_.readable) return false;  // the lines do not read as text either way
  const double on_side = MeanReadability(turned, binarise(turned), scorer, true);
  return as_is > on_side + p_.sideways_margin;
}

bool PagePreparer::TurnedReadsBetter(const cv::Mat& up, const std::vector<cv::Rect>& samples,
                                     const ReadabilityScorer& scorer) const {
  // Each read is an OCR of a text line (some 0.2 G instructions on a 300-dpi page): the reads stop
  // as soon as those left cannot change the verdict, each scoring 0..1. An upright page's lines
  // read some 0.9 each and the turned ones some 0.4, so after two samples read both ways the
  // third cannot lift the turned score over the upright one. The verdict is the one of reading
  // them all; the scores are summed in the same order.
  // Turned, the lines must also read as text (mean confidence `readable`): noise reads poorly
  // both ways round, and a page is never flipped on noise (a cover's big title characters).
  double upright = 0, turned = 0;
  const double readable = p_.readable * static_cast<double>(samples.size());
  const auto decided = [&](size_t upright_left, size_t turned_left) {
    const bool certain_flip =
        turned > upright + static_cast<double>(upright_left) + p_.flip_margin && turned >= readable;
    // A hair of slack for rounding: only a clear "cannot" stops the reads.
    const double turned_most = turned + static_cast<double>(turned_left) + 1e-9;
    const bool certain_keep = turned_most <= upright + p_.flip_margin || turned_most < readable;
    return certain_flip || certain_keep;
  };
  const size_t n = samples.size();
  for (size_t i = 0; i < n; ++i) {
    const cv::Mat crop = up(samples[i]);
    upright += scorer(crop);
    if (decided(n - i - 1, n - i)) break;
    turned += scorer(RotateQuarterTurns(crop, 180));
    if (decided(n - i - 1, n - i - 1)) break;
  }
  return turned > upright + p_.flip_margin && turned >= readable;
}

cv::Mat PagePreparer::upright(const cv::Mat& gray, cv::Mat& bin, const ReadabilityScorer& scorer,
                              PreparedPage& out) const {
  cv::Mat up = gray;
  if (text_runs_vertically(bin)) {
    // On its side: 90 or 270. Try both and let the scorer pick when it can.
    out.rotation = 90;
    up = RotateQuarterTurns(gray, 90);
    // Geometry alone misjudges a page with little text on it (f24-finance-dept-mod's two-row
    // tail of a table on a landscape page, among scanner specks): when the page's own text
    // lines read clearly better as they stand than the turned page's, it is not on its side.
    if (scorer && ReadsBetterAsItStands(gray, bin, up, scorer)) {
      out.rotation = 0;
      up = gray;
    }
  }
  if (scorer) {
    // 0 vs 180: read a few sample text lines both ways round; upside-down Chinese still yields
    // characters, but with clearly lower confidence. Single lines are what Tesseract reads best.
    cv::Mat b = out.rotation ? binarise(up) : bin;
    if (TurnedReadsBetter(up, SampleTextLines(b, p_.samples), scorer)) {
      up = RotateQuarterTurns(up, 180);
      out.rotation = (out.rotation + 180) % 360;
    }
  }
  if (out.rotation != 0) bin = binarise(up);
  return up;
}

PreparedPage PagePreparer::prepare(const cv::Mat& gray, const ReadabilityScorer& scorer) const {
  PreparedPage out;
  cv::Mat bin = binarise(gray);
  const cv::Mat up = upright(gray, bin, scorer, out);
  out.skew_deg = estimate_skew(bin);
  if (std::abs(out.skew_deg) >= p_.min_skew_deg) {
    out.gray = RemoveSkew(up, out.skew_deg);
    out.binary = binarise(out.gray);
  } else {
    out.skew_deg = 0.0;  // left alone, and said so: the page as used is the upright one
    out.gray = up.clone();
    out.binary = bin;
  }
  return out;
}

cv::Mat RemoveSkew(const cv::Mat& upright, double skew_deg) {
  if (skew_deg == 0.0) return upright.clone();
  const cv::Point2f centre(upright.cols / 2.0f, upright.rows / 2.0f);
  // Positive skew = lines fall to the right (y grows with x); rotate back.
  const cv::Mat rot = cv::getRotationMatrix2D(centre, skew_deg, 1.0);
  cv::Mat out;
  cv::warpAffine(upright, out, rot, upright.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255));
  return out;
}

}  // namespace juesuan
