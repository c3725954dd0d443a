#include "pipeline/batch.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "pipeline/atomic_file.h"
#include "pipeline/review.h"
#include "pipeline/sha256.h"
#include "stages/common/errors.h"
#include "stages/common/version.h"
#include "stages/emit/json_fields.h"
#include "stages/emit/json_output.h"
#include "stages/emit/sqlite_output.h"
#include "stages/rasterise/page_images.h"
#include "stages/rasterise/rasteriser.h"

namespace juesuan {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// The names a folder walk takes as documents: PDFs and page images (what a file is, is then
// told by its content: stages/rasterise/page_images.h).
bool IsInputName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".pdf" || ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" ||
         ext == ".tiff";
}

// A named file whose first bytes are a PNG, JPEG or TIFF signature, whatever its name: a page
// image, not a manifest.
bool IsPageImage(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string head(8, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(0, in.gcount())));
  return SniffImageFormat(head) != ImageFormat::kNone;
}

// A PDF found, and its name below the command-line argument it came from: the name of its
// output, so that adding or removing other inputs never moves it.
struct Candidate {
  fs::path path;
  fs::path relative;
};

// Inputs found by walking folders and manifests, and what could not be taken.
struct Found {
  std::vector<Candidate> pdfs;
  // Each with the name it is sharded by: below its argument like an input's, so that it does
  // not depend on where the corpus is mounted.
  std::vector<std::pair<std::string, InputProblem>> problems;

  void Problem(const fs::path& path, const fs::path& relative, const std::string& what,
               const std::error_code& ec = {}) {
    std::error_code ignored;
    fs::path shown = fs::absolute(path, ignored).lexically_normal();
    problems.push_back(
        {relative.generic_string(),
         {(shown.empty() ? path : shown).string(), ec ? what + ": " + ec.message() : what}});
  }
};

void CollectFolder(const fs::path& dir, const fs::path& below, Found& found);

// One folder entry: subfolders are walked (never through a symlink: no cycles), *.pdf and page
// image files (IsInputName) are kept, one that cannot be followed (loop, dangling) or is not a
// file is reported.
void CollectEntry(const fs::directory_entry& entry, const fs::path& below, Found& found) {
  const fs::path relative = below / entry.path().filename();
  std::error_code ec;
  const fs::file_status own = entry.symlink_status(ec);
  if (ec) return found.Problem(entry.path(), relative, "cannot read", ec);
  if (fs::is_directory(own)) return CollectFolder(entry.path(), relative, found);
  if (!IsInputName(entry.path())) return;
  const fs::file_status target = fs::status(entry.path(), ec);
  if (ec || !fs::exists(target)) {
    const bool link = fs::is_symlink(own);
    return found.Problem(entry.path(), relative, link ? "cannot follow symlink" : "cannot read",
                         ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
  }
  if (fs::is_regular_file(target))
    found.pdfs.push_back({entry.path(), relative});
  else if (!fs::is_directory(target))  // a symlink to a folder is not followed, as above
    found.Problem(entry.path(), relative, "not a regular file");
}

// `below`: the folder's path below the folder that was named (empty for that one).
void CollectFolder(const fs::path& dir, const fs::path& below, Found& found) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    CollectEntry(*it, below, found);
  if (ec) found.Problem(dir, below, "cannot read folder", ec);
}

