// Write-then-rename, so a reader never sees a half-written result (crash, kill -9, power loss),
// and a registry of the temporary files being written, so that a signal handler can remove them.
#pragma once

#include <string>
#include <string_view>

namespace juesuan {

// A file written under a temporary name beside its target (".NAME.tmp-XXXXXX"), then fsynced and
// renamed over the target by commit(); the folder is fsynced too, so the rename is durable.
// Destroyed without commit() (an error, an interruption), it removes the temporary file and leaves
// the target untouched. While the temporary file exists, RemoveTemporariesInFlight() knows it.
// A target that is a device or a pipe (/dev/full, a FIFO), or any path in /dev or /proc
// (/dev/stdout), must never be replaced by a rename: it is opened and appended to directly.
// Every failure throws OutputError (a std::runtime_error) with the path and the errno text.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string target);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(std::string_view bytes);
  void commit();  // at most once; after a failure the writer is spent
  const std::string& target() const { return target_; }
  const std::string& temporary() const { return temporary_; }  // empty when written directly

 private:
  void Discard() noexcept;  // closes and removes the temporary file
  std::string target_;
  std::string temporary_;
  int fd_ = -1;
  int registry_slot_ = -1;
};

// Writes `content` to `path` through an AtomicFileWriter. Throws OutputError on failure; `path`
// is then left untouched (unless only the final fsync of its folder failed: see commit()).
void WriteFileAtomically(const std::string& path, std::string_view content);

// Writes all of `bytes` to `fd`, retrying short writes and EINTR. Throws OutputError naming
// `name` with the errno text (ENOSPC, EFBIG, EIO, EPIPE, ...).
void WriteAll(int fd, std::string_view bytes, const std::string& name);

// Unlinks the temporary file of every AtomicFileWriter alive. Async-signal-safe (lock-free atomics
// and unlink only): for a signal handler that then ends the process with _exit().
void RemoveTemporariesInFlight() noexcept;

}  // namespace juesuan
