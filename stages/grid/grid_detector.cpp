#include "stages/grid/grid_detector.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/imgproc.hpp>

namespace juesuan {
namespace {

struct Segment {
  int a0, a1;  // extent along the line
  int pos;     // position across the line (y for horizontal, x for vertical)
};

// Line segments of one orientation: bridge small breaks, keep only long runs.
cv::Mat LineMask(const cv::Mat& bin, bool horizontal, int min_len, int gap) {
  cv::Mat m;
  cv::Size k_gap = horizontal ? cv::Size(gap, 1) : cv::Size(1, gap);
  cv::Size k_len = horizontal ? cv::Size(min_len, 1) : cv::Size(1, min_len);
  cv::morphologyEx(bin, m, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, k_gap));
  cv::morphologyEx(m, m, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, k_len));
  return m;
}

std::vector<Segment> Segments(const cv::Mat& mask, bool horizontal, int max_thickness) {
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8);
  std::vector<Segment> out;
  for (int i = 1; i < n; ++i) {
    int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    int thick = stats.at<int>(i, cv::CC_STAT_AREA) / std::max(1, horizontal ? w : h);
    if (thick > max_thickness) continue;  // filled areas, not rules
    if (horizontal)
      out.push_back({x, x + w - 1, static_cast<int>(std::lround(centroids.at<double>(i, 1)))});
    else
      out.push_back({y, y + h - 1, static_cast<int>(std::lround(centroids.at<double>(i, 0)))});
  }
  return out;
}

// Clusters segment positions; returns cluster centres (weighted by length) in order.
std::vector<int> ClusterPositions(std::vector<Segment> segs, int tol) {
  std::sort(segs.begin(), segs.end(), [](auto& a, auto& b) { return a.pos < b.pos; });
  std::vector<int> out;
  double sum = 0, wsum = 0;
  int last = -1000000;
  for (auto& s : segs) {
    double w = s.a1 - s.a0 + 1;
    if (wsum > 0 && s.pos - last > tol) {
      out.push_back(static_cast<int>(std::lround(sum / wsum)));
      sum = wsum = 0;
    }
    sum += s.pos * w;
    wsum += w;
    last = s.pos;
  }
  if (wsum > 0) out.push_back(static_cast<int>(std::lround(sum / wsum)));
  return out;
}

// Fraction of a separator's length covered by ruling ink, looked for within +-tol across it.
double Coverage(const cv::Mat& mask, bool horizontal, int pos, int a0, int a1, int tol) {
  if (a1 < a0) a0 = a1 = (a0 + a1) / 2;  // very narrow cell: judge the middle
  int n = 0, hit = 0;
  for (int a = a0; a <= a1; ++a) {
    ++n;
    for (int d = -tol; d <= tol; ++d) {
      int x = horizontal ? a : pos + d, y = horizontal ? pos + d : a;
      if (x < 0 || y < 0 || x >= mask.cols || y >= mask.rows) continue;
      if (mask.at<uchar>(y, x)) {
        ++hit;
        break;
      }
    }
  }
  return static_cast<double>(hit) / n;
}

// True when ink runs without a gap from the rule at `from` for `len` pixels in direction `dir`
// along a separator at `pos` (within +-tol across it). A separator physically joins the rule;
// a glyph stroke that happens to sit on the separator's line stops short of it.
bool JoinsRule(const cv::Mat& bin, bool vertical, int pos, int from, int dir, int len, int tol) {
  for (int k = 0; k <= len; ++k) {
    int a = from + dir * k;
    cv::Rect probe =
        vertical ? cv::Rect(pos - tol, a, 2 * tol + 1, 1) : cv::Rect(a, pos - tol, 1, 2 * tol + 1);
    probe &= cv::Rect(0, 0, bin.cols, bin.rows);
    if (probe.area() == 0 || cv::countNonZero(bin(probe)) == 0) return false;
  }
  return true;
}