// A named folder, its PDFs in sorted order (not the file system's): which of two inputs with
// the same output name wins must not depend on the disk.
void CollectTree(const fs::path& dir, Found& found) {
  const auto first_pdf = static_cast<std::ptrdiff_t>(found.pdfs.size());
  const auto first_problem = static_cast<std::ptrdiff_t>(found.problems.size());
  CollectFolder(dir, {}, found);
  std::sort(found.pdfs.begin() + first_pdf, found.pdfs.end(),
            [](const Candidate& a, const Candidate& b) { return a.relative < b.relative; });
  std::stable_sort(found.problems.begin() + first_problem, found.problems.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

// A manifest entry: a folder is walked, a file is taken whatever its name.
void CollectListed(const fs::path& path, const fs::path& manifest, Found& found) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    return found.Problem(path, path.filename(),
                         "listed in " + manifest.string() + " but cannot be opened",
                         ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
  if (fs::is_directory(status))
    CollectTree(path, found);
  else if (fs::is_regular_file(status))
    found.pdfs.push_back({path, path.filename()});
  else
    found.Problem(path, path.filename(),
                  "listed in " + manifest.string() + " but not a regular file");
}

// A folder of page images (--pages-of DIR): one document, named by the folder's name.
void CollectPageFolder(const fs::path& dir, Found& found) {
  fs::path relative = dir.lexically_normal().filename();
  if (relative.empty()) relative = dir.lexically_normal().parent_path().filename();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return found.Problem(dir, relative, "--pages-of needs a folder of page images",
                         ec ? ec : std::make_error_code(std::errc::not_a_directory));
  found.pdfs.push_back({dir, relative});
}

constexpr std::string_view kPagesOf = "--pages-of ";

// One path per line, relative to the manifest's folder; # starts a comment. A line
// "--pages-of DIR" lists a folder of page images that is one document.
void CollectManifest(const fs::path& manifest, Found& found) {
  std::ifstream in(manifest);
  if (!in)
    return found.Problem(manifest, manifest.filename(), "cannot read manifest",
                         {errno, std::generic_category()});
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const bool pages_of = line.starts_with(kPagesOf);
    fs::path listed(pages_of ? line.substr(kPagesOf.size()) : line);
    if (listed.is_relative()) listed = manifest.parent_path() / listed;
    if (pages_of)
      CollectPageFolder(listed, found);
    else
      CollectListed(listed, manifest, found);
  }
  if (in.bad()) found.Problem(manifest, manifest.filename(), "cannot read manifest to the end");
}

// An input named on the command line that does not exist: nothing to do (a typo or a missing
// mount), so a usage error.
[[noreturn]] void ThrowNotFound(const fs::path& path, const std::error_code& ec) {
  throw UsageError(
      "input not found: " + path.string() + " (" +
      (ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory)).message() + ")");
}

// An INPUT from the command line: a folder, a PDF, or else a manifest.
void CollectInput(const fs::path& path, Found& found) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) ThrowNotFound(path, ec);
  if (fs::is_directory(status))
    CollectTree(path, found);
  else if (!fs::is_regular_file(status))
    found.Problem(path, path.filename(), "not a regular file");
  else if (IsInputName(path) || IsPageImage(path))
    found.pdfs.push_back({path, path.filename()});
  else
    CollectManifest(path, found);
}

template <typename Json>
std::string JsonLine(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

// Owns a POSIX file descriptor.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// _errors.jsonl: emptied when the run starts (it describes this run), then appended to line by
// line, each line written whole at once so that it survives a kill -9 of a long run. Callers
// never write concurrently (input problems come first, then Extractor's serialised on_finished).
class ErrorLog {
 public:
  explicit ErrorLog(std::string path)
      : path_(std::move(path)),
        fd_(::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644)) {
    if (fd_.get() < 0) {
      const int error = errno;
      throw OutputError("cannot open " + path_ + ": " + std::strerror(error));
    }
  }
  // A line that cannot be written whole is cut back off: the file never ends mid-line.
  void Append(const std::string& line) {
    try {
      WriteAll(fd_.get(), line, path_);
      size_ += static_cast<off_t>(line.size());
    } catch (const OutputError&) {
      if (::ftruncate(fd_.get(), size_) != 0) {
        // Nothing more can be done: the error being thrown already says the file is broken.
      }
      throw;
    }
  }
  void Sync() {
    if (::fsync(fd_.get()) != 0) {
      const int error = errno;
      throw OutputError("cannot flush " + path_ + ": " + std::strerror(error));
    }
  }

 private:
  std::string path_;
  UniqueFd fd_;
  off_t size_ = 0;
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

// The run's own files carry the shard in their name, so that shards running at the same time into
// one OUTDIR never empty or replace each other's: _errors.jsonl or _errors-2-of-8.jsonl.
std::string RunFileName(const BatchOptions& options, const std::string& stem,
                        const std::string& extension) {
  return ShardFileName(stem + extension, options.shard_index, options.shard_count);
}

// ".NAME.tmp-XXXXXX" (AtomicFileWriter's temporary files) -> "NAME"; "" for any other name.
std::string TargetOfTemporary(const std::string& name) {
  const size_t at = name.rfind(".tmp-");
  if (name.size() < 2 || name[0] != '.' || at == std::string::npos || at < 2) return "";
  return name.substr(1, at - 1);
}

// Temporary files of an interrupted run (kill -9, power loss) are never valid results. Only this
// shard's are removed: another shard may be writing its own right now. Best effort: what cannot
// be listed or removed stays, and it is never mistaken for an output.
void RemoveStaleTemporaries(const BatchOptions& options) {
  const fs::path out(options.out_dir);
  const std::string own_summary = RunFileName(options, "_summary", ".json");
  std::error_code ec;
  for (fs::recursive_directory_iterator it(out, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    const std::string target = TargetOfTemporary(it->path().filename().string());
    std::error_code ignored;
    if (target.empty() || !it->is_regular_file(ignored)) continue;
    const std::string relative =
        (it->path().parent_path() / target).lexically_relative(out).generic_string();
    const bool output =
        relative.ends_with(".json") && !relative.starts_with("_summary") &&
        InShard(relative.substr(0, relative.size() - 5), options.shard_index, options.shard_count);
    if (output || relative == own_summary) fs::remove(it->path(), ignored);
  }
}

// The same for the records file, which may live outside OUTDIR: its own temporaries only.
void RemoveStaleTemporariesOf(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ignored;
    if (TargetOfTemporary(it->path().filename().string()) == target.filename().string() &&
        it->is_regular_file(ignored))
      fs::remove(it->path(), ignored);
  }
}

// Creates OUTDIR and clears what an interrupted run left in it. Throws OutputError.
void PrepareOutputs(const BatchOptions& options) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) throw OutputError("cannot create output folder " + options.out_dir + ": " + ec.message());
  RemoveStaleTemporaries(options);
  if (!options.records_jsonl.empty()) RemoveStaleTemporariesOf(options.records_jsonl);
}

