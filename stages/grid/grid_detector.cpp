#include "stages/grid/grid_detector.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/imgproc.hpp>

namespace juesuan {

GridDetector::Params GridDetector::Params::ForDpi(int dpi) {
  Params p;
  // 1/4 inch (6.4 mm): longer than any stroke of a glyph of body type, shorter than the top rule
  // of the narrowest column.
  p.min_h_rule = std::max(15, Inches(dpi, 1, 4));
  // 1/10 inch (2.5 mm): vertical rules span at least one text row; glyph strokes that pass are
  // weeded out because they do not meet two long rules.
  p.min_v_rule = std::max(8, Inches(dpi, 1, 10));
  // 1/50 inch (0.5 mm): the breaks a printed or scanned rule shows.
  p.bridge_gap = std::max(3, Inches(dpi, 1, 50));
  // 1/10 inch (2.5 mm): the gaps of a dashed rule or a badly broken scanned one; less than the
  // gap between the digits of two rows, and a chain must still meet two long rules.
  p.chain_gap = std::max(6, Inches(dpi, 1, 10));
  // 1/60 inch (0.4 mm): a rule's thickness and the wobble left after deskewing.
  p.tol = std::max(3, Inches(dpi, 1, 60));
  // 1/25 inch (1 mm): rules are hairlines; thicker ink is a filled area or bold text.
  p.max_thick = std::max(4, Inches(dpi, 1, 25));
  // An inch wide, 1/4 inch high: a frame of rules smaller than that is a box or a stamp.
  p.min_table_w = Inches(dpi, 1, 1);
  p.min_table_h = Inches(dpi, 1, 4);
  // 1/100 inch (0.25 mm): rules physically meet; text stops short of them.
  p.reach = std::max(2, Inches(dpi, 1, 100));
  // 3/5 inch (15 mm): only long rules vouch for a separator, so that strokes of neighbouring
  // glyphs cannot vouch for each other.
  p.strong_len = Inches(dpi, 3, 5);
  // 1/10 inch (2.5 mm), two tolerances at least: thinner than a row of 10.5 pt text (3.7 mm).
  p.min_row = std::max(2 * p.tol, Inches(dpi, 1, 10));
  // 1/10 inch (2.5 mm): rules running on that far past the outermost column border end at a
  // border that was not printed.
  p.edge = std::max(2 * p.tol, Inches(dpi, 1, 10));
  // Two tolerances: clear of the thickness of the rules a separator runs between.
  p.end_margin = 2 * p.tol;
  p.join_len = 2 * p.tol;
  // As a rule's breaks (1/50 inch): the grid's own rules and their bleed.
  p.grid_pad = std::max(3, Inches(dpi, 1, 50));
  // 1/6 inch (12 pt) by 1/100 inch: closes the gaps between the characters of a phrase (about
  // one character of 10.5 pt type), not the wider gaps between separate fields or lines.
  p.smear_w = std::max(5, Inches(dpi, 1, 6));
  p.smear_h = std::max(1, Inches(dpi, 1, 100));
  // 1/25 inch (1 mm, 3 pt) to 1/2 inch (36 pt): from the smallest footnote to the largest title.
  p.min_line_h = std::max(6, Inches(dpi, 1, 25));
  p.max_line_h = Inches(dpi, 1, 2);
  return p;
}

namespace {

using Params = GridDetector::Params;

struct Segment {
  int a0, a1;  // extent along the line
  int pos;     // position across the line (y for horizontal, x for vertical)
};

cv::Rect ComponentBox(const cv::Mat& stats, int i) {
  return {stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
          stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)};
}

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
    const cv::Rect b = ComponentBox(stats, i);
    int thick = stats.at<int>(i, cv::CC_STAT_AREA) / std::max(1, horizontal ? b.width : b.height);
    if (thick > max_thickness) continue;  // filled areas, not rules
    if (horizontal)
      out.push_back(
          {b.x, b.x + b.width - 1, static_cast<int>(std::lround(centroids.at<double>(i, 1)))});
    else
      out.push_back(
          {b.y, b.y + b.height - 1, static_cast<int>(std::lround(centroids.at<double>(i, 0)))});
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

// How the glyphs of two neighbouring cells sit against the line between them: whether any
// glyph runs across it, and whether there is text on both sides. `along` is the range of the
// line, `across` the extent of the two cells on either side.
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
                int across1, const Params& p) {
  if (along1 <= along0 || across1 <= across0) return false;
  int stubs = 0;
  const int w = 2 * p.stub_reach + 1;
  for (int a = along0; a <= along1; ++a) {
    cv::Rect probe =
        vertical ? cv::Rect(pos - p.stub_reach, a, w, 1) : cv::Rect(a, pos - p.stub_reach, 1, w);
    probe &= cv::Rect(0, 0, bin.cols, bin.rows);
    stubs += probe.area() > 0 && cv::countNonZero(bin(probe)) > 0;
  }
  if (stubs * p.stubs_one_in < along1 - along0 + 1) return false;
  return !TextAround(bin, vertical, pos, along0, along1, across0, across1, p.max_thick).crossing;
}

