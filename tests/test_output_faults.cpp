// Output faults of AtomicFileWriter / WriteFileAtomically: every failure (write, fsync, rename,
// folder sync) removes the temporary file and throws with the errno text; devices are written in
// place, never renamed over; a second signal removes the temporary file being written.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/atomic_file.h"
#include "pipeline/batch.h"
#include "stages/common/errors.h"
#include "test_support.h"

// fsync() failures cannot be provoked on a healthy disk, so this test program replaces fsync():
// the program's own definition wins over libc's at link time. While g_fail_fsync_call is N > 0,
// the N-th call from then on fails with EIO; every other call is the real system call.
namespace {
std::atomic<int> g_fail_fsync_call{0};
std::atomic<int> g_fsync_calls{0};
}  // namespace

extern "C" int fsync(int fd) {
  const int failing = g_fail_fsync_call.load();
  if (failing > 0 && ++g_fsync_calls == failing) {
    errno = EIO;
    return -1;
  }
  return static_cast<int>(::syscall(SYS_fsync, fd));
}

namespace juesuan {
namespace {

namespace fs = std::filesystem;
using testing::Entries;
using testing::ReadAll;
using testing::TempDir;

// Makes the n-th fsync() from now fail with EIO, for one scope.
class FsyncFailure {
 public:
  explicit FsyncFailure(int nth_call) {
    g_fsync_calls = 0;
    g_fail_fsync_call = nth_call;
  }
  ~FsyncFailure() { g_fail_fsync_call = 0; }
  FsyncFailure(const FsyncFailure&) = delete;
  FsyncFailure& operator=(const FsyncFailure&) = delete;
};

// The message of the OutputError that `write` throws; "" when it throws none.
template <class Write>
std::string OutputErrorOf(Write&& write) {
  try {
    write();
  } catch (const OutputError& e) {
    return e.what();
  }
  return "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// In a child process: a full disk, without root. A file-size limit makes write() fail with EFBIG
// once the temporary file reaches 1000 bytes. Exits 0 when the failure was clean.
[[noreturn]] void WriteBeyondFileSizeLimit(const fs::path& dir) {
  const fs::path target = dir / "out.json";
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{1000, 1000};
  setrlimit(RLIMIT_FSIZE, &limit);
  const std::string message =
      OutputErrorOf([&] { WriteFileAtomically(target.string(), std::string(5000, 'x')); });
  const bool clean = Contains(message, std::strerror(EFBIG)) &&
                     Entries(dir) == std::vector<std::string>{"out.json"} &&
                     ReadAll(target) == "old";
  std::fprintf(stderr, "message: %s\n", message.c_str());
  _exit(clean ? 0 : 1);
}

TEST(OutputFaults, WriteFailureRemovesTheTemporaryFileAndSaysWhy) {
  TempDir dir;
  std::ofstream(dir / "out.json") << "old";
  EXPECT_EXIT(WriteBeyondFileSizeLimit(dir.path()), ::testing::ExitedWithCode(0),
              "message: cannot write .*/\\.out\\.json\\.tmp-.*: File too large");
}

TEST(OutputFaults, FsyncFailureRemovesTheTemporaryFileAndLeavesTheTarget) {
  TempDir dir;
  const fs::path target = dir / "out.json";
  std::ofstream(target) << "old";
  std::string message;
  {
    FsyncFailure fail(1);  // the temporary file's fsync
    message = OutputErrorOf([&] { WriteFileAtomically(target.string(), "new"); });
  }
  EXPECT_TRUE(Contains(message, "cannot flush")) << message;
  EXPECT_TRUE(Contains(message, std::strerror(EIO))) << message;
  EXPECT_EQ(ReadAll(target), "old");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"out.json"});
}

TEST(OutputFaults, FolderSyncFailureIsReportedAfterTheRename) {
  TempDir dir;
  const fs::path target = dir / "out.json";
  std::string message;
  {
    FsyncFailure fail(2);  // the folder's fsync, after the rename
    message = OutputErrorOf([&] { WriteFileAtomically(target.string(), "new"); });
  }
  EXPECT_TRUE(Contains(message, "cannot sync folder")) << message;
  EXPECT_TRUE(Contains(message, std::strerror(EIO))) << message;
  // The rename happened (the content is whole); only its durability is in doubt.
  EXPECT_EQ(ReadAll(target), "new");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"out.json"});
}

