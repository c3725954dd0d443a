#include "pipeline/extractor.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "pipeline/page_graph.h"
#include "pipeline/sha256.h"
#include "stages/common/errors.h"
#include "stages/common/version.h"
#include "stages/rasterise/render_worker.h"

namespace juesuan {

struct Extractor::Impl {
  explicit Impl(ExtractOptions o)
      : options(std::move(o)),
        engines(options.ocr),
        dictionary(CodeDictionary::DefaultPath()),
        catalogue(TableCatalogue::DefaultPath()),
        facts(FactCatalogue::DefaultPath()) {
    // Fail early (and with a clear message) when a model or the page renderer is missing.
    engines.local();
    RenderWorkerPath();
  }
  ExtractOptions options;
  OcrEngines engines;
  const CodeDictionary dictionary;
  const TableCatalogue catalogue;
  const FactCatalogue facts;
};

Extractor::Extractor(ExtractOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Extractor::~Extractor() = default;

std::string ConfigHash(const ExtractOptions& o) {
  std::string s = std::string("juesuan ") + kVersion + "|dpi " + std::to_string(o.raster.dpi) +
                  "|scan_dpi " + std::to_string(o.raster.respect_scan_dpi) + "|max_px " +
                  std::to_string(o.raster.limits.max_pixels) + "|ocr " +
                  std::to_string(static_cast<int>(o.ocr_mode)) + "|text_dpi " +
                  std::to_string(o.text_layer_dpi) + "|models " + o.ocr.tessdata_dir + "/" +
                  o.ocr.text_model + "+" + o.ocr.digit_model + "|repair " +
                  std::to_string(o.repair) + "|limits " + std::to_string(o.max_pages) + "," +
                  std::to_string(o.max_text_chars) + "," + std::to_string(o.max_grid_cells);
  // An explicit --dpi is the resolution of page images without metadata. Added only when set,
  // so that outputs made before page images were read stay up to date.
  if (o.raster.dpi_given) s += "|dpi_given";
  return Sha256Hex(s).substr(0, 16);
}

Document Extractor::extract(const std::string& path) {
  std::optional<Outcome> result;
  extract_many({path}, [&](Outcome&& o) { result = std::move(o); });
  if (!result) throw std::runtime_error("document was not processed");
  if (!result->doc) {
    if (result->bad_input) throw BadInputError(result->error);
    throw std::runtime_error(result->stage + ": " + result->error);
  }
  return std::move(*result->doc);
}

void Extractor::extract_many(const std::vector<std::string>& paths,
                             const std::function<void(Outcome&&)>& on_finished,
                             const std::atomic<bool>* stop, const std::function<void()>& on_page) {
  const ExtractOptions& options = impl_->options;
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  GraphContext context{
      options, impl_->dictionary, impl_->catalogue, impl_->engines, ConfigHash(options),
      stop,    on_finished,       on_page};
  context.facts = &impl_->facts;
  RunExtractGraph(paths, context, threads);
}

}  // namespace juesuan
