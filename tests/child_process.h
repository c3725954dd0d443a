// Running the CLI in a forked child whose environment a test changes first: a file-size limit
// (a full disk without root), an unprivileged user (permissions that root would bypass).
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace juesuan::testing {

// Runs JUESUAN_BIN with `args` after `prepare` ran in the child (a failing prepare ends the
// child with 126). stdout is captured through a file, stderr through a pipe (a file-size limit
// does not apply to it, so the messages are whole).
inline CliResult RunCliInChild(const std::vector<std::string>& args,
                               const std::function<bool()>& prepare) {
  TempDir capture;
  const std::string out = (capture / "stdout").string();
  std::vector<std::string> argv_strings = {JUESUAN_BIN};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  int err_pipe[2];
  if (::pipe(err_pipe) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (out_fd < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_pipe[1], 2) < 0) ::_exit(126);
    ::close(err_pipe[0]);
    if (!prepare()) ::_exit(126);
    ::execv(JUESUAN_BIN, argv.data());
    ::_exit(127);
  }
  ::close(err_pipe[1]);
  CliResult r;
  char buffer[4096];
  for (ssize_t n; (n = ::read(err_pipe[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    r.err.append(buffer, static_cast<size_t>(n));
  }
  ::close(err_pipe[0]);
  int status = 0;
  if (pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  r.out = ReadAll(out);
  return r;
}

// Files may grow to `bytes` at most: a write beyond fails with EFBIG, like a full disk fails with
// ENOSPC. SIGXFSZ is ignored (it would kill the process instead), and stays so across exec.
inline CliResult RunCliWithFileSizeLimit(const std::vector<std::string>& args, rlim_t bytes) {
  return RunCliInChild(args, [bytes] {
    const rlimit limit{bytes, bytes};
    return std::signal(SIGXFSZ, SIG_IGN) != SIG_ERR && ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
  });
}

// As user and group nobody (65534) when the tests run as root, so that permissions hold;
// otherwise as the current user, whom they hold for anyway.
inline CliResult RunCliUnprivileged(const std::vector<std::string>& args) {
  return RunCliInChild(args, [] {
    if (::geteuid() != 0) return true;
    return ::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0;
  });
}

// Starts JUESUAN_BIN with `args` and returns at once (the pid, or -1). With `stderr_path`, the
// child's stderr goes to that file. For tests that signal a run in the middle of its work.
inline pid_t SpawnCli(const std::vector<std::string>& args, const std::string& stderr_path = "") {
  std::vector<std::string> argv_strings = {JUESUAN_BIN};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!stderr_path.empty()) {
      const int err_fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err_fd < 0 || ::dup2(err_fd, 2) < 0) ::_exit(126);
    }
    ::execv(JUESUAN_BIN, argv.data());
    ::_exit(127);
  }
  return pid;
}

// Polls `ready` every 5 ms until it holds or two minutes have passed (a stuck child must not
// hang the suite; the caller's assertions then fail instead).
inline void WaitUntil(const std::function<bool()>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!ready() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

// Sends `signal` to the child and reaps it: its wait status, or -1 when it was not reaped.
inline int SignalAndReap(pid_t pid, int signal) {
  ::kill(pid, signal);
  int status = 0;
  return ::waitpid(pid, &status, 0) == pid ? status : -1;
}

}  // namespace juesuan::testing
