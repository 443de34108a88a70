// A thread that runs one function until asked to stop, and the stop request
// that function waits on: Wait() sleeps until a time or until Stop(),
// whichever comes first, so that a thread pacing itself (once a second,
// every few seconds) ends at once when told.
//
// Lifetime: Start() once; Stop() from any thread; Join() from the owner.
// The destructor stops and joins. Thread-safe: Stop() and Wait() may race.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace fibpool::bench {

class StoppableThread {
 public:
  StoppableThread() = default;
  StoppableThread(const StoppableThread&) = delete;
  StoppableThread& operator=(const StoppableThread&) = delete;
  ~StoppableThread() {
    Stop();
    Join();
  }

  // Runs `run(*this)` on a new thread; `run` should return once Wait() says stop.
  void Start(std::function<void(StoppableThread&)> run) {
    thread_ = std::thread([this, run = std::move(run)] { run(*this); });
  }
  void Stop() {
    std::lock_guard lock(mutex_);
    stop_ = true;
    wake_.notify_all();
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  // Sleeps until `until` (or for `d`); false when Stop() came first.
  bool WaitUntil(std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_until(lock, until, [this] { return stop_; });
  }
  bool Wait(std::chrono::steady_clock::duration d) {
    return WaitUntil(std::chrono::steady_clock::now() + d);
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace fibpool::bench