// The files of the run itself: _errors.jsonl, the records file and _summary.json. Unlike a
// document's output, they cannot fail alone: the first failure to write one is kept (and said
// on stderr at once), the records file's temporary file is removed, and the run must end.
class RunFiles {
 public:
  explicit RunFiles(const BatchOptions& options)  // throws OutputError
      : summary_path_(
            (fs::path(options.out_dir) / RunFileName(options, "_summary", ".json")).string()),
        errors_((fs::path(options.out_dir) / RunFileName(options, "_errors", ".jsonl")).string()) {
    if (!options.records_jsonl.empty()) records_.emplace(options.records_jsonl);
  }
  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

  void Error(const nlohmann::json& line) {
    Guard([&] { errors_.Append(JsonLine(line)); });
  }
  void Records(const std::string& lines) {
    Guard([&] {
      if (records_) records_->write(lines);
    });
  }
  // Makes the errors and records files durable and writes the summary (even after a failure,
  // which it then names: the summary may be on a disk that still has room).
  void Finish(nlohmann::json summary) {
    Guard([&] {
      errors_.Sync();
      if (records_) records_->commit();
    });
    summary["output_error"] = failed() ? nlohmann::json(failure_) : nlohmann::json();
    const std::string text = summary.dump(1) + "\n";
    const std::string earlier = failure_;
    failure_.clear();
    Guard([&] { WriteFileAtomically(summary_path_, text); });
    if (!earlier.empty()) failure_ = earlier;
  }

 private:
  void Guard(const std::function<void()>& write) {
    if (failed()) return;
    try {
      write();
    } catch (const std::exception& e) {
      failure_ = e.what();
      records_.reset();  // removes its temporary file: a records file is whole or absent
      std::cerr << "juesuan: " << failure_ << "\n";
    }
  }

  std::string summary_path_;
  ErrorLog errors_;
  std::optional<AtomicFileWriter> records_;
  std::string failure_;
};

// The records file lists documents in input order, whatever order they finish in, so that the
// same inputs always give the same file. A document that is ready out of turn is read back from
// its output when its turn comes: nothing waits in memory. Not thread-safe (see ErrorLog).
class RecordsInOrder {
 public:
  RecordsInOrder(const std::vector<BatchInput>& inputs, RunFiles& files)
      : inputs_(inputs), files_(files), state_(inputs.size(), State::kPending) {}

  // Input i's output is up to date; `doc` is that output.
  void Ready(size_t i, const nlohmann::json& doc) {
    if (i != next_) {
      state_[i] = State::kReady;
      return;
    }
    files_.Records(RecordLines(doc, inputs_[i].relative));
    ++next_;
    Advance();
  }
  // Input i failed: it has no records.
  void None(size_t i) {
    state_[i] = State::kNone;
    Advance();
  }
  // The end of the run: what never finished (interrupted) has no records.
  void Finish() {
    for (auto& s : state_)
      if (s == State::kPending) s = State::kNone;
    Advance();
  }

 private:
  enum class State : unsigned char { kPending, kReady, kNone };

  void Advance() {
    for (; next_ < state_.size() && state_[next_] != State::kPending && !files_.failed(); ++next_) {
      if (state_[next_] != State::kReady) continue;
      std::ifstream in(inputs_[next_].output);
      // It was up to date a moment ago; an output removed since then takes its records along.
      const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
      if (!doc.is_discarded()) files_.Records(RecordLines(doc, inputs_[next_].relative));
    }
  }

  const std::vector<BatchInput>& inputs_;
  RunFiles& files_;
  std::vector<State> state_;
  size_t next_ = 0;
};

}  // namespace

bool InShard(const std::string& relative, int index, int count) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : relative) h = (h ^ c) * 1099511628211ULL;
  return static_cast<int>(h % static_cast<uint64_t>(count)) == index;
}

