// juesuan batch: isolation of bad inputs, resume, atomic outputs after kill -9, shards.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "pipeline/batch.h"
#include "test_support.h"

namespace {

using juesuan::BatchOptions;
using namespace juesuan::testing;

// Valid JSON outputs below `dir` (mirrored tree), excluding the batch's own files.
std::set<std::string> Outputs(const fs::path& dir) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).generic_string();
    if (rel[0] == '_') continue;
    out.insert(rel);
  }
  return out;
}

nlohmann::json ReadJson(const fs::path& p) { return nlohmann::json::parse(ReadAll(p)); }

TEST(BatchInputs, DirectoriesManifestsAndMirroredOutputs) {
  TempDir tmp;
  fs::create_directories(tmp / "in/a");
  fs::create_directories(tmp / "in/b");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/a/same.pdf");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/b/same.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/odd name 数据.PDF");
  std::ofstream(tmp / "in/list.txt") << "# manifest\na/same.pdf\nodd name 数据.PDF\n";
  BatchOptions o;
  o.out_dir = (tmp / "out").string();
  o.inputs = {(tmp / "in").string(), (tmp / "in/list.txt").string()};
  auto inputs = juesuan::ResolveInputs(o);
  ASSERT_EQ(inputs.size(), 3u);  // duplicates from the manifest are dropped
  std::set<std::string> outs;
  for (const auto& in : inputs) outs.insert(fs::relative(in.output, tmp / "out").generic_string());
  EXPECT_EQ(outs, (std::set<std::string>{"a/same.pdf.json", "b/same.pdf.json",
                                         "odd name 数据.PDF.json"}));
  o.inputs = {(tmp / "missing").string()};
  EXPECT_THROW(juesuan::ResolveInputs(o), std::runtime_error);
}

TEST(BatchInputs, ShardsCoverEveryInputExactlyOnce) {
  std::multiset<std::string> seen;
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i)
    names.push_back("dir" + std::to_string(i % 7) + "/doc" + std::to_string(i) + ".pdf");
  std::vector<int> per_shard(3, 0);
  for (const auto& n : names)
    for (int k = 0; k < 3; ++k)
      if (juesuan::InShard(n, k, 3)) seen.insert(n), ++per_shard[k];
  EXPECT_EQ(seen.size(), names.size());
  for (const auto& n : names) EXPECT_EQ(seen.count(n), 1u) << n;
  for (int k = 0; k < 3; ++k) EXPECT_GT(per_shard[k], 40);  // a real split, not all in one
}

// Runs in another working directory for one scope.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& dir) : old_(fs::current_path()) {
    fs::current_path(dir);
  }
  ~WorkingDirectory() { fs::current_path(old_); }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  fs::path old_;
};

TEST(Batch, DoubleDashEndsTheOptions) {
  TempDir tmp;
  fs::copy_file(TestData("blank.pdf"), tmp / "-x.pdf");
  WorkingDirectory here(tmp.path());
  auto r = RunCli({"batch", "-o", "out", "--quiet", "--", "-x.pdf"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Outputs(tmp / "out"), std::set<std::string>{"-x.pdf.json"});
  EXPECT_EQ(ReadJson(tmp / "out/-x.pdf.json")["source"]["file"], (tmp / "-x.pdf").string());
  // Without it, the name is an (unknown) option.
  EXPECT_EQ(RunCli({"batch", "-o", "out", "-x.pdf"}).exit_code, 2);
}

TEST(Batch, BadInputsAreRecordedAndTheRestIsWritten) {
  TempDir tmp;
  fs::create_directories(tmp / "in/sub");
  for (const char* bad : {"not_a_pdf.pdf", "truncated.pdf", "encrypted.pdf", "zero_pages.pdf"})
    fs::copy_file(TestData(bad), tmp / "in" / bad);
  fs::copy_file(TestData("blank.pdf"), tmp / "in/blank.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/sub/no_table.pdf");
  auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 4) << r.err;  // some failed
  EXPECT_EQ(Outputs(tmp / "out"),
            (std::set<std::string>{"blank.pdf.json", "sub/no_table.pdf.json"}));
  for (const auto& o : Outputs(tmp / "out")) EXPECT_NO_THROW(ReadJson(tmp / "out" / o));
  std::istringstream errors(ReadAll(tmp / "out/_errors.jsonl"));
  std::set<std::string> failed;
  for (std::string line; std::getline(errors, line);) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["stage"], "open");
    EXPECT_FALSE(j["message"].get<std::string>().empty());
    failed.insert(fs::path(j["path"].get<std::string>()).filename().string());
  }
  EXPECT_EQ(failed, (std::set<std::string>{"not_a_pdf.pdf", "truncated.pdf", "encrypted.pdf",
                                           "zero_pages.pdf"}));
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["done"], 2);
  EXPECT_EQ(summary["failed"], 4);
  EXPECT_EQ(summary["skipped"], 0);
}

