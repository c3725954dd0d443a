// The extract graph, wired in one place (RunExtractGraph). Each node is a small named functor
// that runs one stage; the data it carries is a PageJob (one page) or a DocState (one document).
//
//   open documents -> pages in flight -> rasterise -> prepare -> find grids -> read cells
//        (limiter: caps pages in memory)  ^                                        |
//                                         +------------ collect page <-------------+
//                                                            | (last page of a document)
//                        report <- check <- repair <- assemble
//
// Pages of different documents are worked on at the same time; the limiter caps pages in flight,
// so memory stays flat however many documents a batch holds. Only pipeline/ sees this header.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/extractor.h"
#include "stages/classify/table_classifier.h"
#include "stages/facts/fact_catalogue.h"
#include "stages/read/cell_ocr.h"
#include "stages/repair/code_dictionary.h"

namespace juesuan {

// One CellOcr per worker thread, created on first use and kept for the Extractor's life:
// Tesseract's Init is costly and a TessBaseAPI is not thread-safe.
class OcrEngines {
 public:
  explicit OcrEngines(const OcrOptions& options);
  ~OcrEngines();
  CellOcr& local();  // this thread's engine

 private:
  struct PerThread;
  std::unique_ptr<PerThread> engines_;
};

// What every node may read; the models are loaded once by the Extractor and passed in.
struct GraphContext {
  const ExtractOptions& options;
  const CodeDictionary& dictionary;
  const TableCatalogue& catalogue;
  OcrEngines& engines;
  std::string config_hash;
  const std::atomic<bool>* stop = nullptr;
  // Called once per finished input, never concurrently (RunExtractGraph serialises the calls
  // and turns a throw into a failed Outcome of that input).
  std::function<void(Outcome&&)> report;
  std::function<void()> on_page;         // optional, after every page
  const FactCatalogue* facts = nullptr;  // the narrative facts' catalogue; none: no facts read
};

// Runs `paths` through the graph on `threads` threads; returns when every started document is
// reported or abandoned (see Extractor::extract_many).
void RunExtractGraph(const std::vector<std::string>& paths, const GraphContext& context,
                     int threads);

}  // namespace juesuan