std::string ShardFileName(const std::string& path, int index, int count) {
  if (count == 1) return path;
  const fs::path p(path);
  const std::string name = p.stem().string() + "-" + std::to_string(index + 1) + "-of-" +
                           std::to_string(count) + p.extension().string();
  return (p.parent_path() / name).string();
}

namespace {

// A scheduler's variable as a whole number >= min, or nullopt when it is not set. A value that is
// set but is not such a number is an error: a shard guessed from it would be wrong.
std::optional<int> SchedulerNumber(const EnvLookup& env, const char* name, int min) {
  const char* value = env(name);
  if (value == nullptr) return std::nullopt;
  int n = 0;
  const std::string_view text(value);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < min)
    throw UsageError(std::string("--shard auto: ") + name + "=" + value +
                     " is not a number >= " + std::to_string(min));
  return n;
}

std::pair<int, int> SlurmShard(int count_option, const EnvLookup& env) {
  const int id = *SchedulerNumber(env, "SLURM_ARRAY_TASK_ID", 0);
  const int min = SchedulerNumber(env, "SLURM_ARRAY_TASK_MIN", 0).value_or(id);
  const int step = SchedulerNumber(env, "SLURM_ARRAY_TASK_STEP", 1).value_or(1);
  const auto count = SchedulerNumber(env, "SLURM_ARRAY_TASK_COUNT", 1);
  if (!count) throw UsageError("--shard auto: SLURM_ARRAY_TASK_ID is set but not _COUNT");
  if (count_option != 0 && count_option != *count)
    throw UsageError("--shard auto: --shard-count " + std::to_string(count_option) +
                     " disagrees with SLURM_ARRAY_TASK_COUNT=" + std::to_string(*count));
  if (id < min || (id - min) % step != 0 || (id - min) / step >= *count)
    throw UsageError("--shard auto: Slurm array task " + std::to_string(id) +
                     " is not one of COUNT tasks from MIN in STEPs");
  return {(id - min) / step, *count};
}

}  // namespace

std::pair<int, int> ShardFromScheduler(int count_option, const EnvLookup& env) {
  if (env("SLURM_ARRAY_TASK_ID") != nullptr) return SlurmShard(count_option, env);
  const auto index = SchedulerNumber(env, "JOB_COMPLETION_INDEX", 0);
  if (!index)
    throw UsageError(
        "--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor "
        "SLURM_ARRAY_TASK_ID (Slurm array) is set");
  if (count_option == 0)
    throw UsageError("--shard auto: Kubernetes exports no count; give --shard-count N");
  if (*index >= count_option)
    throw UsageError("--shard auto: JOB_COMPLETION_INDEX=" + std::to_string(*index) +
                     " is not below --shard-count " + std::to_string(count_option));
  return {*index, count_option};
}

namespace {

// The records file must not depend on every optional field being written.
const nlohmann::json kNull;
const nlohmann::json& Field(const nlohmann::json& j, const char* key) { return JsonField(j, key); }
const nlohmann::json& Elements(const nlohmann::json& j) { return JsonElements(j); }

}  // namespace

