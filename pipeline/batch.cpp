#include "pipeline/batch.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "pipeline/atomic_file.h"
#include "pipeline/errors.h"
#include "pipeline/json_output.h"
#include "pipeline/sha256.h"
#include "pipeline/version.h"

namespace juesuan {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

bool IsPdfName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".pdf";
}

void Collect(const fs::path& p, std::vector<fs::path>& out, int depth) {
  if (fs::is_directory(p)) {
    std::vector<fs::path> entries;
    for (const auto& e :
         fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied))
      if (e.is_regular_file() && IsPdfName(e.path())) entries.push_back(e.path());
    out.insert(out.end(), entries.begin(), entries.end());
  } else if (fs::is_regular_file(p)) {
    if (IsPdfName(p) || depth > 0) {
      out.push_back(p);
    } else {
      // A manifest: one path per line, relative to the manifest's folder; # starts a comment.
      std::ifstream in(p);
      std::string line;
      while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        fs::path q(line);
        if (q.is_relative()) q = p.parent_path() / q;
        Collect(q, out, depth + 1);
      }
    }
  } else {
    throw std::runtime_error("input not found: " + p.string());
  }
}

std::string JsonLine(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Appends whole lines to a file, one writer at a time (O_APPEND keeps lines unbroken).
class LineLog {
 public:
  explicit LineLog(const std::string& path) {
    if (!path.empty()) file_ = std::fopen(path.c_str(), "a");
    if (!path.empty() && !file_) throw std::runtime_error("cannot open " + path);
  }
  ~LineLog() {
    if (file_) std::fclose(file_);
  }
  LineLog(const LineLog&) = delete;
  LineLog& operator=(const LineLog&) = delete;
  void write(const std::string& line) {
    if (!file_) return;
    std::lock_guard<std::mutex> lock(mu_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }

 private:
  std::FILE* file_ = nullptr;
  std::mutex mu_;
};

// The output is up to date when it names the same input bytes, version and configuration.
bool UpToDate(const std::string& output, const std::string& sha, const std::string& config_hash,
              nlohmann::json* parsed) {
  std::ifstream in(output);
  if (!in) return false;
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    bool same = j.at("source").at("sha256") == sha && j.at("generator").at("version") == kVersion &&
                j.at("generator").at("config_hash") == config_hash;
    if (same && parsed) *parsed = std::move(j);
    return same;
  } catch (const std::exception&) {
    return false;  // damaged or foreign: redo
  }
}

void WriteRecords(LineLog& log, const nlohmann::json& doc, const std::string& relative) {
  const auto& d = doc.at("disclosure");
  for (const auto& t : doc.at("tables"))
    for (const auto& r : t.at("records"))
      for (const auto& [column, value] : r.at("values").items())
        log.write(JsonLine({{"document", relative},
                            {"table_number", t.at("number")},
                            {"table_title", t.at("title")},
                            {"table_kind", t.at("kind")},
                            {"code", r.at("code")},
                            {"name", r.at("name")},
                            {"column", column},
                            {"value", value},
                            {"unit", d.at("unit")},
                            {"year", d.at("year")},
                            {"department", d.at("department")}}));
}

// Temporary files of an interrupted run (kill -9, power loss) are never valid results.
void RemoveStaleTemporaries(const fs::path& dir) {
  if (!fs::exists(dir)) return;
  for (const auto& e :
       fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > 1 && name[0] == '.' &&
        name.find(".tmp-") != std::string::npos)
      fs::remove(e.path());
  }
}

}  // namespace

bool InShard(const std::string& relative, int index, int count) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : relative) h = (h ^ c) * 1099511628211ULL;
  return static_cast<int>(h % static_cast<uint64_t>(count)) == index;
}

std::vector<BatchInput> ResolveInputs(const BatchOptions& options) {
  std::vector<fs::path> found;
  for (const auto& in : options.inputs) Collect(fs::path(in), found, 0);
  std::set<fs::path> seen;
  std::vector<fs::path> unique;
  for (auto& p : found) {
    fs::path c = fs::weakly_canonical(fs::absolute(p));
    if (seen.insert(c).second) unique.push_back(c);
  }
  std::sort(unique.begin(), unique.end());
  // Common root of all inputs: outputs mirror the tree below it, so equal names in different
  // folders never collide, and ".json" is appended to the whole name (a.pdf -> a.pdf.json).
  fs::path root = unique.empty() ? fs::path() : unique.front().parent_path();
  for (const auto& p : unique) {
    while (!root.empty() &&
           std::mismatch(root.begin(), root.end(), p.begin(), p.end()).first != root.end())
      root = root.parent_path();
  }
  std::vector<BatchInput> out;
  for (const auto& p : unique) {
    std::string rel = fs::relative(p, root).generic_string();
    if (!InShard(rel, options.shard_index, options.shard_count)) continue;
    out.push_back({p.string(), rel, (fs::path(options.out_dir) / (rel + ".json")).string()});
  }
  return out;
}