struct UnionFind {
  std::vector<int> p;
  explicit UnionFind(int n) : p(n) { std::iota(p.begin(), p.end(), 0); }
  int find(int a) { return p[a] == a ? a : p[a] = find(p[a]); }
  void unite(int a, int b) { p[find(a)] = find(b); }
};

// Step 1: every candidate ruling of the page, and the masks they were found in.
struct Rulings {
  cv::Mat hmask, vmask;
  std::vector<Segment> h, v;
};

Rulings FindRulings(const cv::Mat& bin, const Params& p) {
  Rulings out;
  out.hmask = LineMask(bin, true, p.min_h_rule, p.bridge_gap);
  out.vmask = LineMask(bin, false, p.min_v_rule, p.bridge_gap);
  out.h = Segments(out.hmask, true, p.max_thick);
  out.v = Segments(out.vmask, false, p.max_thick);
  return out;
}

// Step 2: table regions, the connected structures of horizontal and vertical rules. Fills
// `labels` and `stats` as connectedComponentsWithStats does and returns the label count.
int TableRegions(const Rulings& rulings, const Params& p, cv::Mat& labels, cv::Mat& stats) {
  cv::Mat both = rulings.hmask | rulings.vmask;
  const int k = 2 * p.tol + 1;
  cv::dilate(both, both, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
  cv::Mat centroids;
  return cv::connectedComponentsWithStats(both, labels, stats, centroids, 8);
}

// The validated rules of one table region.
struct Rules {
  std::vector<Segment> h, v;
};

// True when a vertical piece `v` and a horizontal rule `h` cross or meet end to end.
bool Meet(const Segment& v, const Segment& h, const Params& p) {
  return v.a0 - p.tol <= h.pos && h.pos <= v.a1 + p.tol && h.a0 - p.reach <= v.pos &&
         v.pos <= h.a1 + p.reach;
}

// Pieces that lie in line (within tol of each other across) with gaps of at most chain_gap
// along, each group in order along the line.
std::vector<std::vector<Segment>> ChainsInLine(std::vector<Segment> pieces, const Params& p) {
  std::sort(pieces.begin(), pieces.end(),
            [](const Segment& a, const Segment& b) { return a.a0 < b.a0; });
  std::vector<std::vector<Segment>> chains;
  for (const Segment& s : pieces) {
    bool joined = false;
    for (auto& chain : chains) {
      const Segment& last = chain.back();
      if (std::abs(last.pos - s.pos) <= p.tol && s.a0 - last.a1 <= p.chain_gap) {
        chain.push_back(s);
        joined = true;
        break;
      }
    }
    if (!joined) chains.push_back({s});
  }
  return chains;
}

// The extent of a chain of pieces as one segment.
Segment Span(const std::vector<Segment>& chain) {
  Segment s{chain.front().a0, chain.front().a1, 0};
  long long pos = 0;
  for (const Segment& piece : chain) {
    s.a0 = std::min(s.a0, piece.a0);
    s.a1 = std::max(s.a1, piece.a1);
    pos += piece.pos;
  }
  s.pos = static_cast<int>(pos / static_cast<long long>(chain.size()));
  return s;
}

// A vertical piece is a separator only if it meets two long horizontal rules a row apart (at its
// ends or where it crosses them). Text strokes inside a cell keep a margin from the rules, and
// only long rules count, so strokes of neighbouring glyphs cannot vouch for each other. Counting
// crossings, not ends, keeps separators whose end broke off in the scan.
std::vector<Segment> VerticalSeparators(const Rules& found, const Params& p) {
  // 0, 1 or 2: how many distinct long rules (a row apart) the piece meets.
  auto meets = [&](const Segment& v) {
    int lo = INT32_MAX, hi = INT32_MIN;
    for (auto& h : found.h)
      if (h.a1 - h.a0 >= p.strong_len && Meet(v, h, p))
        lo = std::min(lo, h.pos), hi = std::max(hi, h.pos);
    return lo == INT32_MAX ? 0 : hi - lo >= p.min_row ? 2 : 1;
  };
  std::vector<Segment> kept, maybe;
  for (auto& v : found.v) {
    int m = meets(v);
    if (m == 2) kept.push_back(v);
    if (m == 1) maybe.push_back(v);
  }
  // A piece broken off a separator meets only one rule; it counts when it continues a
  // separator that is already established.
  const size_t established = kept.size();
  std::vector<Segment> rest;
  for (auto& v : maybe) {
    bool continues = false;
    for (size_t k = 0; k < established && !continues; ++k)
      continues = std::abs(kept[k].pos - v.pos) <= p.tol;
    (continues ? kept : rest).push_back(v);
  }
  // A rule broken into pieces none of which meets two rules (dashed, or broken at every row):
  // pieces in line with short gaps are chained, and a chain that meets two rules is kept.
  for (auto& v : found.v)
    if (meets(v) == 0) rest.push_back(v);
  // Unlike a piece, a chain must begin and end on long rules: a chain of digit strokes down a
  // column of codes is crossed by the rules between its rows, but starts and ends inside cells.
  auto ends_on_rules = [&](const Segment& span) {
    bool top = false, bottom = false;
    for (auto& h : found.h) {
      if (h.a1 - h.a0 < p.strong_len || h.a0 - p.reach > span.pos || span.pos > h.a1 + p.reach)
        continue;
      top = top || std::abs(h.pos - span.a0) <= p.tol;
      bottom = bottom || std::abs(h.pos - span.a1) <= p.tol;
    }
    return top && bottom && span.a1 - span.a0 >= p.min_row;
  };
  for (const auto& chain : ChainsInLine(rest, p))
    if (chain.size() >= 2 && ends_on_rules(Span(chain)))
      kept.insert(kept.end(), chain.begin(), chain.end());
  return kept;
}

// The rules of region `label` (bounded by `region`) that make up its table: separators that
// meet two rules, and horizontal rules that cross or end at two separators.
Rules ValidateRules(const Rulings& rulings, const cv::Mat& labels, int label,
                    const cv::Rect& region, const Params& p) {
  auto inside = [&](const Segment& s, bool horizontal) {
    cv::Point mid =
        horizontal ? cv::Point((s.a0 + s.a1) / 2, s.pos) : cv::Point(s.pos, (s.a0 + s.a1) / 2);
    return region.contains(mid) && labels.at<int>(mid) == label;
  };
  Rules found;
  for (auto& s : rulings.h)
    if (inside(s, true)) found.h.push_back(s);
  for (auto& s : rulings.v)
    if (inside(s, false)) found.v.push_back(s);
  Rules out;
  out.v = VerticalSeparators(found, p);
  for (auto& h : found.h) {
    int crossings = 0;
    for (auto& v : out.v)
      if (Meet(v, h, p)) ++crossings;
    if (crossings >= 2) out.h.push_back(h);
  }
  return out;
}

// A column border runs through more than one row; a lone stroke that happened to meet two rules
// (a digit touching a rule and a dash) does not. Require 1.5 row pitches of rule. A grid of one
// row (the 合计 row of a table that ran over onto a page of its own) has only one pitch to give:
// its borders must run through 80 % of it, and it needs two columns or more (a frame around one
// line of text is no table). False when too few borders remain.
bool KeepSupportedColumns(const std::vector<Segment>& separators, const Params& p, Grid& g) {
  const bool one_row = g.ys.size() == 2;
  std::vector<int> pitch;
  for (size_t k = 1; k < g.ys.size(); ++k) pitch.push_back(g.ys[k] - g.ys[k - 1]);
  std::nth_element(pitch.begin(), pitch.begin() + pitch.size() / 2, pitch.end());
  const int row_pitch = pitch[pitch.size() / 2];
  int need = (one_row ? p.one_row_support : p.col_support).of(row_pitch);
  // A border that runs through every row but the first (a merged header cell above it), two
  // rows or more, is no lone stroke either: a body ruled only by its frame, header and columns
  // is one tall row (implicit rows), taller than the rest of the table together.
  if (!one_row) need = std::min(need, p.whole_height.of(g.ys.back() - g.ys[1]));
  std::vector<int> xs;
  for (int x : g.xs) {
    int support = 0;
    for (auto& v : separators)
      if (std::abs(v.pos - x) <= p.tol) support += v.a1 - v.a0 + 1;
    if (support >= need) xs.push_back(x);
  }
  g.xs.swap(xs);
  return g.xs.size() >= (one_row ? 3u : 2u);
}

// Tables printed without side borders: the rules' ends are the missing edges.
void AddMissingEdges(const Rules& rules, const Params& p, Grid& g) {
  int hx0 = INT32_MAX, hx1 = 0, vy0 = INT32_MAX, vy1 = 0;
  for (auto& h : rules.h) hx0 = std::min(hx0, h.a0), hx1 = std::max(hx1, h.a1);
  for (auto& v : rules.v) vy0 = std::min(vy0, v.a0), vy1 = std::max(vy1, v.a1);
  if (g.xs.front() - hx0 > p.edge) g.xs.insert(g.xs.begin(), hx0);
  if (hx1 - g.xs.back() > p.edge) g.xs.push_back(hx1);
  if (g.ys.front() - vy0 > p.edge) g.ys.insert(g.ys.begin(), vy0);
  if (vy1 - g.ys.back() > p.edge) g.ys.push_back(vy1);
}

// Lines closer than a sliver of text cannot both be cell borders (double rules).
void DropDoubleRules(std::vector<int>& lines, int min_row) {
  std::vector<int> out;
  for (int p : lines)
    if (out.empty() || p - out.back() > min_row) out.push_back(p);
  lines.swap(out);
}

// Step 3: the lattice (g.xs, g.ys) from the validated rules. False when there is no table.
bool BuildLattice(const Rules& rules, const Params& p, Grid& g) {
  if (rules.h.size() < 2 || rules.v.size() < 2) return false;
  g.ys = ClusterPositions(rules.h, p.tol);
  g.xs = ClusterPositions(rules.v, p.tol);
  if (g.ys.size() < 2 || g.xs.size() < 2) return false;
  if (!KeepSupportedColumns(rules.v, p, g)) return false;
  AddMissingEdges(rules, p, g);
  DropDoubleRules(g.xs, p.min_row);
  DropDoubleRules(g.ys, p.min_row);
  return g.n_rows() >= 1 && g.n_cols() >= 1;
}

// Whether lattice line ys[k] was inferred from the text (InferRows) rather than ruled.
bool Inferred(const Grid& g, int k) {
  return k < static_cast<int>(g.ys_inferred.size()) && g.ys_inferred[static_cast<size_t>(k)];
}

// Which borders of the lattice cells are drawn: v[r * C + c] between cells (r, c) and (r, c + 1),
// h[r * C + c] between (r, c) and (r + 1, c).
struct Separators {
  std::vector<char> v, h;
};

// Step 4: the separators of the lattice cells. Missing separators join neighbouring lattice
// cells into merged cells. A separator of a merged cell is absent (coverage ~0); a scanned rule
// with breaks or faded stretches keeps well over a third of its length. Separators are judged on
// the validated rules only: glyph strokes that happen to sit on a column's x (a title centred
// over a merged header) must not split a merged cell.
Separators FindSeparators(const cv::Mat& bin, const Grid& g, const Rules& rules, const Params& p) {
  cv::Mat hrules = cv::Mat::zeros(bin.size(), CV_8U), vrules = cv::Mat::zeros(bin.size(), CV_8U);
  for (auto& h : rules.h) cv::line(hrules, {h.a0, h.pos}, {h.a1, h.pos}, 255, p.rule_stroke);
  for (auto& v : rules.v) cv::line(vrules, {v.pos, v.a0}, {v.pos, v.a1}, 255, p.rule_stroke);
  const int m = p.end_margin;
  // A separator at `pos` between lattice lines `from` and `to`, with the two cells it divides
  // spanning `across0`..`across1`: drawn over most of its length, or broken but still joined.
  auto separator = [&](bool vertical, int pos, int from, int to, int across0, int across1) {
    const cv::Mat& drawn = vertical ? vrules : hrules;
    double cover = Coverage(drawn, !vertical, pos, from + m, to - m, p.tol);
    bool joined = JoinsRule(bin, vertical, pos, from, 1, p.join_len, p.tol) ||
                  JoinsRule(bin, vertical, pos, to, -1, p.join_len, p.tol);
    return joined && (cover >= p.min_coverage || BrokenRule(bin, vertical, pos, from + m, to - m,
                                                            across0 + m, across1 - m, p));
  };
  const int R = g.n_rows(), C = g.n_cols();
  Separators s{std::vector<char>(R * C, 0), std::vector<char>(R * C, 0)};
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      if (c + 1 < C)
        s.v[r * C + c] = separator(true, g.xs[c + 1], g.ys[r], g.ys[r + 1], g.xs[c], g.xs[c + 2]);
      // A line inferred from the text (InferRows) is no rule, but divides the rows all the same.
      if (r + 1 < R)
        s.h[r * C + c] = Inferred(g, r + 1) ||
                         separator(false, g.ys[r + 1], g.xs[c], g.xs[c + 1], g.ys[r], g.ys[r + 2]);
    }
  // A second look at missing column separators: one that is present in the rows above and
  // below, with text on both sides and none across it, was erased by the scan (a merged body
  // cell has text across, or on one side only).
  // The first and last rows of a grid have no row on one side. There the two rows on the other
  // side must be plain body rows (every separator drawn, no merged cell), and the separator the
  // only one missing in its row, which merges with no row: the top body row of a continuation
  // page (210 | 11 | 01) lost its rule; a header row that spreads "收    入" over merged
  // columns misses several, or spans rows.
  auto missing_in_row = [&](int r) {
    int n = 0;
    for (int c = 0; c + 1 < C; ++c) n += !s.v[r * C + c];
    return n;
  };
  auto rule_below_complete = [&](int r) {  // between rows r and r + 1
    for (int c = 0; c < C; ++c)
      if (!s.h[r * C + c]) return false;
    return true;
  };
  auto plain_pair = [&](int r0) {  // rows r0 and r0 + 1, and the rule between them
    return r0 >= 0 && r0 + 1 < R && missing_in_row(r0) == 0 && missing_in_row(r0 + 1) == 0 &&
           rule_below_complete(r0);
  };
  auto edge_row_ok = [&](int r) {
    if (R < 4 || missing_in_row(r) != 1) return false;
    return r == 0 ? rule_below_complete(0) && plain_pair(1)
                  : rule_below_complete(r - 1) && plain_pair(r - 2);
  };
  for (int r = 0; r < R; ++r) {
    const bool edge = r == 0 || r + 1 == R;
    if (edge && !edge_row_ok(r)) continue;
    for (int c = 0; c + 1 < C; ++c) {
      if (s.v[r * C + c]) continue;
      if (!edge && (!s.v[(r - 1) * C + c] || !s.v[(r + 1) * C + c])) continue;
      TextAcross t = TextAround(bin, true, g.xs[c + 1], g.ys[r] + m, g.ys[r + 1] - m, g.xs[c] + m,
                                g.xs[c + 2] - m, p.max_thick);
      if (!t.crossing && t.before && t.after) s.v[r * C + c] = 1;
    }
  }
  return s;
}

