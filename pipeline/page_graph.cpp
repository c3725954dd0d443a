#include "pipeline/page_graph.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/flow_graph.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>

#include "pipeline/document_stages.h"
#include "pipeline/sha256.h"
#include "stages/assemble/table_assembler.h"
#include "stages/common/cancel.h"
#include "stages/common/errors.h"
#include "stages/emit/debug_image.h"
#include "stages/facts/facts.h"
#include "stages/grid/grid_detector.h"
#include "stages/prepare/input_frame.h"
#include "stages/prepare/page_preparer.h"
#include "stages/rasterise/page_images.h"
#include "stages/rasterise/rasteriser.h"
#include "stages/read/table_reader.h"
#include "stages/read/text_layer.h"

namespace juesuan {

struct OcrEngines::PerThread {
  explicit PerThread(const OcrOptions& o) : ocr([o] { return std::make_unique<CellOcr>(o); }) {}
  tbb::enumerable_thread_specific<std::unique_ptr<CellOcr>> ocr;
};
OcrEngines::OcrEngines(const OcrOptions& options)
    : engines_(std::make_unique<PerThread>(options)) {}
OcrEngines::~OcrEngines() = default;
CellOcr& OcrEngines::local() { return *engines_->ocr.local(); }

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A document on its way through the graph.
struct DocState {
  std::string path;
  // The pages come from one of these: a PDF rendered, or a page-image file decoded.
  std::unique_ptr<Rasteriser> raster;
  std::unique_ptr<PageImages> images;
  std::mutex text_lock;  // the in-process Poppler document: one thread at a time
  Document doc;
  std::atomic<int> remaining{0};
  std::atomic<bool> timed_out{false};
  std::atomic<bool> stopped{false};  // a page was cut short by Ctrl-C: no Outcome, no output
  Clock::time_point started;
  CancelToken cancel;               // Ctrl-C / SIGTERM, or the document's --timeout
  std::string failed_stage, error;  // set by the first document stage that fails
};
using DocPtr = std::shared_ptr<DocState>;

// A page on its way through the graph.
struct PageJob {
  DocPtr doc;
  int index = 0;
  cv::Mat gray, binary;
  std::vector<Grid> grids;
  std::vector<TextBox> words;  // the page's text layer, when it is used instead of OCR
  bool text_layer = false;
  PageResult result;
  bool failed = false;
};
using JobPtr = std::shared_ptr<PageJob>;

// Runs one page stage: whatever it throws becomes a page warning (a failed page), never an
// exception through the flow graph, which would cancel every document in flight. Later stages
// skip a failed page.
template <typename Body>
void RunPageStage(PageJob& job, const char* stage, Body&& body) {
  if (job.failed) return;
  auto t0 = Clock::now();
  try {
    job.doc->cancel.check(stage);
    body();
  } catch (const Cancelled& e) {
    job.failed = true;
    (e.why() == Cancelled::Why::kDeadline ? job.doc->timed_out : job.doc->stopped) = true;
  } catch (const std::exception& e) {
    job.failed = true;
    job.result.warnings.push_back(std::string(stage) + " failed: " + e.what());
  } catch (...) {
    job.failed = true;
    job.result.warnings.push_back(std::string(stage) + " failed: unknown error");
  }
  const double took = Since(t0);
  job.result.seconds += took;
  job.result.stage_seconds.emplace_back(stage, took);
}

// Runs one document stage; the first failure ends the document's work (reported as failed).
template <typename Body>
void RunDocumentStage(DocState& state, const char* stage, Body&& body) {
  if (!state.failed_stage.empty()) return;
  try {
    body();
  } catch (const std::exception& e) {
    state.failed_stage = stage;
    state.error = e.what();
  } catch (...) {
    state.failed_stage = stage;
    state.error = "unknown error";
  }
}

// Reads and hashes the input and opens its pages; returns true for page images. A folder (only
// `extract --pages-of DIR` passes one) is one document of its page images in natural order,
// hashed over the files' bytes in page order. Otherwise the content decides: a PNG, JPEG or
// TIFF is a page-image document, anything else goes to Poppler.
bool OpenPages(DocState& state, const std::string& path, const RasterOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<ImageFile> files;
    std::string all;
    for (const auto& file : PageImageFiles(path)) {
      files.push_back({ReadInput(file), file});
      all += files.back().bytes;
    }
    state.doc.sha256 = Sha256Hex(all);
    state.images = std::make_unique<PageImages>(std::move(files), options);
    return true;
  }
  std::string bytes = ReadInput(path);  // once: the input may be a pipe
  state.doc.sha256 = Sha256Hex(bytes);
  if (SniffImageFormat(bytes) != ImageFormat::kNone) {
    state.images = std::make_unique<PageImages>(std::move(bytes), path, options);
    return true;
  }
  state.raster = std::make_unique<Rasteriser>(std::move(bytes), path, options);
  return false;
}

