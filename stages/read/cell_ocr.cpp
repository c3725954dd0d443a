#include "stages/read/cell_ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ltrresultiterator.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <regex>
#include <set>
#include <stdexcept>
#include <string_view>

#include "stages/common/amount.h"
#include "stages/common/text_normalise.h"
#include "stages/common/utf8.h"

namespace juesuan {
namespace {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;
struct TextDeleter {
  void operator()(char* p) const { delete[] p; }  // Tesseract allocates results with new[]
};

PixPtr ToPix(const cv::Mat& gray, int pad) {
  PixPtr pix(pixCreate(gray.cols, gray.rows, 8));
  if (!pix) throw std::runtime_error("leptonica: pixCreate failed");
  for (int y = 0; y < gray.rows; ++y) {
    const uchar* src = gray.ptr<uchar>(y);
    l_uint32* line = pixGetData(pix.get()) + y * pixGetWpl(pix.get());
    for (int x = 0; x < gray.cols; ++x) SET_DATA_BYTE(line, x, src[x]);
  }
  if (pad <= 0) return pix;
  PixPtr padded(pixAddBorder(pix.get(), pad, 255));
  if (!padded) throw std::runtime_error("leptonica: pixAddBorder failed");
  return padded;
}

std::unique_ptr<tesseract::TessBaseAPI> MakeEngine(const OcrOptions& o, const std::string& lang) {
  // Leptonica prints to stderr when Tesseract hands it a tiny image; our errors are our own.
  // The severity is one process-wide variable: set it once, not from every worker at once.
  static std::once_flag quiet_leptonica;
  std::call_once(quiet_leptonica, [] { setMsgSeverity(L_SEVERITY_NONE); });
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  // Silence Tesseract's per-image chatter ("Estimating resolution…") before Init.
  api->SetVariable("debug_file", "/dev/null");
  const char* dir = o.tessdata_dir.empty() ? nullptr : o.tessdata_dir.c_str();
  if (api->Init(dir, lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw std::runtime_error("cannot load Tesseract model '" + lang + "'" +
                             (dir ? std::string(" from ") + dir : std::string()) +
                             " (install tesseract-ocr-" + (lang == "chi_sim" ? "chi-sim" : lang) +
                             " or run scripts/setup.sh)");
  // Dark-on-light scans: the inverted second pass only costs time.
  api->SetVariable("tessedit_do_invert", "0");
  api->SetVariable("preserve_interword_spaces", "1");
  return api;
}

// Vertical extents of the text lines in a binary image: overlapping extents of components
// taller than `min_h` merge into one line; small marks (dots, commas) never start a line.
std::vector<std::pair<int, int>> LineBands(const cv::Mat& stats, int n,
                                           const std::vector<bool>& keep, int min_h) {
  std::vector<std::pair<int, int>> spans;
  for (int i = 1; i < n; ++i)
    if (keep[i] && stats.at<int>(i, cv::CC_STAT_HEIGHT) >= min_h)
      spans.emplace_back(stats.at<int>(i, cv::CC_STAT_TOP),
                         stats.at<int>(i, cv::CC_STAT_TOP) + stats.at<int>(i, cv::CC_STAT_HEIGHT));
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<int, int>> lines;
  for (auto [a, b] : spans) {
    // Overlap of at least a third of the shorter extent joins a line (punctuation, 一).
    if (!lines.empty() &&
        a < lines.back().second - std::min(b - a, lines.back().second - lines.back().first) / 3)
      lines.back().second = std::max(lines.back().second, b);
    else
      lines.emplace_back(a, b);
  }
  return lines;
}

cv::Rect ComponentBox(const cv::Mat& stats, int i) {
  return {stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
          stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)};
}

// Text = glyph-sized components of a crop of `size` that are not bits of ruling lines.
std::vector<bool> Glyphs(const cv::Mat& stats, int n, cv::Size size, const CropParams& p) {
  std::vector<bool> glyph(n, false);
  for (int i = 1; i < n; ++i) {
    const cv::Rect c = ComponentBox(stats, i);
    const int x = c.x, y = c.y, w = c.width, h = c.height;
    // Bits of ruling lines are thin and lie along an edge of the crop. A dash (——) or a "1"
    // is just as thin but sits inside the cell, away from the edges.
    bool near_top_bottom = y < p.near_top.of(size.height) || y + h > p.near_bottom.of(size.height);
    bool near_left_right = x < p.near_left.of(size.width) || x + w > p.near_right.of(size.width);
    bool remnant = (w > p.remnant_len.of(size.width) && h <= p.thin && near_top_bottom) ||
                   (h > p.remnant_len.of(size.height) && w <= p.thin && near_left_right);
    bool touches_edge = x == 0 || y == 0 || x + w == size.width || y + h == size.height;
    if (remnant || (touches_edge && (h <= p.thin || w <= p.thin))) continue;
    glyph[i] = h >= p.min_glyph_h || w >= p.min_glyph_w;
  }
  return glyph;
}

// The glyphs and, with them, the small marks that sit inside a text line of `lines` and between
// the glyphs' leftmost and rightmost ink `x0`..`x1` (decimal points, commas, dots of 丶); specks
// in the margins are scanner noise.
std::vector<bool> WithMarks(const cv::Mat& stats, int n, const std::vector<bool>& glyph,
                            const std::vector<std::pair<int, int>>& lines, int x0, int x1,
                            const CropParams& p) {
  std::vector<bool> keep = glyph;
  for (int i = 1; i < n; ++i) {
    if (glyph[i]) continue;
    const cv::Rect c = ComponentBox(stats, i);
    if (c.width > p.min_glyph_w || c.height > p.min_glyph_h) continue;  // line remnants
    bool in_line = false;
    for (auto [a, b] : lines)
      in_line |= c.y >= a - p.mark_slack && c.y + c.height <= b + p.mark_slack;
    if (in_line && c.x >= x0 && c.x + c.width <= x1) keep[i] = true;
  }
  return keep;
}

// The longest run of ink along a row or column of a binary image, bridging gaps of up to
// `gap` pixels (a scanned rule is broken here and there).
int LongestRun(const cv::Mat& line, int gap) {
  const bool row = line.rows == 1;
  const int n = row ? line.cols : line.rows;
  int best = 0, start = -1, last = -gap - 2;
  for (int i = 0; i < n; ++i) {
    if ((row ? line.at<uchar>(0, i) : line.at<uchar>(i, 0)) == 0) continue;
    if (i - last > gap + 1) start = i;
    last = i;
    best = std::max(best, last - start + 1);
  }
  return best;
}

// Ruling lines that the inset did not clear (a thick, double or slightly tilted rule): pixel
// rows within two rule widths of the top or bottom whose ink runs along (almost) the whole width,
// and such columns at the left or right, are erased. By rows and columns, not by component,
// because the remnants of three sides are often one frame-shaped component that no shape test
// tells from a glyph ("03" read as "[可" on a 200-dpi office scan, b25 收入预算总表). Text never
// runs unbroken from edge to edge of its cell's interior, so it is left alone.
void EraseEdgeRules(cv::Mat& bin, const CropParams& p) {
  const int w = bin.cols, h = bin.rows, band = 2 * p.thin;
  for (int y = 0; y < h; ++y)
    if ((y < band || y >= h - band) && LongestRun(bin.row(y), p.rule_gap) >= p.rule_span.of(w))
      bin.row(y).setTo(0);
  for (int x = 0; x < w; ++x)
    if ((x < band || x >= w - band) && LongestRun(bin.col(x), p.rule_gap) >= p.rule_span.of(h))
      bin.col(x).setTo(0);
}

// The second read of a doubtful amount scales its text to this height instead of 32 px.
constexpr double kSecondReadHeight = 44.0;
// A symbol's other choice is tried when the network gives it at least this confidence (0..100),
// and at most kMaxSwaps such choices, the likeliest, are combined one or two at a time.
constexpr float kMinChoiceConf = 1.0f;
constexpr size_t kMaxSwaps = 4;

// The symbols of the recognition on `api` with their LSTM choices (lstm_choice_mode 2): the
// recognised symbol first, then its other choices as the ChoiceIterator gives them.
void CollectChoices(tesseract::TessBaseAPI& api, std::vector<SymbolChoices>& out) {
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it || it->Empty(tesseract::RIL_SYMBOL)) return;
  do {
    if (it->Empty(tesseract::RIL_SYMBOL)) continue;
    if (!out.empty() && it->IsAtBeginningOf(tesseract::RIL_WORD)) out.push_back({{" ", 100.f}});
    std::unique_ptr<char[], TextDeleter> top(it->GetUTF8Text(tesseract::RIL_SYMBOL));
    SymbolChoices s;
    s.emplace_back(top ? top.get() : "", it->Confidence(tesseract::RIL_SYMBOL));
    tesseract::ChoiceIterator choice(*it);
    do {
      const char* text = choice.GetUTF8Text();
      if (text && s.front().first != text) s.emplace_back(text, choice.Confidence());
    } while (choice.Next());
    out.push_back(std::move(s));
  } while (it->Next(tesseract::RIL_SYMBOL));
}

// Whole readings from symbol choices: the recognised one with one symbol, or two, replaced by
// another choice (kMinChoiceConf, kMaxSwaps), the likeliest replacements first.
std::vector<std::string> ChoiceReadings(const std::vector<SymbolChoices>& symbols) {
  struct Swap {
    size_t at;
    const std::string* text;
    float conf;
  };
  std::vector<Swap> swaps;
  for (size_t i = 0; i < symbols.size(); ++i)
    for (size_t k = 1; k < symbols[i].size(); ++k)
      if (symbols[i][k].second >= kMinChoiceConf)
        swaps.push_back({i, &symbols[i][k].first, symbols[i][k].second});
  std::stable_sort(swaps.begin(), swaps.end(),
                   [](const Swap& a, const Swap& b) { return a.conf > b.conf; });
  if (swaps.size() > kMaxSwaps) swaps.resize(kMaxSwaps);
  auto with = [&](const Swap* a, const Swap* b) {
    std::string out;
    for (size_t i = 0; i < symbols.size(); ++i)
      out += a->at == i ? *a->text : b && b->at == i ? *b->text : symbols[i].front().first;
    return out;
  };
  std::vector<std::string> out;
  for (const auto& a : swaps) out.push_back(with(&a, nullptr));
  for (size_t i = 0; i < swaps.size(); ++i)
    for (size_t j = i + 1; j < swaps.size(); ++j)
      if (swaps[i].at != swaps[j].at) out.push_back(with(&swaps[i], &swaps[j]));
  return out;
}

}  // namespace

CropParams CropParams::ForDpi(int dpi) {
  CropParams p;
  // 1/75 inch (0.3 mm): clear of the ruling line's own thickness and its antialiased edge.
  p.inset = std::max(2, Inches(dpi, 1, 75));
  // Glyph-sized: 1/20 inch (3.6 pt) high, a third of a 10.5 pt digit, or 1/15 inch (4.8 pt)
  // wide, as wide as a dash. Scanner specks are smaller; they survive only as decimal points or
  // commas inside a text line.
  p.min_glyph_h = std::max(4, Inches(dpi, 1, 20));
  p.min_glyph_w = std::max(6, Inches(dpi, 1, 15));
  // 1/40 inch (0.6 mm): a ruling line, thicker than a hairline, thinner than a glyph.
  p.thin = std::max(3, Inches(dpi, 1, 40));
  return p;
}

namespace {

// The part of a cell inside its ruling lines (CropParams::inset), clipped to the image; empty
// when narrower or lower than CropParams::min_side.
cv::Rect CellInterior(const Box& cell, const CropParams& p, cv::Size image) {
  cv::Rect r(cell.x + p.inset, cell.y + p.inset, cell.w - 2 * p.inset, cell.h - 2 * p.inset);
  r &= cv::Rect(0, 0, image.width, image.height);
  return r.width < p.min_side || r.height < p.min_side ? cv::Rect() : r;
}

}  // namespace

std::vector<cv::Point> InkOutline(const cv::Mat& ink, cv::Point offset) {
  std::vector<cv::Point> pixels, hull;
  cv::findNonZero(ink, pixels);
  if (pixels.empty()) return {};
  cv::convexHull(pixels, hull);
  for (auto& p : hull) p += offset;
  return hull;
}

std::vector<cv::Point> EllipsisOutline(const cv::Mat& binary, const Box& cell,
                                       const CropParams& p) {
  const cv::Rect r = CellInterior(cell, p, binary.size());
  if (r.empty()) return {};
  cv::Mat bin = binary(r).clone();
  EraseEdgeRules(bin, p);
  return InkOutline(bin, r.tl());
}

std::string ReadEllipses(const cv::Mat& binary, const Box& cell, const CropParams& p, int dpi) {
  const cv::Rect r = CellInterior(cell, p, binary.size());
  if (r.empty()) return "";
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(binary(r), labels, stats, centroids, 8);
  const double em = BodyEm(dpi);
  struct Dot {
    double x, y, size;
  };
  std::vector<Dot> dots;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    // A dot of 10.5 pt type is about a tenth of an em; anything larger than a quarter em or
    // far from square is text or a rule, and the cell is not one of dots alone.
    if (w > em / 4 || h > em / 4 || w > 2 * h + 1 || h > 2 * w + 1) {
      if (w >= 2 && h >= 2) return "";
      continue;
    }
    if (w < 2 || h < 2) continue;  // a pixel of noise
    dots.push_back({centroids.at<double>(i, 0), centroids.at<double>(i, 1),
                    static_cast<double>(std::max(w, h))});
  }
  std::sort(dots.begin(), dots.end(),
            [](const Dot& a, const Dot& b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
  // Lines of dots (centres within a dot's size), each line's runs of evenly spaced dots.
  std::vector<std::string> found;
  for (size_t i = 0; i < dots.size();) {
    size_t j = i + 1;
    while (j < dots.size() && dots[j].y - dots[i].y <= dots[i].size) ++j;
    std::vector<Dot> line(dots.begin() + static_cast<long>(i), dots.begin() + static_cast<long>(j));
    std::sort(line.begin(), line.end(), [](const Dot& a, const Dot& b) { return a.x < b.x; });
    for (size_t a = 0; a < line.size();) {
      size_t b = a + 1;
      while (b < line.size() && line[b].x - line[b - 1].x <= em / 2 &&
             std::abs((line[b].x - line[b - 1].x) - (line[a + 1].x - line[a].x)) <= em / 10 &&
             std::abs(line[b].size - line[a].size) <= 2)
        ++b;
      if (b - a >= 3) found.push_back("…");
      a = b;
    }
    i = j;
  }
  std::string out;
  for (const auto& e : found) out += (out.empty() ? "" : " ") + e;
  return out;
}

bool LabelRunIntoAnAmount(const std::string& reading) {
  const std::u32string u = DecodeUtf8(StripSpaces(reading));
  // From the end: two decimals, a point, digits and commas, then a Han character.
  size_t i = u.size();
  int decimals = 0;
  while (i > 0 && u[i - 1] >= U'0' && u[i - 1] <= U'9') --i, ++decimals;
  if (decimals != 2 || i == 0 || (u[i - 1] != U'.' && u[i - 1] != U'．')) return false;
  --i;
  size_t digits = 0;
  while (i > 0 && ((u[i - 1] >= U'0' && u[i - 1] <= U'9') || u[i - 1] == U',')) --i, ++digits;
  return digits > 0 && i >= 2 && IsHanIdeograph(u[i - 1]) && IsHanIdeograph(u[i - 2]);
}

bool AsciiPunctuationInsideHan(const std::string& reading) {
  const std::u32string u = DecodeUtf8(StripSpaces(reading));
  // A colon after a label word is printed ("其中：", "注：", "单位："); OCR may give it in ASCII.
  static const std::u32string kLabels[] = {U"其中", U"注", U"说明", U"单位", U"部门"};
  for (size_t i = 1; i + 1 < u.size(); ++i) {
    if ((u[i] != U':' && u[i] != U';') || !IsHanIdeograph(u[i - 1]) || !IsHanIdeograph(u[i + 1]))
      continue;
    bool after_label = false;
    for (const auto& label : kLabels)
      after_label = after_label || std::u32string_view(u).substr(0, i).ends_with(label);
    if (!after_label) return true;
  }
  return false;
}

bool TwoRunsFarApart(const cv::Mat& crop, int dpi) {
  if (crop.empty()) return false;
  cv::Mat ink;
  cv::threshold(crop, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat columns;
  cv::reduce(ink, columns, 0, cv::REDUCE_MAX, CV_8U);
  const double em = BodyEm(dpi);
  // Runs of inked columns, a new run after a gap of more than three ems.
  std::vector<std::pair<int, int>> runs;
  int last = -1;
  for (int x = 0; x < columns.cols; ++x) {
    if (columns.at<uchar>(0, x) == 0) continue;
    if (runs.empty() || x - last > 3 * em)
      runs.emplace_back(x, x + 1);
    else
      runs.back().second = x + 1;
    last = x;
  }
  for (size_t i = 0; i + 1 < runs.size(); ++i)
    if (runs[i].second - runs[i].first >= 1.5 * em &&
        runs[i + 1].second - runs[i + 1].first >= 1.5 * em)
      return true;
  return false;
}

cv::Mat CropCell(const cv::Mat& gray, const cv::Mat& binary, const Box& cell, int dpi,
                 bool* multiline) {
  return CropCell(gray, binary, cell, CropParams::ForDpi(dpi), multiline);
}

cv::Mat CropCell(const cv::Mat& gray, const cv::Mat& binary, const Box& cell, const CropParams& p,
                 bool* multiline, std::vector<cv::Point>* ink_outline) {
  const cv::Rect r = CellInterior(cell, p, gray.size());
  if (multiline) *multiline = false;
  if (ink_outline) ink_outline->clear();
  if (r.empty()) return {};
  cv::Mat bin = binary(r).clone();
  EraseEdgeRules(bin, p);
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8);
  const std::vector<bool> glyph = Glyphs(stats, n, r.size(), p);
  // Every glyph-sized component may start a line, including a lone dash (——) in a cell.
  auto lines = LineBands(stats, n, glyph, 0);
  if (lines.empty()) return {};
  int x0 = INT32_MAX, x1 = -1;
  for (int i = 1; i < n; ++i)
    if (glyph[i])
      x0 = std::min(x0, stats.at<int>(i, cv::CC_STAT_LEFT)),
      x1 = std::max(x1, stats.at<int>(i, cv::CC_STAT_LEFT) + stats.at<int>(i, cv::CC_STAT_WIDTH));
  const std::vector<bool> keep = WithMarks(stats, n, glyph, lines, x0, x1, p);
  if (multiline) *multiline = lines.size() > 1;
  int y0 = lines.front().first, y1 = lines.back().second;
  const int m = p.margin;
  cv::Rect ink(std::max(0, x0 - m), std::max(0, y0 - m), 0, 0);
  ink.width = std::min(r.width, x1 + m) - ink.x;
  ink.height = std::min(r.height, y1 + m) - ink.y;
  // Whiten everything that is not text: specks, line remnants, bleed from neighbours.
  cv::Mat text_mask = cv::Mat::zeros(bin.size(), CV_8U);
  for (int i = 1; i < n; ++i)
    if (keep[i]) text_mask.setTo(255, labels == i);
  if (ink_outline) *ink_outline = InkOutline(text_mask, r.tl());
  cv::dilate(text_mask, text_mask,
             cv::getStructuringElement(cv::MORPH_RECT, {p.mask_grow, p.mask_grow}));
  cv::Mat crop(ink.size(), CV_8U, cv::Scalar(255));
  gray(r)(ink).copyTo(crop, text_mask(ink));
  return crop;
}

CellOcr::CellOcr(const OcrOptions& options)
    : text_(MakeEngine(options, options.text_model)),
      digits_(MakeEngine(options, options.digit_model)) {}

CellOcr::~CellOcr() = default;  // TessBaseAPI's destructor calls End()

std::string CellOcr::recognise(tesseract::TessBaseAPI& api) {
  if (cancel_) {
    // Tesseract polls the monitor between words; a cancelled recognition returns early and
    // its partial text is dropped, never reported as a reading.
    cancel_->check("ocr");
    tesseract::ETEXT_DESC monitor;
    monitor.cancel = [](void* token, int) {
      return static_cast<const CancelToken*>(token)->cancelled();
    };
    monitor.cancel_this = const_cast<CancelToken*>(cancel_);
    const int failed = api.Recognize(&monitor);
    cancel_->check("ocr");
    if (failed != 0) return {};
  }
  std::unique_ptr<char[], TextDeleter> text(api.GetUTF8Text());
  return text ? text.get() : "";
}

Reading CellOcr::run(tesseract::TessBaseAPI& api, const cv::Mat& crop, int dpi, Layout layout,
                     const LineReadOptions& options) {
  if (layout == Layout::kWrapped) {
    // Wrapped cells: read line by line (PSM 7 on each) and join. Measured on the corpus, block
    // mode (PSM 6) on the whole cell dropped the first characters of long wrapped names.
    cv::Mat bin;
    cv::threshold(crop, bin, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8);
    auto bands = LineBands(stats, n, std::vector<bool>(n, true), std::max(4, dpi / 30));
    if (bands.size() > 1) {
      Reading out;
      float conf_sum = 0;
      for (auto [a, b] : bands) {
        cv::Mat line = crop.rowRange(std::max(0, a - 2), std::min(crop.rows, b + 2));
        Reading r = run(api, line, dpi, Layout::kLine);
        out.raw += (out.raw.empty() ? "" : "\n") + r.raw;
        conf_sum += r.conf;
      }
      out.conf = conf_sum / bands.size();
      out.text = NormaliseReading(out.raw);
      return out;
    }
  }
  // Tesseract's LSTM reads best with text about 32 px high (LineReadOptions) and a margin of half
  // that (measured: 99.5 % exact on amounts vs 97.7 % at the page's own scale, 300 dpi).
  const double target_height = options.text_height;
  cv::Mat img = crop;
  double scale = target_height / std::max(1, crop.rows);
  if (scale < 0.95 || scale > 1.05)
    cv::resize(crop, img, {}, scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  PixPtr pix = ToPix(img, static_cast<int>(target_height / 2));
  api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  api.SetImage(pix.get());
  api.SetSourceResolution(std::max(70, static_cast<int>(dpi * scale)));
  // Mode 2: each symbol's alternatives from the CTC decoding (Tesseract >= 4.1); only for the
  // reads that ask, since it runs extra beam searches. Back to 0 however the read ends (a
  // cancelled read throws), as the engine reads on for other cells.
  struct ChoiceMode {
    tesseract::TessBaseAPI* api;
    ~ChoiceMode() {
      if (api) api->SetVariable("lstm_choice_mode", "0");
    }
  } choice_mode{options.choices ? &api : nullptr};
  if (options.choices) api.SetVariable("lstm_choice_mode", "2");
  Reading out;
  out.raw = recognise(api);
  while (!out.raw.empty() && (out.raw.back() == '\n' || out.raw.back() == ' ')) out.raw.pop_back();
  out.conf = std::max(0, api.MeanTextConf()) / 100.0f;
  if (out.raw.empty() && crop.cols < 2 * crop.rows) {
    // A lone character (类, 款, 项 headers; a 1 or 0) often reads as nothing in line mode.
    api.SetPageSegMode(tesseract::PSM_SINGLE_CHAR);
    out.raw = recognise(api);
    while (!out.raw.empty() && (out.raw.back() == '\n' || out.raw.back() == ' '))
      out.raw.pop_back();
    out.conf = std::max(0, api.MeanTextConf()) / 100.0f;
  }
  if (options.choices) CollectChoices(api, *options.choices);
  api.Clear();
  out.text = NormaliseReading(out.raw);
  return out;
}

Reading CellOcr::read_cell(const cv::Mat& crop, int dpi, bool multiline, CellHint hint) {
  // A lone bar is a dash ("-", "—", "——": not applicable). Tesseract reads a bar without any
  // glyph around it as noise, so it is recognised from its length in ems of 10.5 pt type:
  // a hyphen is under half an em, one em-dash's ink under 1.2 em, a double dash longer.
  auto dash_of_length = [&](const std::string& raw) {
    const double ems = crop.cols / BodyEm(dpi);
    Reading dash;
    dash.raw = raw;
    dash.text = ems < 0.5 ? "-" : ems < 1.2 ? "—" : "——";
    dash.conf = 0.9f;
    return dash;
  };
  if (crop.rows <= std::max(6, dpi / 25) + 4 && crop.cols >= 3 * crop.rows) {
    Reading dash = dash_of_length("");
    dash.raw = dash.text;  // recognised by shape: no engine reading to keep
    return dash;
  }
  // The digit model's reading when it was not kept (not a number, or conf < 0.5).
  std::string unsure_digits;
  if (hint == CellHint::kAuto && !multiline) {
    Reading digits = run(*digits_, crop, dpi, Layout::kLine);
    std::string compact = StripStrayMarks(digits.text);
    if (LooksNumeric(compact) && digits.conf >= 0.5f) {
      digits.text = compact;
      digits.numeric = true;
      std::string second;
      if (digits.conf < kUnsureConf) second = ConfirmBySecondModel(crop, dpi, digits);
      if (digits.conf < kUnsureConf || !ParseAmount(digits.text).is_number())
        AddAlternatives(crop, dpi, digits, second);
      return digits;
    }
    unsure_digits = compact;
  }
  Reading text = run(*text_, crop, dpi, multiline ? Layout::kWrapped : Layout::kLine);
  // A cell read as nothing but bars (一, -, —, _) holds a dash; its length says which.
  text.text = StripStrayMarks(text.text);
  static const std::regex kBars("^(一|-|—|―|─|_|~|－)+$");
  if (std::regex_match(text.text, kBars)) return dash_of_length(text.raw);
  if (LooksNumeric(text.text)) text.numeric = true;
  // An amount either model doubts: the other readings may be what two checks prove.
  if ((text.numeric || (!unsure_digits.empty() && LooksNumeric(unsure_digits))) &&
      (text.conf < kUnsureConf || !ParseAmount(text.text).is_number()))
    AddAlternatives(crop, dpi, text, unsure_digits);
  return text;
}

std::string CellOcr::ConfirmBySecondModel(const cv::Mat& crop, int dpi, Reading& digits) {
  // The text model is a different network trained on other data: when it reads the same amount
  // to the fen, the digit model's doubt was not about the value. Measured on the real-budget
  // scans before this rule: see README (conf calibration).
  if (!ParseAmount(digits.text).is_number()) return "";
  const std::string second = StripStrayMarks(run(*text_, crop, dpi, Layout::kLine).text);
  if (SameAmount(digits.text, second)) digits.conf = std::max(digits.conf, kTwoModelsAgreeConf);
  return second;
}

void CellOcr::AddAlternatives(const cv::Mat& crop, int dpi, Reading& digits,
                              const std::string& second) {
  std::vector<SymbolChoices> symbols;
  LineReadOptions with_choices;
  with_choices.choices = &symbols;
  run(*digits_, crop, dpi, Layout::kLine, with_choices);
  // Larger glyphs: a comma or a decimal point a few pixels apart at 32 px.
  LineReadOptions larger;
  larger.text_height = kSecondReadHeight;
  const Reading rescaled = run(*digits_, crop, dpi, Layout::kLine, larger);
  std::vector<std::string> candidates = {rescaled.text, second};
  for (auto& c : ChoiceReadings(symbols)) candidates.push_back(NormaliseReading(c));
  std::set<std::pair<int64_t, int>> seen;
  const Amount main = ParseAmount(digits.text);
  if (main.is_number()) seen.insert({main.cents, main.decimals});
  for (const auto& c : candidates) {
    const std::string text = StripStrayMarks(c);
    const Amount a = ParseAmount(text);
    if (!LooksNumeric(text) || !a.is_number() || !seen.insert({a.cents, a.decimals}).second)
      continue;
    digits.alternatives.push_back(text);
    if (digits.alternatives.size() == kMaxAlternatives) break;
  }
}

bool SameAmount(const std::string& a, const std::string& b) {
  const Amount x = ParseAmount(a), y = ParseAmount(b);
  return x.is_number() && y.is_number() && x.cents == y.cents && x.decimals == y.decimals;
}

Reading CellOcr::read_line(const cv::Mat& crop, int dpi) {
  return run(*text_, crop, dpi, Layout::kLine);
}

double CellOcr::readability(const cv::Mat& gray, int dpi) {
  Reading r = run(*text_, gray, dpi, Layout::kLine);
  // Upside-down text still yields characters, but with low confidence; empty text scores 0.
  return r.text.empty() ? 0.0 : r.conf;
}

}  // namespace juesuan
