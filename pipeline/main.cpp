// juesuan command line. Exit codes: see stages/common/errors.h and the README.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pipeline/atomic_file.h"
#include "pipeline/batch.h"
#include "pipeline/extractor.h"
#include "pipeline/review.h"
#include "pipeline/validate.h"
#include "stages/common/errors.h"
#include "stages/common/version.h"
#include "stages/emit/json_output.h"
#include "stages/emit/sqlite_output.h"

namespace {

using juesuan::ExitCode;

constexpr const char* kUsage = R"(juesuan — Chinese 决算 disclosure PDFs to checked, structured JSON

Usage:
  juesuan extract FILE [options]            one PDF, PNG, JPEG or TIFF (told by its content; a
                                            multi-page TIFF is one document) -> one JSON
                                            document (stdout by default)
  juesuan batch INPUT... -o OUTDIR [options] many PDFs -> OUTDIR/<path>.json each
  juesuan review FILE.json [--pdf FILE.pdf] [-o review.html]
                                            one output -> a self-contained HTML page of its
                                            flagged cells (with page crops) and failing checks
  juesuan validate FILE.json... [--json]    check outputs again (after a person corrected cells)
  juesuan --version | --help
  A lone -- ends the options: every argument after it is a file (e.g. a file named -x.pdf).

extract options:
  -o, --output FILE     write the JSON to FILE (atomically: temp file + fsync + rename)
                        Ctrl-C / SIGTERM: exit code 130, no output and no temporary file
      --dpi N           render resolution, default 300; image-only scans render at their own
                        resolution when it is lower (no blind upsampling). A page image's
                        resolution is its metadata's, else N when --dpi is given, else
                        estimated from its text (pages[].dpi_source)
      --threads N       worker threads, default: all cores
      --pages-of DIR    instead of FILE: the page images in DIR (*.png, *.jpg, *.jpeg, *.tif,
                        *.tiff) as one document, pages in natural order (p2 before p10)
      --debug-dir DIR   write page-NNN.png per page: grid (red), cells (green = confident,
                        orange = unsure, grey = blank), text lines outside tables (magenta)
      --tessdata DIR    directory with chi_sim.traineddata / eng.traineddata
                        (default: $TESSDATA_PREFIX or Tesseract's built-in path)
      --text-model NAME Tesseract model for Chinese cells (default chi_sim)
      --no-repair       keep every reading exactly as read (checks still run)
      --ocr MODE        auto (default): use a page's text layer when it is usable, OCR the
                        rest; always: OCR every page; never: text layer only
      --sqlite FILE     also write the document into the SQLite database FILE (created when
                        missing; one transaction; a rerun replaces the rows of the same sha256)

batch options (plus --dpi, --ocr, --tessdata, --text-model above):
  INPUT                 a PDF or page image, a directory (searched recursively for *.pdf,
                        *.png, *.jpg, *.jpeg, *.tif, *.tiff, any case) or a manifest
                        (a text file with one path per line; # comments). An INPUT that does
                        not exist is a usage error (exit code 2, nothing written); a bad entry
                        inside a directory or manifest (broken or looping symlink, unreadable
                        folder, missing file) is listed in _errors.jsonl (stage "input").
                        A manifest line "--pages-of DIR" is a folder of page images
  --pages-of DIR        a folder of page images that is one document (natural page order),
                        output DIR/<folder name>.json; repeatable; taken after the INPUTs
  -o, --output DIR      output directory; outputs mirror the input tree below the inputs'
                        common folder: DIR/<relative path>.pdf.json
      --jobs N          worker threads (pages of different documents run in parallel)
      --force           redo inputs whose output is up to date (same sha256, version, config)
      --timeout SEC     per-document time limit; pages not started by then are skipped and the
                        document is reported as failed (stage "timeout")
      --records-jsonl F every record of every document as one JSON line (for COPY / read_json);
                        rewritten whole on every run (temp file + rename at the end)
      --review-dir DIR  also write a review page per document: DIR/<path>.pdf.html (see
                        juesuan review); up-to-date documents get theirs when it is missing
      --sqlite FILE     every document into the SQLite database FILE, one transaction each;
                        up-to-date outputs missing from it are loaded from their JSON
      --shard K/N       take only the inputs whose path hash falls in shard K of N (1-based)
      --shard auto      the shard from the scheduler: a Kubernetes Indexed Job
                        (JOB_COMPLETION_INDEX, with --shard-count N) or a Slurm array
                        (SLURM_ARRAY_TASK_ID/_MIN/_STEP/_COUNT)
      --quiet           no progress output
      --json-log        progress and events as JSON lines on stderr
  Writes OUTDIR/_errors.jsonl (one line per failed input of this run) and OUTDIR/_summary.json;
  with --shard K/N: _errors-K-of-N.jsonl, _summary-K-of-N.json and the records file
  F-K-of-N.jsonl, so shards may share OUTDIR.
  Ctrl-C / SIGTERM: no new work starts; finished outputs are kept; exit code 130. A second
  signal ends at once (temporary files removed).

validate: each FILE.json against the output schema (compiled in), then its cells as they stand
  (nothing is repaired): the records rebuilt from the cells must equal the file's, and every
  arithmetic check is re-run. One line per schema error, failing check (id, cells, expected,
  actual), record field that disagrees with its cell, and check whose result changed, then a
  summary line per file.
      --json            one JSON report on stdout instead: {"files": [...], "exit_code": N}
  Several files: each is reported; the exit code is the worst (3, then 7, then 6, then 0).

Exit codes:
  0  success (the JSON may still carry warnings, e.g. pages without tables)
  1  internal error (a bug; please report with the input)
  2  usage error (batch: also an INPUT that does not exist)
  3  unreadable input: missing, not a PDF, truncated/damaged, encrypted, no pages;
     validate: a file that is missing or not JSON
  4  batch: some inputs failed (see OUTDIR/_errors.jsonl); all others were written
  5  output cannot be written: disk full, read-only or unwritable output folder
     (extract: the -o file or stdout, a closed pipe included, or the --sqlite database;
     batch: _errors.jsonl, the records file, the summary, or the --sqlite database cannot
     be opened; a document the database refuses is a failed input, stage "sqlite": exit 4)
  6  validate: a check fails on the cells, or a record disagrees with its cells
  7  validate: the file is JSON but not valid against the output schema
  130 interrupted by SIGINT/SIGTERM
)";

int Usage(const std::string& msg) {
  std::cerr << "juesuan: " << msg << "\n(see juesuan --help)\n";
  return static_cast<int>(ExitCode::kUsage);
}

bool ParseInt(const std::string& s, int lo, int hi, int* out) {
  try {
    size_t pos = 0;
    int v = std::stoi(s, &pos);
    if (pos != s.size() || v < lo || v > hi) return false;
    *out = v;
    return true;
  } catch (...) {
    return false;
  }
}

// The value after option args[i]; advances i. False when the option is the last argument.
bool NextValue(const std::vector<std::string>& args, size_t& i, std::string* out) {
  if (i + 1 >= args.size()) return false;
  *out = args[++i];
  return true;
}

// Options shared by extract and batch. Returns 1 if consumed (advancing i), 0 if not ours,
// -1 on a usage error (message in *err).
int ParseCommon(const std::vector<std::string>& args, size_t& i, juesuan::ExtractOptions& opt,
                std::string* err) {
  const std::string& a = args[i];
  auto value = [&](std::string* out) {
    if (i + 1 >= args.size()) {
      *err = "missing value for " + a;
      return false;
    }
    *out = args[++i];
    return true;
  };
  std::string v;
  if (a == "--dpi") {
    if (!value(&v) || !ParseInt(v, 50, 1200, &opt.raster.dpi))
      return *err = "--dpi needs a number 50..1200", -1;
    opt.raster.dpi_given = true;
  } else if (a == "--tessdata") {
    if (!value(&opt.ocr.tessdata_dir)) return -1;
  } else if (a == "--text-model") {
    if (!value(&opt.ocr.text_model)) return -1;
  } else if (a == "--no-repair") {
    opt.repair = false;
  } else if (a == "--ocr") {
    if (!value(&v)) return -1;
    if (v == "auto")
      opt.ocr_mode = juesuan::OcrMode::kAuto;
    else if (v == "always")
      opt.ocr_mode = juesuan::OcrMode::kAlways;
    else if (v == "never")
      opt.ocr_mode = juesuan::OcrMode::kNever;
    else
      return *err = "--ocr takes auto, always or never", -1;
  } else {
    return 0;
  }
  return 1;
}

// --shard K/N (1-based), or --shard auto with the shard from a Kubernetes Indexed Job or a Slurm
// array; --shard-count N (0 = not given) is the count Kubernetes does not export. Throws
// UsageError.
void ApplyShard(const std::string& shard, int shard_count, juesuan::BatchOptions& opt) {
  if (shard.empty()) {
    if (shard_count != 0) throw juesuan::UsageError("--shard-count goes with --shard auto");
    return;
  }
  if (shard == "auto") {
    std::tie(opt.shard_index, opt.shard_count) = juesuan::ShardFromScheduler(
        shard_count, [](const char* name) { return std::getenv(name); });
    return;
  }
  int k = 0, n = 0;
  const auto slash = shard.find('/');
  if (shard_count != 0 || slash == std::string::npos ||
      !ParseInt(shard.substr(0, slash), 1, 100000, &k) ||
      !ParseInt(shard.substr(slash + 1), 1, 100000, &n) || k > n)
    throw juesuan::UsageError("--shard takes K/N with 1 <= K <= N, or auto (with --shard-count)");
  opt.shard_index = k - 1;
  opt.shard_count = n;
}

int Batch(const std::vector<std::string>& args) {
  juesuan::BatchOptions opt;
  std::string err, shard;
  int shard_count = 0;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_ended) {
      opt.inputs.push_back(a);
      continue;
    }
    if (a == "--") {
      options_ended = true;
      continue;
    }
    int common = ParseCommon(args, i, opt.extract, &err);
    if (common < 0) return Usage(err);
    if (common > 0) continue;
    std::string v;
    if (a == "-o" || a == "--output") {
      if (!NextValue(args, i, &opt.out_dir)) return Usage("missing value for " + a);
    } else if (a == "--jobs" || a == "--threads") {
      if (!NextValue(args, i, &v) || !ParseInt(v, 1, 256, &opt.extract.threads))
        return Usage(a + " needs a number 1..256");
    } else if (a == "--timeout") {
      int t = 0;
      if (!NextValue(args, i, &v) || !ParseInt(v, 1, 864000, &t))
        return Usage("--timeout needs seconds");
      opt.extract.document_timeout = t;
    } else if (a == "--force") {
      opt.force = true;
    } else if (a == "--quiet") {
      opt.quiet = true;
    } else if (a == "--json-log") {
      opt.json_log = true;
    } else if (a == "--records-jsonl") {
      if (!NextValue(args, i, &opt.records_jsonl))
        return Usage("missing value for --records-jsonl");
    } else if (a == "--review-dir") {
      if (!NextValue(args, i, &opt.review_dir)) return Usage("missing value for --review-dir");
    } else if (a == "--pages-of") {
      if (!NextValue(args, i, &v)) return Usage("missing value for --pages-of");
      opt.page_folders.push_back(v);
    } else if (a == "--sqlite") {
      if (!NextValue(args, i, &opt.sqlite)) return Usage("missing value for --sqlite");
    } else if (a == "--shard") {
      if (!NextValue(args, i, &shard)) return Usage("missing value for --shard");
    } else if (a == "--shard-count") {
      if (!NextValue(args, i, &v) || !ParseInt(v, 1, 100000, &shard_count))
        return Usage("--shard-count needs a number 1..100000");
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option " + a);
    } else {
      opt.inputs.push_back(a);
    }
  }
  if (opt.inputs.empty() && opt.page_folders.empty())
    return Usage("batch needs at least one input");
  if (opt.out_dir.empty()) return Usage("batch needs -o OUTDIR");
  try {
    ApplyShard(shard, shard_count, opt);
  } catch (const juesuan::UsageError& e) {
    return Usage(e.what());
  }
  std::atomic<bool>& stop = juesuan::InstallInterruptHandlers();
  try {
    return juesuan::RunBatch(opt, stop);
  } catch (const juesuan::UsageError& e) {
    return Usage(e.what());
  } catch (const std::exception& e) {
    std::cerr << "juesuan: batch: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternal);
  }
}

