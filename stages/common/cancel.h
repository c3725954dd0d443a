// Why work stops early: the user asked (Ctrl-C / SIGTERM set a flag) or a document ran out of
// time. Long-running calls (a page render in its worker process, a Tesseract recognition, the
// loop over a table's cells) poll one CancelToken, so a limit is kept within a fraction of a
// second instead of at the next stage boundary.
#pragma once

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>

namespace juesuan {

// Thrown by work that was cancelled; never reaches the user as an error of the input.
class Cancelled : public std::runtime_error {
 public:
  enum class Why { kStopped, kDeadline };
  Cancelled(Why why, const std::string& what) : std::runtime_error(what), why_(why) {}
  Why why() const { return why_; }

 private:
  Why why_;
};

class CancelToken {
 public:
  using Clock = std::chrono::steady_clock;
  CancelToken() = default;  // never cancelled
  // `stop` may be null; a zero `seconds` means no deadline.
  CancelToken(const std::atomic<bool>* stop, Clock::time_point started, double seconds)
      : stop_(stop),
        has_deadline_(seconds > 0),
        deadline_(started + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(seconds))) {}

  bool stopped() const { return stop_ && stop_->load(std::memory_order_relaxed); }
  bool past_deadline() const { return has_deadline_ && Clock::now() >= deadline_; }
  bool cancelled() const { return stopped() || past_deadline(); }
  // Throws Cancelled when cancelled; `what` names the work that was cut short.
  void check(const char* what) const {
    if (stopped()) throw Cancelled(Cancelled::Why::kStopped, std::string(what) + ": stopped");
    if (past_deadline())
      throw Cancelled(Cancelled::Why::kDeadline, std::string(what) + ": time limit reached");
  }

 private:
  const std::atomic<bool>* stop_ = nullptr;
  bool has_deadline_ = false;
  Clock::time_point deadline_{};
};

}  // namespace juesuan
