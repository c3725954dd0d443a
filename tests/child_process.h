// Running the CLI in a forked child whose environment a test changes first: a file-size limit
// (a full disk without root), an unprivileged user (permissions that root would bypass).
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <functional>
#include <string>
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

}  // namespace juesuan::testing
