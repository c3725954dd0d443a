// Faults stay contained and limits hold: the page renderer's worker process (memory, time,
// cancellation), Tesseract's monitor, off-page text-layer coordinates, inputs read once, and
// the extractor's guards around its callbacks. The hard inputs are in testdata/hard/ (from
// fuzzing; see testdata/hard/README.md).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "pipeline/extractor.h"
#include "pipeline/sha256.h"
#include "stages/common/amount.h"
#include "stages/common/cancel.h"
#include "stages/common/errors.h"
#include "stages/emit/json_output.h"
#include "stages/rasterise/rasteriser.h"
#include "stages/read/cell_ocr.h"
#include "stages/read/text_layer.h"
#include "test_support.h"

namespace juesuan {
namespace {

using testing::TestData;

std::string Hard(const std::string& name) { return TestData("hard/" + name); }

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string AllWarnings(const Document& doc) {
  std::string all;
  for (const auto& w : doc.warnings) all += w + "\n";
  return all;
}

ExtractOptions OneThread() {
  ExtractOptions o;
  o.threads = 1;
  return o;
}

TEST(RenderWorker, RendersAPageAtTheAskedResolution) {
  Rasteriser raster(TestData("scan_tables.pdf"));
  RenderedPage page = raster.render_at(0, 100);
  EXPECT_EQ(page.dpi, 100);
  EXPECT_DOUBLE_EQ(page.scale, 100 / 72.0);
  EXPECT_EQ(page.gray.type(), CV_8UC1);
  // A landscape A4 page at 100 dpi: 1169 x 827 pixels.
  EXPECT_NEAR(page.gray.cols, 1169, 2);
  EXPECT_NEAR(page.gray.rows, 827, 2);
  // Not blank: the page holds ruled tables.
  EXPECT_LT(cv::mean(page.gray)[0], 254.0);
  EXPECT_GT(cv::mean(page.gray)[0], 150.0);
}

TEST(RenderWorker, OneWorkerServesPageAfterPageAndOutlivesABadPage) {
  const int fd = ::open(TestData("digital_traits.pdf").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  RenderWorker worker(fd, RenderLimits{});
  RenderedPage portrait = worker.render(0, 72, {});
  RenderedPage landscape = worker.render(1, 72, {});
  EXPECT_LT(portrait.gray.cols, portrait.gray.rows);
  EXPECT_GT(landscape.gray.cols, landscape.gray.rows);
  try {
    worker.render(7, 72, {});
    ADD_FAILURE() << "rendered a page that does not exist";
  } catch (const RenderError& e) {
    EXPECT_TRUE(Contains(e.what(), "page 8 cannot be read")) << e.what();
  }
  EXPECT_TRUE(worker.alive());
  EXPECT_EQ(worker.render(0, 72, {}).gray.size(), portrait.gray.size());
  ::close(fd);
}

TEST(RenderWorker, ThePixelCapLowersTheResolution) {
  RasterOptions o;
  o.limits.max_pixels = 1'000'000;
  Rasteriser raster(TestData("scan_tables.pdf"), o);
  RenderedPage page = raster.render_at(0, 300);
  EXPECT_LT(page.dpi, 300);
  EXPECT_LE(static_cast<long long>(page.gray.total()), 1'000'000);
}

// The message of the RenderError that rendering page 1 of `hard_input` under `o` throws.
std::string RenderFailure(const std::string& hard_input, const RasterOptions& o) {
  Rasteriser raster(Hard(hard_input), o);
  try {
    raster.render(0);
  } catch (const RenderError& e) {
    return e.what();
  }
  return "(rendered)";
}

TEST(RenderWorker, AnImageScaledByAHugeMatrixStopsAtTheMemoryLimit) {
  // Found by fuzzing: 2.0 GB in-process. Now the worker hits its address-space limit.
  RasterOptions o;
  o.limits.memory_mb = 512;
  const std::string message = RenderFailure("scan-image-matrix-x99999.pdf", o);
  EXPECT_TRUE(Contains(message, "more than 512 MB")) << message;
}

TEST(RenderWorker, ADeclaredGiantImageStopsAtTheTimeLimit) {
  // 701 bytes declaring a 200000 x 200000 image: 77 s of decoding in-process.
  RasterOptions o;
  o.limits.seconds = 1;
  const std::string message = RenderFailure("image-declared-200000x200000.pdf", o);
  EXPECT_TRUE(Contains(message, "longer than 1 s")) << message;
}

TEST(RenderWorker, ACancelledRenderThrowsCancelledAndKillsTheWorker) {
  Rasteriser raster(Hard("image-declared-200000x200000.pdf"));
  std::atomic<bool> stop{false};
  CancelToken token(&stop, CancelToken::Clock::now(), 0);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  try {
    raster.render(0, token);
    ADD_FAILURE() << "rendered";
  } catch (const Cancelled& e) {
    EXPECT_EQ(e.why(), Cancelled::Why::kStopped);
  }
  stopper.join();
}

TEST(CancelToken, DeadlineAndStopFlag) {
  std::atomic<bool> stop{false};
  const auto now = CancelToken::Clock::now();
  EXPECT_FALSE(CancelToken().cancelled());
  EXPECT_FALSE(CancelToken(&stop, now, 0).cancelled());
  EXPECT_FALSE(CancelToken(&stop, now, 100).cancelled());
  EXPECT_TRUE(CancelToken(&stop, now - std::chrono::seconds(2), 1).past_deadline());
  CancelToken token(&stop, now, 100);
  stop = true;
  try {
    token.check("ocr");
    FAIL() << "not cancelled";
  } catch (const Cancelled& e) {
    EXPECT_EQ(e.why(), Cancelled::Why::kStopped);
    EXPECT_STREQ(e.what(), "ocr: stopped");
  }
}

TEST(CellOcrCancel, ARecognitionPastTheDeadlineThrows) {
  CellOcr ocr;
  cv::Mat crop(40, 200, CV_8UC1, cv::Scalar(255));
  cv::putText(crop, "12345.67", {5, 30}, cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 2);
  EXPECT_EQ(ocr.read_cell(crop, 300, false).text, "12345.67");
  CancelToken late(nullptr, CancelToken::Clock::now() - std::chrono::seconds(5), 1);
  {
    CancelScope scope(ocr, late);
    try {
      ocr.read_cell(crop, 300, false);
      FAIL() << "read past the deadline";
    } catch (const Cancelled& e) {
      EXPECT_EQ(e.why(), Cancelled::Why::kDeadline);
    }
  }
  // The scope is over: the engine reads again.
  EXPECT_EQ(ocr.read_cell(crop, 300, false).text, "12345.67");
}

TEST(TextLayerLimits, CharactersOffThePageAreDroppedWithAWarning) {
  // Coordinates near 1e9 overflowed int arithmetic in the assembler (UBSan).
  Extractor extractor(OneThread());
  for (const char* name :
       {"overflow-textlayer-coords-1e9-a.pdf", "overflow-textlayer-coords-1e9-b.pdf"}) {
    Document doc = extractor.extract(Hard(name));
    EXPECT_TRUE(Contains(AllWarnings(doc), "text-layer characters off the page were dropped"))
        << name << ": " << AllWarnings(doc);
    for (const auto& t : doc.tables)
      for (const auto& c : t.cells) {
        EXPECT_GE(c.bbox.x, 0) << name;
        EXPECT_GE(c.bbox.y, 0) << name;
      }
  }
}

TEST(FuzzFindings, FormatCentsOfTheSmallestInt64) {
  // -INT64_MIN overflowed (UBSan, fuzz_amount).
  EXPECT_EQ(FormatCents(INT64_MIN, false), "-92233720368547758.08");
  EXPECT_EQ(FormatCents(INT64_MAX, true), "92,233,720,368,547,758.07");
}

TEST(FuzzFindings, TextBoxesBeyondIntRangeSaturate) {
  // Boxes of 1e12 and NaN were converted to int unchecked (UBSan, fuzz_text_layer).
  TextBox huge;
  huge.text = U"预算";
  huge.box = cv::Rect2d(-1.5e12, 10, 3e12, 1e12);
  huge.chars = {cv::Rect2d(-1.5e12, 10, 1.5e12, 1e12), cv::Rect2d(0, 10, 1.5e12, 1e12)};
  TextBox nan = huge;
  nan.box = cv::Rect2d(std::nan(""), 10, 20, 20);
  auto lines = TextLinesOutside({huge, nan}, {});
  ASSERT_FALSE(lines.empty());
  for (const auto& l : lines) {
    EXPECT_GE(l.bbox.x, -(1 << 26));
    EXPECT_LE(l.bbox.w, 1 << 26);
    EXPECT_LE(l.bbox.h, 1 << 26);
  }
}

TEST(FuzzFindings, ContentBoxOfHugeCharacterBoxesStaysOnThePage) {
  // A character box of 3e12 px centred in a cell: its box was rounded to int before it was
  // clipped to the page (UBSan, fuzz_text_layer, GlyphsBox). Clipped in doubles first, the
  // content box is the ink inside the cell.
  Grid grid;
  grid.xs = {0, 200};
  grid.ys = {0, 100};
  grid.cells = {GridCell{0, 0, 1, 1, Box{0, 0, 200, 100}}};
  cv::Mat binary = cv::Mat::zeros(100, 200, CV_8U);
  cv::rectangle(binary, cv::Rect(50, 40, 60, 20), cv::Scalar(255), cv::FILLED);
  TextBox huge;
  huge.text = U"预";
  huge.box = cv::Rect2d(-1.5e12 + 100, -1.5e12 + 50, 3e12, 3e12);
  huge.chars = {huge.box};
  const auto cells = FillGridFromText(grid, {huge}, 1, {1, 0, 0, 0, 1, 0}, binary);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].text, "预");
  ASSERT_TRUE(cells[0].content_bbox.has_value());
  EXPECT_EQ(cells[0].content_bbox->x, 50);
  EXPECT_EQ(cells[0].content_bbox->y, 40);
  EXPECT_LE(cells[0].content_bbox->w, 61);
  EXPECT_LE(cells[0].content_bbox->h, 21);
}

TEST(FuzzFindings, AGlyphOfFontSize1e12IsDroppedAsOffThePage) {
  // 599 bytes: "BT /F1 1000000000000 Tf 72 700 Td (Budget) Tj ET" (a whole extract reached the
  // int conversion in TextLinesOutside).
  ExtractOptions o = OneThread();
  o.ocr_mode = OcrMode::kNever;
  Document doc = Extractor(o).extract(TestData("fuzz-seeds/extract/text-font-size-1e12.pdf"));
  EXPECT_TRUE(Contains(AllWarnings(doc), "text-layer characters off the page were dropped"))
      << AllWarnings(doc);
  EXPECT_NO_THROW(ToJson(doc).dump());
}

TEST(TextLayerLimits, CharactersArePlacedAtTheResolutionActuallyRendered) {
  ExtractOptions capped = OneThread();
  capped.raster.limits.max_pixels = 600'000;  // the 150-dpi text-layer render drops to ~90
  Document small = Extractor(capped).extract(TestData("digital_traits.pdf"));
  Document normal = Extractor(OneThread()).extract(TestData("digital_traits.pdf"));
  ASSERT_LT(small.page_results.at(0).dpi, normal.page_results.at(0).dpi);
  ASSERT_EQ(small.tables.size(), normal.tables.size());
  ASSERT_FALSE(normal.tables.empty());
  for (size_t t = 0; t < normal.tables.size(); ++t) {
    std::vector<std::string> a, b;
    for (const auto& c : normal.tables[t].cells) a.push_back(c.text);
    for (const auto& c : small.tables[t].cells) b.push_back(c.text);
    EXPECT_EQ(a, b) << "table " << t;
  }
}

TEST(TextLayerLimits, TooManyCharactersSendThePageToOcr) {
  ExtractOptions o = OneThread();
  o.max_text_chars = 20;
  Document doc = Extractor(o).extract(TestData("digital_traits.pdf"));
  ASSERT_FALSE(doc.page_results.empty());
  EXPECT_EQ(doc.page_results[0].path, "ocr");
  EXPECT_TRUE(Contains(doc.page_results[0].path_reason, "more than the limit of 20"))
      << doc.page_results[0].path_reason;
}

TEST(DocumentLimits, TooManyPagesIsBadInput) {
  ExtractOptions o = OneThread();
  o.max_pages = 1;
  try {
    Extractor(o).extract(TestData("digital_traits.pdf"));
    FAIL() << "extracted";
  } catch (const BadInputError& e) {
    EXPECT_TRUE(Contains(e.what(), "2 pages, more than the limit of 1")) << e.what();
  }
}

TEST(DocumentLimits, AGridWithTooManyCellsIsNotRead) {
  ExtractOptions o = OneThread();
  o.max_grid_cells = 10;
  Document doc = Extractor(o).extract(TestData("digital_traits.pdf"));
  EXPECT_TRUE(doc.tables.empty());
  EXPECT_TRUE(Contains(AllWarnings(doc), "(more than the limit of 10) was not read"))
      << AllWarnings(doc);
}

TEST(ReadOnce, AFifoIsReadOnceAndItsBytesAreHashed) {
  testing::TempDir dir;
  const std::string fifo = (dir / "in.pdf").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string bytes = testing::ReadAll(TestData("digital_traits.pdf"));
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out << bytes;
  });
  Document doc = Extractor(OneThread()).extract(fifo);
  writer.join();
  EXPECT_EQ(doc.sha256, Sha256Hex(bytes));
  EXPECT_EQ(doc.pages, 2);
  EXPECT_EQ(doc.tables.size(), 2u);
}

