// The articles scenario: the classic clients as published
// (bench/articles/perf2.py and perf1.py, one connection each, newline-less
// requests, run with BenchOptions::python) against fibpool and against a
// fibpool-minimal of its own started with --read-per-request (the minimal
// reference answering such clients). Three phases per target, each reported
// as the median of perf2's per-second counts, the first left out
// (perf2_counts.h): perf2 alone; perf2 beside perf1's loop of `30`; perf2
// while one BenchOptions::busy_job runs, sent on its own connection once
// perf2 has printed its first count, until its answer (checked) arrives.
// The minimal reference computes inline: perf2 stalls there when its
// connection lands on the big job's loop.
//
// Failure: a phase that goes wrong (perf2 or perf1 cannot start, exits, or
// prints no count in time; the big job cannot be sent) is recorded in it;
// the big job is awaited kBigJobDrainCap on fibpool and
// BenchOptions::baseline_stall_cap on the minimal reference after the
// longest its phase may last, then reported not awaited. Run throws only
// when the minimal reference cannot be started. Without --python the
// scenario runs nothing and says so. Every script and the minimal reference
// are killed before Run returns.
#include <algorithm>
#include <functional>
#include <future>

#include "bench/clock.h"
#include "bench/figure_text.h"
#include "bench/perf2_counts.h"
#include "bench/request_set.h"
#include "bench/scenarios/scenario_families.h"
#include "bench/scenarios/scenario_parts.h"
#include "bench/script_process.h"
#include "bench/soak_socket.h"
#include "bench/timeouts.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;

