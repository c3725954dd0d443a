// Sha256Hex / Sha256File against known vectors, and WriteFileAtomically.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/atomic_file.h"
#include "pipeline/sha256.h"
#include "test_support.h"

namespace juesuan {
namespace {

namespace fs = std::filesystem;
using testing::Entries;
using testing::ReadAll;
using testing::TempDir;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Two blocks (56 bytes: the padding spills into a second block).
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // A million 'a's: many blocks.
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Bytes with the high bit set are hashed as unsigned.
  EXPECT_EQ(Sha256Hex("\xff"), "a8100ae6aa1940d0b663bb31cd466142ebbdbd5187131b92d93818987832eb89");
}

TEST(Sha256, FileMatchesBytes) {
  TempDir dir;
  const std::string content("%PDF-1.4\n\x00\x01 binary\n", 19);
  ASSERT_EQ(content[9], '\0');
  WriteFileAtomically((dir / "f.bin").string(), content);
  EXPECT_EQ(Sha256File((dir / "f.bin").string()), Sha256Hex(content));
  EXPECT_EQ(Sha256File((dir / "missing.bin").string()), "");
}

TEST(WriteFileAtomically, WritesAndOverwrites) {
  TempDir dir;
  const std::string path = (dir / "out.json").string();
  WriteFileAtomically(path, "{\"a\": 1}\n");
  EXPECT_EQ(ReadAll(path), "{\"a\": 1}\n");
  // Overwriting with shorter content leaves nothing of the old file.
  WriteFileAtomically(path, "{}");
  EXPECT_EQ(ReadAll(path), "{}");
  WriteFileAtomically(path, "");
  EXPECT_EQ(fs::file_size(path), 0u);
  // Large content is written whole.
  std::string big(3 * 1024 * 1024 + 7, 'x');
  WriteFileAtomically(path, big);
  EXPECT_EQ(ReadAll(path), big);
  // No temporary files are left beside it.
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"out.json"});
  // Readable by others, like a file written normally.
  auto perms = fs::status(path).permissions();
  EXPECT_NE(perms & fs::perms::owner_read, fs::perms::none);
  EXPECT_NE(perms & fs::perms::others_read, fs::perms::none);
}

TEST(WriteFileAtomically, RelativePathInCurrentDirectory) {
  TempDir dir;
  const fs::path old = fs::current_path();
  fs::current_path(dir.path());
  WriteFileAtomically("relative.json", "[1]");
  fs::current_path(old);
  EXPECT_EQ(ReadAll(dir / "relative.json"), "[1]");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"relative.json"});
}

TEST(WriteFileAtomically, ThrowsForMissingDirectory) {
  TempDir dir;
  const std::string path = (dir / "no" / "such" / "dir" / "out.json").string();
  EXPECT_THROW(WriteFileAtomically(path, "x"), std::runtime_error);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(Entries(dir.path()).empty());
}

TEST(WriteFileAtomically, FailureLeavesTargetUntouched) {
  TempDir dir;
  // The target is a directory: the rename fails, the directory and its contents stay.
  fs::create_directory(dir / "target");
  WriteFileAtomically((dir / "target" / "keep.txt").string(), "keep");
  EXPECT_THROW(WriteFileAtomically((dir / "target").string(), "x"), std::runtime_error);
  EXPECT_TRUE(fs::is_directory(dir / "target"));
  EXPECT_EQ(ReadAll(dir / "target" / "keep.txt"), "keep");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"target"});  // no temp file left
}

}  // namespace
}  // namespace juesuan