// Source: walks the documents and their pages. Opening a document (reading it, hashing it,
// counting its pages) happens here, one document at a time; a document that cannot be opened
// is reported at once.
class OpenDocuments {
 public:
  OpenDocuments(const GraphContext& ctx, const std::vector<std::string>& paths)
      : ctx_(ctx), paths_(paths) {}
  JobPtr operator()(tbb::flow_control& fc) {
    while (!(ctx_.stop && ctx_.stop->load())) {
      if (current_ && next_page_ < current_->doc.pages) {
        auto job = std::make_shared<PageJob>();
        job->doc = current_;
        job->index = next_page_++;
        job->result.number = job->index + 1;
        return job;
      }
      current_.reset();
      if (next_doc_ >= paths_.size()) break;
      open(paths_[next_doc_++]);
    }
    fc.stop();
    return {};
  }

 private:
  void open(const std::string& path) {
    auto state = std::make_shared<DocState>();
    state->path = path;
    state->started = Clock::now();
    state->cancel = CancelToken(ctx_.stop, state->started, ctx_.options.document_timeout);
    auto fail = [&](const std::string& error, bool bad_input) {
      ctx_.report({path, std::nullopt, "open", error, bad_input, Since(state->started)});
    };
    try {
      const bool image = OpenPages(*state, path, ctx_.options.raster);
      state->doc.file = path;
      state->doc.config_hash = ctx_.config_hash;
      state->doc.pages = image ? state->images->page_count() : state->raster->page_count();
      if (state->doc.pages > ctx_.options.max_pages)
        throw BadInputError(std::string(image ? "image" : "PDF") + " has " +
                            std::to_string(state->doc.pages) + " pages, more than the limit of " +
                            std::to_string(ctx_.options.max_pages) + " (--max-pages)");
      state->doc.page_results.resize(state->doc.pages);
      state->remaining = state->doc.pages;
      current_ = state;
      next_page_ = 0;
    } catch (const BadInputError& e) {
      fail(e.what(), true);
    } catch (const std::exception& e) {
      fail(e.what(), false);
    } catch (...) {
      fail("unknown error", false);
    }
  }

  const GraphContext& ctx_;
  const std::vector<std::string>& paths_;
  size_t next_doc_ = 0;
  DocPtr current_;
  int next_page_ = 0;
};

// Decides how the page is read: its text layer when usable (and not --ocr always), else OCR.
void ChooseReadPath(const GraphContext& ctx, PageJob& job) {
  const ExtractOptions& options = ctx.options;
  if (job.doc->images) {
    job.result.path_reason = "page image: no text layer";
    job.result.path = "ocr";
    return;
  }
  if (options.ocr_mode == OcrMode::kAlways) {
    job.result.path_reason = "OCR forced (--ocr always)";
    job.result.path = "ocr";
    return;
  }
  int off_page = 0;
  {
    std::lock_guard<std::mutex> lock(job.doc->text_lock);
    job.words = job.doc->raster->text_boxes(job.index, 1.0, &off_page);  // points; scaled later
  }
  if (off_page > 0)
    job.result.warnings.push_back(std::to_string(off_page) +
                                  " text-layer characters off the page were dropped");
  TextLayerVerdict verdict = JudgeTextLayer(job.words);
  if (CountChars(job.words) > options.max_text_chars) {
    verdict = {false, "text layer has " + std::to_string(CountChars(job.words)) +
                          " characters, more than the limit of " +
                          std::to_string(options.max_text_chars)};
    job.result.warnings.push_back(verdict.reason + ": read with OCR");
  }
  job.text_layer = verdict.usable || options.ocr_mode == OcrMode::kNever;
  job.result.path_reason = verdict.reason;
  if (!verdict.usable && job.text_layer) job.result.path_reason += "; OCR disabled (--ocr never)";
  job.result.path = job.text_layer ? "text-layer" : "ocr";
}