std::string RecordLines(const nlohmann::json& doc, const std::string& relative) {
  std::string lines;
  const nlohmann::json& disclosure = Field(doc, "disclosure");
  const nlohmann::json& sha256 = Field(Field(doc, "source"), "sha256");
  for (const auto& t : Elements(Field(doc, "tables"))) {
    std::map<std::int64_t, const nlohmann::json*> columns;  // by their "index"
    for (const auto& c : Elements(Field(t, "columns")))
      if (Field(c, "index").is_number_integer())
        columns.emplace(Field(c, "index").get<std::int64_t>(), &c);
    const nlohmann::json& table_unit = Field(t, "unit");
    const nlohmann::json& unit = table_unit.is_null() ? Field(disclosure, "unit") : table_unit;
    for (const auto& r : Elements(Field(t, "records")))
      for (const auto& v : Elements(Field(r, "values"))) {
        if (!v.is_object()) continue;
        const nlohmann::json& index = Field(v, "column");
        const auto column =
            index.is_number_integer() ? columns.find(index.get<std::int64_t>()) : columns.end();
        const nlohmann::json& c = column == columns.end() ? kNull : *column->second;
        // ordered_json: the keys stay in this order, for loaders that read columns by position.
        lines += JsonLine(nlohmann::ordered_json{{"sha256", sha256},
                                                 {"document", relative},
                                                 {"department", Field(disclosure, "department")},
                                                 {"year", Field(disclosure, "year")},
                                                 {"unit", unit},
                                                 {"table", Field(t, "index")},
                                                 {"table_number", Field(t, "number")},
                                                 {"table_kind", Field(t, "kind")},
                                                 {"table_title", Field(t, "title")},
                                                 {"row", Field(r, "row")},
                                                 {"role", Field(r, "role")},
                                                 {"key", Field(r, "key")},
                                                 {"code", Field(r, "code")},
                                                 {"classification", Field(r, "classification")},
                                                 {"level", Field(r, "level")},
                                                 {"parent", Field(r, "parent")},
                                                 {"line", Field(r, "line")},
                                                 {"half", Field(r, "half")},
                                                 {"line_id", Field(r, "line_id")},
                                                 {"label", Field(r, "label")},
                                                 {"name", Field(r, "name")},
                                                 {"column", Field(v, "column")},
                                                 {"column_path", Field(c, "path")},
                                                 {"column_id", Field(c, "id")},
                                                 {"column_header", Field(c, "header")},
                                                 {"value", Field(v, "value")},
                                                 {"text", Field(v, "text")},
                                                 {"flags", Field(v, "flags")}});
      }
  }
  // The prose's facts: one line per number, with the same document keys and a "fact" key that
  // value lines do not have (README "Narrative facts").
  for (const auto& f : Elements(Field(doc, "facts")))
    for (const auto& n : Elements(Field(f, "numbers")))
      lines += JsonLine(nlohmann::ordered_json{{"sha256", sha256},
                                               {"document", relative},
                                               {"department", Field(disclosure, "department")},
                                               {"year", Field(disclosure, "year")},
                                               {"unit", Field(n, "unit")},
                                               {"fact", Field(f, "index")},
                                               {"fact_kind", Field(f, "kind")},
                                               {"subject_code", Field(Field(f, "subject"), "code")},
                                               {"subject_name", Field(Field(f, "subject"), "name")},
                                               {"page", Field(f, "page")},
                                               {"role", Field(n, "role")},
                                               {"value", Field(n, "value")},
                                               {"text", Field(n, "text")},
                                               {"flags", Field(f, "flags")},
                                               {"sentence", Field(f, "sentence")}});
  return lines;
}

std::string InputSha256(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return Sha256File(path);
  try {
    std::string all;
    for (const auto& file : PageImageFiles(path)) all += ReadInput(file);
    return Sha256Hex(all);
  } catch (const std::exception&) {
    return "";  // not up to date: the extraction reports what is wrong with the folder
  }
}

ResolvedInputs ResolveInputs(const BatchOptions& options) {
  Found found;
  for (const auto& in : options.inputs) CollectInput(fs::path(in), found);
  for (const auto& dir : options.page_folders) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) ThrowNotFound(dir, ec);
    CollectPageFolder(fs::path(dir), found);
  }
  ResolvedInputs resolved;
  std::set<fs::path> seen;                 // canonical paths taken
  std::map<std::string, fs::path> owners;  // relative name -> the input that has it
  for (const auto& [path, relative_path] : found.pdfs) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    const fs::path canonical = ec ? fs::path() : fs::weakly_canonical(absolute, ec);
    if (ec) {
      found.Problem(path, relative_path, "cannot resolve path", ec);
      continue;
    }
    if (!seen.insert(canonical).second) continue;  // the same file again: one input
    const std::string relative = relative_path.generic_string();
    const auto [owner, first] = owners.emplace(relative, canonical);
    if (!first) {  // the first in command-line order keeps the name
      found.Problem(path, relative_path,
                    "output name " + relative + ".json is taken by " + owner->second.string() +
                        " (named first); this input is not converted");
      continue;
    }
    if (!InShard(relative, options.shard_index, options.shard_count)) continue;
    // ".json" is appended to the whole name (a.pdf -> a.pdf.json).
    resolved.inputs.push_back({canonical.string(), relative,
                               (fs::path(options.out_dir) / (relative + ".json")).string()});
  }
  for (auto& [key, problem] : found.problems)
    if (InShard(key, options.shard_index, options.shard_count))
      resolved.problems.push_back(std::move(problem));
  return resolved;
}

namespace {

// One run of the batch over its resolved inputs, in the order RunBatch calls it: the input
// problems are recorded, up-to-date outputs are skipped (their records still go to the records
// file, so it always covers the whole corpus), the rest is converted, and the summary is written.
// The run's own files outlive it (they belong to RunBatch).
class BatchRun {
 public:
  BatchRun(const BatchOptions& options, std::atomic<bool>& stop, Clock::time_point t0,
           const ResolvedInputs& resolved, RunFiles& files, SqliteOutput* db)
      : options_(options),
        stop_(stop),
        t0_(t0),
        inputs_(resolved.inputs),
        problems_(resolved.problems),
        files_(files),
        db_(db),
        config_hash_(ConfigHash(options.extract)),
        tty_(!options.json_log && isatty(STDERR_FILENO)) {}