int Interrupted() {
  std::cerr << "juesuan: interrupted; no output written\n";
  return static_cast<int>(ExitCode::kInterrupted);
}

int CannotWrite(const std::string& why) {
  std::cerr << "juesuan: cannot write output: " << why << "\n";
  return static_cast<int>(ExitCode::kOutputFailed);
}

// The -o file, in chunks so that a signal during a long write is honoured: the writer's
// destructor then removes the temporary file and the target is left as it was.
int WriteOutputFile(const std::string& path, std::string_view json, const std::atomic<bool>& stop) {
  constexpr size_t kChunk = size_t{1} << 20;
  try {
    juesuan::AtomicFileWriter file(path);
    for (size_t at = 0; at < json.size(); at += kChunk) {
      if (stop) return Interrupted();
      file.write(json.substr(at, kChunk));
    }
    if (stop) return Interrupted();
    file.commit();
  } catch (const std::exception& e) {
    return CannotWrite(e.what());
  }
  return static_cast<int>(ExitCode::kOk);
}

int WriteStdout(std::string_view json) {
  try {
    juesuan::WriteAll(STDOUT_FILENO, json, "standard output");
  } catch (const std::exception& e) {
    return CannotWrite(e.what());
  }
  return static_cast<int>(ExitCode::kOk);
}