struct Rasterise {
  const GraphContext& ctx;
  JobPtr operator()(JobPtr job) const {
    RunPageStage(*job, "rasterise", [&] {
      ChooseReadPath(ctx, *job);
      if (job->doc->images) {
        ImagePage page = job->doc->images->page(job->index);
        job->result.input = InputImage{
            "file",           page.file, page.frame, page.decoded_width, page.decoded_height,
            page.orientation, page.scale};
        job->gray = std::move(page.gray);
        job->result.dpi = page.dpi;
        job->result.dpi_source = page.dpi_source;
        if (page.file_dpi != page.dpi)
          job->result.warnings.push_back("page image of " + std::to_string(page.file_dpi) +
                                         " dpi upsampled to " + std::to_string(page.dpi) +
                                         " dpi for reading; boxes are in the upsampled pixels");
        return;
      }
      const Rasteriser& raster = *job->doc->raster;
      const CancelToken& cancel = job->doc->cancel;
      RenderedPage rp = job->text_layer
                            ? raster.render_at(job->index, ctx.options.text_layer_dpi, cancel)
                            : raster.render(job->index, cancel);
      job->gray = std::move(rp.gray);
      job->result.input = InputImage{"render", "", 0, job->gray.cols, job->gray.rows};
      job->result.dpi = rp.dpi;
      job->result.dpi_source = kDpiRender;
      // The characters are placed at the resolution actually rendered: the pixel cap may have
      // lowered it.
      if (job->text_layer)
        ScaleTextBoxes(job->words, rp.scale);
      else
        job->words.clear();
    });
    return job;
  }
};

// The map from the prepared page back onto its input image, once rotation and skew are known.
void SetInputTransform(PageResult& page) {
  if (page.input) page.input->to_input = PreparedToInput(*page.input, page.rotation, page.skew_deg);
}

// The prepared-to-input map of a page (the identity when it is not known).
std::array<double, 6> ToInput(const PageResult& page) {
  return page.input ? page.input->to_input : InputImage{}.to_input;
}

struct Prepare {
  const GraphContext& ctx;
  JobPtr operator()(JobPtr job) const {
    RunPageStage(*job, "prepare", [&] {
      PagePreparer preparer(job->result.dpi);
      if (job->text_layer) {
        // The text layer says which way its characters run: turn pixels and boxes together
        // (never by image analysis, which could disagree with the exact text).
        if (const int turn = UprightTurn(job->words); turn != 0) {
          TurnTextBoxes(job->words, turn, job->gray.size());
          job->gray = RotateQuarterTurns(job->gray, turn);
          job->result.rotation = turn;
        }
        job->result.width = job->gray.cols;
        job->result.height = job->gray.rows;
        job->binary = preparer.binarise(job->gray);
        SetInputTransform(job->result);
        return;
      }
      job->result.width = job->gray.cols;
      job->result.height = job->gray.rows;
      CellOcr& ocr = ctx.engines.local();
      CancelScope cancellable(ocr, job->doc->cancel);
      const int dpi = job->result.dpi;
      PreparedPage pp =
          preparer.prepare(job->gray, [&](const cv::Mat& m) { return ocr.readability(m, dpi); });
      job->gray = std::move(pp.gray);
      job->binary = std::move(pp.binary);
      job->result.rotation = pp.rotation;
      job->result.skew_deg = pp.skew_deg;
      SetInputTransform(job->result);
    });
    return job;
  }
};

