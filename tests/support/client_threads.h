// Client threads that load a server until stopped, and the tally of the
// answers they check. Owns its threads: Stop() (or the destructor) sets the
// stop flag and joins them. The tally is safe to read from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fibpool::testing {

struct AnswerTally {
  std::atomic<std::uint64_t> answered{0}, lost{0}, wrong{0};

  // Counts one answer read: lost when there is none, wrong when it is
  // neither `expected` nor (with `allow_crashed`) an ERR worker_crashed.
  // False when it was lost.
  bool Check(const std::optional<std::string>& answer, const std::string& expected,
             bool allow_crashed) {
    ++answered;
    if (!answer) {
      ++lost;
      return false;
    }
    if (*answer != expected && !(allow_crashed && answer->rfind("ERR worker_crashed ", 0) == 0)) {
      ++wrong;
    }
    return true;
  }
};

class ClientThreads {
 public:
  // Runs `body(c)` on thread c, for c in [0, clients); a body loops until
  // stopping().
  ClientThreads(int clients, const std::function<void(int)>& body) {
    for (int c = 0; c < clients; ++c) threads_.emplace_back(body, c);
  }
  ~ClientThreads() { Stop(); }
  ClientThreads(const ClientThreads&) = delete;
  ClientThreads& operator=(const ClientThreads&) = delete;

  bool stopping() const { return stop_; }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace fibpool::testing