// A glyph of a band's cell: a component of its ink, glyph-sized (at least min_line_h high or
// wide, at most max_line_h high), not a remnant of a rule along the cell's edge (thin and touching
// it). `x0`..`x1` and `y0`..`y1` are its extent on the page.
struct BandGlyph {
  int x0, x1, y0, y1;
};

std::vector<BandGlyph> GlyphsIn(const cv::Mat& bin, const cv::Rect& area, const Params& p) {
  cv::Mat ink = bin(area).clone(), rules;
  // Rules or underlines across part of the cell are no text.
  cv::morphologyEx(ink, rules, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {p.min_h_rule, 1}));
  ink &= ~rules;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  std::vector<BandGlyph> out;
  for (int i = 1; i < n; ++i) {
    const cv::Rect c = ComponentBox(stats, i);
    const bool touches =
        c.x == 0 || c.y == 0 || c.x + c.width == area.width || c.y + c.height == area.height;
    if ((touches && (c.width <= p.max_thick || c.height <= p.max_thick)) ||
        (c.height < p.min_line_h && c.width < p.min_line_h) || c.height > p.max_line_h)
      continue;
    out.push_back({area.x + c.x, area.x + c.x + c.width, area.y + c.y, area.y + c.y + c.height});
  }
  return out;
}