// A rule broken over most of a cell edge still joins a crossing rule at one end (checked by the
// caller), leaves stubs of ink on its line, and no glyph crosses it. A merged cell has no stubs at
// all, or text running across the position. `along` is the range of the edge, `across` the extent
// of the two cells on either side. How the glyphs of two neighbouring cells sit against the line
// between them: whether any glyph runs across it, and whether there is text on both sides.
struct TextAcross {
  bool crossing = false, before = false, after = false;
};
TextAcross TextAround(const cv::Mat& bin, bool vertical, int pos, int along0, int along1,
                      int across0, int across1, int thin) {
  TextAcross out;
  cv::Rect region = vertical ? cv::Rect(across0, along0, across1 - across0, along1 - along0)
                             : cv::Rect(along0, across0, along1 - along0, across1 - across0);
  region &= cv::Rect(0, 0, bin.cols, bin.rows);
  if (region.area() == 0) return out;
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(bin(region), labels, stats, centroids, 8);
  const int p = pos - (vertical ? region.x : region.y);
  for (int i = 1; i < n; ++i) {
    int lo = stats.at<int>(i, vertical ? cv::CC_STAT_LEFT : cv::CC_STAT_TOP);
    int len = stats.at<int>(i, vertical ? cv::CC_STAT_WIDTH : cv::CC_STAT_HEIGHT);
    int other = stats.at<int>(i, vertical ? cv::CC_STAT_HEIGHT : cv::CC_STAT_WIDTH);
    if (len <= thin || other <= thin) continue;  // stubs of rules, specks
    if (lo < p - thin && lo + len > p + thin)
      out.crossing = true;
    else if (lo + len <= p + thin)
      out.before = true;
    else
      out.after = true;
  }
  return out;
}

// A rule broken over most of a cell edge still joins a crossing rule at one end (checked by the
// caller), leaves stubs of ink on its line, and no glyph crosses it. A merged cell has no stubs
// at all, or text running across the position. `along` is the range of the edge, `across` the
// extent of the two cells on either side.
bool BrokenRule(const cv::Mat& bin, bool vertical, int pos, int along0, int along1, int across0,
                int across1, int thin) {
  if (along1 <= along0 || across1 <= across0) return false;
  int stubs = 0;
  for (int a = along0; a <= along1; ++a) {
    cv::Rect probe = vertical ? cv::Rect(pos - 1, a, 3, 1) : cv::Rect(a, pos - 1, 1, 3);
    probe &= cv::Rect(0, 0, bin.cols, bin.rows);
    stubs += probe.area() > 0 && cv::countNonZero(bin(probe)) > 0;
  }
  if (stubs * 10 < along1 - along0 + 1) return false;
  return !TextAround(bin, vertical, pos, along0, along1, across0, across1, thin).crossing;
}

struct UnionFind {
  std::vector<int> p;
  explicit UnionFind(int n) : p(n) { std::iota(p.begin(), p.end(), 0); }
  int find(int a) { return p[a] == a ? a : p[a] = find(p[a]); }
  void unite(int a, int b) { p[find(a)] = find(b); }
};

}  // namespace

