// Error kinds that map one-to-one to documented exit codes (see README "Exit codes").
#pragma once

#include <stdexcept>
#include <string>

namespace juesuan {

enum class ExitCode : int {
  kOk = 0,
  kInternal = 1,       // a bug or an unexpected failure inside a stage
  kUsage = 2,          // bad command line, or a batch INPUT given on it that does not exist
  kBadInput = 3,       // not a PDF, truncated, encrypted, zero pages, unreadable file;
                       // validate: a file that is missing or not JSON
  kSomeFailed = 4,     // batch: at least one input failed, the others were written
  kOutputFailed = 5,   // output cannot be written: disk full, read-only or unwritable folder
  kChecksFailed = 6,   // validate: a check fails on the cells, or a record disagrees with its cell
  kSchemaInvalid = 7,  // validate: JSON, but not valid against configs/output.schema.json
  kInterrupted = 130   // stopped by SIGINT/SIGTERM; batch: finished outputs are kept
};

// Input that cannot be processed; `what()` is a one-line message for the user.
class BadInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file or folder that cannot be written (full disk, read-only, no permission); `what()` names
// the path and the system's reason.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A command line that names something that is not there; exit code 2 like any usage error.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace juesuan