// A text line across the cells of one band: its extent down the page and in how many cells of
// the band it has glyphs.
struct BandLine {
  int y0 = 0, y1 = 0;
  int cells = 0;
};

// The text lines of a band: vertical extents of glyphs that overlap at all, over all the band's
// cells. Rows have white between them; an amount centred beside a label wrapped over two lines
// overlaps both, and makes one line of the three.
std::vector<BandLine> LinesOf(std::vector<std::pair<int, int>> spans) {
  std::sort(spans.begin(), spans.end());
  std::vector<BandLine> lines;
  for (auto [a, b] : spans) {
    if (!lines.empty() && a < lines.back().y1)
      lines.back().y1 = std::max(lines.back().y1, b);
    else
      lines.push_back({a, b, 0});
  }
  return lines;
}

// Whether a cell's glyphs `gs` wrap as a paragraph does: two lines or more of `lines`, and every
// line but its last running over most of the cell's width `w` (a wrapped label or header, a 绩效
// paragraph). Rows of figures and labels one under another leave room at their ends.
bool WrapsAsText(const std::vector<BandGlyph>& gs, const std::vector<BandLine>& lines, int w) {
  std::vector<int> extent;  // per line with glyphs of the cell: how wide they run
  for (const auto& l : lines) {
    int lo = INT32_MAX, hi = INT32_MIN;
    for (const auto& g : gs)
      if (g.y0 < l.y1 && g.y1 > l.y0) lo = std::min(lo, g.x0), hi = std::max(hi, g.x1);
    if (hi > lo) extent.push_back(hi - lo);
  }
  if (extent.size() < 2) return false;
  for (size_t k = 0; k + 1 < extent.size(); ++k)
    if (extent[k] * 5 < w * 4) return false;
  return true;
}