std::vector<Grid> GridDetector::detect(const cv::Mat& bin) const {
  const int min_h = std::max(15, dpi_ / 4);      // shortest horizontal rule worth keeping
  const int min_v = std::max(8, dpi_ / 10);      // vertical rules span at least one text row
  const int gap = std::max(3, dpi_ / 50);        // breaks in printed/scanned lines
  const int tol = std::max(3, dpi_ / 60);        // position tolerance
  const int max_thick = std::max(4, dpi_ / 25);  // rules are thin
  cv::Mat hmask = LineMask(bin, true, min_h, gap);
  cv::Mat vmask = LineMask(bin, false, min_v, gap);
  auto hsegs = Segments(hmask, true, max_thick);
  auto vsegs = Segments(vmask, false, max_thick);

  // Table regions: connected structures of horizontal and vertical rules.
  cv::Mat both = hmask | vmask;
  cv::dilate(both, both, cv::getStructuringElement(cv::MORPH_RECT, {2 * tol + 1, 2 * tol + 1}));
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(both, labels, stats, centroids, 8);
  std::vector<Grid> grids;
  for (int i = 1; i < n; ++i) {
    cv::Rect region(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                    stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (region.width < dpi_ || region.height < dpi_ / 4) continue;
    auto inside = [&](const Segment& s, bool horizontal) {
      cv::Point mid =
          horizontal ? cv::Point((s.a0 + s.a1) / 2, s.pos) : cv::Point(s.pos, (s.a0 + s.a1) / 2);
      return region.contains(mid) && labels.at<int>(mid) == i;
    };
    std::vector<Segment> hs, vs;
    for (auto& s : hsegs)
      if (inside(s, true)) hs.push_back(s);
    for (auto& s : vsegs)
      if (inside(s, false)) vs.push_back(s);
    // A vertical piece is a separator only if it meets two long horizontal rules a row apart
    // (at its ends or where it crosses them). Text strokes inside a cell keep a margin from the
    // rules, and only long rules count, so strokes of neighbouring glyphs cannot vouch for each
    // other. Counting crossings, not ends, keeps separators whose end broke off in the scan.
    const int reach = std::max(2, dpi_ / 100);  // rules physically meet; text stops short
    const int strong_len = dpi_ * 3 / 5;
    const int min_row = std::max(2 * tol, dpi_ / 10);
    // Returns 0, 1 or 2: how many distinct long rules (a row apart) the piece meets.
    auto meets = [&](const Segment& v) {
      int lo = INT32_MAX, hi = INT32_MIN;
      for (auto& h : hs)
        if (h.a1 - h.a0 >= strong_len && v.a0 - tol <= h.pos && h.pos <= v.a1 + tol &&
            h.a0 - reach <= v.pos && v.pos <= h.a1 + reach)
          lo = std::min(lo, h.pos), hi = std::max(hi, h.pos);
      return lo == INT32_MAX ? 0 : hi - lo >= min_row ? 2 : 1;
    };
    std::vector<Segment> vkept, vmaybe;
    for (auto& v : vs) {
      int m = meets(v);
      if (m == 2) vkept.push_back(v);
      if (m == 1) vmaybe.push_back(v);
    }
    // A piece broken off a separator meets only one rule; it counts when it continues a
    // separator that is already established.
    const size_t established = vkept.size();
    for (auto& v : vmaybe)
      for (size_t k = 0; k < established; ++k)
        if (std::abs(vkept[k].pos - v.pos) <= tol) {
          vkept.push_back(v);
          break;
        }
    // A horizontal rule must cross or end at two vertical separators.
    std::vector<Segment> hkept;
    for (auto& h : hs) {
      int crossings = 0;
      for (auto& v : vkept)
        if (v.a0 - tol <= h.pos && h.pos <= v.a1 + tol && h.a0 - reach <= v.pos &&
            v.pos <= h.a1 + reach)
          ++crossings;
      if (crossings >= 2) hkept.push_back(h);
    }
    if (hkept.size() < 2 || vkept.size() < 2) continue;
    Grid g;
    g.ys = ClusterPositions(hkept, tol);
    g.xs = ClusterPositions(vkept, tol);
    if (g.ys.size() < 2 || g.xs.size() < 2) continue;
    // A column border runs through more than one row; a lone stroke that happened to meet two
    // rules (a digit touching a rule and a dash) does not. Require 1.5 row pitches of rule.
    // A grid of one row (the 合计 row of a table that ran over onto a page of its own) has only
    // one pitch to give: its borders must run through 80 % of it, and it needs two columns or
    // more (a frame around one line of text is no table).
    const bool one_row = g.ys.size() == 2;
    {
      std::vector<int> pitch;
      for (size_t k = 1; k < g.ys.size(); ++k) pitch.push_back(g.ys[k] - g.ys[k - 1]);
      std::nth_element(pitch.begin(), pitch.begin() + pitch.size() / 2, pitch.end());
      const int row_pitch = pitch[pitch.size() / 2];
      const int need = one_row ? row_pitch * 4 / 5 : row_pitch * 3 / 2;
      std::vector<int> xs;
      for (int x : g.xs) {
        int support = 0;
        for (auto& v : vkept)
          if (std::abs(v.pos - x) <= tol) support += v.a1 - v.a0 + 1;
        if (support >= need) xs.push_back(x);
      }
      g.xs.swap(xs);
      if (g.xs.size() < (one_row ? 3u : 2u)) continue;
    }
    // Tables printed without side borders: the rules' ends are the missing edges.
    int hx0 = INT32_MAX, hx1 = 0, vy0 = INT32_MAX, vy1 = 0;
    for (auto& h : hkept) hx0 = std::min(hx0, h.a0), hx1 = std::max(hx1, h.a1);
    for (auto& v : vkept) vy0 = std::min(vy0, v.a0), vy1 = std::max(vy1, v.a1);
    const int edge = std::max(2 * tol, dpi_ / 10);
    if (g.xs.front() - hx0 > edge) g.xs.insert(g.xs.begin(), hx0);
    if (hx1 - g.xs.back() > edge) g.xs.push_back(hx1);
    if (g.ys.front() - vy0 > edge) g.ys.insert(g.ys.begin(), vy0);
    if (vy1 - g.ys.back() > edge) g.ys.push_back(vy1);
    // Lines closer than a sliver of text cannot both be cell borders (double rules).
    auto dedupe = [&](std::vector<int>& v) {
      std::vector<int> out;
      for (int p : v)
        if (out.empty() || p - out.back() > min_row) out.push_back(p);
      v.swap(out);
    };
    dedupe(g.xs);
    dedupe(g.ys);
    const int R = g.n_rows(), C = g.n_cols();
    if (R < 1 || C < 1) continue;
    // Separators are judged on the validated rules only: glyph strokes that happen to sit on a
    // column's x (a title centred over a merged header) must not split a merged cell.
    cv::Mat hrules = cv::Mat::zeros(bin.size(), CV_8U), vrules = cv::Mat::zeros(bin.size(), CV_8U);
    for (auto& h : hkept) cv::line(hrules, {h.a0, h.pos}, {h.a1, h.pos}, 255, 3);
    for (auto& v : vkept) cv::line(vrules, {v.pos, v.a0}, {v.pos, v.a1}, 255, 3);
    // Missing separators join neighbouring lattice cells into merged cells. A separator of a
    // merged cell is absent (coverage ~0); a scanned rule with breaks or faded stretches keeps
    // well over a third of its length.
    constexpr double kMinCoverage = 0.3;
    // First the evidence of each separator on its own, then a second look at missing column
    // separators: one that is present in the rows above and below, with text on both sides
    // and none across it, was erased by the scan (a merged body cell has text across, or on
    // one side only).
    // A separator at `pos` between lattice lines `from` and `to`, with the two cells it divides
    // spanning `across0`..`across1`: drawn over most of its length, or broken but still joined.
    auto separator = [&](bool vertical, int pos, int from, int to, int across0, int across1) {
      const cv::Mat& rules = vertical ? vrules : hrules;
      double cv = Coverage(rules, !vertical, pos, from + 2 * tol, to - 2 * tol, tol);
      bool joined = JoinsRule(bin, vertical, pos, from, 1, 2 * tol, tol) ||
                    JoinsRule(bin, vertical, pos, to, -1, 2 * tol, tol);
      return joined &&
             (cv >= kMinCoverage || BrokenRule(bin, vertical, pos, from + 2 * tol, to - 2 * tol,
                                               across0 + 2 * tol, across1 - 2 * tol, max_thick));
    };
    std::vector<char> vsep(R * C, 0), hsep(R * C, 0);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        if (c + 1 < C)
          vsep[r * C + c] =
              separator(true, g.xs[c + 1], g.ys[r], g.ys[r + 1], g.xs[c], g.xs[c + 2]);
        if (r + 1 < R)
          hsep[r * C + c] =
              separator(false, g.ys[r + 1], g.xs[c], g.xs[c + 1], g.ys[r], g.ys[r + 2]);
      }
    for (int r = 1; r + 1 < R; ++r)
      for (int c = 0; c + 1 < C; ++c) {
        if (vsep[r * C + c] || !vsep[(r - 1) * C + c] || !vsep[(r + 1) * C + c]) continue;
        TextAcross t = TextAround(bin, true, g.xs[c + 1], g.ys[r] + 2 * tol, g.ys[r + 1] - 2 * tol,
                                  g.xs[c] + 2 * tol, g.xs[c + 2] - 2 * tol, max_thick);
        if (!t.crossing && t.before && t.after) vsep[r * C + c] = 1;
      }
    UnionFind uf(R * C);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        if (c + 1 < C && !vsep[r * C + c]) uf.unite(r * C + c, r * C + c + 1);
        if (r + 1 < R && !hsep[r * C + c]) uf.unite(r * C + c, (r + 1) * C + c);
      }
    std::vector<int> owner(R * C, -1);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        if (owner[r * C + c] >= 0) continue;
        int root = uf.find(r * C + c);
        int r1 = r, c1 = c;
        for (int rr = r; rr < R; ++rr)
          for (int cc = c; cc < C; ++cc)
            if (uf.find(rr * C + cc) == root) r1 = std::max(r1, rr), c1 = std::max(c1, cc);
        // Keep the merged block rectangular and never overlap an earlier cell.
        for (int cc = c; cc <= c1; ++cc)
          if (owner[r * C + cc] >= 0) {
            c1 = cc - 1;
            break;
          }
        GridCell cell{r, c, r1 - r + 1, c1 - c + 1,
                      Box{g.xs[c], g.ys[r], g.xs[c1 + 1] - g.xs[c], g.ys[r1 + 1] - g.ys[r]}};
        for (int rr = r; rr <= r1; ++rr)
          for (int cc = c; cc <= c1; ++cc)
            if (owner[rr * C + cc] < 0) owner[rr * C + cc] = static_cast<int>(g.cells.size());
        g.cells.push_back(cell);
      }
    g.bbox =
        Box{g.xs.front(), g.ys.front(), g.xs.back() - g.xs.front(), g.ys.back() - g.ys.front()};
    grids.push_back(std::move(g));
  }
  std::sort(grids.begin(), grids.end(),
            [](const Grid& a, const Grid& b) { return a.bbox.y < b.bbox.y; });
  return grids;
}

