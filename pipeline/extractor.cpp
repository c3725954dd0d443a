#include "pipeline/extractor.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/flow_graph.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "pipeline/cancel.h"
#include "pipeline/errors.h"
#include "pipeline/sha256.h"
#include "pipeline/version.h"
#include "stages/checker.h"
#include "stages/grid_detector.h"
#include "stages/page_preparer.h"
#include "stages/quality.h"
#include "stages/records.h"
#include "stages/table_assembler.h"
#include "stages/table_classifier.h"
#include "stages/table_reader.h"
#include "stages/text_layer.h"

namespace juesuan {
namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct DocState;

// A page on its way through the graph.
struct PageJob {
  std::shared_ptr<DocState> doc;
  int index = 0;
  cv::Mat gray, binary;
  std::vector<Grid> grids;
  std::vector<TextBox> words;  // the page's text layer, when it is used instead of OCR
  bool text_layer = false;
  PageResult result;
  bool failed = false;
};
using JobPtr = std::shared_ptr<PageJob>;

// Draws the text read into a cell in blue at its bottom left, small enough not to hide the
// scan. Chinese needs a CJK font (fonts-wqy-zenhei or fonts-noto-cjk); without one only the
// ASCII part (amounts, codes) is drawn.
void DrawText(cv::Mat& img, const std::string& text, cv::Point at, int height) {
  static std::mutex lock;  // FreeType2 is not safe to share across threads
  static cv::Ptr<cv::freetype::FreeType2> font = [] {
    cv::Ptr<cv::freetype::FreeType2> f;
    for (const char* path : {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"}) {
      if (!std::filesystem::exists(path)) continue;
      f = cv::freetype::createFreeType2();
      f->loadFontData(path, 0);
      break;
    }
    return f;
  }();
  if (text.empty()) return;
  std::lock_guard<std::mutex> guard(lock);
  if (font) {
    font->putText(img, text, at, height, {255, 0, 0}, -1, cv::LINE_AA, true);
    return;
  }
  std::string ascii;
  for (char ch : text)
    if (static_cast<unsigned char>(ch) < 0x80) ascii += ch;
  cv::putText(img, ascii, at, cv::FONT_HERSHEY_SIMPLEX, height / 24.0, {255, 0, 0}, 1);
}

void DrawDebug(const std::string& dir, const PageJob& job) {
  cv::Mat img;
  cv::cvtColor(job.gray, img, cv::COLOR_GRAY2BGR);
  for (const auto& t : job.result.tables) {
    for (size_t i = 0; i < t.grid.cells.size(); ++i) {
      const Box& b = t.grid.cells[i].box;
      const Cell& c = t.cells[i];
      // Green: confident text, orange: unsure, grey: blank.
      cv::Scalar colour = c.text.empty()          ? cv::Scalar(160, 160, 160)
                          : c.conf >= kUnsureConf ? cv::Scalar(0, 170, 0)
                                                  : cv::Scalar(0, 140, 255);
      cv::rectangle(img, {b.x + 2, b.y + 2, b.w - 4, b.h - 4}, colour, 2);
      DrawText(img, c.text, {b.x + 4, b.y + b.h - 4}, std::clamp(b.h / 3, 10, 16));
    }
    const Box& bb = t.grid.bbox;
    cv::rectangle(img, {bb.x, bb.y, bb.w, bb.h}, {0, 0, 255}, 3);
  }
  for (const auto& l : job.result.lines) {
    cv::rectangle(img, {l.bbox.x, l.bbox.y, l.bbox.w, l.bbox.h}, {255, 0, 255}, 2);
    DrawText(img, l.text, {l.bbox.x, l.bbox.y + l.bbox.h + 18}, 16);
  }
  char name[32];
  std::snprintf(name, sizeof name, "page-%03d.png", job.index + 1);
  cv::imwrite((std::filesystem::path(dir) / name).string(), img);
}

}  // namespace

struct Extractor::Engines {
  explicit Engines(const OcrOptions& o) : ocr([o] { return std::make_unique<CellOcr>(o); }) {}
  tbb::enumerable_thread_specific<std::unique_ptr<CellOcr>> ocr;
  CellOcr& local() { return *ocr.local(); }
};

Extractor::Extractor(ExtractOptions options)
    : options_(std::move(options)), engines_(std::make_unique<Engines>(options_.ocr)) {
  // Fail early (and with a clear message) when a model or the dictionary is missing.
  engines_->local();
  RenderWorkerPath();
  dictionary_ = std::make_unique<CodeDictionary>(CodeDictionary::DefaultPath());
}

Extractor::~Extractor() = default;

namespace {

// A document on its way through the graph.
struct DocState {
  std::string path;
  std::unique_ptr<Rasteriser> raster;
  std::mutex text_lock;  // the in-process Poppler document: one thread at a time
  Document doc;
  std::atomic<int> remaining{0};
  std::atomic<bool> timed_out{false};
  std::atomic<bool> stopped{false};  // a page was cut short by Ctrl-C: no Outcome, no output
  Clock::time_point started;
  CancelToken cancel;  // Ctrl-C / SIGTERM, or the document's --timeout
};

}  // namespace

std::string ConfigHash(const ExtractOptions& o) {
  std::string s = std::string("juesuan ") + kVersion + "|dpi " + std::to_string(o.raster.dpi) +
                  "|scan_dpi " + std::to_string(o.raster.respect_scan_dpi) + "|max_px " +
                  std::to_string(o.raster.limits.max_pixels) + "|ocr " +
                  std::to_string(static_cast<int>(o.ocr_mode)) + "|text_dpi " +
                  std::to_string(o.text_layer_dpi) + "|models " + o.ocr.tessdata_dir + "/" +
                  o.ocr.text_model + "+" + o.ocr.digit_model + "|repair " +
                  std::to_string(o.repair) + "|limits " + std::to_string(o.max_pages) + "," +
                  std::to_string(o.max_text_chars) + "," + std::to_string(o.max_grid_cells);
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
  if (!options_.debug_dir.empty()) std::filesystem::create_directories(options_.debug_dir);
  const std::string config_hash = ConfigHash(options_);
  const int threads =
      options_.threads > 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  auto stopped = [stop] { return stop && stop->load(); };
  std::mutex finish_lock;  // on_finished is called one at a time
  // The caller's handler runs outside the graph's guards: a throw there is reported once as a
  // failure of that document, and never escapes into the graph.
  auto finish = [&](Outcome&& o) {
    std::lock_guard<std::mutex> lock(finish_lock);
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
  // A document whose pages are all done: assembled, repaired and checked, or its failure.
  auto assemble = [&](DocState& state) {
    Outcome out{state.path, std::nullopt, "", "", false, Since(state.started)};
    if (state.timed_out) {
      out.stage = "timeout";
      out.error = "document took longer than " + std::to_string(options_.document_timeout) +
                  " s (--timeout)";
      return out;
    }
    try {
      Document& doc = state.doc;
      for (const auto& p : doc.page_results)
        for (const auto& w : p.warnings)
          if (w != "no ruled table on this page")
            doc.warnings.push_back("page " + std::to_string(p.number) + ": " + w);
      TableAssembler().assemble(doc);
      // Repairs are recorded (before, after, why) and checks are always run; with repair off
      // the checks judge the numbers exactly as read.
      if (options_.repair) {
        RepairAndCheck(doc, *dictionary_, &doc.repairs, &doc.checks);
      } else {
        for (auto& t : doc.tables) {
          t.kind = ClassifyTable(t);
          BuildColumnsAndRecords(t, TableCatalogue::Default());
        }
        doc.checks = Checker().check(doc);
      }
      out.doc = std::move(doc);
    } catch (const std::exception& e) {
      out.stage = "assemble";
      out.error = e.what();
    } catch (...) {
      out.stage = "assemble";
      out.error = "unknown error";
    }
    return out;
  };

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::flow::graph g;
    // The source walks documents and their pages; opening a document happens here, serially.
    size_t next_doc = 0;
    std::shared_ptr<DocState> current;
    int next_page = 0;
    tbb::flow::input_node<JobPtr> source(g, [&](tbb::flow_control& fc) -> JobPtr {
      while (!stopped()) {
        if (current && next_page < current->doc.pages) {
          auto job = std::make_shared<PageJob>();
          job->doc = current;
          job->index = next_page++;
          job->result.number = job->index + 1;
          return job;
        }
        current.reset();
        if (next_doc >= paths.size()) break;
        auto state = std::make_shared<DocState>();
        state->path = paths[next_doc++];
        state->started = Clock::now();
        state->cancel = CancelToken(stop, state->started, options_.document_timeout);
        try {
          std::string bytes = ReadInput(state->path);  // once: the input may be a pipe
          state->doc.sha256 = Sha256Hex(bytes);
          state->raster =
              std::make_unique<Rasteriser>(std::move(bytes), state->path, options_.raster);
          state->doc.file = state->path;
          state->doc.config_hash = config_hash;
          state->doc.pages = state->raster->page_count();
          if (state->doc.pages > options_.max_pages)
            throw BadInputError("PDF has " + std::to_string(state->doc.pages) +
                                " pages, more than the limit of " +
                                std::to_string(options_.max_pages) + " (--max-pages)");
          state->doc.page_results.resize(state->doc.pages);
          state->remaining = state->doc.pages;
          current = state;
          next_page = 0;
        } catch (const BadInputError& e) {
          finish({state->path, std::nullopt, "open", e.what(), true, Since(state->started)});
        } catch (const std::exception& e) {
          finish({state->path, std::nullopt, "open", e.what(), false, Since(state->started)});
        } catch (...) {
          finish(
              {state->path, std::nullopt, "open", "unknown error", false, Since(state->started)});
        }
      }
      fc.stop();
      return {};
    });
    tbb::flow::limiter_node<JobPtr> limiter(g, static_cast<size_t>(threads) * 2);

    // Every node's work runs here: whatever it throws becomes a page warning (a failed page),
    // never an exception through the flow graph, which would cancel every document in flight.
    auto guarded = [&](const JobPtr& job, const char* stage, auto&& body) {
      if (job->failed) return;
      auto t0 = Clock::now();
      try {
        job->doc->cancel.check(stage);
        body();
      } catch (const Cancelled& e) {
        job->failed = true;
        (e.why() == Cancelled::Why::kDeadline ? job->doc->timed_out : job->doc->stopped) = true;
      } catch (const std::exception& e) {
        job->failed = true;
        job->result.warnings.push_back(std::string(stage) + " failed: " + e.what());
      } catch (...) {
        job->failed = true;
        job->result.warnings.push_back(std::string(stage) + " failed: unknown error");
      }
      const double took = Since(t0);
      job->result.seconds += took;
      job->result.stage_seconds.emplace_back(stage, took);
    };

    tbb::flow::function_node<JobPtr, JobPtr> rasterise(g, tbb::flow::unlimited, [&](JobPtr job) {
      const int index = job->index;
      guarded(job, "rasterise", [&] {
        const Rasteriser& raster = *job->doc->raster;
        const CancelToken& cancel = job->doc->cancel;
        if (options_.ocr_mode != OcrMode::kAlways) {
          int off_page = 0;
          {
            std::lock_guard<std::mutex> lock(job->doc->text_lock);
            job->words = raster.text_boxes(index, 1.0, &off_page);  // in points; scaled below
          }
          if (off_page > 0)
            job->result.warnings.push_back(std::to_string(off_page) +
                                           " text-layer characters off the page were dropped");
          TextLayerVerdict verdict = JudgeTextLayer(job->words);
          if (CountChars(job->words) > options_.max_text_chars) {
            verdict = {false, "text layer has " + std::to_string(CountChars(job->words)) +
                                  " characters, more than the limit of " +
                                  std::to_string(options_.max_text_chars)};
            job->result.warnings.push_back(verdict.reason + ": read with OCR");
          }
          job->text_layer = verdict.usable || options_.ocr_mode == OcrMode::kNever;
          job->result.path_reason = verdict.reason;
          if (!verdict.usable && job->text_layer)
            job->result.path_reason += "; OCR disabled (--ocr never)";
        } else {
          job->result.path_reason = "OCR forced (--ocr always)";
        }
        job->result.path = job->text_layer ? "text-layer" : "ocr";
        RenderedPage rp = job->text_layer ? raster.render_at(index, options_.text_layer_dpi, cancel)
                                          : raster.render(index, cancel);
        job->gray = std::move(rp.gray);
        job->result.dpi = rp.dpi;
        // The characters are placed at the resolution actually rendered: the pixel cap may
        // have lowered it.
        if (job->text_layer)
          ScaleTextBoxes(job->words, rp.scale);
        else
          job->words.clear();
      });
      return job;
    });
    tbb::flow::function_node<JobPtr, JobPtr> prepare(g, tbb::flow::unlimited, [&](JobPtr job) {
      guarded(job, "prepare", [&] {
        const int dpi = job->result.dpi;
        PagePreparer preparer(dpi);
        if (job->text_layer) {
          // The text layer says which way its characters run: turn pixels and boxes together
          // (never by image analysis, which could disagree with the exact text).
          const int turn = UprightTurn(job->words);
          if (turn != 0) {
            TurnTextBoxes(job->words, turn, job->gray.size());
            job->gray = RotateQuarterTurns(job->gray, turn);
            job->result.rotation = turn;
          }
          job->result.width = job->gray.cols;
          job->result.height = job->gray.rows;
          job->binary = preparer.binarise(job->gray);
          return;
        }
        job->result.width = job->gray.cols;
        job->result.height = job->gray.rows;
        CellOcr& ocr = engines_->local();
        CancelScope cancellable(ocr, job->doc->cancel);
        PreparedPage pp =
            preparer.prepare(job->gray, [&](const cv::Mat& m) { return ocr.readability(m, dpi); });
        job->gray = std::move(pp.gray);
        job->binary = std::move(pp.binary);
        job->result.rotation = pp.rotation;
        job->result.skew_deg = pp.skew_deg;
      });
      return job;
    });
    tbb::flow::function_node<JobPtr, JobPtr> find_grids(g, tbb::flow::unlimited, [&](JobPtr job) {
      guarded(job, "find grids", [&] {
        GridDetector detector(job->result.dpi);
        job->grids = detector.detect(job->binary);
        // A lattice of thousands of cells is hatching or noise, not a table, and reading it
        // would take the page hours.
        std::erase_if(job->grids, [&](const Grid& grid) {
          if (static_cast<long long>(grid.cells.size()) <= options_.max_grid_cells) return false;
          job->result.warnings.push_back(
              "a grid of " + std::to_string(grid.cells.size()) + " cells (more than the limit of " +
              std::to_string(options_.max_grid_cells) + ") was not read");
          return true;
        });
      });
      return job;
    });
    tbb::flow::function_node<JobPtr, JobPtr> read(g, tbb::flow::unlimited, [&](JobPtr job) {
      guarded(job, job->text_layer ? "text layer" : "ocr", [&] {
        const int dpi = job->result.dpi;
        if (job->grids.empty()) job->result.warnings.push_back("no ruled table on this page");
        if (job->text_layer) {
          for (const auto& grid : job->grids)
            job->result.tables.push_back(
                {grid, FillGridFromText(grid, job->words, job->index + 1)});
          job->result.lines = TextLinesOutside(job->words, job->grids);
          return;
        }
        CancelScope cancellable(engines_->local(), job->doc->cancel);
        TableReader reader(engines_->local(), dpi);
        for (const auto& grid : job->grids)
          job->result.tables.push_back(
              {grid, reader.read_grid(job->gray, job->binary, grid, job->index + 1)});
        // Loose text is read only around tables (titles, units, notes); narrative pages are
        // skipped.
        if (!job->grids.empty()) {
          GridDetector detector(dpi);
          job->result.lines =
              reader.read_lines(job->gray, detector.text_lines_outside(job->binary, job->grids));
        }
      });
      if (!options_.debug_dir.empty() && !job->gray.empty() && !job->failed)
        guarded(job, "debug image", [&] { DrawDebug(options_.debug_dir, *job); });
      job->gray.release();  // images are the bulk of a page's memory: free them now
      job->binary.release();
      return job;
    });
    // A finished page: the last page of a document assembles and reports it.
    tbb::flow::function_node<JobPtr, tbb::flow::continue_msg> page_done(
        g, tbb::flow::unlimited, [&](JobPtr job) {
          DocState& state = *job->doc;
          state.doc.page_results[job->index] = std::move(job->result);
          if (on_page) {
            try {
              on_page();
            } catch (...) {  // progress output only: never worth a document
            }
          }
          if (--state.remaining == 0) {
            Outcome out = assemble(state);
            state.raster.reset();
            if (!state.stopped) finish(std::move(out));
          }
          return tbb::flow::continue_msg();
        });

    tbb::flow::make_edge(source, limiter);
    tbb::flow::make_edge(limiter, rasterise);
    tbb::flow::make_edge(rasterise, prepare);
    tbb::flow::make_edge(prepare, find_grids);
    tbb::flow::make_edge(find_grids, read);
    tbb::flow::make_edge(read, page_done);
    tbb::flow::make_edge(page_done, limiter.decrementer());
    source.activate();
    g.wait_for_all();
  });
}

}  // namespace juesuan