struct FindGrids {
  const GraphContext& ctx;
  JobPtr operator()(JobPtr job) const {
    RunPageStage(*job, "find grids", [&] {
      job->grids = GridDetector(job->result.dpi).detect(job->binary);
      // A lattice of thousands of cells is hatching or noise, not a table, and reading it would
      // take the page hours.
      const long long limit = ctx.options.max_grid_cells;
      std::erase_if(job->grids, [&](const Grid& grid) {
        if (static_cast<long long>(grid.cells.size()) <= limit) return false;
        job->result.warnings.push_back("a grid of " + std::to_string(grid.cells.size()) +
                                       " cells (more than the limit of " + std::to_string(limit) +
                                       ") was not read");
        return true;
      });
    });
    return job;
  }
};

struct ReadCells {
  const GraphContext& ctx;
  JobPtr operator()(JobPtr job) const {
    PageJob& p = *job;
    RunPageStage(p, p.text_layer ? "text layer" : "ocr", [&] {
      if (p.grids.empty()) p.result.warnings.push_back("no ruled table on this page");
      if (p.text_layer) {
        for (const auto& grid : p.grids)
          p.result.tables.push_back(
              {grid, FillGridFromText(grid, p.words, p.index + 1, ToInput(p.result), p.binary)});
        p.result.lines = TextLinesOutside(p.words, p.grids);
        return;
      }
      CellOcr& ocr = ctx.engines.local();
      CancelScope cancellable(ocr, p.doc->cancel);
      TableReader reader(ocr, p.result.dpi, ToInput(p.result));
      for (const auto& grid : p.grids)
        p.result.tables.push_back({grid, reader.read_grid(p.gray, p.binary, grid, p.index + 1)});
      // Loose text: titles, units and notes around tables, and the prose of narrative pages
      // (stages/facts reads its facts), line by line in reading order.
      p.result.lines = reader.read_lines(
          p.gray, GridDetector(p.result.dpi).text_lines_outside(p.binary, p.grids));
    });
    const std::string& dir = ctx.options.debug_dir;
    if (!dir.empty() && !p.gray.empty() && !p.failed)
      RunPageStage(p, "debug image", [&] { WriteDebugImage(dir, p.index, p.gray, p.result); });
    p.gray.release();  // images are the bulk of a page's memory: free them now
    p.binary.release();
    return job;
  }
};

// Files a finished page with its document. Every page lets the next one into the graph
// (port 0); the last page of a document sends the document on (port 1).
using CollectNode =
    tbb::flow::multifunction_node<JobPtr, std::tuple<tbb::flow::continue_msg, DocPtr>>;
struct CollectPage {
  const GraphContext& ctx;
  void operator()(const JobPtr& job, CollectNode::output_ports_type& out) const {
    DocState& state = *job->doc;
    state.doc.page_results[job->index] = std::move(job->result);
    if (ctx.on_page) {
      try {
        ctx.on_page();
      } catch (...) {  // progress output only: never worth a document
      }
    }
    if (--state.remaining == 0) {
      state.raster.reset();
      state.images.reset();
      std::get<1>(out).try_put(job->doc);
    }
    std::get<0>(out).try_put(tbb::flow::continue_msg());
  }
};

struct AssembleDocument {
  DocPtr operator()(DocPtr state) const {
    if (state->timed_out || state->stopped) return state;
    RunDocumentStage(*state, "assemble", [&] {
      Document& doc = state->doc;
      for (const auto& p : doc.page_results)
        for (const auto& w : p.warnings)
          if (w != "no ruled table on this page")
            doc.warnings.push_back("page " + std::to_string(p.number) + ": " + w);
      TableAssembler().assemble(doc);
    });
    return state;
  }
};

struct RepairDocument {
  const GraphContext& ctx;
  DocPtr operator()(DocPtr state) const {
    if (state->timed_out || state->stopped || !ctx.options.repair) return state;
    RunDocumentStage(*state, "repair", [&] {
      RepairTables(state->doc, ctx.dictionary, ctx.catalogue, state->doc.repairs);
    });
    return state;
  }
};

