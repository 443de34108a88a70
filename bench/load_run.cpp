#include "bench/load_run.h"

#include <sys/resource.h>

#include <algorithm>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bench/clock.h"
#include "bench/load_connection.h"

namespace fibpool::bench {

namespace asio = boost::asio;

namespace {

double ThreadCpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

RunResult LoadRun::Run() {
  asio::io_context io;
  RunResult result;
  result.groups.resize(spec_.groups.size());
  RunClock clock;
  std::vector<std::unique_ptr<LoadConnection>> connections;
  std::vector<std::vector<LoadConnection*>> by_group(spec_.groups.size());
  asio::steady_timer window_timer(io);
  asio::steady_timer drain_timer(io);
  std::vector<std::unique_ptr<asio::steady_timer>> start_timers;
  std::size_t remaining = 0;
  std::int64_t finished_ns = 0;

  const auto finish = [&] {
    finished_ns = NowNanos();
    window_timer.cancel();
    drain_timer.cancel();
    for (auto& t : start_timers) t->cancel();
    for (auto& c : connections) c->Close();
  };
  const auto on_done = [&] {
    if (--remaining == 0) finish();
  };

  for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
    for (unsigned i = 0; i < spec_.groups[g].connections; ++i) {
      auto c = std::make_unique<LoadConnection>(io, spec_.groups[g], i, &result.groups[g], &clock,
                                                on_done);
      if (const auto ec = c->Connect(spec_.target)) {
        const auto& source = spec_.groups[g].source;
        result.failure = "connect to " + spec_.target.address().to_string() + ":" +
                         std::to_string(spec_.target.port()) +
                         (source.is_unspecified() ? "" : " from " + source.to_string()) + ": " +
                         ec.message();
        return result;
      }
      by_group[g].push_back(c.get());
      connections.push_back(std::move(c));
    }
  }
  remaining = connections.size();
  if (remaining == 0) return result;

  const double cpu_before = ThreadCpuSeconds();
  const std::int64_t start = NowNanos();
  clock.start_ns = start;
  clock.window_start_ns = start + spec_.warmup.count();
  clock.window_end_ns = clock.window_start_ns + spec_.window.count();

  for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
    auto& group = by_group[g];
    const auto start_group = [&group] {
      for (LoadConnection* c : group) c->Start();
    };
    if (spec_.groups[g].start_delay.count() <= 0) {
      asio::post(io, start_group);
    } else {
      auto& t = start_timers.emplace_back(std::make_unique<asio::steady_timer>(io));
      t->expires_at(SteadyAt(start + spec_.groups[g].start_delay.count()));
      t->async_wait([start_group](const boost::system::error_code& ec) {
        if (!ec) start_group();
      });
    }
  }
  window_timer.expires_at(SteadyAt(clock.window_end_ns));
  window_timer.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    clock.sending_stopped = true;
    for (auto& c : connections) c->StopSending();
    if (remaining == 0) return;
    drain_timer.expires_at(SteadyAt(clock.window_end_ns + spec_.drain_cap.count()));
    drain_timer.async_wait([&](const boost::system::error_code& e) {
      if (e) return;
      const std::int64_t now = NowNanos();
      for (auto& c : connections) {
        if (!c->done()) {
          c->Abort(now, "no answer within the bench's wait (" +
                            std::to_string(spec_.drain_cap.count() / 1'000'000) +
                            " ms after the window)");
        }
      }
      finish();
    });
  });

  io.run();

  if (finished_ns == 0) finished_ns = NowNanos();
  result.client_cpu_seconds = ThreadCpuSeconds() - cpu_before;
  result.run_seconds = NanosToSeconds(finished_ns - start);
  result.window_seconds =
      NanosToSeconds(std::min(finished_ns, clock.window_end_ns) - clock.window_start_ns);
  return result;
}

}  // namespace fibpool::bench