// Where extract writes: the JSON (-o FILE, else stdout) and, with --sqlite, the database.
struct ExtractTargets {
  std::string output;
  std::string sqlite;
};

// The document into the database, after its JSON was written: the JSON stays whatever happens
// here (it is whole), the database holds the document whole or not at all.
int WriteDatabase(juesuan::SqliteOutput& db, const nlohmann::json& doc, const std::string& name) {
  try {
    db.Write(doc, name);
  } catch (const std::exception& e) {
    return CannotWrite(e.what());
  }
  return static_cast<int>(ExitCode::kOk);
}

// The one document, through extract_many so that Ctrl-C / SIGTERM stop it like a batch. The
// database is opened first: a database that cannot be written costs no extraction.
int ExtractOne(const juesuan::ExtractOptions& opt, const std::string& input,
               const ExtractTargets& targets) {
  std::optional<juesuan::SqliteOutput> db;
  try {
    if (!targets.sqlite.empty()) db.emplace(targets.sqlite);
  } catch (const juesuan::OutputError& e) {
    return CannotWrite(e.what());
  }
  std::atomic<bool>& stop = juesuan::InstallInterruptHandlers();
  juesuan::Extractor extractor(opt);
  std::optional<juesuan::Outcome> outcome;
  extractor.extract_many(
      {input}, [&](juesuan::Outcome&& o) { outcome = std::move(o); }, &stop);
  if (stop) return Interrupted();
  if (!outcome) throw std::runtime_error("document was not processed");
  if (!outcome->doc) {
    if (!outcome->bad_input) throw std::runtime_error(outcome->stage + ": " + outcome->error);
    std::cerr << "juesuan: " << outcome->error << "\n";
    return static_cast<int>(ExitCode::kBadInput);
  }
  const nlohmann::json doc = juesuan::ToJson(*outcome->doc);
  // Invalid UTF-8 (a broken font map) must not lose the document: replace it with U+FFFD.
  const std::string json = doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const int written =
      targets.output.empty() ? WriteStdout(json) : WriteOutputFile(targets.output, json, stop);
  if (written != static_cast<int>(ExitCode::kOk) || !db) return written;
  return WriteDatabase(*db, doc, input);
}