  void RecordInputProblems() {
    for (const auto& problem : problems_) {
      files_.Error({{"path", problem.path}, {"stage", "input"}, {"message", problem.message}});
      Log("failed: " + problem.path + " (input): " + problem.message,
          {{"event", "failed"},
           {"path", problem.path},
           {"stage", "input"},
           {"message", problem.message}});
    }
    StopIfFilesFailed();
  }

  void SkipUpToDate() {
    if (!options_.records_jsonl.empty()) records_.emplace(inputs_, files_);
    for (size_t i = 0; i < inputs_.size(); ++i) {
      const BatchInput& in = inputs_[i];
      nlohmann::json existing;
      const std::string sha = options_.force ? "" : InputSha256(in.path);
      if (!options_.force && UpToDate(in.output, sha, config_hash_, &existing)) {
        ++skipped_;
        if (records_) records_->Ready(i, existing);
        if (db_) LoadIntoDatabase(in, sha, existing);
        if (ReviewMissing(in)) ReviewFromExisting(in, existing);
        continue;
      }
      todo_.push_back(in.path);
      by_path_[in.path] = i;
    }
    StopIfFilesFailed();
    Log("batch: " + std::to_string(inputs_.size()) + " inputs, " + std::to_string(skipped_) +
            " up to date, " + std::to_string(todo_.size()) + " to do",
        {{"event", "start"},
         {"inputs", inputs_.size()},
         {"skipped", skipped_},
         {"todo", todo_.size()}});
  }

  // An up-to-date output that the database lacks (a new database file, a failed write, a run
  // without --sqlite): loaded from its JSON, so that a resumed batch leaves the database whole.
  void LoadIntoDatabase(const BatchInput& in, const std::string& sha,
                        const nlohmann::json& output) {
    try {
      if (db_->Has(sha, kVersion, config_hash_)) return;
      db_->Write(output, in.relative);
      ++loaded_;
    } catch (const std::exception& e) {
      ++load_failed_;
      files_.Error({{"path", in.path}, {"stage", "sqlite"}, {"message", e.what()}});
      Log("failed: " + in.relative + " (sqlite): " + e.what(),
          {{"event", "failed"}, {"path", in.path}, {"stage", "sqlite"}, {"message", e.what()}});
    }
  }

  void Convert() {
    Extractor extractor(options_.extract);
    extractor.extract_many(
        todo_, [this](Outcome&& o) { OnFinished(std::move(o)); }, &stop_,
        [this] {
          ++pages_;
          Progress(false);
        });
    Progress(true);
    if (tty_ && !options_.quiet) std::cerr << "\n";
  }

  // Writes the summary and the records file; returns the exit code.
  int Finish() {
    // The flag is also set when the run's files failed; that is exit 5, not an interruption.
    const bool interrupted = stop_.load() && !files_.failed();
    const nlohmann::json summary = Summary(interrupted);
    if (records_) records_->Finish();
    files_.Finish(summary);
    const int failures = all_failed();
    Log("batch: " + std::to_string(done_.load()) + " done, " + std::to_string(skipped_) +
            " up to date, " + std::to_string(failures) + " failed" +
            (interrupted ? ", interrupted" : ""),
        {{"event", "end"}, {"summary", summary}});
    if (files_.failed()) {
      std::cerr << "juesuan: batch stopped: the run's output cannot be written (exit code 5)\n";
      return static_cast<int>(ExitCode::kOutputFailed);
    }
    if (interrupted) return static_cast<int>(ExitCode::kInterrupted);
    return failures > 0 ? static_cast<int>(ExitCode::kSomeFailed) : static_cast<int>(ExitCode::kOk);
  }

 private:
  int input_errors() const { return static_cast<int>(problems_.size()); }
  int all_failed() const {
    return failed_.load() + input_errors() + load_failed_ + reviews_failed_;
  }
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }

  void Log(const std::string& text, nlohmann::json event) const {
    if (options_.quiet) return;
    if (options_.json_log) {
      event["time"] = Elapsed();
      std::cerr << JsonLine(event);
    } else {
      std::cerr << (tty_ ? "\r\033[K" : "") << text << "\n";
    }
  }

  // The run cannot go on without its own files: no new work starts (exit 5 in Finish).
  void StopIfFilesFailed() {
    if (files_.failed()) stop_ = true;
  }

