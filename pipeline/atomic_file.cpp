#include "pipeline/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "stages/common/errors.h"

namespace juesuan {
namespace {

// The temporary files being written, for a signal handler: fixed storage (no allocation) and
// lock-free states, so that RemoveTemporariesInFlight() is async-signal-safe. A batch writes at
// most a few at a time (records file, one document, summary); a writer that finds no free slot
// still works, only a second Ctrl-C would then leave its temporary file behind.
class TemporaryRegistry {
 public:
  // Returns the slot, or -1 when the name is too long or every slot is taken.
  int Add(const std::string& name) noexcept {
    if (name.size() >= kNameCapacity) return -1;
    for (int i = 0; i < static_cast<int>(slots_.size()); ++i) {
      Slot& slot = slots_[i];
      int expected = kFree;
      if (!slot.state.compare_exchange_strong(expected, kFilling)) continue;
      std::memcpy(slot.name, name.c_str(), name.size() + 1);
      slot.state.store(kReady, std::memory_order_release);
      return i;
    }
    return -1;
  }
  void Remove(int index) noexcept {
    if (index < 0) return;
    // A slot the signal handler has claimed stays claimed: the process is ending, and reusing it
    // could change the name while the handler reads it.
    int expected = kReady;
    slots_[index].state.compare_exchange_strong(expected, kFree);
  }
  void UnlinkAll() noexcept {
    for (Slot& slot : slots_) {
      int expected = kReady;
      if (slot.state.compare_exchange_strong(expected, kClaimed)) ::unlink(slot.name);
    }
  }

 private:
  static constexpr size_t kNameCapacity = 4096;  // PATH_MAX on Linux
  enum State : int { kFree, kFilling, kReady, kClaimed };
  struct Slot {
    std::atomic<int> state{kFree};
    char name[kNameCapacity] = {};
  };
  static_assert(std::atomic<int>::is_always_lock_free, "needed in a signal handler");
  std::array<Slot, 16> slots_;
};

TemporaryRegistry g_temporaries;

[[noreturn]] void Fail(const std::string& what, const std::string& path, int error) {
  throw OutputError(what + " " + path + ": " + std::strerror(error));
}

// True for a path in /dev or /proc: a temporary file there is never right, and a rename would
// replace a system entry (/dev/stdout) with a regular file.
bool InSystemFolder(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  auto part = absolute.begin();
  if (ec || part == absolute.end() || ++part == absolute.end()) return false;
  return *part == "dev" || *part == "proc";
}

// What the target is: devices, pipes and system paths are written directly, folders refused.
enum class TargetKind { kFileOrMissing, kStream, kFolder };
TargetKind KindOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return InSystemFolder(path) ? TargetKind::kStream : TargetKind::kFileOrMissing;
  if (S_ISDIR(st.st_mode)) return TargetKind::kFolder;
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
    return TargetKind::kStream;
  return InSystemFolder(path) ? TargetKind::kStream : TargetKind::kFileOrMissing;
}

// Owns the descriptor of an open folder.
struct FolderFd {
  explicit FolderFd(int descriptor) : fd(descriptor) {}
  ~FolderFd() {
    if (fd >= 0) ::close(fd);
  }
  FolderFd(const FolderFd&) = delete;
  FolderFd& operator=(const FolderFd&) = delete;
  const int fd;
};

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string target) : target_(std::move(target)) {
  namespace fs = std::filesystem;
  switch (KindOf(target_)) {
    case TargetKind::kFolder:
      Fail("cannot write", target_, EISDIR);
    case TargetKind::kStream:
      // O_APPEND: through /dev/stdout, a shell's `>>` redirection is appended to, not overwritten.
      fd_ = ::open(target_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
      if (fd_ < 0) {
        const int error = errno;
        Fail("cannot open", target_, error);
      }
      return;
    case TargetKind::kFileOrMissing:
      break;
  }
  const fs::path path(target_);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string name = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) {
    const int error = errno;
    Fail("cannot create a temporary file in", dir.string(), error);
  }
  temporary_ = std::move(name);
  registry_slot_ = g_temporaries.Add(temporary_);
  // mkstemp creates 0600; an output is read by others like a file written normally.
  if (::fchmod(fd_, 0644) != 0) {
    const int error = errno;
    const std::string name_of_removed = temporary_;
    Discard();
    Fail("cannot set permissions of", name_of_removed, error);
  }
}

AtomicFileWriter::~AtomicFileWriter() { Discard(); }

void AtomicFileWriter::Discard() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  g_temporaries.Remove(std::exchange(registry_slot_, -1));
  temporary_.clear();
}

void AtomicFileWriter::write(std::string_view bytes) {
  const std::string name = temporary_.empty() ? target_ : temporary_;
  if (fd_ < 0) Fail("cannot write", name, EBADF);
  try {
    WriteAll(fd_, bytes, name);
  } catch (const OutputError&) {
    Discard();
    throw;
  }
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) Fail("cannot commit", target_, EBADF);
  if (temporary_.empty()) {  // a device or pipe: nothing to sync or rename
    if (::close(std::exchange(fd_, -1)) != 0) {
      const int error = errno;
      Fail("cannot write", target_, error);
    }
    return;
  }
  const std::string name = temporary_;
  if (::fsync(fd_) != 0) {
    const int error = errno;
    Discard();
    Fail("cannot flush", name, error);
  }
  // close() can report a deferred write error (NFS): check it like any write.
  if (::close(std::exchange(fd_, -1)) != 0) {
    const int error = errno;
    Discard();
    Fail("cannot flush", name, error);
  }
  if (::rename(name.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    Discard();
    Fail("cannot rename " + name + " onto", target_, error);
  }
  // The temporary name is gone now: unregister it after the rename, so that a signal in between
  // at worst unlinks a name that no longer exists.
  g_temporaries.Remove(std::exchange(registry_slot_, -1));
  temporary_.clear();
  // Make the rename itself durable. A folder that cannot be opened for reading cannot be synced;
  // a filesystem that does not sync folders says EINVAL. Any other failure is an I/O error.
  const std::filesystem::path dir = std::filesystem::path(target_).parent_path();
  const std::string dir_name = dir.empty() ? "." : dir.string();
  const FolderFd folder(::open(dir_name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.fd < 0) return;
  if (::fsync(folder.fd) != 0) {
    const int error = errno;
    if (error != EINVAL) Fail("cannot sync folder", dir_name, error);
  }
}

void WriteAll(int fd, std::string_view bytes, const std::string& name) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;  // 0 bytes for a non-empty write: no progress
      Fail("cannot write", name, error);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  AtomicFileWriter file(path);
  file.write(content);
  file.commit();
}

void RemoveTemporariesInFlight() noexcept { g_temporaries.UnlinkAll(); }

}  // namespace juesuan