int Extract(const std::vector<std::string>& args) {
  juesuan::ExtractOptions opt;
  std::string input, err;
  ExtractTargets targets;
  bool options_ended = false, pages_of = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!options_ended && a == "--") {
      options_ended = true;
      continue;
    }
    int common = options_ended ? 0 : ParseCommon(args, i, opt, &err);
    if (common < 0) return Usage(err);
    if (common > 0) continue;
    std::string v;
    if (options_ended) {
      if (!input.empty()) return Usage("extract takes one input file");
      input = a;
    } else if (a == "-o" || a == "--output") {
      if (!NextValue(args, i, &targets.output)) return Usage("missing value for " + a);
    } else if (a == "--sqlite") {
      if (!NextValue(args, i, &targets.sqlite)) return Usage("missing value for --sqlite");
    } else if (a == "--threads") {
      if (!NextValue(args, i, &v) || !ParseInt(v, 1, 256, &opt.threads))
        return Usage("--threads needs a number 1..256");
    } else if (a == "--debug-dir") {
      if (!NextValue(args, i, &opt.debug_dir)) return Usage("missing value for --debug-dir");
    } else if (a == "--pages-of") {
      if (!input.empty()) return Usage("extract takes one input file");
      if (!NextValue(args, i, &input)) return Usage("missing value for --pages-of");
      pages_of = true;
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option " + a);
    } else if (input.empty()) {
      input = a;
    } else {
      return Usage("extract takes one input file");
    }
  }
  if (input.empty()) return Usage("extract needs an input PDF");
  std::error_code ec;
  // A folder is one document only when asked for (--pages-of); the graph reads any folder so.
  if (pages_of != std::filesystem::is_directory(input, ec)) {
    std::cerr << "juesuan: " << input
              << (pages_of ? ": --pages-of needs a folder of page images\n"
                           : ": is a folder (--pages-of DIR reads a folder of page images as "
                             "one document)\n");
    return static_cast<int>(ExitCode::kBadInput);
  }
  try {
    return ExtractOne(opt, input, targets);
  } catch (const juesuan::BadInputError& e) {
    std::cerr << "juesuan: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kBadInput);
  } catch (const std::exception& e) {
    std::cerr << "juesuan: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternal);
  }
}