  // A progress line at most every 0.5 s on a terminal (a redrawn bar), every 10 s otherwise;
  // `force_line` writes one now. Called from the page callback of any worker.
  void Progress(bool force_line) {
    std::lock_guard<std::mutex> lock(progress_mu_);
    auto now = Clock::now();
    double since = std::chrono::duration<double>(now - last_report_).count();
    if (options_.quiet || (!force_line && since < (tty_ ? 0.5 : 10.0))) return;
    last_report_ = now;
    double elapsed = std::chrono::duration<double>(now - t0_).count();
    int finished = done_ + failed_;
    double rate = elapsed > 0 ? pages_ / elapsed : 0;
    double eta =
        finished > 0 ? elapsed / finished * (static_cast<double>(todo_.size()) - finished) : 0;
    char line[256];
    std::snprintf(line, sizeof line,
                  "documents %d/%zu (failed %d)  pages %d  %.2f pages/s  ETA %.0f s", finished,
                  todo_.size(), failed_.load(), pages_.load(), rate, eta);
    if (options_.json_log) {
      Log("", {{"event", "progress"},
               {"documents", finished},
               {"of", todo_.size()},
               {"failed", failed_.load()},
               {"pages", pages_.load()},
               {"pages_per_s", rate},
               {"eta_s", eta}});
    } else if (tty_) {
      int width = 30,
          filled = todo_.empty() ? width : static_cast<int>(width * finished / todo_.size());
      std::cerr << "\r\033[K[" << std::string(filled, '#') << std::string(width - filled, '.')
                << "] " << line << std::flush;
    } else {
      std::cerr << line << "\n";
    }
  }

  // One finished document: its output, its records, or its line in _errors.jsonl. Never throws
  // (it runs inside the extractor's graph); once the run's own files have failed, outcomes are
  // dropped (counted as abandoned) and the next run redoes them.
  void OnFinished(Outcome&& o) {
    if (files_.failed()) return;
    const size_t index = by_path_.at(o.path);
    const BatchInput& in = inputs_[index];
    if (o.doc) {
      try {
        Write(in, index, *o.doc);
        slowest_.emplace_back(o.seconds, in.relative);
        StopIfFilesFailed();
        return;
      } catch (const SqliteError& e) {
        o.stage = "sqlite";  // the JSON is written: the next run loads it (LoadIntoDatabase)
        o.error = e.what();
      } catch (const std::exception& e) {
        o.stage = "write";
        o.error = e.what();
      }
    }
    ++failed_;
    if (records_) records_->None(index);
    files_.Error({{"path", in.path}, {"stage", o.stage}, {"message", o.error}});
    StopIfFilesFailed();
    Log("failed: " + in.relative + " (" + o.stage + "): " + o.error,
        {{"event", "failed"}, {"path", in.path}, {"stage", o.stage}, {"message", o.error}});
  }