// The text lines of the band between lattice lines ys[r] and ys[r + 1], each with the count of
// the band's cells (lattice columns joined where `s` has no separator) that have glyphs in it;
// empty when the band is too low to hold three lines, or a cell in it wraps as text.
std::vector<BandLine> BandLines(const cv::Mat& bin, const Grid& g, const Separators& s, int r,
                                const Params& p) {
  const int m = p.end_margin, C = g.n_cols();
  const int y0 = g.ys[r] + m, y1 = g.ys[r + 1] - m;
  if (y1 - y0 < 3 * p.min_line_h) return {};
  std::vector<std::vector<BandGlyph>> cells;
  std::vector<cv::Rect> areas;
  std::vector<std::pair<int, int>> spans;
  for (int c0 = 0; c0 < C;) {
    int c1 = c0;
    while (c1 + 1 < C && !s.v[r * C + c1]) ++c1;
    const cv::Rect area(g.xs[c0] + m, y0, g.xs[c1 + 1] - g.xs[c0] - 2 * m, y1 - y0);
    c0 = c1 + 1;
    if (area.width <= 0 || (area & cv::Rect(0, 0, bin.cols, bin.rows)) != area) continue;
    cells.push_back(GlyphsIn(bin, area, p));
    areas.push_back(area);
    for (const auto& gl : cells.back()) spans.emplace_back(gl.y0, gl.y1);
  }
  std::vector<BandLine> lines = LinesOf(std::move(spans));
  std::erase_if(lines, [&](const BandLine& l) { return l.y1 - l.y0 < p.min_line_h; });
  size_t labelled = 0;  // lines with glyphs in the band's first cell
  for (size_t i = 0; i < cells.size(); ++i) {
    if (WrapsAsText(cells[i], lines, areas[i].width)) return {};
    for (auto& l : lines) {
      const bool inked = std::any_of(cells[i].begin(), cells[i].end(), [&](const BandGlyph& gl) {
        return gl.y0 < l.y1 && gl.y1 > l.y0;
      });
      l.cells += inked;
      labelled += i == 0 && areas[0].x == g.xs[0] + m && inked;
    }
  }
  // Body rows are labelled: their first cell (a code, a name, an item) has text on (almost)
  // every line. A header band does not (项目 centred beside wrapped column headers), nor a form's
  // paragraphs beside a label cell that spans them.
  if (5 * labelled < 4 * lines.size()) return {};
  return lines;
}

