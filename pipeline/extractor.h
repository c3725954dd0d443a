// The facade of the extract pipeline: give it PDFs, get Documents (pipeline/document.h). How a
// page travels through the stages is pipeline/page_graph.h; this header carries no OpenCV,
// Tesseract, Poppler or oneTBB type.
//
// Contract: construct once (loads the OCR models, the subject-code dictionary and the table
// catalogue, and fails early and clearly when one is missing), then call extract() or
// extract_many() any number of times, from one thread at a time. One Extractor uses
// `threads` worker threads inside each call.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "stages/rasterise/raster_params.h"
#include "stages/read/ocr_params.h"

namespace juesuan {

// Which pages are read with OCR: auto = pages whose text layer is missing or unusable.
enum class OcrMode { kAuto, kAlways, kNever };

struct ExtractOptions {
  RasterOptions raster;
  OcrMode ocr_mode = OcrMode::kAuto;
  int text_layer_dpi = 150;  // grid finding only: text comes from the PDF, so less is enough
  OcrOptions ocr;
  bool repair = true;           // dictionary/confusion repair and constrained numeric repair
  int threads = 0;              // 0: all cores
  double document_timeout = 0;  // seconds; 0 = none. Cuts renders and OCR short (CancelToken)
  int max_pages = 5000;         // per document: more is refused as bad input
  long long max_text_chars = 200'000;  // per page: a larger text layer is not used (OCR reads it)
  long long max_grid_cells = 5000;     // per table: a larger lattice is not read (hatching, noise)
  std::string debug_dir;  // when set: one PNG per page with the grid, cells and text drawn
};

// A hash of everything that changes the output (options, models, program version): an output
// made with the same input sha256 and config hash is up to date.
std::string ConfigHash(const ExtractOptions& options);

// What happened to one input.
struct Outcome {
  std::string path;
  std::optional<Document> doc;  // set on success
  std::string stage;            // on failure: "open", "timeout", "assemble", ...
  std::string error;            // on failure: one line
  bool bad_input = false;       // the failure is the input's fault (exit code 3)
  double seconds = 0;
};

class Extractor {
 public:
  explicit Extractor(ExtractOptions options);
  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // One PDF (any readable file: a pipe is read once). Throws BadInputError for unreadable
  // input; page problems become page warnings.
  Document extract(const std::string& pdf_path);
  // Many PDFs through one graph. `on_finished` is called once per input that was started,
  // one call at a time (never concurrently), in completion order. When `stop` becomes true no
  // new document or page is started; documents with pages not yet started are abandoned
  // (no Outcome), and so are documents whose work in flight was cut short by `stop` (a render
  // or OCR call polls it). `on_page` (optional) is called after every page. Nothing thrown
  // by a stage or by the callbacks escapes: it becomes a page warning or a failed Outcome.
  void extract_many(const std::vector<std::string>& paths,
                    const std::function<void(Outcome&&)>& on_finished,
                    const std::atomic<bool>* stop = nullptr,
                    const std::function<void()>& on_page = {});

 private:
  struct Impl;  // the models and per-thread OCR engines, loaded once (pipeline/extractor.cpp)
  std::unique_ptr<Impl> impl_;
};

}  // namespace juesuan
