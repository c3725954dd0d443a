// Error kinds that map one-to-one to documented exit codes (see README "Exit codes").
#pragma once

#include <stdexcept>
#include <string>

namespace juesuan {

enum class ExitCode : int {
  kOk = 0,
  kInternal = 1,      // a bug or an unexpected failure inside a stage; or -o cannot be written
  kUsage = 2,         // bad command line
  kBadInput = 3,      // not a PDF, truncated, encrypted, zero pages, unreadable file
  kSomeFailed = 4,    // batch: at least one input failed, the others were written
  kInterrupted = 130  // batch: stopped by SIGINT/SIGTERM; finished outputs are kept
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

}  // namespace juesuan