// Repairs are recorded (before, after, why) and checks are always run; with repair off the
// checks judge the numbers exactly as read.
struct CheckDocument {
  const GraphContext& ctx;
  DocPtr operator()(DocPtr state) const {
    if (state->timed_out || state->stopped) return state;
    Document& doc = state->doc;
    RunDocumentStage(*state, "check", [&] {
      if (ctx.options.repair)
        CheckTables(doc, ctx.catalogue, doc.repairs, doc.checks);
      else
        ClassifyAndCheckAsRead(doc, ctx.catalogue, doc.checks);
    });
    if (ctx.facts)  // the prose's facts, checked against the checked tables
      RunDocumentStage(*state, "facts",
                       [&] { ReadNarrativeFacts(doc, ctx.dictionary, *ctx.facts); });
    return state;
  }
};

// Hands the document (or its failure) to the caller; a document cut short by Ctrl-C is dropped.
struct ReportDocument {
  const GraphContext& ctx;
  tbb::flow::continue_msg operator()(const DocPtr& state) const {
    if (state->stopped) return {};
    Outcome out{state->path,  std::nullopt, state->failed_stage,
                state->error, false,        Since(state->started)};
    if (state->timed_out) {
      out.stage = "timeout";
      out.error = "document took longer than " + std::to_string(ctx.options.document_timeout) +
                  " s (--timeout)";
    } else if (out.stage.empty()) {
      out.doc = std::move(state->doc);
    }
    ctx.report(std::move(out));
    return {};
  }
};

// The caller's handler runs outside the graph's guards: a throw there is reported once as a
// failure of that document, and never escapes into the graph. Calls are serialised.
std::function<void(Outcome&&)> SerialisedReport(std::function<void(Outcome&&)> on_finished) {
  auto lock = std::make_shared<std::mutex>();
  return [lock, on_finished = std::move(on_finished)](Outcome&& o) {
    std::lock_guard<std::mutex> guard(*lock);
    const std::string path = o.path;
    const double seconds = o.seconds;
    std::string error;
    try {
      on_finished(std::move(o));
      return;
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown error";
    }
    try {
      on_finished({path, std::nullopt, "report", error, false, seconds});
    } catch (...) {
      std::fprintf(stderr, "juesuan: %s: cannot report the result: %s\n", path.c_str(),
                   error.c_str());
    }
  };
}

}  // namespace

void RunExtractGraph(const std::vector<std::string>& paths, const GraphContext& context,
                     int threads) {
  using namespace tbb::flow;
  if (!context.options.debug_dir.empty())
    std::filesystem::create_directories(context.options.debug_dir);
  GraphContext ctx = context;
  ctx.report = SerialisedReport(context.report);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    graph g;
    input_node<JobPtr> open_documents(g, OpenDocuments(ctx, paths));
    limiter_node<JobPtr> pages_in_flight(g, static_cast<size_t>(threads) * 2);
    function_node<JobPtr, JobPtr> rasterise(g, unlimited, Rasterise{ctx});
    function_node<JobPtr, JobPtr> prepare(g, unlimited, Prepare{ctx});
    function_node<JobPtr, JobPtr> find_grids(g, unlimited, FindGrids{ctx});
    function_node<JobPtr, JobPtr> read_cells(g, unlimited, ReadCells{ctx});
    CollectNode collect_page(g, unlimited, CollectPage{ctx});
    function_node<DocPtr, DocPtr> assemble(g, unlimited, AssembleDocument{});
    function_node<DocPtr, DocPtr> repair(g, unlimited, RepairDocument{ctx});
    function_node<DocPtr, DocPtr> check(g, unlimited, CheckDocument{ctx});
    function_node<DocPtr, continue_msg> report(g, unlimited, ReportDocument{ctx});

    make_edge(open_documents, pages_in_flight);
    make_edge(pages_in_flight, rasterise);
    make_edge(rasterise, prepare);
    make_edge(prepare, find_grids);
    make_edge(find_grids, read_cells);
    make_edge(read_cells, collect_page);
    make_edge(output_port<0>(collect_page), pages_in_flight.decrementer());
    make_edge(output_port<1>(collect_page), assemble);
    make_edge(assemble, repair);
    make_edge(repair, check);
    make_edge(check, report);
    open_documents.activate();
    g.wait_for_all();
  });
}

}  // namespace juesuan