// perf2 prints a count every second; the first may take this long to come
// (the interpreter's start, the connection, that second).
constexpr milliseconds kPerf2Interval{1'000};
constexpr milliseconds kFirstCountCap{10'000};
// A count due at the end of the window may arrive this late and still be read.
constexpr milliseconds kLastCountSlack{500};

std::int64_t Nanos(milliseconds d) { return d.count() * 1'000'000; }

// The scripts' command lines: the interpreter unbuffered, as README.md's
// recipe runs them.
std::vector<std::string> ScriptCommand(const BenchOptions& o, const char* script,
                                       unsigned short port) {
  return {o.python, "-u", (o.articles_dir / script).string(), std::to_string(port)};
}

// The big job's answer, when it came (NowNanos(); 0: not in time).
struct BigJobAnswer {
  IoStatus status = IoStatus::kError;
  std::string line;
  std::int64_t at_ns = 0;
};

class ArticlesScenario : public NamedScenario {
 public:
  ArticlesScenario() : NamedScenario("articles", "articles") {}

  milliseconds EstimatedDuration(const BenchOptions& o) const override {
    const int targets = o.only.empty() ? 2 : 1;
    return targets * 3 * (kPerf2Interval + o.articles_window);
  }

  ScenarioResult Run(BenchServers& servers) const override;

 private:
  // The three phases against the server listening on `port`; the big job
  // awaited `drain_cap` after its phase's longest.
  static void RunTarget(BenchServers& servers, unsigned short port, milliseconds drain_cap,
                        ArticlesFigures* out);
  // perf2 against `port` until it has printed a window's counts after its
  // first, or `over_by(t)` says the phase is over at `t`, a count's arrival
  // (that count and the rest are left out). over_by is asked at every
  // count, the first included: the big-job phase sends its job there and
  // ends the phase once the job's answer has come (or could not be sent).
  static Perf2Phase RunPerf2(const BenchOptions& o, unsigned short port,
                             const std::function<bool(std::int64_t)>& over_by);
};

ScenarioResult ArticlesScenario::Run(BenchServers& servers) const {
  const BenchOptions& options = servers.options();
  ScenarioResult res;
  res.id = id();
  res.title = "the articles' perf2.py alone, beside perf1.py, and while one `" +
              options.busy_job + "` runs (sent after perf2's first count, on its own connection)";
  res.measure = ScenarioResult::Measure::kPerf2;
  res.fibpool.label = res.fibpool_articles.label = "fibpool";
  res.minimal.label = res.minimal_articles.label = "minimal";
  if (options.python.empty()) {
    res.notes.push_back("not run: the articles' clients are Python and --python is ''");
    return res;
  }
  if (servers.Runs(servers.fibpool())) {
    const auto& endpoint = servers.fibpool().endpoint;
    if (endpoint.address() != boost::asio::ip::address_v4::loopback()) {
      res.notes.push_back("fibpool not run: perf2.py connects to localhost, fibpool is at " +
                          endpoint.address().to_string());
    } else {
      RunTarget(servers, endpoint.port(), kBigJobDrainCap, &res.fibpool_articles);
    }
  }
  if (servers.Runs(servers.minimal())) {
    std::vector<std::string> argv = PerCpuCommand(options.minimal_path, options);
    argv.push_back("--read-per-request");
    ChildServer minimal = ChildServer::Start(argv, kStartTimeout);
    RunTarget(servers, minimal.endpoint().port(), options.baseline_stall_cap,
              &res.minimal_articles);
    res.notes.push_back("minimal: a fibpool-minimal of its own, " + Describe(minimal) +
                        ", killed after");
    // A loop may still compute the big job: no drain.
    minimal.Kill();
    const Perf2Phase& during = res.minimal_articles.during_big_job;
    if (during.counts.size() > 1 && during.median == 0.0) {
      res.notes.push_back(
          "minimal: perf2 got no answer while the big job ran: its connection most likely "
          "landed (SO_REUSEPORT) on the loop computing it");
    }
  }
  res.notes.push_back(
      "perf1 sends `30` as published: F(30) by the default algorithm (fibpool's `fast`, "
      "minimal's addition), not the articles' recursion; perf1 and perf2 check no answer, the "
      "big job's is checked");
  return res;
}

void ArticlesScenario::RunTarget(BenchServers& servers, unsigned short port,
                                 milliseconds drain_cap, ArticlesFigures* out) {
  const BenchOptions& o = servers.options();
  const auto never = [](std::int64_t) { return false; };
  const auto progress = [&](const char* phase, const Perf2Phase& p) {
    servers.Progress("articles " + out->label + " perf2 " + phase + ": " +
                     (p.median ? Fixed(*p.median, 0) + " req/s (median of " +
                                     std::to_string(p.counts.size() - 1) + ")"
                               : "no median" + (p.error.empty() ? "" : ": " + p.error)));
  };
  out->ran = true;
  out->alone = RunPerf2(o, port, never);
  progress("alone", out->alone);

  try {
    // perf1 prints each request's time, thousands a second: not read.
    ScriptProcess perf1(ScriptCommand(o, "perf1.py", port), ScriptProcess::Stdout::kDiscard);
    out->beside_perf1 = RunPerf2(o, port, never);
    // Its stderr holds nothing unless it failed (its last line: the error).
    const std::int64_t now = NowNanos();
    for (std::optional<std::string> line; (line = perf1.ReadLine(now));) {
      out->beside_perf1.error = "perf1: " + *line;
    }
    if (perf1.exited() && out->beside_perf1.error.empty()) {
      out->beside_perf1.error = "perf1 exited before the phase ended";
    }
  } catch (const std::runtime_error& e) {
    out->beside_perf1.error = std::string("perf1: ") + e.what();
  }
  progress("beside perf1", out->beside_perf1);

  // Last: the minimal reference may be left computing it. Sent once perf2
  // has printed its first count (left out of the median), so that every
  // count after it falls in the big job's run, until its answer.
  const RequestLine big = ParseJob(o.busy_job);
  out->big_job = o.busy_job;
  SoakSocket socket;
  std::int64_t sent_ns = 0;
  std::optional<std::shared_future<BigJobAnswer>> answer;
  const auto send_big = [&] {
    sent_ns = NowNanos();
    const std::int64_t wait_until =
        sent_ns + Nanos(o.articles_window + kLastCountSlack + drain_cap);
    if (socket.Connect({boost::asio::ip::address_v4::loopback(), port}) != IoStatus::kOk ||
        socket.Send(big.line, wait_until) != IoStatus::kOk) {
      out->big_error = "could not send `" + o.busy_job + "`";
      return false;
    }
    // Read on a thread of its own, for the moment it arrives; bounded by wait_until.
    answer = std::async(std::launch::async, [&socket, wait_until] {
               BigJobAnswer a;
               a.status = socket.ReadLine(&a.line, wait_until);
               if (a.status == IoStatus::kOk) a.at_ns = NowNanos();
               return a;
             }).share();
    return true;
  };
  out->during_big_job = RunPerf2(o, port, [&](std::int64_t t) {
    if (!answer) return !send_big();
    if (answer->wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
    const std::int64_t at = answer->get().at_ns;
    return at > 0 && at <= t;
  });
  progress("during the big job", out->during_big_job);
  if (!answer) {
    if (out->big_error.empty()) out->big_error = "not sent: perf2 printed no count";
    return;
  }
  const BigJobAnswer a = answer->get();
  out->big_seconds = NanosToSeconds((a.at_ns > 0 ? a.at_ns : NowNanos()) - sent_ns);
  if (a.status != IoStatus::kOk) {
    out->big_answer = ArticlesFigures::BigAnswer::kNotAwaited;
    out->big_error = "no answer " + Fixed(out->big_seconds, 1) + " s after it was sent";
  } else if (a.line == *big.expected) {
    out->big_answer = ArticlesFigures::BigAnswer::kRight;
  } else {
    out->big_answer = ArticlesFigures::BigAnswer::kWrong;
    out->big_error = "got '" + a.line.substr(0, 80) + "'";
  }
}

Perf2Phase ArticlesScenario::RunPerf2(const BenchOptions& o, unsigned short port,
                                      const std::function<bool(std::int64_t)>& over_by) {
  Perf2Phase phase;
  const auto wanted =
      static_cast<std::size_t>(std::max<milliseconds::rep>(1, o.articles_window / kPerf2Interval));
  try {
    ScriptProcess perf2(ScriptCommand(o, "perf2.py", port));
    std::int64_t deadline = NowNanos() + Nanos(kFirstCountCap);
    std::string other;  // the last line that was no count
    while (phase.counts.size() < 1 + wanted) {
      const std::optional<std::string> line = perf2.ReadLine(deadline);
      if (!line) {
        if (perf2.exited()) phase.error = "perf2 exited" + (other.empty() ? "" : ": " + other);
        else if (phase.counts.empty()) phase.error = "perf2 printed no count in time";
        break;
      }
      const std::optional<std::uint64_t> count = ParsePerSecondCount(*line);
      if (!count) {
        other = *line;
        continue;
      }
      const std::int64_t now = NowNanos();
      if (over_by(now)) break;
      phase.counts.push_back(*count);
      if (phase.counts.size() == 1) deadline = now + Nanos(o.articles_window + kLastCountSlack);
    }
  } catch (const std::runtime_error& e) {
    phase.error = std::string("perf2: ") + e.what();
  }
  phase.median = MedianAfterFirst(phase.counts);
  return phase;
}

}  // namespace

ScenarioList ArticlesScenarios() { return OneScenario<ArticlesScenario>(); }

}  // namespace fibpool::bench
