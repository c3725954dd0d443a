// The extract pipeline: one oneTBB flow graph that carries documents and their pages through
// rasterise -> prepare -> find grids -> read cells, then assembles each document.
//
//   documents --> pages --> limiter --> rasterise --> prepare --> find grids --> read cells
//                              ^                                                    |
//                              +-------------- page done (document complete?) <-----+
//
// Pages of different documents are worked on at the same time; the limiter caps pages in
// flight, so memory stays flat however many documents a batch holds. Poppler objects are not
// shared across threads: each document renders its pages one at a time under its own lock.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "stages/cell_ocr.h"
#include "stages/code_dictionary.h"
#include "stages/rasteriser.h"

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
  std::string stage;            // on failure: "open", "timeout", ...
  std::string error;            // on failure: one line
  bool bad_input = false;       // the failure is the input's fault (exit code 3)
  double seconds = 0;
};

class Extractor {
 public:
  explicit Extractor(ExtractOptions options);
  ~Extractor();
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
  struct Engines;  // per-thread OCR engines, created on first use and reused
  ExtractOptions options_;
  std::unique_ptr<const CodeDictionary> dictionary_;  // loaded once
  std::unique_ptr<Engines> engines_;
};

}  // namespace juesuan