// juesuan review FILE.json [--pdf FILE.pdf] [-o review.html]
int Review(const std::vector<std::string>& args) {
  std::string input, pdf, output;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--pdf") {
      if (!NextValue(args, i, &pdf)) return Usage("missing value for --pdf");
    } else if (a == "-o" || a == "--output") {
      if (!NextValue(args, i, &output)) return Usage("missing value for " + a);
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option " + a);
    } else if (input.empty()) {
      input = a;
    } else {
      return Usage("review takes one JSON file");
    }
  }
  if (input.empty()) return Usage("review needs an output JSON");
  nlohmann::json doc;
  try {
    std::ifstream in(input);
    if (!in) throw std::runtime_error("cannot be read");
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    std::cerr << "juesuan: " << input << ": not a readable JSON file: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kBadInput);
  }
  const std::string html = juesuan::ReviewHtml(doc, pdf);
  if (output.empty()) return WriteStdout(html);
  const std::atomic<bool> never{false};
  return WriteOutputFile(output, html, never);
}

// Reports each file as soon as it is checked; the exit code is the worst verdict.
int ValidateFiles(const std::vector<std::string>& files, bool as_json,
                  const juesuan::TableCatalogue& catalogue, const juesuan::FactCatalogue& facts) {
  juesuan::Verdict worst = juesuan::Verdict::kValid;
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& file : files) {
    const juesuan::ValidationReport report = juesuan::ValidateFile(file, catalogue, &facts);
    worst = std::max(worst, report.verdict);
    if (as_json) {
      reports.push_back(juesuan::ReportJson(report));
      continue;
    }
    std::string text;
    for (const auto& line : juesuan::ReportLines(report)) text += line + "\n";
    if (int written = WriteStdout(text); written != 0) return written;
  }
  const int code = static_cast<int>(juesuan::ExitCodeOf(worst));
  if (as_json) {
    const nlohmann::json all = {{"files", reports}, {"exit_code", code}};
    const std::string text =
        all.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (int written = WriteStdout(text); written != 0) return written;
  }
  return code;
}

int Validate(const std::vector<std::string>& args) {
  bool as_json = false, options_ended = false;
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (!options_ended && a == "--") {
      options_ended = true;
    } else if (!options_ended && a == "--json") {
      as_json = true;
    } else if (!options_ended && !a.empty() && a[0] == '-') {
      return Usage("unknown option " + a);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return Usage("validate needs at least one JSON file");
  try {
    const juesuan::TableCatalogue catalogue(juesuan::TableCatalogue::DefaultPath());
    const juesuan::FactCatalogue facts(juesuan::FactCatalogue::DefaultPath());
    return ValidateFiles(files, as_json, catalogue, facts);
  } catch (const std::exception& e) {
    std::cerr << "juesuan: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kInternal);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Tesseract's OpenMP would start threads inside every worker (measured: 4x the wall time and
  // 20x the system time); parallelism is ours (oneTBB). libgomp reads OMP_THREAD_LIMIT when it
  // is loaded, before main, so set it and start again once.
  if (!std::getenv("OMP_THREAD_LIMIT")) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);  // returns only on failure: carry on, slower but correct
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? static_cast<int>(ExitCode::kUsage) : 0;
  }
  if (args[0] == "--version") {
    std::cout << "juesuan " << juesuan::kVersion << "\n";
    return 0;
  }
  if (args[0] == "extract") return Extract({args.begin() + 1, args.end()});
  if (args[0] == "batch") return Batch({args.begin() + 1, args.end()});
  if (args[0] == "review") return Review({args.begin() + 1, args.end()});
  if (args[0] == "validate") return Validate({args.begin() + 1, args.end()});
  return Usage("unknown command '" + args[0] + "'");
}
