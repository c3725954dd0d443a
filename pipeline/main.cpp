// juesuan command line. Exit codes: see pipeline/errors.h and the README.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "pipeline/atomic_file.h"
#include "pipeline/errors.h"
#include "pipeline/extractor.h"
#include "pipeline/json_output.h"
#include "pipeline/version.h"

namespace {

using juesuan::ExitCode;

constexpr const char* kUsage = R"(juesuan — Chinese 决算 disclosure PDFs to checked, structured JSON

Usage:
  juesuan extract FILE.pdf [options]   one PDF -> one JSON document (stdout by default)
  juesuan --version | --help

extract options:
  -o, --output FILE     write the JSON to FILE (atomically: temp file + fsync + rename)
      --dpi N           render resolution, default 300; image-only scans render at their own
                        resolution when it is lower (no blind upsampling)
      --threads N       worker threads, default: all cores
      --debug-dir DIR   write page-NNN.png per page: grid (red), cells (green = confident,
                        orange = unsure, grey = blank), text lines outside tables (magenta)
      --tessdata DIR    directory with chi_sim.traineddata / eng.traineddata
                        (default: $TESSDATA_PREFIX or Tesseract's built-in path)
      --text-model NAME Tesseract model for Chinese cells (default chi_sim)
      --ocr MODE        auto (default): use a page's text layer when it is usable, OCR the
                        rest; always: OCR every page; never: text layer only

Exit codes:
  0  success (the JSON may still carry warnings, e.g. pages without tables)
  1  internal error (a bug; please report with the input)
  2  usage error
  3  unreadable input: missing, not a PDF, truncated/damaged, encrypted, no pages
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

int Extract(const std::vector<std::string>& args) {
  juesuan::ExtractOptions opt;
  std::string input, output;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "-o" || a == "--output") {
      if (!value(&output)) return Usage("missing value for " + a);
    } else if (a == "--dpi") {
      if (!value(&v) || !ParseInt(v, 50, 1200, &opt.raster.dpi)) return Usage("--dpi needs a number 50..1200");
    } else if (a == "--threads") {
      if (!value(&v) || !ParseInt(v, 1, 256, &opt.threads)) return Usage("--threads needs a number 1..256");
    } else if (a == "--debug-dir") {
      if (!value(&opt.debug_dir)) return Usage("missing value for --debug-dir");
    } else if (a == "--tessdata") {
      if (!value(&opt.ocr.tessdata_dir)) return Usage("missing value for --tessdata");
    } else if (a == "--text-model") {
      if (!value(&opt.ocr.text_model)) return Usage("missing value for --text-model");
    } else if (a == "--ocr") {
      if (!value(&v)) return Usage("missing value for --ocr");
      if (v == "auto") opt.ocr_mode = juesuan::OcrMode::kAuto;
      else if (v == "always") opt.ocr_mode = juesuan::OcrMode::kAlways;
      else if (v == "never") opt.ocr_mode = juesuan::OcrMode::kNever;
      else return Usage("--ocr takes auto, always or never");
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option " + a);
    } else if (input.empty()) {
      input = a;
    } else {
      return Usage("extract takes one input file");
    }
  }
  if (input.empty()) return Usage("extract needs an input PDF");
  try {
    juesuan::Extractor extractor(opt);
    juesuan::Document doc = extractor.extract(input);
    // Invalid UTF-8 (a broken font map) must not lose the document: replace it with U+FFFD.
    std::string json = juesuan::ToJson(doc).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (output.empty()) {
      std::cout << json;
    } else {
      try {
        juesuan::WriteFileAtomically(output, json);
      } catch (const std::exception& e) {
        std::cerr << "juesuan: cannot write output: " << e.what() << "\n";
        return static_cast<int>(ExitCode::kInternal);
      }
    }
    return static_cast<int>(ExitCode::kOk);
  } catch (const juesuan::BadInputError& e) {
    std::cerr << "juesuan: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kBadInput);
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
  return Usage("unknown command '" + args[0] + "'");
}