std::vector<Box> GridDetector::text_lines_outside(const cv::Mat& bin,
                                                  const std::vector<Grid>& grids) const {
  cv::Mat ink = bin.clone();
  for (const auto& g : grids) {
    int pad = std::max(3, dpi_ / 50);
    cv::Rect r(g.bbox.x - pad, g.bbox.y - pad, g.bbox.w + 2 * pad, g.bbox.h + 2 * pad);
    ink(r & cv::Rect(0, 0, ink.cols, ink.rows)).setTo(0);
  }
  // Join the characters of a phrase (gaps under ~1.5 characters), not separate fields.
  cv::Mat smear;
  int kx = std::max(5, dpi_ / 6), ky = std::max(1, dpi_ / 100);
  cv::morphologyEx(ink, smear, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {kx, ky}));
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(smear, labels, stats, centroids, 8);
  std::vector<Box> out;
  const int min_h = std::max(6, dpi_ / 25), max_h = dpi_ / 2;
  for (int i = 1; i < n; ++i) {
    Box b{stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
          stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)};
    int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (b.h < min_h || b.h > max_h || b.w < min_h || area < b.w * b.h / 8)
      continue;  // specks, rules
    out.push_back(b);
  }
  // Reading order: group boxes whose centres share a line, then left to right.
  std::sort(out.begin(), out.end(),
            [](const Box& a, const Box& b) { return a.y + a.h / 2 < b.y + b.h / 2; });
  std::vector<Box> ordered;
  for (size_t i = 0; i < out.size();) {
    size_t j = i + 1;
    int centre = out[i].y + out[i].h / 2;
    while (j < out.size() && out[j].y + out[j].h / 2 - centre <= out[i].h / 2) ++j;
    std::sort(out.begin() + i, out.begin() + j,
              [](const Box& a, const Box& b) { return a.x < b.x; });
    ordered.insert(ordered.end(), out.begin() + i, out.begin() + j);
    i = j;
  }
  out.swap(ordered);
  return out;
}

}  // namespace juesuan
