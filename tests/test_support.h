// Helpers shared by the test files: test data paths, scratch directories, running the CLI, and
// a cross-process cache of the (slow) end-to-end extraction of scan_tables.pdf.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace juesuan::testing {

namespace fs = std::filesystem;

inline std::string TestData(const std::string& name) {
  return (fs::path(JUESUAN_TESTDATA) / name).string();
}

inline std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      fs::path p = fs::temp_directory_path() /
                   ("juesuan-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
      if (fs::create_directory(p)) {
        path_ = p;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// The names in a folder, sorted (a test's proof that no temporary file was left behind).
inline std::vector<std::string> Entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs the built juesuan binary with `args`; stdout and stderr are captured.
inline CliResult RunCli(const std::vector<std::string>& args) {
  TempDir tmp;
  std::string cmd = ShellQuote(JUESUAN_BIN);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  cmd +=
      " >" + ShellQuote((tmp / "stdout").string()) + " 2>" + ShellQuote((tmp / "stderr").string());
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(tmp / "stdout");
  r.err = ReadAll(tmp / "stderr");
  return r;
}

// The record of `table` (output JSON) keyed by subject code `code`, or nullptr.
inline const nlohmann::json* FindRecord(const nlohmann::json& table, const std::string& code) {
  for (const auto& r : table["records"])
    if (r["code"] == code) return &r;
  return nullptr;
}

// The leaf header of every column of `table` (output JSON), in column order.
inline nlohmann::json LeafHeaders(const nlohmann::json& table) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : table["columns"]) out.push_back(c["header"]);
  return out;
}

// The value of `record` under the first column of `table` whose leaf header is `header`; a
// test failure (and null) when the record has no such column.
inline nlohmann::json ValueOf(const nlohmann::json& table, const nlohmann::json& record,
                              const std::string& header) {
  for (const auto& v : record["values"])
    if (table["columns"][v["column"].get<size_t>()]["header"] == header) return v["value"];
  ADD_FAILURE() << "record at row " << record["row"] << " has no column " << header;
  return nullptr;
}

// `juesuan extract testdata/<name> -o ...`, parsed. gtest_discover_tests runs every test in its
// own process, so the result is cached on disk (next to the test binary, keyed by the binary's
// and the input's modification times) and guarded by a lock so that parallel ctest runs extract
// once. Fails the calling test (via exception) when the CLI exits non-zero.
inline nlohmann::json CachedExtraction(const std::string& name) {
  const fs::path dir = fs::path(JUESUAN_TEST_CACHE);
  fs::create_directories(dir);
  auto stamp = [](const fs::path& p) {
    return std::to_string(fs::last_write_time(p).time_since_epoch().count());
  };
  const fs::path cached =
      dir / (name + "." + stamp(JUESUAN_BIN) + "." + stamp(TestData(name)) + ".json");
  const std::string lock_path = (dir / (name + ".lock")).string();
  int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0) throw std::runtime_error("cannot open " + lock_path);
  ::flock(lock, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() {
      ::flock(fd, LOCK_UN);
      ::close(fd);
    }
  } unlock{lock};
  if (!fs::exists(cached)) {
    // Results of older binaries or inputs are stale.
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string f = e.path().filename().string();
      if (f.rfind(name + ".", 0) == 0 && f.ends_with(".json")) fs::remove(e.path());
    }
    CliResult r = RunCli({"extract", TestData(name), "-o", cached.string()});
    if (r.exit_code != 0)
      throw std::runtime_error("juesuan extract " + name + " exited " +
                               std::to_string(r.exit_code) + ": " + r.err);
  }
  return nlohmann::json::parse(ReadAll(cached));
}

}  // namespace juesuan::testing
