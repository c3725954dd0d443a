#include "stages/rasterise/page_images.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/common/errors.h"
#include "stages/rasterise/render_worker.h"

namespace juesuan {
namespace {

struct PixFree {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixFree>;
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};

const l_uint8* Data(const std::string& bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

const char* FormatName(ImageFormat f) {
  switch (f) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kTiff:
      return "TIFF";
    case ImageFormat::kNone:
      break;
  }
  return "image";
}

int TiffFrames(const std::string& bytes) {
  std::unique_ptr<FILE, FileClose> f(fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb"));
  l_int32 n = 0;
  if (!f || tiffGetCount(f.get(), &n) != 0) return 0;
  return n;
}

// Whether a PNG or JPEG stops before its end: libpng and libjpeg would print their own message
// on stderr before failing (or, for JPEG, fill the rest grey), so a cut file is told here and
// its one line is ours. PNG: the chunks, by their lengths, up to IEND. JPEG: the markers up to
// the first scan, then an end-of-image marker (FF D9 never occurs inside entropy-coded data).
bool Truncated(const std::string& s, ImageFormat format) {
  auto u8 = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  if (format == ImageFormat::kPng) {
    for (size_t at = 8; at + 12 <= s.size();) {
      const size_t len = (size_t{u8(at)} << 24) | (size_t{u8(at + 1)} << 16) |
                         (size_t{u8(at + 2)} << 8) | u8(at + 3);
      if (len > s.size() || at + 12 + len > s.size()) return true;
      if (s.compare(at + 4, 4, "IEND") == 0) return false;
      at += 12 + len;
    }
    return true;
  }
  if (format != ImageFormat::kJpeg) return false;
  size_t at = 2;
  while (at + 4 <= s.size() && u8(at) == 0xFF) {
    const unsigned marker = u8(at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xDA) return s.find("\xFF\xD9", at + 2) == std::string::npos;
    at += 2 + ((size_t{u8(at + 2)} << 8) | u8(at + 3));
  }
  return true;
}

// The EXIF orientation (1..8) of a JPEG, 1 when it has none. Walks the markers up to the first
// scan; reads IFD0 of an APP1 "Exif" segment.
int JpegOrientation(const std::string& s) {
  auto u8 = [&](size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  size_t i = 2;
  while (i + 4 <= s.size() && u8(i) == 0xFF) {
    const unsigned marker = u8(i + 1);
    if (marker == 0xDA || marker == 0xD9) break;  // start of scan, end of image
    const size_t len = (u8(i + 2) << 8) | u8(i + 3);
    const size_t seg = i + 4;
    if (marker == 0xE1 && s.compare(seg, 6, std::string("Exif\0\0", 6)) == 0) {
      const size_t tiff = seg + 6;
      const bool le = u8(tiff) == 'I';
      auto u16 = [&](size_t at) {
        return le ? u8(at) | (u8(at + 1) << 8) : (u8(at) << 8) | u8(at + 1);
      };
      auto u32 = [&](size_t at) {
        return le ? u16(at) | (static_cast<size_t>(u16(at + 2)) << 16)
                  : (static_cast<size_t>(u16(at)) << 16) | u16(at + 2);
      };
      const size_t ifd = tiff + u32(tiff + 4);
      const unsigned entries = u16(ifd);
      for (unsigned e = 0; e < entries && ifd + 2 + 12 * (e + 1) <= s.size(); ++e) {
        const size_t at = ifd + 2 + 12 * e;
        if (u16(at) == 0x0112) {
          const unsigned v = u16(at + 8);
          return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
        }
      }
      return 1;
    }
    i = seg + len - 2;
  }
  return 1;
}

// Turns and mirrors `gray` as EXIF orientation `o` says, so that it shows upright.
cv::Mat ApplyOrientation(cv::Mat gray, int o) {
  cv::Mat out;
  switch (o) {
    case 2:
      cv::flip(gray, out, 1);
      return out;
    case 3:
      cv::rotate(gray, out, cv::ROTATE_180);
      return out;
    case 4:
      cv::flip(gray, out, 0);
      return out;
    case 5:
      cv::transpose(gray, out);
      return out;
    case 6:
      cv::rotate(gray, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 7:
      cv::transpose(gray, out);
      cv::flip(out, out, -1);
      return out;
    case 8:
      cv::rotate(gray, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return gray;
  }
}

// Any Leptonica image -> CV_8UC1: colour maps removed, alpha blended onto white, colour through
// DropRed (as a rendered page), 16-bit by its high byte, 1/2/4-bit expanded (1 = black).
cv::Mat ToGray(PIX* source) {
  PixPtr pix(pixClone(source));
  if (pixGetColormap(pix.get())) pix.reset(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  if (pix && pixGetDepth(pix.get()) == 32 && pixGetSpp(pix.get()) == 4)
    pix.reset(pixAlphaBlendUniform(pix.get(), 0xffffff00));
  if (pix && pixGetDepth(pix.get()) == 16) pix.reset(pixConvert16To8(pix.get(), L_MS_BYTE));
  if (pix && pixGetDepth(pix.get()) != 8 && pixGetDepth(pix.get()) != 32)
    pix.reset(pixConvertTo8(pix.get(), 0));
  if (!pix) throw std::runtime_error("cannot convert the image to grayscale");
  const int w = pixGetWidth(pix.get()), h = pixGetHeight(pix.get());
  const int wpl = pixGetWpl(pix.get());
  const l_uint32* data = pixGetData(pix.get());
  if (pixGetDepth(pix.get()) == 32) {
    cv::Mat bgr(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y) {
      const l_uint32* line = data + static_cast<size_t>(y) * wpl;
      auto* out = bgr.ptr<cv::Vec3b>(y);
      for (int x = 0; x < w; ++x) {
        const l_uint32 v = line[x];
        out[x] = {static_cast<uchar>(v >> 8), static_cast<uchar>(v >> 16),
                  static_cast<uchar>(v >> 24)};
      }
    }
    return DropRed(bgr);
  }
  cv::Mat gray(h, w, CV_8UC1);
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    auto* out = gray.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) out[x] = static_cast<uchar>(GET_DATA_BYTE(line, x));
  }
  return gray;
}

}  // namespace

ImageFormat SniffImageFormat(const std::string& b) {
  if (b.starts_with(std::string("\x89PNG\r\n\x1a\n", 8))) return ImageFormat::kPng;
  if (b.starts_with("\xFF\xD8\xFF")) return ImageFormat::kJpeg;
  if (b.starts_with(std::string("II*\0", 4)) || b.starts_with(std::string("MM\0*", 4)))
    return ImageFormat::kTiff;
  return ImageFormat::kNone;
}

int EstimateDpi(const cv::Mat& gray) {
  cv::Mat ink;
  cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<int> heights;
  const int max_side = std::max(gray.rows, gray.cols) / 20;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    // Glyph-like: not a speck, not a rule or a frame, not a block or a photo.
    if (h < 5 || w < 2 || h > max_side || w > max_side || w > 3 * h || h > 4 * w) continue;
    heights.push_back(h);
  }
  if (heights.size() < 30) return 0;
  // Heights form clusters: radicals and punctuation, digits (about 0.7 em), and full Han glyphs
  // (the tallest common height). The glyph height is the tallest peak of the heights, each
  // counted with its neighbours within 4%, that holds at least 8% of the components.
  std::sort(heights.begin(), heights.end());
  auto around = [&](int h) {
    const int d = std::max(1, h / 25);
    return std::upper_bound(heights.begin(), heights.end(), h + d) -
           std::lower_bound(heights.begin(), heights.end(), h - d);
  };
  const auto enough = static_cast<std::ptrdiff_t>(heights.size() * 8 / 100);
  int glyph = 0;
  for (int h = heights.front(); h <= heights.back(); ++h) {
    const auto n_here = around(h);
    if (n_here >= enough && n_here >= around(h - 1) && n_here > around(h + 1)) glyph = h;
  }
  if (glyph == 0) return 0;
  constexpr double kGlyphPoints = 8.3;  // see page_images.h
  const int dpi = static_cast<int>(std::lround(glyph * 72.0 / kGlyphPoints));
  return std::clamp(dpi, kMinPlausibleDpi, kMaxPlausibleDpi);
}

PageImages::PageImages(std::string bytes, const std::string& name, const RasterOptions& options)
    : PageImages(std::vector<ImageFile>{{std::move(bytes), name}}, options) {}

PageImages::PageImages(std::vector<ImageFile> files, const RasterOptions& options)
    : options_(options) {
  for (auto& [bytes, name] : files) {
    if (bytes.empty()) throw BadInputError("empty file: " + name);
    const ImageFormat format = SniffImageFormat(bytes);
    if (format == ImageFormat::kNone) throw BadInputError("not a PNG, JPEG or TIFF image: " + name);
    if (Truncated(bytes, format))
      throw BadInputError(std::string("damaged or truncated ") + FormatName(format) +
                          ", it ends before its last part: " + name);
    const int frames = format == ImageFormat::kTiff ? TiffFrames(bytes) : 1;
    if (frames <= 0) throw BadInputError("damaged or truncated TIFF, no readable page: " + name);
    l_int32 f = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeaderMem(Data(bytes), bytes.size(), &f, &w, &h, &bps, &spp, &cmap) != 0)
      throw BadInputError(std::string("damaged or truncated ") + FormatName(format) +
                          ", cannot read its header: " + name);
    if (static_cast<long long>(w) * h > options_.limits.max_pixels)
      throw BadInputError("image of " + std::to_string(w) + " x " + std::to_string(h) +
                          " pixels, more than the limit of " +
                          std::to_string(options_.limits.max_pixels) + ": " + name);
    for (int frame = 0; frame < frames; ++frame)
      pages_.push_back({static_cast<int>(files_.size()), frame});
    files_.push_back({std::move(bytes), name, format});
  }
  if (pages_.empty()) throw BadInputError("no page image");
  try {
    first_ = decode(0);
  } catch (const std::exception& e) {
    throw BadInputError(e.what());
  }
}

PageImages::~PageImages() = default;

ImagePage PageImages::page(int index) const {
  if (index == 0) {
    std::lock_guard<std::mutex> lock(first_lock_);
    if (!first_.gray.empty()) return std::exchange(first_, ImagePage{});
  }
  return decode(index);
}

ImagePage PageImages::decode(int index) const {
  const auto [file_index, frame] = pages_.at(static_cast<size_t>(index));
  const File& file = files_[static_cast<size_t>(file_index)];
  const std::string what = std::string(FormatName(file.format)) + " page " +
                           std::to_string(frame + 1) + " of " + file.name;
  PixPtr pix;
  if (file.format == ImageFormat::kPng) {
    pix.reset(pixReadMemPng(Data(file.bytes), file.bytes.size()));
  } else if (file.format == ImageFormat::kJpeg) {
    l_int32 warnings = 0;  // the default hint fails on corrupt data instead of guessing
    pix.reset(pixReadMemJpeg(Data(file.bytes), file.bytes.size(), 0, 1, &warnings, 0));
  } else {
    pix.reset(pixReadMemTiff(Data(file.bytes), file.bytes.size(), frame));
  }
  if (!pix) throw std::runtime_error("damaged or truncated " + what + ", cannot decode it");
  if (static_cast<long long>(pixGetWidth(pix.get())) * pixGetHeight(pix.get()) >
      options_.limits.max_pixels)
    throw std::runtime_error("too many pixels in " + what);
  ImagePage out;
  out.gray = ToGray(pix.get());
  out.file = file.name;
  out.frame = frame;
  out.decoded_width = out.gray.cols;
  out.decoded_height = out.gray.rows;
  if (file.format == ImageFormat::kJpeg) {
    out.orientation = JpegOrientation(file.bytes);
    out.gray = ApplyOrientation(out.gray, out.orientation);
  }
  const int res = pixGetXRes(pix.get());
  int text_dpi = -1;  // EstimateDpi(out.gray), computed once and only when asked for
  auto estimate = [&] { return text_dpi < 0 ? (text_dpi = EstimateDpi(out.gray)) : text_dpi; };
  if (BelievableResolution(res, estimate)) {
    out.dpi = res;
    out.dpi_source = kDpiMetadata;
  } else if (options_.dpi_given) {
    out.dpi = options_.dpi;
    out.dpi_source = kDpiOption;
  } else {
    out.dpi = estimate();
    out.dpi_source = out.dpi > 0 ? kDpiEstimated : kDpiDefault;
    if (out.dpi == 0) out.dpi = options_.dpi;  // a page with too little text to tell
  }
  out.file_dpi = out.dpi;
  if (out.dpi < kMinOcrDpi) {
    // Never past the pixel limit: a huge low-resolution page is upsampled as far as it allows.
    const double room =
        0.999 * std::sqrt(static_cast<double>(options_.limits.max_pixels) /
                          static_cast<double>(std::max<size_t>(1, out.gray.total())));
    const double scale = std::min(static_cast<double>(kOcrDpi) / out.dpi, room);
    if (scale > 1.05) {
      cv::resize(out.gray, out.gray, {}, scale, scale, cv::INTER_CUBIC);
      out.scale = scale;
      out.dpi = static_cast<int>(std::lround(out.dpi * scale));
    }
  }
  return out;
}

bool BelievableResolution(int res, const std::function<int()>& estimate) {
  if (res < kMinPlausibleDpi || res > kMaxPlausibleDpi) return false;
  if (res != 72 && res != 96) return true;
  // 72 and 96 are what screenshots and web images carry whatever their content; believed only
  // when the text says about the same.
  const int text = estimate();
  return text == 0 || std::abs(text - res) * 4 <= res;
}

bool BelievableResolution(int res, const cv::Mat& gray) {
  return BelievableResolution(res, [&] { return EstimateDpi(gray); });
}

bool NaturalLess(const std::string& a, const std::string& b) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      size_t iz = i, jz = j;  // leading zeros do not count: p02 and p2 are the same number
      while (iz + 1 < ie && a[iz] == '0') ++iz;
      while (jz + 1 < je && b[jz] == '0') ++jz;
      const std::string_view na(a.data() + iz, ie - iz), nb(b.data() + jz, je - jz);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
  return a < b;  // same in natural order (p2, p02): a fixed order all the same
}

bool IsPageImageName(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" || ext == ".tiff";
}

std::vector<std::string> PageImageFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (IsPageImageName(it->path()) && it->is_regular_file(ec))
      names.push_back(it->path().filename().string());
  if (ec) throw BadInputError("cannot read folder " + dir + ": " + ec.message());
  if (names.empty())
    throw BadInputError("no page images (*.png, *.jpg, *.jpeg, *.tif, *.tiff) in " + dir);
  std::sort(names.begin(), names.end(), NaturalLess);
  std::vector<std::string> paths;
  for (const auto& n : names) paths.push_back((fs::path(dir) / n).string());
  return paths;
}

}  // namespace juesuan