TEST(Batch, RerunWithNothingChangedDoesNoWorkAndForceRedoes) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(TestData("blank.pdf"), tmp / "in/one.pdf");
  fs::copy_file(TestData("no_table.pdf"), tmp / "in/two.pdf");
  const std::vector<std::string> args = {
      "batch",           (tmp / "in").string(),           "-o", (tmp / "out").string(), "--quiet",
      "--records-jsonl", (tmp / "records.jsonl").string()};
  ASSERT_EQ(RunCli(args).exit_code, 0);
  auto before = fs::last_write_time(tmp / "out/one.pdf.json");
  ASSERT_EQ(RunCli(args).exit_code, 0);
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["skipped"], 2);
  EXPECT_EQ(summary["done"], 0);
  EXPECT_EQ(summary["pages"], 0);
  EXPECT_EQ(fs::last_write_time(tmp / "out/one.pdf.json"), before);
  // A changed input is redone.
  fs::copy_file(TestData("scan_upside_down.pdf"), tmp / "in/two.pdf",
                fs::copy_options::overwrite_existing);
  ASSERT_EQ(RunCli(args).exit_code, 0);
  summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["skipped"], 1);
  EXPECT_EQ(summary["done"], 1);
  // Its records (table 09 has none: no codes) and --force.
  auto forced = args;
  forced.push_back("--force");
  ASSERT_EQ(RunCli(forced).exit_code, 0);
  EXPECT_EQ(ReadJson(tmp / "out/_summary.json")["done"], 2);
}

TEST(Batch, KillNineThenRerunFinishesEveryDocumentExactlyOnce) {
  TempDir tmp;
  const int n = 6;
  for (int i = 0; i < n; ++i) {
    fs::create_directories(tmp / ("in/d" + std::to_string(i)));
    fs::copy_file(TestData("scan_upside_down.pdf"),
                  tmp / ("in/d" + std::to_string(i) + "/page.pdf"));
  }
  const std::string in = (tmp / "in").string(), out = (tmp / "out").string();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(JUESUAN_BIN, JUESUAN_BIN, "batch", in.c_str(), "-o", out.c_str(), "--quiet", "--jobs",
          "2", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill as soon as the first document is written, in the middle of the others.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (Outputs(tmp / "out").empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const auto partial = Outputs(tmp / "out");
  ASSERT_FALSE(partial.empty());
  for (const auto& o : partial)
    if (o.find(".tmp-") == std::string::npos) {
      EXPECT_NO_THROW(ReadJson(tmp / "out" / o)) << o;
    }

  auto r = RunCli({"batch", in, "-o", out, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = ReadJson(tmp / "out/_summary.json");
  EXPECT_EQ(summary["done"].get<int>() + summary["skipped"].get<int>(), n);
  EXPECT_EQ(summary["failed"], 0);
  std::set<std::string> expected;
  for (int i = 0; i < n; ++i) expected.insert("d" + std::to_string(i) + "/page.pdf.json");
  EXPECT_EQ(Outputs(tmp / "out"), expected);  // no temporaries left, nothing twice
  for (const auto& o : expected) {
    auto j = ReadJson(tmp / "out" / o);
    ASSERT_EQ(j["tables"].size(), 1u);
    EXPECT_EQ(j["tables"][0]["number"], "09");
  }
}

TEST(Batch, ShardsTogetherWriteEveryOutputOnce) {
  TempDir tmp;
  for (int i = 0; i < 6; ++i) {
    fs::create_directories(tmp / ("in/d" + std::to_string(i)));
    fs::copy_file(TestData(i % 2 ? "blank.pdf" : "no_table.pdf"),
                  tmp / ("in/d" + std::to_string(i) + "/x.pdf"));
  }
  std::multiset<std::string> all;
  for (int k = 1; k <= 3; ++k) {
    auto r = RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--quiet",
                     "--shard", std::to_string(k) + "/3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    all.insert(static_cast<std::string>(ReadJson(tmp / "out/_summary.json")["done"].dump()));
  }
  EXPECT_EQ(Outputs(tmp / "out").size(), 6u);
  EXPECT_EQ(RunCli({"batch", (tmp / "in").string(), "-o", (tmp / "out").string(), "--shard", "4/3"})
                .exit_code,
            2);
}

}  // namespace