// Whether a band's text lines make rows: `min_lines` or more, each with glyphs in two cells or
// more (a line of a wrapped label alone is no row) and at least half as high as the median line
// (a sliver between two lines is none either).
bool MakesRows(const std::vector<BandLine>& lines, size_t min_lines) {
  if (lines.size() < min_lines) return false;
  std::vector<int> heights;
  for (const auto& l : lines) heights.push_back(l.y1 - l.y0);
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                   heights.end());
  const int median = heights[heights.size() / 2];
  return std::all_of(lines.begin(), lines.end(), [&](const BandLine& l) {
    return l.cells >= 2 && 2 * (l.y1 - l.y0) >= median;
  });
}

// Step 3b: implicit rows. A body ruled only by its frame, its header and its columns (or ruled
// between sections, not between rows) is one tall lattice row holding many text lines; it is
// split at the gaps between them. A band is split only when it holds three text lines or more,
// each with glyphs in two cells or more and none a sliver (MakesRows), its first cell has
// glyphs on four lines in five, and no cell in it wraps as text (WrapsAsText): a ruled row with a
// wrapped label beside its amounts, a wrapped header, or a form's paragraphs are left alone, and so
// is the first row of a ruled table (its header). Once one band holds three rows, a band of two is
// split too (a table ruled every few rows). Marks the new boundaries in g.ys_inferred; false
// when no band was split.
bool InferRows(const cv::Mat& bin, Grid& g, const Separators& s, const Params& p) {
  std::vector<std::vector<BandLine>> bands;
  for (int r = 0; r < g.n_rows(); ++r)
    bands.push_back(r == 0 && g.n_rows() > 1 ? std::vector<BandLine>{}
                                             : BandLines(bin, g, s, r, p));
  // Once one band of the table holds three rows, the table is ruled by sections, and a section of
  // two rows is split too.
  const bool sections =
      std::any_of(bands.begin(), bands.end(), [](const auto& b) { return MakesRows(b, 3); });
  if (!sections) return false;
  std::vector<int> ys;
  std::vector<bool> inferred;
  for (int r = 0; r < g.n_rows(); ++r) {
    ys.push_back(g.ys[r]);
    inferred.push_back(false);
    const auto& lines = bands[static_cast<size_t>(r)];
    if (!MakesRows(lines, 2)) continue;
    for (size_t k = 1; k < lines.size(); ++k) {
      ys.push_back((lines[k - 1].y1 + lines[k].y0) / 2);
      inferred.push_back(true);
    }
  }
  ys.push_back(g.ys.back());
  inferred.push_back(false);
  g.ys.swap(ys);
  g.ys_inferred.swap(inferred);
  return true;
}