TEST(OutputFaults, RenameFailureRemovesTheTemporaryFile) {
  TempDir dir;
  const fs::path target = dir / "out.json";
  std::string message;
  {
    AtomicFileWriter file(target.string());
    file.write("new");
    ASSERT_TRUE(fs::exists(file.temporary()));
    // The target becomes a non-empty folder meanwhile: rename() cannot replace it.
    fs::create_directory(target);
    std::ofstream(target / "keep.txt") << "keep";
    message = OutputErrorOf([&] { file.commit(); });
    EXPECT_TRUE(file.temporary().empty());
  }
  EXPECT_TRUE(Contains(message, "cannot rename")) << message;
  EXPECT_TRUE(Contains(message, std::strerror(EISDIR))) << message;
  EXPECT_EQ(ReadAll(target / "keep.txt"), "keep");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"out.json"});
}

TEST(OutputFaults, UncommittedWriterRemovesItsTemporaryFile) {
  TempDir dir;
  std::string temporary;
  {
    AtomicFileWriter file((dir / "out.json").string());
    file.write("partial");
    temporary = file.temporary();
    EXPECT_EQ(fs::path(temporary).filename().string().rfind(".out.json.tmp-", 0), 0u);
    EXPECT_TRUE(fs::exists(temporary));
  }
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_TRUE(Entries(dir.path()).empty());
}

TEST(OutputFaults, DevicesAreWrittenInPlaceNeverRenamedOver) {
  {
    AtomicFileWriter null_device("/dev/null");
    EXPECT_TRUE(null_device.temporary().empty());
    null_device.write("anything");
    null_device.commit();
  }
  const std::string message = OutputErrorOf([] { WriteFileAtomically("/dev/full", "x"); });
  EXPECT_TRUE(Contains(message, "cannot write /dev/full")) << message;
  EXPECT_TRUE(Contains(message, std::strerror(ENOSPC))) << message;
  for (const char* device : {"/dev/null", "/dev/full"}) {
    struct stat st {};
    ASSERT_EQ(::stat(device, &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << device << " was replaced";
  }
  for (const auto& e : fs::directory_iterator("/dev"))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(OutputFaults, FolderTargetIsRefused) {
  TempDir dir;
  const std::string message = OutputErrorOf([&] { WriteFileAtomically(dir.path().string(), "x"); });
  EXPECT_TRUE(Contains(message, std::strerror(EISDIR))) << message;
  EXPECT_TRUE(Entries(dir.path()).empty());
}

// In a child process, with the handlers that extract and batch install: the first SIGTERM only
// sets the flag, the second unlinks the temporary file being written and exits 130.
[[noreturn]] void SignalTwiceWhileWriting(const fs::path& target) {
  const std::atomic<bool>& stop = InstallInterruptHandlers();
  AtomicFileWriter file(target.string());
  file.write("half of a document");
  std::raise(SIGTERM);
  if (!stop || !fs::exists(file.temporary())) _exit(1);
  std::raise(SIGTERM);
  _exit(2);
}

TEST(OutputFaults, SecondSignalRemovesTheTemporaryFileAndExits130) {
  TempDir dir;
  EXPECT_EXIT(SignalTwiceWhileWriting(dir / "out.json"), ::testing::ExitedWithCode(130), "");
  EXPECT_TRUE(Entries(dir.path()).empty());
}

}  // namespace
}  // namespace juesuan
