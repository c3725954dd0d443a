// Stage 2: make a rendered page upright and straight, and binarise it for line finding.
//
// In:  the rendered page in grayscale (CV_8U, dark ink on white) and the dpi it was rendered
//      at (or a Params made for it); optionally a ReadabilityScorer (an OCR engine's confidence)
//      to tell an upside-down page from an upright one.
// Out: a PreparedPage: the upright, deskewed grayscale (kept for OCR), its binary image (ink =
//      255, for geometry only: GridDetector, CropCell) and the rotation and skew that were
//      removed.
// Ownership: the preparer holds only its thresholds; the input image stays the caller's and is
//      never modified; the PreparedPage owns its own images. prepare() calls the scorer on
//      crops of the page, on the caller's thread, before it returns.
// Order: prepare() once per scanned page. A page from a text layer needs no analysis: turn it
//      with RotateQuarterTurns as the text says and call binarise() alone.
#pragma once

#include <cstddef>
#include <functional>
#include <opencv2/core.hpp>
#include <vector>

#include "stages/common/units.h"

namespace juesuan {

struct PreparedPage {
  cv::Mat gray;      // upright, deskewed
  cv::Mat binary;    // ink = 255, same geometry as `gray`
  int rotation = 0;  // clockwise degrees applied (0, 90, 180, 270)
  // Skew that was removed (positive = lines fell to the right: turned clockwise).
  double skew_deg = 0.0;
};

// Scores how readable an upright crop is, 0..1 (e.g. mean OCR confidence). Used only to tell
// 0 from 180 degrees; geometry alone decides between horizontal and vertical text lines.
using ReadabilityScorer = std::function<double(const cv::Mat& gray_crop)>;

class PagePreparer {
 public:
  // Every threshold of the preparer, in pixels at the page's dpi unless said otherwise.
  // ForDpi() states the dpi-derived ones in fractions of an inch (25.4 mm), with a floor in
  // pixels for low resolutions.
  struct Params {
    // Binarisation.
    int block = 0;  // side of the local-mean window (odd)
    // How much darker than the local mean ink is, in grey levels: above the paper's grain,
    // below the contrast of a faded rule.
    int offset = 12;
    // Skew.
    int skew_rule_len = 0;       // ruling lines the skew is measured on are this long
    size_t min_rule_points = 0;  // fewer pixels of rule: measure on all ink instead
    size_t max_points = 200000;  // pixels sampled: plenty for 0.01 degree, and cheap
    size_t min_points = 100;     // fewer pixels of ink (a blank page): no skew can be told
    // A page fed into a scanner tilts by a few degrees at most. Searched in two passes, 0.1
    // degree over the range, then 0.01 around the best: some 80 projections instead of 600.
    double coarse_range_deg = 3.0;
    double coarse_step_deg = 0.1;
    double fine_range_deg = 0.1;
    double fine_step_deg = 0.01;
    double min_skew_deg = 0.02;  // a smaller skew is left alone (rotating would only blur)
    // Orientation: text direction, judged on a small copy of the page.
    double orient_scale = 1.0;     // the small copy's scale (75 dpi or less)
    int orient_ink = 60;           // shrinking averages: a pixel a quarter inked is still ink
    int orient_rule_len = 40;      // ruling lines removed: half an inch at 75 dpi, over a character
    int orient_smear = 7;          // the gap between characters of a line at 75 dpi, not of lines
    int elongation = 3;            // a line-shaped blob is three characters long; one is square
    long long vertical_ratio = 2;  // vertical when clearly more ink runs so: tables have both
    long long min_vertical = 200;  // and at least 200 px (2.7 inches at 75 dpi) to judge by
    // Samples for telling 0 from 180 degrees.
    size_t samples = 3;       // text lines read both ways round: each costs two OCR reads
    int sample_rule_len = 0;  // ruling lines removed before looking for text lines
    int sample_smear = 0;     // gaps between characters of a line that are closed
    int min_sample_h = 0;     // height of a text line
    int max_sample_h = 0;
    int min_sample_aspect = 4;  // a sample is four characters or more: one can read either way
    // A sample is read over at most this many line heights from its left (some ten characters):
    // enough to tell upright from turned, and each OCR read costs in proportion to its width (the
    // widest lines of a page are titles and notes of 40 characters and more).
    int max_sample_aspect = 10;
    Share sample_pad{1, 4};  // white round a sample, a share of its height: Tesseract wants it
    int min_sample_pad = 2;
    // Confidence summed over the samples: turned lines must read clearly better, not by noise.
    double flip_margin = 0.3;
    // Mean confidence per sample line: a page judged on its side by geometry is kept as it
    // stands only when its own lines read this much better than the turned page's.
    double sideways_margin = 0.15;
    // ... and only when those lines read as text at all (Tesseract's mean confidence of an
    // upright printed Chinese line is 0.8-0.95; of noise or turned glyphs mostly below 0.5).
    double readable = 0.6;

