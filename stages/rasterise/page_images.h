// Stage 1 for page images: a PNG, JPEG or TIFF file (a multi-page TIFF is one document, one page
// per frame) -> grayscale pages, like the pages a scanned PDF renders to. Images are decoded
// in-process with Leptonica (1-bit, grey, colour-mapped, 16-bit and RGB(A) images); alpha is
// flattened onto white, red ink dropped out as for rendered pages (DropRed), and a JPEG's EXIF
// orientation applied. Page images have no text layer: they are read with OCR.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "stages/rasterise/raster_params.h"

namespace juesuan {

enum class ImageFormat { kNone, kPng, kJpeg, kTiff };

// The format told by the file's first bytes (its magic number), whatever its name.
ImageFormat SniffImageFormat(const std::string& bytes);

// Where a page's resolution came from (pages[].dpi_source in the output).
inline constexpr const char* kDpiRender = "render";        // a PDF page rendered at that dpi
inline constexpr const char* kDpiMetadata = "metadata";    // PNG pHYs, JFIF density, TIFF XRes
inline constexpr const char* kDpiOption = "option";        // --dpi, given explicitly
inline constexpr const char* kDpiEstimated = "estimated";  // EstimateDpi on the page's text
inline constexpr const char* kDpiDefault = "default";      // none of these: --dpi's default

struct ImagePage {
  cv::Mat gray;  // CV_8UC1, upright as the file says (EXIF), alpha on white, red dropped out
  int dpi = 0;   // of `gray`: kOcrDpi when the file's own was below kMinOcrDpi (upsampled)
  const char* dpi_source = kDpiEstimated;
  int file_dpi = 0;  // the file's resolution as decided by dpi_source, before any upsampling
  // The image as given, for mapping boxes back onto it (InputImage): its file and frame, its
  // size as decoded, the EXIF orientation applied and the upsampling factor (1: none).
  std::string file;
  int frame = 0;
  int decoded_width = 0, decoded_height = 0;
  int orientation = 1;
  double scale = 1.0;
};

// Pages below kMinOcrDpi (screenshots and web images at 96-150 dpi) are upsampled to kOcrDpi
// (bicubic) before anything reads them: at 100 and 120 dpi the ruling lines are too thin and
// close for the grid stage and the glyphs too small for Tesseract (testdata/scan_tables.pdf's
// pages as 100-dpi PNGs: 39 of 274 cells as the PDF gives them; upsampled to 200 dpi: see
// the README's "Page images").
inline constexpr int kMinOcrDpi = 150, kOcrDpi = 200;

// Metadata resolutions outside this range are not believed (0, 1, 2400 "dpi" of a fax header).
inline constexpr int kMinPlausibleDpi = 70, kMaxPlausibleDpi = 1200;

// Whether a file's resolution `res` can be believed for `gray`: inside the plausible range, and
// for the screen defaults 72 and 96 (screenshots and web images carry them whatever was
// captured) only when EstimateDpi agrees within 25 % or cannot tell.
// `estimate` gives the text's resolution (EstimateDpi) and is called only for 72 and 96.
bool BelievableResolution(int res, const std::function<int()>& estimate);
bool BelievableResolution(int res, const cv::Mat& gray);

// The resolution of a page from its text: the height of full Han glyphs (the tallest common
// height of glyph-sized connected components), taken as 8.3 points (body text of 10.5 pt, a
// Han glyph's ink about 0.8 em; calibrated on both pages of testdata/scan_tables.pdf at 150,
// 200 and 300 dpi: within 8% of the truth). Returns 0 when the page has too little text.
int EstimateDpi(const cv::Mat& gray);

// The files of a page-image folder (--pages-of DIR) in page order: *.png, *.jpg, *.jpeg, *.tif,
// *.tiff (any case; subfolders and other files are not pages), sorted in natural order (p2
// before p10). Throws BadInputError for an unreadable folder or one without page images.
std::vector<std::string> PageImageFiles(const std::string& dir);
// Natural order: digit runs compare as numbers ("p2" < "p10"), the rest character by character.
bool NaturalLess(const std::string& a, const std::string& b);
bool IsPageImageName(const std::filesystem::path& p);  // by extension, any case

// One image file: its bytes and the name that names it in messages.
struct ImageFile {
  std::string bytes, name;
};

class PageImages {
 public:
  // Pages from several files, in the order given (a TIFF gives all its frames in turn). Checks
  // every file's signature and header; throws BadInputError as the one-file constructor.
  PageImages(std::vector<ImageFile> files, const RasterOptions& options);
  // `bytes` is the whole file, `name` names it in messages. Decodes the first page at once:
  // throws BadInputError for a file that is not a PNG, JPEG or TIFF, is damaged or truncated,
  // or has more pixels than options.limits.max_pixels.
  PageImages(std::string bytes, const std::string& name, const RasterOptions& options);
  ~PageImages();
  PageImages(const PageImages&) = delete;
  PageImages& operator=(const PageImages&) = delete;

  int page_count() const { return static_cast<int>(pages_.size()); }
  // Page `index` (0-based), its resolution and where that came from. The first page is
  // returned once from the copy decoded by the constructor. Throws std::runtime_error for a
  // frame that cannot be decoded. Safe to call from several threads for different pages.
  ImagePage page(int index) const;

 private:
  ImagePage decode(int index) const;
  struct File {
    std::string bytes, name;
    ImageFormat format = ImageFormat::kNone;
  };
  std::vector<File> files_;
  std::vector<std::pair<int, int>> pages_;  // per page: its file, its frame in the file
  RasterOptions options_;
  mutable std::mutex first_lock_;
  mutable ImagePage first_;  // taken by the first call of page(0)
};

}  // namespace juesuan
