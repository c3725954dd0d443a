// juesuan batch: many PDFs -> one JSON each under an output directory; parallel (one flow graph
// for all documents), resumable (skips inputs whose output is up to date), atomic (temp file +
// fsync + rename), isolated (a bad input is logged in _errors.jsonl and the batch goes on).
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/extractor.h"

namespace juesuan {

struct BatchOptions {
  ExtractOptions extract;
  std::vector<std::string>
      inputs;  // files, directories (recursive *.pdf), manifests (a path per line)
  // Folders of page images, each one document (--pages-of DIR), after the inputs.
  std::vector<std::string> page_folders;
  std::string out_dir;
  bool force = false;  // redo inputs whose output is up to date
  bool quiet = false;
  bool json_log = false;      // progress and events as JSON lines on stderr
  std::string records_jsonl;  // every record value of every document, a JSON line each
  std::string sqlite;      // every document into this SQLite database (stages/emit/sqlite_output.h)
  std::string review_dir;  // a review page per document (REVIEW_DIR/<relative>.html); "" = none
  int shard_index = 0, shard_count = 1;  // this run takes inputs with hash % count == index
};

// One input resolved: where it is and where its output goes.
struct BatchInput {
  std::string path;      // as found
  std::string relative;  // below the folder named (a named or listed file: its name)
  std::string output;    // OUT_DIR/<relative>.json
};

// Something found inside a folder or manifest that cannot be an input: a looping or dangling
// symlink, an unreadable folder or manifest, a manifest entry that does not exist.
struct InputProblem {
  std::string path;     // absolute, as found (a symlink is not resolved)
  std::string message;  // one line: what is wrong and the system's reason
};

struct ResolvedInputs {
  std::vector<BatchInput> inputs;
  std::vector<InputProblem> problems;  // this shard's share, like the inputs
};

// Expands inputs (directories recursively, manifests line by line) in command-line order, each
// folder sorted, drops duplicates (the same file twice), names each output by its path below the
// argument it came from (so that other inputs never move it), and keeps this shard's share. One
// bad entry never stops the others: it becomes a problem, and so does a later input whose output
// name an earlier one has. Throws UsageError only for an INPUT named on the
// command line that does not exist (nothing to do: a typo or a missing mount); never throws a
// filesystem error.
ResolvedInputs ResolveInputs(const BatchOptions& options);

// The sha256 an output records for an input: of the file's bytes, or for a folder of page
// images of its page files' bytes concatenated in page order (as the extraction takes it).
// "" when it cannot be read.
std::string InputSha256(const std::string& path);

// One document's output JSON (schema 2.0) as the lines of the records file, one per value of
// every record, with the same keys in the same order (README lists them). A field the output
// lacks is null; an output of another shape gives fewer lines rather than an exception.
std::string RecordLines(const nlohmann::json& doc, const std::string& relative);

// Stable 64-bit FNV-1a of the relative path: the same split on every machine.
bool InShard(const std::string& relative, int index, int count);

// The environment as a function, so that tests can give their own (std::getenv in the CLI).
using EnvLookup = std::function<const char*(const char*)>;

// `--shard auto`: this process's shard from the scheduler that started it, as 0-based index and
// count. A Kubernetes Indexed Job exports JOB_COMPLETION_INDEX (0-based) but no count, which
// must come from --shard-count (`count_option`, 0 when not given). A Slurm array exports
// SLURM_ARRAY_TASK_ID, _MIN, _STEP (1 when absent) and _COUNT: the shard is (ID - MIN) / STEP of
// COUNT; a --shard-count that disagrees with COUNT is an error, not a silent override. Throws
// UsageError when neither scheduler is found or its values do not make a shard.
std::pair<int, int> ShardFromScheduler(int count_option, const EnvLookup& env);

// The records file of one shard: "records.jsonl" -> "records-2-of-8.jsonl" (unchanged for one
// shard), so that shards writing into one folder never replace each other's records.
std::string ShardFileName(const std::string& path, int index, int count);

// Runs the batch; returns the process exit code (0 all done, 4 some failed, 5 an output of the run
// itself cannot be written, the --sqlite database included when it cannot be opened, 130
// interrupted). With --sqlite, a document the database refuses (locked, full) is a failed input
// (stage "sqlite") whose JSON is kept; an up-to-date output that the database lacks is loaded
// from its JSON, so a rerun completes the database. `stop` is set by the caller's signal handler;
// the batch sets it too when it must end (exit 5), so that no new work starts. Throws UsageError
// (see ResolveInputs) before anything is written.
int RunBatch(const BatchOptions& options, std::atomic<bool>& stop);

// SIGINT and SIGTERM handlers (sigaction) for extract and batch. The first signal sets the
// returned flag: no new work starts, finished work is kept. A second one removes the temporary
// files being written (RemoveTemporariesInFlight) and ends the process at once with exit code 130.
// SIGPIPE is ignored: a write to a closed pipe fails with EPIPE (exit code 5) instead.
std::atomic<bool>& InstallInterruptHandlers();

}  // namespace juesuan