  // Writes input `index`'s output and hands it to the records file. Throws on a write failure.
  void Write(const BatchInput& in, size_t index, const Document& doc) {
    nlohmann::json j = ToJson(doc);
    std::error_code ec;
    const fs::path folder = fs::path(in.output).parent_path();
    fs::create_directories(folder, ec);
    if (ec) throw OutputError("cannot create folder " + folder.string() + ": " + ec.message());
    WriteFileAtomically(in.output,
                        j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    WriteReview(in, j);
    if (db_) db_->Write(j, in.relative);
    if (records_) records_->Ready(index, j);
    if (j.contains("checks_summary")) checks_failed_ += j["checks_summary"].value("fail", 0);
    if (j.contains("repairs")) repairs_ += static_cast<long long>(j["repairs"].size());
    ++done_;
  }

  // --review-dir: the review page of a finished document, REVIEW_DIR/<relative>.html. A
  // failure throws: the document is reported failed (stage "review") though its JSON stays,
  // and the next run writes the missing page (ReviewMissing).
  void WriteReview(const BatchInput& in, const nlohmann::json& j) const {
    if (options_.review_dir.empty()) return;
    const fs::path page = ReviewPath(in);
    std::error_code ec;
    fs::create_directories(page.parent_path(), ec);
    if (ec)
      throw OutputError("review: cannot create folder " + page.parent_path().string() + ": " +
                        ec.message());
    try {
      WriteFileAtomically(page.string(), ReviewHtml(j, in.path));
    } catch (const std::exception& e) {
      throw OutputError(std::string("review: ") + e.what());
    }
  }
  // An up-to-date document whose review page is missing (a first run with --review-dir, or a
  // page that failed last time) gets it now. A page that cannot be written is a failed input
  // (stage "review"); its JSON and records stay.
  void ReviewFromExisting(const BatchInput& in, const nlohmann::json& existing) {
    try {
      WriteReview(in, existing);
    } catch (const std::exception& e) {
      ++reviews_failed_;
      files_.Error({{"path", in.path}, {"stage", "review"}, {"message", e.what()}});
      Log("failed: " + in.relative + " (review): " + e.what(),
          {{"event", "failed"}, {"path", in.path}, {"stage", "review"}, {"message", e.what()}});
    }
  }
  fs::path ReviewPath(const BatchInput& in) const {
    return fs::path(options_.review_dir) / (in.relative + ".html");
  }
  bool ReviewMissing(const BatchInput& in) const {
    std::error_code ec;
    return !options_.review_dir.empty() && !fs::exists(ReviewPath(in), ec);
  }

  nlohmann::json Summary(bool interrupted) {
    const double elapsed = Elapsed();
    std::sort(slowest_.rbegin(), slowest_.rend());
    if (slowest_.size() > 10) slowest_.resize(10);
    nlohmann::json slow = nlohmann::json::array();
    for (auto& [s, p] : slowest_) slow.push_back({{"document", p}, {"seconds", s}});
    const int abandoned = static_cast<int>(todo_.size()) - done_ - failed_;
    return {{"version", kVersion},
            {"config_hash", config_hash_},
            {"inputs", inputs_.size()},
            {"done", done_.load()},
            {"skipped", skipped_},
            {"failed", all_failed()},
            {"input_errors", input_errors()},
            {"abandoned", abandoned},
            {"interrupted", interrupted},
            {"pages", pages_.load()},
            {"seconds", elapsed},
            {"pages_per_second", elapsed > 0 ? pages_ / elapsed : 0},
            {"checks_failed", checks_failed_},
            {"repairs", repairs_},
            {"sqlite_loaded", loaded_},
            {"slowest", slow}};
  }

  const BatchOptions& options_;
  std::atomic<bool>& stop_;
  const Clock::time_point t0_;
  const std::vector<BatchInput>& inputs_;
  const std::vector<InputProblem>& problems_;
  RunFiles& files_;
  SqliteOutput* db_;  // null without --sqlite
  const std::string config_hash_;
  const bool tty_;
  std::optional<RecordsInOrder> records_;
  std::vector<std::string> todo_;
  std::map<std::string, size_t> by_path_;  // index in `inputs_`
  int skipped_ = 0;
  int loaded_ = 0, load_failed_ = 0;  // up-to-date outputs loaded into the database (SkipUpToDate)
  std::atomic<int> done_{0}, failed_{0}, pages_{0};
  // Only OnFinished changes these; the extractor calls it for one document at a time.
  long long checks_failed_ = 0, repairs_ = 0;
  int reviews_failed_ = 0;  // up-to-date documents only (SkipUpToDate runs on one thread)
  std::vector<std::pair<double, std::string>> slowest_;
  std::mutex progress_mu_;
  Clock::time_point last_report_ = Clock::now();
};

}  // namespace

int RunBatch(const BatchOptions& requested, std::atomic<bool>& stop) {
  const auto t0 = Clock::now();
  BatchOptions options = requested;  // each shard writes its own records file
  if (!options.records_jsonl.empty())
    options.records_jsonl =
        ShardFileName(options.records_jsonl, options.shard_index, options.shard_count);
  const ResolvedInputs resolved = ResolveInputs(options);  // before anything is written
  std::optional<RunFiles> files;
  std::optional<SqliteOutput> db;
  try {
    PrepareOutputs(options);
    files.emplace(options);
    if (!options.sqlite.empty()) db.emplace(options.sqlite);
  } catch (const OutputError& e) {
    std::cerr << "juesuan: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kOutputFailed);
  }
  BatchRun run(options, stop, t0, resolved, *files, db ? &*db : nullptr);
  run.RecordInputProblems();
  run.SkipUpToDate();
  run.Convert();
  return run.Finish();
}

namespace {

std::atomic<bool> g_stop_requested{false};
std::atomic<bool> g_signalled{false};
static_assert(std::atomic<bool>::is_always_lock_free, "used in a signal handler");

// Only async-signal-safe work here: lock-free atomics, unlink() and _exit().
extern "C" void OnInterrupt(int) {
  if (g_signalled.exchange(true)) {  // the second signal: end now, leaving no temporary file
    RemoveTemporariesInFlight();
    _exit(static_cast<int>(ExitCode::kInterrupted));
  }
  g_stop_requested.store(true);
}

}  // namespace

std::atomic<bool>& InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);  // one handler at a time
  sigaddset(&action.sa_mask, SIGTERM);
  // The first signal only sets a flag: reads and writes it interrupts simply go on.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // A reader that goes away (`juesuan extract X | head`) makes the write fail with EPIPE, which
  // ends the run with exit code 5 and a message, instead of SIGPIPE killing it unreported.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);
  return g_stop_requested;
}

}  // namespace juesuan
