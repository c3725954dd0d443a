#include "stages/cell_ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <regex>
#include <stdexcept>

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
  setMsgSeverity(L_SEVERITY_NONE);
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

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

}  // namespace

std::u32string DecodeUtf8(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    char32_t cp = n == 1 ? c : (c & (0x7F >> n));
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string EncodeUtf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string RemoveSpacesNearHan(const std::string& utf8) {
  std::u32string s = DecodeUtf8(utf8), out;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c == U' ' || c == U'\t' || c == U'\n' || c == 0x3000) {
      // Tesseract puts spaces (and line breaks in wrapped cells) between Chinese characters;
      // they are never part of the printed text. Spaces between Latin words are kept.
      char32_t prev = out.empty() ? 0 : out.back();
      size_t j = i;
      while (j < s.size() && (s[j] == U' ' || s[j] == U'\t' || s[j] == U'\n' || s[j] == 0x3000)) ++j;
      char32_t next = j < s.size() ? s[j] : 0;
      if (prev && next && !IsHan(prev) && !IsHan(next)) out.push_back(U' ');
      i = j - 1;
      continue;
    }
    out.push_back(c);
  }
  return EncodeUtf8(out);
}

bool LooksNumeric(const std::string& text) {
  static const std::regex kNumber(R"(^[-+]?\(?[0-9][0-9,.\s]*\)?%?$)");
  return std::regex_match(text, kNumber);
}

cv::Mat CropCell(const cv::Mat& gray, const cv::Mat& binary, const Box& cell, int dpi, bool* multiline) {
  const int inset = std::max(2, dpi / 75);
  cv::Rect r(cell.x + inset, cell.y + inset, cell.w - 2 * inset, cell.h - 2 * inset);
  r &= cv::Rect(0, 0, gray.cols, gray.rows);
  if (multiline) *multiline = false;
  if (r.width < 4 || r.height < 4) return {};
  cv::Mat bin = binary(r);
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8);
  const int min_h = std::max(4, dpi / 30), min_w = std::max(6, dpi / 15);
  const int thin = std::max(3, dpi / 40);
  int x0 = INT32_MAX, y0 = INT32_MAX, x1 = -1, y1 = -1;
  std::vector<std::pair<int, int>> spans;  // vertical extents of significant components
  for (int i = 1; i < n; ++i) {
    int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    bool remnant = (w > r.width * 3 / 5 && h <= thin) || (h > r.height * 3 / 5 && w <= thin);
    bool touches_edge = x == 0 || y == 0 || x + w == r.width || y + h == r.height;
    if (remnant || (touches_edge && (h <= thin || w <= thin))) continue;  // bits of ruling lines
    if (h < min_h && w < min_w) continue;  // specks (decimal points inside numbers come back below)
    x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x + w), y1 = std::max(y1, y + h);
    spans.emplace_back(y, y + h);
  }
  if (x1 < 0) return {};
  if (multiline) {
    // Count text lines: merge overlapping vertical extents of the ink.
    std::sort(spans.begin(), spans.end());
    int lines = 0, end = -1;
    for (auto [a, b] : spans) {
      if (a > end - 2) ++lines;
      end = std::max(end, b);
    }
    *multiline = lines > 1;
  }
  const int m = 2;
  cv::Rect ink(std::max(0, x0 - m), std::max(0, y0 - m), 0, 0);
  ink.width = std::min(r.width, x1 + m) - ink.x;
  ink.height = std::min(r.height, y1 + m) - ink.y;
  cv::Mat crop = gray(r)(ink).clone();
  // Whiten ink that is not part of the text (line remnants inside the trimmed box).
  cv::Mat keep = cv::Mat::zeros(bin.size(), CV_8U);
  for (int i = 1; i < n; ++i) {
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    bool remnant = (w > r.width * 3 / 5 && h <= thin) || (h > r.height * 3 / 5 && w <= thin);
    bool touches_edge = x == 0 || y == 0 || x + w == r.width || y + h == r.height;
    if (remnant || (touches_edge && (h <= thin || w <= thin))) keep.setTo(255, labels == i);
  }
  crop.setTo(255, keep(ink));
  return crop;
}

CellOcr::CellOcr(const OcrOptions& options)
    : text_(MakeEngine(options, options.text_model)), digits_(MakeEngine(options, options.digit_model)) {}

CellOcr::~CellOcr() = default;  // TessBaseAPI's destructor calls End()

Reading CellOcr::run(tesseract::TessBaseAPI& api, const cv::Mat& crop, int dpi, bool multiline) {
  // A generous white margin matters more than anything else for short cells (anchors.md §5).
  const int pad = std::max(10, std::min(crop.rows, dpi / 8) / 2);
  PixPtr pix = ToPix(crop, pad);
  api.SetPageSegMode(multiline ? tesseract::PSM_SINGLE_BLOCK : tesseract::PSM_SINGLE_LINE);
  api.SetImage(pix.get());
  api.SetSourceResolution(dpi);
  std::unique_ptr<char[], TextDeleter> text(api.GetUTF8Text());
  Reading out;
  out.raw = text ? text.get() : "";
  while (!out.raw.empty() && (out.raw.back() == '\n' || out.raw.back() == ' ')) out.raw.pop_back();
  out.conf = std::max(0, api.MeanTextConf()) / 100.0f;
  api.Clear();
  out.text = RemoveSpacesNearHan(out.raw);
  return out;
}

Reading CellOcr::read_cell(const cv::Mat& crop, int dpi, bool multiline, CellHint hint) {
  if (hint == CellHint::kAuto && !multiline) {
    Reading digits = run(*digits_, crop, dpi, false);
    std::string compact;
    for (char c : digits.text)
      if (c != ' ') compact += c;
    if (LooksNumeric(compact) && digits.conf >= 0.5f) {
      digits.text = compact;
      digits.numeric = true;
      return digits;
    }
  }
  Reading text = run(*text_, crop, dpi, multiline);
  std::string compact;
  for (char c : text.text)
    if (c != ' ') compact += c;
  if (LooksNumeric(compact)) {
    text.text = compact;
    text.numeric = true;
  }
  return text;
}

Reading CellOcr::read_line(const cv::Mat& crop, int dpi) { return run(*text_, crop, dpi, false); }

double CellOcr::readability(const cv::Mat& gray, int dpi) {
  Reading r = run(*text_, gray, dpi, true);
  // Upside-down text still yields characters, but with low confidence; empty text scores 0.
  return r.text.empty() ? 0.0 : r.conf;
}

}  // namespace juesuan
