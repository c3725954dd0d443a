// juesuan batch: many PDFs -> one JSON each under an output directory; parallel (one flow graph
// for all documents), resumable (skips inputs whose output is up to date), atomic (temp file +
// fsync + rename), isolated (a bad input is logged in _errors.jsonl and the batch goes on).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "pipeline/extractor.h"

namespace juesuan {

struct BatchOptions {
  ExtractOptions extract;
  std::vector<std::string>
      inputs;  // files, directories (recursive *.pdf), manifests (a path per line)
  std::string out_dir;
  bool force = false;  // redo inputs whose output is up to date
  bool quiet = false;
  bool json_log = false;                 // progress and events as JSON lines on stderr
  std::string records_jsonl;             // every record of every document, one JSON line each
  int shard_index = 0, shard_count = 1;  // this run takes inputs with hash % count == index
};

// One input resolved: where it is and where its output goes.
struct BatchInput {
  std::string path;      // as found
  std::string relative;  // below the common root of all inputs, used to mirror the tree
  std::string output;    // OUT_DIR/<relative>.json
};

// Expands inputs (directories recursively, manifests line by line), drops duplicates, orders
// them, maps each to a collision-free output path, and keeps this shard's share. Throws
// std::runtime_error for an input that does not exist.
std::vector<BatchInput> ResolveInputs(const BatchOptions& options);

// Stable 64-bit FNV-1a of the relative path: the same split on every machine.
bool InShard(const std::string& relative, int index, int count);

// Runs the batch; returns the process exit code (0 all done, 4 some failed, 130 interrupted).
// `stop` is set by the caller's signal handler.
int RunBatch(const BatchOptions& options, const std::atomic<bool>& stop);

}  // namespace juesuan
