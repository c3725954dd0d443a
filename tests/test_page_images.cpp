// Page images in (PNG, JPEG, TIFF): the pages of testdata/scan_tables.pdf rendered in-process by
// the project's own Rasteriser and written with Leptonica, then read by the built CLI; and the
// decoder itself on images made in the test (1-bit, alpha, EXIF orientation, truncated).
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "pipeline/sha256.h"
#include "stages/common/errors.h"
#include "stages/rasterise/page_images.h"
#include "stages/rasterise/rasteriser.h"
#include "test_support.h"

namespace juesuan {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CachedExtraction;
using testing::ReadAll;
using testing::RunCli;
using testing::TempDir;
using testing::TestData;

struct PixFree {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixFree>;

PixPtr ToPix(const cv::Mat& gray, int dpi) {
  PixPtr pix(pixCreate(gray.cols, gray.rows, 8));
  for (int y = 0; y < gray.rows; ++y) {
    l_uint32* line = pixGetData(pix.get()) + static_cast<size_t>(y) * pixGetWpl(pix.get());
    for (int x = 0; x < gray.cols; ++x) SET_DATA_BYTE(line, x, gray.at<uchar>(y, x));
  }
  pixSetResolution(pix.get(), dpi, dpi);  // 0: no resolution written (no pHYs)
  return pix;
}

std::string Bytes(l_uint8* data, size_t size) {
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

std::string Encode(PIX* pix, int format) {
  l_uint8* data = nullptr;
  size_t size = 0;
  if (format == IFF_JFIF_JPEG) {
    if (pixWriteMemJpeg(&data, &size, pix, 95, 0) != 0) throw std::runtime_error("jpeg");
  } else if (pixWriteMem(&data, &size, pix, format) != 0) {
    throw std::runtime_error("encode");
  }
  return Bytes(data, size);
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

// The pages of scan_tables.pdf as the PDF path renders them (200 dpi: the scan's own).
const std::vector<cv::Mat>& ScanPages() {
  static const std::vector<cv::Mat> pages = [] {
    Rasteriser raster(TestData("scan_tables.pdf"));
    std::vector<cv::Mat> out;
    for (int i = 0; i < raster.page_count(); ++i) out.push_back(raster.render(i).gray);
    return out;
  }();
  return pages;
}

json Extract(const fs::path& input) {
  auto r = RunCli({"extract", input.string()});
  if (r.exit_code != 0) throw std::runtime_error("extract failed: " + r.err);
  return json::parse(r.out);
}

// What must agree between two extractions of the same page: structure and every cell's text.
json TableText(const json& table) {
  json cells = json::array();
  for (const auto& c : table["cells"]) cells.push_back({c["r"], c["c"], c["text"]});
  return {table["number"], table["n_rows"], table["n_cols"], cells};
}

TEST(PageImages, PngWithResolutionReadsLikeThePdf) {
  TempDir tmp;
  WriteFile(tmp / "p1.png", Encode(ToPix(ScanPages()[0], 200).get(), IFF_PNG));
  const json doc = Extract(tmp / "p1.png");
  const json pdf = CachedExtraction("scan_tables.pdf");
  ASSERT_EQ(doc["pages"].size(), 1u);
  EXPECT_EQ(doc["pages"][0]["dpi"], 200);
  EXPECT_EQ(doc["pages"][0]["dpi_source"], "metadata");
  EXPECT_EQ(doc["pages"][0]["path"], "ocr");
  EXPECT_EQ(pdf["pages"][0]["dpi_source"], "render");
  ASSERT_EQ(doc["tables"].size(), 1u);
  EXPECT_EQ(TableText(doc["tables"][0]), TableText(pdf["tables"][0]));
}

// A 100-dpi page (a screenshot's resolution) is upsampled to 200 dpi before it is read: without
// that its grid broke (29 x 23 instead of 27 x 9) and 39 of 274 cells came out as in the PDF.
TEST(PageImages, LowResolutionPageIsUpsampledAndReadsLikeThePdf) {
  TempDir tmp;
  cv::Mat half;
  cv::resize(ScanPages()[0], half, {}, 0.5, 0.5, cv::INTER_AREA);
  WriteFile(tmp / "p1.png", Encode(ToPix(half, 100).get(), IFF_PNG));
  const json doc = Extract(tmp / "p1.png");
  const json pdf = CachedExtraction("scan_tables.pdf");
  EXPECT_EQ(doc["pages"][0]["dpi"], kOcrDpi);
  EXPECT_EQ(doc["pages"][0]["dpi_source"], "metadata");
  EXPECT_NE(doc["pages"][0]["warnings"].dump().find("100 dpi upsampled to 200 dpi"),
            std::string::npos);
  ASSERT_EQ(doc["tables"].size(), 1u);
  const json got = TableText(doc["tables"][0]), want = TableText(pdf["tables"][0]);
  EXPECT_EQ(got[1], want[1]);  // rows
  EXPECT_EQ(got[2], want[2]);  // columns
  int same = 0;
  for (const auto& cell : want[3]) same += std::count(got[3].begin(), got[3].end(), cell) > 0;
  EXPECT_GE(same, static_cast<int>(want[3].size()) - 3) << same << " of " << want[3].size();
}

TEST(PageImages, JpegReadsLikeThePdf) {
  TempDir tmp;
  WriteFile(tmp / "p2.jpg", Encode(ToPix(ScanPages()[1], 200).get(), IFF_JFIF_JPEG));
  const json doc = Extract(tmp / "p2.jpg");
  const json pdf = CachedExtraction("scan_tables.pdf");
  EXPECT_EQ(doc["pages"][0]["dpi_source"], "metadata");
  ASSERT_EQ(doc["tables"].size(), 1u);
  EXPECT_EQ(TableText(doc["tables"][0]), TableText(pdf["tables"][1]));
}

TEST(PageImages, TwoPageTiffIsOneDocumentLikeThePdf) {
  TempDir tmp;
  std::unique_ptr<PIXA, void (*)(PIXA*)> pixa(pixaCreate(2), [](PIXA* p) { pixaDestroy(&p); });
  for (const auto& page : ScanPages()) pixaAddPix(pixa.get(), ToPix(page, 200).release(), L_INSERT);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixaWriteMemMultipageTiff(&data, &size, pixa.get()), 0);
  // No extension that says TIFF: the content decides.
  WriteFile(tmp / "scan.bin", Bytes(data, size));
  const json doc = Extract(tmp / "scan.bin");
  const json pdf = CachedExtraction("scan_tables.pdf");
  EXPECT_EQ(doc["source"]["pages"], 2);
  ASSERT_EQ(doc["pages"].size(), 2u);
  ASSERT_EQ(doc["tables"].size(), pdf["tables"].size());
  for (size_t i = 0; i < pdf["tables"].size(); ++i)
    EXPECT_EQ(TableText(doc["tables"][i]), TableText(pdf["tables"][i])) << "table " << i;
  EXPECT_EQ(doc["disclosure"], pdf["disclosure"]);
}

TEST(PageImages, TruncatedPngIsBadInput) {
  TempDir tmp;
  const std::string png = Encode(ToPix(ScanPages()[0], 200).get(), IFF_PNG);
  WriteFile(tmp / "cut.png", png.substr(0, png.size() / 2));
  auto r = RunCli({"extract", (tmp / "cut.png").string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("damaged or truncated PNG"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cut.png"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line: no libpng message
  EXPECT_TRUE(r.out.empty());

  const std::string jpeg = Encode(ToPix(ScanPages()[0], 200).get(), IFF_JFIF_JPEG);
  WriteFile(tmp / "cut.jpg", jpeg.substr(0, jpeg.size() * 2 / 3));
  r = RunCli({"extract", (tmp / "cut.jpg").string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("damaged or truncated JPEG"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line: no libjpeg warning
}

// Without resolution metadata the dpi is estimated from the text, within 15% of the truth.
TEST(PageImages, DpiIsEstimatedWithoutMetadata) {
  for (const auto& page : ScanPages()) {
    const int dpi = EstimateDpi(page);
    EXPECT_NEAR(dpi, 200, 30);
  }
  cv::Mat larger;
  cv::resize(ScanPages()[0], larger, {}, 1.5, 1.5, cv::INTER_CUBIC);
  EXPECT_NEAR(EstimateDpi(larger), 300, 45);
  cv::Mat smaller;
  cv::resize(ScanPages()[0], smaller, {}, 0.75, 0.75, cv::INTER_AREA);
  EXPECT_NEAR(EstimateDpi(smaller), 150, 23);
  EXPECT_EQ(EstimateDpi(cv::Mat(600, 400, CV_8UC1, cv::Scalar(255))), 0);  // no text

  const std::string png = Encode(ToPix(ScanPages()[0], 0).get(), IFF_PNG);
  PageImages images(png, "p1.png", {});
  const ImagePage p = images.page(0);
  EXPECT_STREQ(p.dpi_source, kDpiEstimated);
  EXPECT_NEAR(p.dpi, 200, 30);
  RasterOptions given;
  given.dpi = 240;
  given.dpi_given = true;
  PageImages with_option(png, "p1.png", given);
  EXPECT_STREQ(with_option.page(0).dpi_source, kDpiOption);
  EXPECT_EQ(with_option.page(0).dpi, 240);
}

// Screenshots and web images say 72 or 96 dpi whatever they show: a 200-dpi page saved with
// 72 dpi in its pHYs is estimated; a page that really is about 96 dpi keeps its metadata.
TEST(PageImages, ScreenDefaultResolutionIsCheckedAgainstTheText) {
  const std::string says72 = Encode(ToPix(ScanPages()[0], 72).get(), IFF_PNG);
  const ImagePage p = PageImages(says72, "shot.png", {}).page(0);
  EXPECT_STREQ(p.dpi_source, kDpiEstimated);
  EXPECT_NEAR(p.dpi, 200, 30);
  EXPECT_EQ(p.file_dpi, p.dpi);  // not upsampled
  cv::Mat small;
  cv::resize(ScanPages()[0], small, {}, 0.48, 0.48, cv::INTER_AREA);  // about 96 dpi
  const std::string says96 = Encode(ToPix(small, 96).get(), IFF_PNG);
  const ImagePage q = PageImages(says96, "web.png", {}).page(0);
  EXPECT_STREQ(q.dpi_source, kDpiMetadata);
  EXPECT_EQ(q.file_dpi, 96);
  EXPECT_EQ(q.dpi, kOcrDpi);                               // and upsampled for reading
  EXPECT_TRUE(BelievableResolution(150, ScanPages()[0]));  // not a screen default: believed
  EXPECT_FALSE(BelievableResolution(2400, ScanPages()[0]));
}

TEST(PageImages, EstimatedDpiThroughTheCli) {
  TempDir tmp;
  WriteFile(tmp / "p1.png", Encode(ToPix(ScanPages()[0], 0).get(), IFF_PNG));
  auto r = RunCli({"extract", (tmp / "p1.png").string(), "-o", (tmp / "p1.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(ReadAll(tmp / "p1.json"));
  EXPECT_EQ(doc["pages"][0]["dpi_source"], "estimated");
  EXPECT_NEAR(doc["pages"][0]["dpi"].get<int>(), 200, 30);
  auto v = RunCli({"validate", (tmp / "p1.json").string()});
  // Schema-valid: 0, or 6 when a check fails on the cells; never 7 (schema) or 3.
  EXPECT_TRUE(v.exit_code == 0 || v.exit_code == 6) << v.exit_code << " " << v.out << v.err;
}

TEST(PageImages, FormatIsToldByContent) {
  EXPECT_EQ(SniffImageFormat(std::string("\x89PNG\r\n\x1a\n", 8) + "rest"), ImageFormat::kPng);
  EXPECT_EQ(SniffImageFormat("\xFF\xD8\xFF\xE0"), ImageFormat::kJpeg);
  EXPECT_EQ(SniffImageFormat(std::string("II*\0", 4)), ImageFormat::kTiff);
  EXPECT_EQ(SniffImageFormat(std::string("MM\0*", 4)), ImageFormat::kTiff);
  EXPECT_EQ(SniffImageFormat("%PDF-1.7"), ImageFormat::kNone);
  EXPECT_THROW(PageImages("%PDF-1.7", "x.png", {}), BadInputError);
  EXPECT_THROW(PageImages(std::string("\x89PNG\r\n\x1a\n", 8), "x.png", {}), BadInputError);
}

TEST(PageImages, OneBitAndAlphaBecomeBlackOnWhite) {
  PixPtr bits(pixCreate(40, 30, 1));
  pixSetPixel(bits.get(), 5, 7, 1);  // 1 = black
  PageImages tiff(Encode(bits.get(), IFF_TIFF_G4), "bits.tif", {});
  const cv::Mat g = tiff.page(0).gray;
  ASSERT_EQ(g.size(), cv::Size(40, 30));
  EXPECT_EQ(g.at<uchar>(7, 5), 0);
  EXPECT_EQ(g.at<uchar>(0, 0), 255);

  PixPtr rgba(pixCreate(20, 10, 32));
  pixSetSpp(rgba.get(), 4);
  pixSetAllArbitrary(rgba.get(), 0x00000000);  // black, fully transparent
  pixSetPixel(rgba.get(), 3, 4, 0x000000ff);   // black, opaque
  PageImages png(Encode(rgba.get(), IFF_PNG), "alpha.png", {});
  const cv::Mat a = png.page(0).gray;
  EXPECT_EQ(a.at<uchar>(0, 0), 255);
  EXPECT_LT(a.at<uchar>(4, 3), 10);
}

// Colour goes through the renderer's red drop-out: grey stays grey, a red seal fades to white.
TEST(PageImages, ColourDropsRedInkLikeARenderedPage) {
  PixPtr rgb(pixCreate(10, 10, 32));
  pixSetAllArbitrary(rgb.get(), 0x4d4d4d00);  // r = g = b = 77
  pixSetPixel(rgb.get(), 2, 3, 0xff000000);   // pure red
  PageImages png(Encode(rgb.get(), IFF_PNG), "colour.png", {});
  const cv::Mat g = png.page(0).gray;
  EXPECT_EQ(g.at<uchar>(0, 0), 77);
  EXPECT_EQ(g.at<uchar>(3, 2), 255);
}

// A JPEG whose EXIF orientation is 6 (turn 90 degrees clockwise to show): the page comes out
// turned, as a viewer shows it.
TEST(PageImages, JpegExifOrientationIsApplied) {
  cv::Mat gray(60, 100, CV_8UC1, cv::Scalar(255));
  cv::rectangle(gray, cv::Rect(0, 0, 20, 20), cv::Scalar(0), cv::FILLED);  // top left
  std::string jpeg = Encode(ToPix(gray, 0).get(), IFF_JFIF_JPEG);
  const std::string exif_tiff("MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0",
                              26);
  const std::string body = std::string("Exif\0\0", 6) + exif_tiff;
  const size_t len = body.size() + 2;
  std::string app1 =
      std::string("\xFF\xE1") + static_cast<char>(len >> 8) + static_cast<char>(len & 0xff) + body;
  jpeg.insert(2, app1);
  PageImages images(jpeg, "turned.jpg", {});
  const cv::Mat g = images.page(0).gray;
  ASSERT_EQ(g.size(), cv::Size(60, 100));
  EXPECT_LT(g.at<uchar>(5, 50), 60);  // the block is now top right
  EXPECT_GT(g.at<uchar>(5, 5), 200);  // and no longer top left
}

TEST(PageImages, BatchConvertsPdfsAndImagesTogether) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/a.pdf");
  cv::Mat blank(300, 400, CV_8UC1, cv::Scalar(255));
  cv::rectangle(blank, cv::Rect(50, 50, 100, 60), cv::Scalar(0), 2);
  WriteFile(tmp / "in/sub/B.PNG", Encode(ToPix(blank, 150).get(), IFF_PNG));
  WriteFile(tmp / "in/notes.txt", "not a document");
  const std::vector<std::string> args = {"batch", (tmp / "in").string(), "-o",
                                         (tmp / "out").string(), "--quiet"};
  auto r = RunCli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(tmp / "out/a.pdf.json"));
  ASSERT_TRUE(fs::exists(tmp / "out/sub/B.PNG.json"));
  const json doc = json::parse(ReadAll(tmp / "out/sub/B.PNG.json"));
  EXPECT_EQ(doc["pages"][0]["dpi_source"], "metadata");
  EXPECT_EQ(doc["source"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(json::parse(ReadAll(tmp / "out/_summary.json"))["done"], 2);

  r = RunCli(args);  // resume: both up to date
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(ReadAll(tmp / "out/_summary.json"))["skipped"], 2);
}

TEST(PageImages, BatchListsABrokenImageInErrors) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  const std::string png =
      Encode(ToPix(cv::Mat(300, 400, CV_8UC1, cv::Scalar(255)), 150).get(), IFF_PNG);
  WriteFile(tmp / "in/cut.png", png.substr(0, 40));
  auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const std::string errors = ReadAll(tmp / "out/_errors.jsonl");
  ASSERT_FALSE(errors.empty());
  const json line = json::parse(errors.substr(0, errors.find('\n')));
  EXPECT_EQ(line["stage"], "open");
  EXPECT_NE(line["message"].get<std::string>().find("truncated PNG"), std::string::npos) << errors;
  EXPECT_FALSE(fs::exists(tmp / "out/cut.png.json"));
}

TEST(PageImages, NaturalOrder) {
  EXPECT_TRUE(NaturalLess("p2.png", "p10.png"));
  EXPECT_FALSE(NaturalLess("p10.png", "p2.png"));
  EXPECT_TRUE(NaturalLess("x_p6.png", "x_p8.png"));
  EXPECT_TRUE(NaturalLess("a9", "b1"));
  EXPECT_TRUE(NaturalLess("p2", "p2a"));
  EXPECT_NE(NaturalLess("p02", "p2"), NaturalLess("p2", "p02"));  // a strict order all the same
  EXPECT_FALSE(NaturalLess("p2", "p2"));
}

// A folder of page images is one document: pages in natural order (p2 before p10), the sha256
// over the files' bytes in that order, the same tables as the PDF.
TEST(PageImages, PagesOfAFolderAreOneDocument) {
  TempDir tmp;
  fs::create_directories(tmp / "pages/sub");
  const std::string first = Encode(ToPix(ScanPages()[0], 200).get(), IFF_PNG);
  const std::string second = Encode(ToPix(ScanPages()[1], 200).get(), IFF_PNG);
  WriteFile(tmp / "pages/doc_p10.png", second);
  WriteFile(tmp / "pages/doc_p2.png", first);
  WriteFile(tmp / "pages/readme.txt", "not a page");
  WriteFile(tmp / "pages/sub/p1.png", "not read: subfolders are not pages");
  auto r = RunCli({"extract", "--pages-of", (tmp / "pages").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  const json pdf = CachedExtraction("scan_tables.pdf");
  EXPECT_EQ(doc["source"]["pages"], 2);
  EXPECT_EQ(doc["source"]["sha256"], Sha256Hex(first + second));
  ASSERT_EQ(doc["tables"].size(), pdf["tables"].size());
  for (size_t i = 0; i < pdf["tables"].size(); ++i)
    EXPECT_EQ(TableText(doc["tables"][i]), TableText(pdf["tables"][i])) << "table " << i;

  r = RunCli({"extract", (tmp / "pages").string()});  // a folder without --pages-of
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--pages-of"), std::string::npos) << r.err;
  r = RunCli({"extract", "--pages-of", (tmp / "pages/sub").string()});  // no page image inside
  EXPECT_EQ(r.exit_code, 3);
  fs::create_directories(tmp / "empty");
  r = RunCli({"extract", "--pages-of", (tmp / "empty").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no page images"), std::string::npos) << r.err;
}

// In a batch, a folder of page images named by --pages-of (or by a manifest line
// "--pages-of DIR") is one document, output <folder name>.json, resumed like any input.
TEST(PageImages, BatchReadsFoldersOfPagesAsDocuments) {
  TempDir tmp;
  fs::create_directories(tmp / "scans/doc17");
  fs::create_directories(tmp / "listed/blank_pages");
  fs::create_directories(tmp / "empty");
  const std::string first = Encode(ToPix(ScanPages()[0], 200).get(), IFF_PNG);
  const std::string second = Encode(ToPix(ScanPages()[1], 200).get(), IFF_PNG);
  WriteFile(tmp / "scans/doc17/x_p10.png", second);
  WriteFile(tmp / "scans/doc17/x_p2.png", first);
  const std::string blank =
      Encode(ToPix(cv::Mat(300, 400, CV_8UC1, cv::Scalar(255)), 150).get(), IFF_PNG);
  WriteFile(tmp / "listed/blank_pages/p1.png", blank);
  WriteFile(tmp / "listed/blank_pages/p2.png", blank);
  WriteFile(tmp / "listed/list.txt",
            "# page folders\n--pages-of blank_pages\n--pages-of ../empty\n");
  const std::vector<std::string> args = {"batch",      (tmp / "listed/list.txt").string(),
                                         "--pages-of", (tmp / "scans/doc17/").string(),
                                         "-o",         (tmp / "out").string(),
                                         "--quiet"};
  auto r = RunCli(args);
  EXPECT_EQ(r.exit_code, 4) << r.err;  // the empty folder
  ASSERT_TRUE(fs::exists(tmp / "out/doc17.json"));
  const json doc = json::parse(ReadAll(tmp / "out/doc17.json"));
  EXPECT_EQ(doc["source"]["pages"], 2);
  EXPECT_EQ(doc["source"]["sha256"], Sha256Hex(first + second));
  const json pdf = CachedExtraction("scan_tables.pdf");
  ASSERT_EQ(doc["tables"].size(), pdf["tables"].size());
  EXPECT_EQ(TableText(doc["tables"][0]), TableText(pdf["tables"][0]));
  ASSERT_TRUE(fs::exists(tmp / "out/blank_pages.json"));
  EXPECT_EQ(json::parse(ReadAll(tmp / "out/blank_pages.json"))["source"]["pages"], 2);
  const std::string errors = ReadAll(tmp / "out/_errors.jsonl");
  EXPECT_NE(errors.find("no page images"), std::string::npos) << errors;
  EXPECT_EQ(json::parse(ReadAll(tmp / "out/_summary.json"))["done"], 2);

  r = RunCli(args);  // resume: both documents up to date (sha256 over their pages)
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(json::parse(ReadAll(tmp / "out/_summary.json"))["skipped"], 2);
  // A changed page makes its folder's document due again.
  WriteFile(tmp / "listed/blank_pages/p3.png", blank);
  r = RunCli(args);
  const json summary = json::parse(ReadAll(tmp / "out/_summary.json"));
  EXPECT_EQ(summary["skipped"], 1);
  EXPECT_EQ(summary["done"], 1);
  EXPECT_EQ(json::parse(ReadAll(tmp / "out/blank_pages.json"))["source"]["pages"], 3);
  // A --pages-of that does not exist is a usage error, like a missing INPUT.
  EXPECT_EQ(RunCli({"batch", "--pages-of", (tmp / "nowhere").string(), "-o",
                    (tmp / "out2").string(), "--quiet"})
                .exit_code,
            2);
}

}  // namespace
}  // namespace juesuan