// Step 5: the cells of the lattice (g.cells), lattice cells without a separator between them
// merged into one.
void MergeCells(const Separators& s, Grid& g) {
  const int R = g.n_rows(), C = g.n_cols();
  UnionFind uf(R * C);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      if (c + 1 < C && !s.v[r * C + c]) uf.unite(r * C + c, r * C + c + 1);
      if (r + 1 < R && !s.h[r * C + c]) uf.unite(r * C + c, (r + 1) * C + c);
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
      GridCell cell{r,
                    c,
                    r1 - r + 1,
                    c1 - c + 1,
                    Box{g.xs[c], g.ys[r], g.xs[c1 + 1] - g.xs[c], g.ys[r1 + 1] - g.ys[r]},
                    Inferred(g, r) || Inferred(g, r1 + 1)};
      for (int rr = r; rr <= r1; ++rr)
        for (int cc = c; cc <= c1; ++cc)
          if (owner[rr * C + cc] < 0) owner[rr * C + cc] = static_cast<int>(g.cells.size());
      g.cells.push_back(cell);
    }
}

// The page's ink with the grids (and a margin round them) whitened.
cv::Mat InkOutside(const cv::Mat& bin, const std::vector<Grid>& grids, int pad) {
  cv::Mat ink = bin.clone();
  for (const auto& g : grids) {
    cv::Rect r(g.bbox.x - pad, g.bbox.y - pad, g.bbox.w + 2 * pad, g.bbox.h + 2 * pad);
    ink(r & cv::Rect(0, 0, ink.cols, ink.rows)).setTo(0);
  }
  return ink;
}