TEST(Timeout, ADocumentPastItsTimeLimitIsReportedAsTimedOut) {
  ExtractOptions o = OneThread();
  o.document_timeout = 1;
  std::vector<Outcome> outcomes;
  Extractor(o).extract_many({Hard("image-declared-200000x200000.pdf")},
                            [&](Outcome&& out) { outcomes.push_back(std::move(out)); });
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].doc.has_value());
  EXPECT_EQ(outcomes[0].stage, "timeout");
  EXPECT_TRUE(Contains(outcomes[0].error, "longer than 1")) << outcomes[0].error;
}

TEST(Timeout, StoppingMidPageAbandonsTheDocument) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop = true;
  });
  int outcomes = 0;
  Extractor(OneThread())
      .extract_many(
          {Hard("image-declared-200000x200000.pdf")}, [&](Outcome&&) { ++outcomes; }, &stop);
  stopper.join();
  EXPECT_EQ(outcomes, 0);  // a document cut short is never reported as done
}

TEST(Containment, AThrowingResultHandlerIsReportedOnceAndTheBatchGoesOn) {
  std::vector<std::string> calls;
  Extractor(OneThread())
      .extract_many({TestData("no_table.pdf"), TestData("blank.pdf")}, [&](Outcome&& out) {
        calls.push_back(out.path + "|" + out.stage + "|" + out.error);
        if (out.stage.empty()) throw std::runtime_error("disk on fire");
      });
  std::sort(calls.begin(), calls.end());
  // Each document: its result, then the handler's own failure, reported once.
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0], TestData("blank.pdf") + "|report|disk on fire");
  EXPECT_EQ(calls[1], TestData("blank.pdf") + "||");
  EXPECT_EQ(calls[2], TestData("no_table.pdf") + "|report|disk on fire");
  EXPECT_EQ(calls[3], TestData("no_table.pdf") + "||");
}

TEST(Containment, APageThatCannotRenderIsAPageWarningAndTheDocumentIsKept) {
  ExtractOptions o = OneThread();
  o.raster.limits.memory_mb = 512;
  Document doc = Extractor(o).extract(Hard("scan-image-matrix-x99999.pdf"));
  EXPECT_EQ(doc.pages, 1);
  EXPECT_TRUE(Contains(AllWarnings(doc), "page 1: rasterise failed")) << AllWarnings(doc);
  EXPECT_TRUE(Contains(AllWarnings(doc), "more than 512 MB")) << AllWarnings(doc);
  EXPECT_NO_THROW(ToJson(doc).dump());
}

}  // namespace
}  // namespace juesuan