    static Params ForDpi(int dpi);
  };

  explicit PagePreparer(int dpi) : p_(Params::ForDpi(dpi)) {}
  explicit PagePreparer(const Params& params) : p_(params) {}
  // The whole stage: orientation (90 and 270 by geometry, 180 by the scorer when there is one),
  // deskew, binarisation.
  PreparedPage prepare(const cv::Mat& gray, const ReadabilityScorer& scorer = {}) const;

  // Parts, public so that they can be tested on their own.
  cv::Mat binarise(const cv::Mat& gray) const;
  // Skew angle in degrees of the dominant horizontal structure (ruling lines, else text lines).
  double estimate_skew(const cv::Mat& binary) const;
  // True when text lines run vertically (the page is on its side).
  bool text_runs_vertically(const cv::Mat& binary) const;
  // Whether the sample text lines of `gray` (binary `bin`) read clearly better than those of
  // `turned` (the page a quarter turned, read either way round): then it is not on its side.
  bool ReadsBetterAsItStands(const cv::Mat& gray, const cv::Mat& bin, const cv::Mat& turned,
                             const ReadabilityScorer& scorer) const;

  // Boxes of up to `count` long text lines (rules removed), widest first.
  std::vector<cv::Rect> SampleTextLines(const cv::Mat& binary, size_t count) const;

 private:
  // Turns `gray` upright (out.rotation); `bin` is its binary image, updated when it turns.
  cv::Mat upright(const cv::Mat& gray, cv::Mat& bin, const ReadabilityScorer& scorer,
                  PreparedPage& out) const;
  // 0 or 180 degrees: whether the sample text lines of `up` (boxes `samples`) read better turned
  // round, by flip_margin summed over the samples, and read as text turned (mean `readable`).
  // The scorer's scores must lie in 0..1: the reads stop once the rest cannot change the verdict.
  bool TurnedReadsBetter(const cv::Mat& up, const std::vector<cv::Rect>& samples,
                         const ReadabilityScorer& scorer) const;
  // Mean readability of the sample text lines of `gray` (best of both ways round when
  // `both_ways`); -1 when the page has no line to sample.
  double MeanReadability(const cv::Mat& gray, const cv::Mat& bin, const ReadabilityScorer& scorer,
                         bool both_ways) const;
  Params p_;
};

// Rotates an image clockwise by a multiple of 90 degrees.
cv::Mat RotateQuarterTurns(const cv::Mat& img, int degrees_clockwise);

// The deskew of prepare(): `upright` turned by -skew_deg about its centre, white outside. With the
// rotation and skew a page's JSON records, RemoveSkew(RotateQuarterTurns(rendered, rotation),
// skew_deg) is the image its cell boxes are in (the review page crops cells from it).
cv::Mat RemoveSkew(const cv::Mat& upright, double skew_deg);

}  // namespace juesuan