// Boxes of the phrases in `ink`: characters smeared together, specks and rules dropped.
std::vector<Box> PhraseBoxes(const cv::Mat& ink, const Params& p) {
  cv::Mat smear;
  cv::morphologyEx(ink, smear, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {p.smear_w, p.smear_h}));
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(smear, labels, stats, centroids, 8);
  std::vector<Box> out;
  for (int i = 1; i < n; ++i) {
    const cv::Rect r = ComponentBox(stats, i);
    Box b{r.x, r.y, r.width, r.height};
    int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (b.h < p.min_line_h || b.h > p.max_line_h || b.w < p.min_line_h ||
        area < p.min_fill.of(b.w * b.h))
      continue;  // specks, rules
    out.push_back(b);
  }
  return out;
}

// Reading order: group boxes whose centres share a line, then left to right.
std::vector<Box> InReadingOrder(std::vector<Box> boxes) {
  std::sort(boxes.begin(), boxes.end(),
            [](const Box& a, const Box& b) { return a.y + a.h / 2 < b.y + b.h / 2; });
  std::vector<Box> ordered;
  for (size_t i = 0; i < boxes.size();) {
    size_t j = i + 1;
    int centre = boxes[i].y + boxes[i].h / 2;
    while (j < boxes.size() && boxes[j].y + boxes[j].h / 2 - centre <= boxes[i].h / 2) ++j;
    std::sort(boxes.begin() + i, boxes.begin() + j,
              [](const Box& a, const Box& b) { return a.x < b.x; });
    ordered.insert(ordered.end(), boxes.begin() + i, boxes.begin() + j);
    i = j;
  }
  return ordered;
}

}  // namespace

std::vector<Grid> GridDetector::detect(const cv::Mat& bin) const {
  const Rulings rulings = FindRulings(bin, p_);
  cv::Mat labels, stats;
  const int n = TableRegions(rulings, p_, labels, stats);
  std::vector<Grid> grids;
  for (int i = 1; i < n; ++i) {
    const cv::Rect region = ComponentBox(stats, i);
    if (region.width < p_.min_table_w || region.height < p_.min_table_h) continue;
    const Rules rules = ValidateRules(rulings, labels, i, region, p_);
    Grid g;
    if (!BuildLattice(rules, p_, g)) continue;
    Separators separators = FindSeparators(bin, g, rules, p_);
    if (InferRows(bin, g, separators, p_)) separators = FindSeparators(bin, g, rules, p_);
    MergeCells(separators, g);
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
  return InReadingOrder(PhraseBoxes(InkOutside(bin, grids, p_.grid_pad), p_));
}

}  // namespace juesuan