int RunBatch(const BatchOptions& options, const std::atomic<bool>& stop) {
  const auto t0 = Clock::now();
  fs::create_directories(options.out_dir);
  RemoveStaleTemporaries(options.out_dir);
  std::vector<BatchInput> inputs = ResolveInputs(options);
  const std::string config_hash = ConfigHash(options.extract);
  const bool tty = !options.json_log && isatty(STDERR_FILENO);
  LineLog errors((fs::path(options.out_dir) / "_errors.jsonl").string());
  LineLog records(options.records_jsonl);
  auto log = [&](const std::string& text, nlohmann::json event) {
    if (options.quiet) return;
    if (options.json_log) {
      event["time"] = std::chrono::duration<double>(Clock::now() - t0).count();
      std::cerr << JsonLine(event);
    } else {
      std::cerr << (tty ? "\r\033[K" : "") << text << "\n";
    }
  };

  // Resume: inputs whose output is up to date are skipped (their records still go to the
  // records file, so it always covers the whole corpus).
  std::vector<std::string> todo;
  std::map<std::string, const BatchInput*> by_path;
  int skipped = 0;
  for (const auto& in : inputs) {
    nlohmann::json existing;
    if (!options.force && UpToDate(in.output, Sha256File(in.path), config_hash, &existing)) {
      ++skipped;
      if (!options.records_jsonl.empty()) WriteRecords(records, existing, in.relative);
      continue;
    }
    todo.push_back(in.path);
    by_path[in.path] = &in;
  }
  log("batch: " + std::to_string(inputs.size()) + " inputs, " + std::to_string(skipped) +
          " up to date, " + std::to_string(todo.size()) + " to do",
      {{"event", "start"}, {"inputs", inputs.size()}, {"skipped", skipped}, {"todo", todo.size()}});

  std::atomic<int> done{0}, failed{0}, pages{0};
  long long checks_failed = 0, repairs = 0;
  std::vector<std::pair<double, std::string>> slowest;
  std::mutex progress_mu;
  auto last_report = Clock::now();
  auto progress = [&](bool force_line) {
    std::lock_guard<std::mutex> lock(progress_mu);
    auto now = Clock::now();
    double since = std::chrono::duration<double>(now - last_report).count();
    if (options.quiet || (!force_line && since < (tty ? 0.5 : 10.0))) return;
    last_report = now;
    double elapsed = std::chrono::duration<double>(now - t0).count();
    int finished = done + failed;
    double rate = elapsed > 0 ? pages / elapsed : 0;
    double eta =
        finished > 0 ? elapsed / finished * (static_cast<double>(todo.size()) - finished) : 0;
    char line[256];
    std::snprintf(line, sizeof line,
                  "documents %d/%zu (failed %d)  pages %d  %.2f pages/s  ETA %.0f s", finished,
                  todo.size(), failed.load(), pages.load(), rate, eta);
    if (options.json_log) {
      log("", {{"event", "progress"},
               {"documents", finished},
               {"of", todo.size()},
               {"failed", failed.load()},
               {"pages", pages.load()},
               {"pages_per_s", rate},
               {"eta_s", eta}});
    } else if (tty) {
      int width = 30,
          filled = todo.empty() ? width : static_cast<int>(width * finished / todo.size());
      std::cerr << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.')
                << "] " << line << std::flush;
    } else {
      std::cerr << line << "\n";
    }
  };

  Extractor extractor(options.extract);
  extractor.extract_many(
      todo,
      [&](Outcome&& o) {
        const BatchInput& in = *by_path.at(o.path);
        if (o.doc) {
          try {
            nlohmann::json j = ToJson(*o.doc);
            fs::create_directories(fs::path(in.output).parent_path());
            WriteFileAtomically(
                in.output, j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
            if (!options.records_jsonl.empty()) WriteRecords(records, j, in.relative);
            if (j.contains("checks_summary")) checks_failed += j["checks_summary"].value("fail", 0);
            if (j.contains("repairs")) repairs += static_cast<long long>(j["repairs"].size());
            ++done;
            slowest.emplace_back(o.seconds, in.relative);
            return;
          } catch (const std::exception& e) {
            o.stage = "write";
            o.error = e.what();
          }
        }
        ++failed;
        errors.write(JsonLine({{"path", in.path}, {"stage", o.stage}, {"message", o.error}}));
        log("failed: " + in.relative + " (" + o.stage + "): " + o.error,
            {{"event", "failed"}, {"path", in.path}, {"stage", o.stage}, {"message", o.error}});
      },
      &stop,
      [&] {
        ++pages;
        progress(false);
      });
  progress(true);
  if (tty && !options.quiet) std::cerr << "\n";

  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(slowest.rbegin(), slowest.rend());
  if (slowest.size() > 10) slowest.resize(10);
  nlohmann::json slow = nlohmann::json::array();
  for (auto& [s, p] : slowest) slow.push_back({{"document", p}, {"seconds", s}});
  const bool interrupted = stop.load();
  const int abandoned = static_cast<int>(todo.size()) - done - failed;
  nlohmann::json summary = {{"version", kVersion},
                            {"config_hash", config_hash},
                            {"inputs", inputs.size()},
                            {"done", done.load()},
                            {"skipped", skipped},
                            {"failed", failed.load()},
                            {"abandoned", abandoned},
                            {"interrupted", interrupted},
                            {"pages", pages.load()},
                            {"seconds", elapsed},
                            {"pages_per_second", elapsed > 0 ? pages / elapsed : 0},
                            {"checks_failed", checks_failed},
                            {"repairs", repairs},
                            {"slowest", slow}};
  WriteFileAtomically((fs::path(options.out_dir) / "_summary.json").string(),
                      summary.dump(1) + "\n");
  log("batch: " + std::to_string(done.load()) + " done, " + std::to_string(skipped) +
          " up to date, " + std::to_string(failed.load()) + " failed" +
          (interrupted ? ", interrupted" : ""),
      {{"event", "end"}, {"summary", summary}});
  if (interrupted) return static_cast<int>(ExitCode::kInterrupted);
  return failed > 0 ? static_cast<int>(ExitCode::kSomeFailed) : static_cast<int>(ExitCode::kOk);
}

}  // namespace juesuan
