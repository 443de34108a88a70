#include "bench/soak_load.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>

#include "bench/clock.h"
#include "bench/soak_socket.h"
#include "tests/support/fib_reference.h"

namespace fibpool::bench {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kDeadline{60};            // any request
constexpr seconds kRecursiveDeadline{120};  // `N recursive`
constexpr seconds kBigDeadline{300};        // F(10^7), F(10^8): the whole answer
constexpr std::size_t kSlowChunk = 8 * 1024;
constexpr milliseconds kSlowPause{1};
constexpr milliseconds kAfterRefusal{1'000};

// The exact answers of the malformed lines (docs/protocol.md, "Errors"),
// with a valid request between them so that the connection is seen usable.
struct Exchange {
  const char* request;
  const char* answer;
};
constexpr Exchange kMalformed[] = {
    {"abc\n", "ERR bad_request not a number or command: 'abc'"},
    {"20\n", "6765"},
    {"-5\n", "ERR bad_request N must not be negative"},
    {"30 slow\n", "ERR bad_request unknown algorithm 'slow' (fast or recursive)"},
    {"ping now\n", "ERR bad_request ping takes no arguments"},
    {"1 2 3\n", "ERR bad_request usage: N [ALGORITHM]"},
    {"fib\n", "ERR bad_request usage: fib N [ALGORITHM]"},
    {"1 2 3 4 5\n", "ERR bad_request too many words"},
    {"94 recursive\n", "ERR out_of_range recursive takes N <= 93"},
    {"93 fast\r\n", "12200160415121876738"},
};
// A line over max_line (1024 by default): answered, then the connection closes.
constexpr std::size_t kLongLine = 1500;
constexpr const char* kLineTooLong = "ERR line_too_long line longer than 1024 bytes";

std::int64_t After(std::chrono::nanoseconds d) { return NowNanos() + d.count(); }

std::string Why(IoStatus s) {
  switch (s) {
    case IoStatus::kTimeout:
      return "no answer by the deadline";
    case IoStatus::kClosed:
      return "the server closed the connection";
    default:
      return "socket error";
  }
}

// One client thread's state and the steps its loops share.
class Client {
 public:
  Client(std::string kind, unsigned seed, const boost::asio::ip::tcp::endpoint& endpoint,
         const SoakExpected& expected, SoakTally& tally, const std::atomic<bool>& stop)
      : kind_(std::move(kind)),
        endpoint_(endpoint),
        expected_(expected),
        tally_(tally),
        stop_(stop),
        rng_(seed) {}

  bool stopping() const { return stop_.load(std::memory_order_relaxed); }
  unsigned Uniform(unsigned lo, unsigned hi) {
    return lo + static_cast<unsigned>(rng_() % (hi - lo + 1));
  }
  // The load's pace, not synchronisation.
  static void Pause(milliseconds d) { std::this_thread::sleep_for(d); }

  // Connects (a new connection; the old one, if any, is closed first).
  bool Connect() {
    socket_.Close();
    if (socket_.Connect(endpoint_) == IoStatus::kOk) {
      tally_.Event(kind_, "connections");
      return true;
    }
    tally_.Event(kind_, "connect_failed");
    Pause(milliseconds(100));
    return false;
  }

  // Reads one answer line; on none, records `request` lost, closes the
  // connection and returns false.
  bool Read(std::string_view request, std::string* line, std::chrono::nanoseconds deadline) {
    const IoStatus s = socket_.ReadLine(line, After(deadline));
    if (s == IoStatus::kOk) return true;
    tally_.Lost(kind_, request, Why(s));
    socket_.Close();
    return false;
  }

  bool Send(std::string_view request, std::chrono::nanoseconds deadline) {
    const IoStatus s = socket_.Send(request, After(deadline));
    if (s == IoStatus::kOk) return true;
    tally_.Lost(kind_, request, "could not send: " + Why(s));
    socket_.Close();
    return false;
  }

  // Sends `request`, reads its answer and judges it; false when lost.
  bool Ask(std::string_view request, std::string_view expected, Allowance allowance,
           std::chrono::nanoseconds deadline = kDeadline, Verdict* verdict = nullptr) {
    std::string line;
    if (!Send(request, deadline) || !Read(request, &line, deadline)) return false;
    const Verdict v = JudgeAnswer(line, expected, allowance);
    tally_.Answer(kind_, v, request, line);
    if (verdict) *verdict = v;
    return true;
  }

  // Reads one big answer `slow`ly (kSlowChunk at a time, kSlowPause apart)
  // or at once, and judges it by its digest; false when lost.
  bool ReadBig(std::string_view request, const AnswerDigest& expected, bool slow) {
    DigestBuilder digest;
    char chunk[SoakSocket::kReadChunk];
    const std::int64_t deadline = After(kBigDeadline);
    for (;;) {
      std::size_t got = 0;
      const IoStatus s = socket_.ReadSome(chunk, slow ? kSlowChunk : sizeof chunk, &got, deadline);
      if (s != IoStatus::kOk) {
        tally_.Lost(kind_, request,
                    Why(s) + " (after " + std::to_string(digest.digest().length) + " bytes)");
        socket_.Close();
        return false;
      }
      const std::string_view bytes(chunk, got);
      const auto lf = bytes.find('\n');
      digest.Add(bytes.substr(0, lf));
      if (lf != std::string_view::npos) break;  // one request at a time: nothing follows
      if (slow) Pause(kSlowPause);
    }
    const Verdict v = JudgeDigest(digest.digest(), expected, Allowance::kJob);
    tally_.Answer(kind_, v, request, digest.digest().start);
    // A quarantined input is refused at once: do not spin on it.
    if (v == Verdict::kCrashed || v == Verdict::kBusy) Pause(kAfterRefusal);
    return true;
  }

  const std::string& kind() const { return kind_; }
  const SoakExpected& expected() const { return expected_; }
  SoakTally& tally() { return tally_; }
  SoakSocket& socket() { return socket_; }

 private:
  std::string kind_;
  boost::asio::ip::tcp::endpoint endpoint_;
  const SoakExpected& expected_;
  SoakTally& tally_;
  const std::atomic<bool>& stop_;
  std::mt19937 rng_;
  SoakSocket socket_;
};

void Tiny(Client& c) {
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    bool open = true;
    for (unsigned i = 0, k = c.Uniform(50, 500); open && i < k && !c.stopping(); ++i) {
      const unsigned n = c.Uniform(0, 20);
      const std::int64_t start = NowNanos();
      open = c.Ask(std::to_string(n) + " fast\n", c.expected().small[n], Allowance::kJob);
      if (open) c.tally().TinyLatency(static_cast<double>(NowNanos() - start) / 1e3);
      Client::Pause(milliseconds(1));
    }
    if (open && c.Uniform(0, 1) == 0) {
      // `quit`: `bye`, then the server closes.
      if (c.Ask("quit\n", "bye", Allowance::kExactOnly)) {
        if (c.socket().WaitClosed(After(kDeadline)) != IoStatus::kOk)
          c.tally().Answer(c.kind(), Verdict::kWrong, "quit", "(no close after bye)");
      }
    }
    c.socket().Close();
  }
}

void Pipelined(Client& c) {
  constexpr unsigned kBatch = 16;
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    bool open = true;
    for (unsigned b = 0, k = c.Uniform(20, 200); open && b < k && !c.stopping(); ++b) {
      std::string batch;
      std::vector<std::pair<std::string, std::string>> asked;  // request, answer
      for (unsigned i = 0; i < kBatch; ++i) {
        const unsigned n = c.Uniform(0, 93);
        std::string line;
        switch (c.Uniform(0, 6)) {
          case 0:
            line = std::to_string(n) + "\n";
            break;
          case 1:
            line = "fib " + std::to_string(n) + "\n";
            break;
          case 2:
            line = "FIB " + std::to_string(n) + " FAST\r\n";
            break;
          case 3:
            line = std::to_string(n % 23) + " recursive\n";
            asked.emplace_back(line, c.expected().small[n % 23]);
            batch += line;
            continue;
          case 4:
            asked.emplace_back("ping\n", "pong");
            batch += "ping\n";
            continue;
          case 5:
            batch += " \t\n";  // blank: no answer
            --i;
            continue;
          default:
            line = std::to_string(n) + " fast\n";
            break;
        }
        asked.emplace_back(line, c.expected().small[n]);
        batch += line;
      }
      if (!c.Send(batch, kDeadline)) break;
      for (const auto& [request, answer] : asked) {
        std::string line;
        if (!(open = c.Read(request, &line, kDeadline))) break;
        const Allowance a = request == "ping\n" ? Allowance::kExactOnly : Allowance::kJob;
        c.tally().Answer(c.kind(), JudgeAnswer(line, answer, a), request, line);
      }
      Client::Pause(milliseconds(5));
    }
    c.socket().Close();
  }
}

void Recursive(Client& c) {
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    bool open = true;
    for (unsigned i = 0, k = c.Uniform(20, 100); open && i < k && !c.stopping(); ++i) {
      const unsigned n = c.Uniform(25, 30);
      open = c.Ask(std::to_string(n) + " recursive\n", c.expected().small[n], Allowance::kJob,
                   kRecursiveDeadline);
    }
    c.socket().Close();
  }
}

// `with_1e8`: every fourth job is F(10^8).
void BigSlow(Client& c, bool with_1e8) {
  unsigned jobs = 0;
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    bool open = true;
    for (unsigned i = 0; open && i < 5 && !c.stopping(); ++i) {
      const bool huge = with_1e8 && ++jobs % 4 == 0;
      const std::string request = huge ? "100000000 fast\n" : "10000000 fast\n";
      c.tally().Event(c.kind(), huge ? "asked F(10^8)" : "asked F(10^7)");
      open = c.Send(request, kDeadline) &&
             c.ReadBig(request, huge ? c.expected().f1e8 : c.expected().f1e7, /*slow=*/true);
    }
    c.socket().Close();
  }
}

void Reset(Client& c) {
  unsigned jobs = 0;
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    // Reset before the answer, one time in three (then F(10^8) one time in
    // two: its worker is stopped), or once the answer streams (F(10^7)).
    const bool before = c.Uniform(0, 2) == 0;
    const bool huge = before && ++jobs % 2 == 0;
    const std::string request = huge ? "100000000 fast\n" : "10000000 fast\n";
    if (!c.Send(request, kDeadline)) continue;
    if (before) {
      // Before the answer: the job waits or runs.
      Client::Pause(milliseconds(c.Uniform(0, 300)));
      c.socket().Reset();
      c.tally().Event(c.kind(), "reset_before_answer");
    } else {
      // Once the answer streams: its first bytes read, the rest refused.
      char chunk[SoakSocket::kReadChunk];
      std::size_t got = 0;
      const IoStatus s = c.socket().ReadSome(chunk, sizeof chunk, &got, After(kBigDeadline));
      if (s != IoStatus::kOk) {
        c.tally().Lost(c.kind(), request, Why(s));
      } else if (std::string_view(chunk, got).find('\n') != std::string_view::npos) {
        // A whole (short) answer came at once: an ERR line, judged as such.
        const std::string_view line(chunk, std::string_view(chunk, got).find('\n'));
        c.tally().Answer(c.kind(),
                         JudgeDigest(DigestOf(line), huge ? c.expected().f1e8 : c.expected().f1e7,
                                     Allowance::kJob),
                         request, line);
      } else {
        c.tally().Event(c.kind(), "reset_mid_answer");
      }
      c.socket().Reset();
    }
    Client::Pause(milliseconds(c.Uniform(200, 800)));
  }
}

void NoNewline(Client& c) {
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    bool open = true;
    for (unsigned i = 0; open && i < 5 && !c.stopping(); ++i) {
      const unsigned n = c.Uniform(0, 93);
      open = c.Ask(std::to_string(n), c.expected().small[n], Allowance::kJob);
    }
    c.socket().Close();
    Client::Pause(milliseconds(10));
  }
}

void Malformed(Client& c) {
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    bool open = true;
    for (const Exchange& e : kMalformed) {
      // The valid requests between are jobs like any other.
      const Allowance a =
          std::string_view(e.answer).starts_with("ERR ") ? Allowance::kExactOnly : Allowance::kJob;
      if (!(open = c.Ask(e.request, e.answer, a))) break;
    }
    if (open) {
      const std::string line = std::string(kLongLine, '1') + "\n";
      if (c.Ask(line, kLineTooLong, Allowance::kExactOnly) &&
          c.socket().WaitClosed(After(kDeadline)) != IoStatus::kOk) {
        c.tally().Answer(c.kind(), Verdict::kWrong, "(close after line_too_long)",
                         "(connection still open)");
      }
    }
    c.socket().Close();
    Client::Pause(milliseconds(c.Uniform(50, 200)));
  }
}

void SlowTypist(Client& c) {
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    // A newline first: a line connection for good, so that no prefix of a
    // request typed slowly is ever taken for a request (docs/protocol.md).
    bool open = c.Ask("ping\n", "pong", Allowance::kExactOnly);
    for (unsigned i = 0; open && i < 5 && !c.stopping(); ++i) {
      const unsigned n = c.Uniform(0, 3) == 0 ? c.Uniform(20, 27) : c.Uniform(0, 93);
      const std::string request = n <= 27 && c.Uniform(0, 1)
                                      ? std::to_string(n) + " recursive\n"
                                      : "fib " + std::to_string(n) + " fast\n";
      for (std::size_t k = 0; open && k + 1 < request.size(); ++k) {
        open = c.Send(request.substr(k, 1), kDeadline);
        Client::Pause(milliseconds(c.Uniform(2, 5)));
      }
      std::string line;
      open = open && c.Send(request.substr(request.size() - 1), kDeadline) &&
             c.Read(request, &line, kDeadline);
      if (open) {
        c.tally().Answer(c.kind(), JudgeAnswer(line, c.expected().small[n], Allowance::kJob),
                         request, line);
      }
    }
    c.socket().Close();
  }
}

void Churn(Client& c) {
  while (!c.stopping()) {
    if (!c.Connect()) continue;
    if (c.Ask("ping\n", "pong", Allowance::kExactOnly) && c.Uniform(0, 1) == 0) {
      c.socket().Reset();
    } else {
      c.socket().Close();
    }
    Client::Pause(milliseconds(c.Uniform(20, 100)));
  }
}

}  // namespace

SoakExpected SoakExpected::Compute() {
  SoakExpected e;
  for (std::uint64_t n = 0; n <= 93; ++n) e.small.push_back(testing::FibReference(n));
  e.f1e7 = DigestOf(testing::FibReference(10'000'000));
  e.f1e8 = DigestOf(testing::FibReference(100'000'000));
  return e;
}

SoakLoad::SoakLoad(boost::asio::ip::tcp::endpoint endpoint, const SoakExpected& expected,
                   SoakTally* tally)
    : endpoint_(endpoint), expected_(expected), tally_(tally) {}

SoakLoad::~SoakLoad() {
  Stop();
  Join();
}

void SoakLoad::Start() {
  const std::pair<const char*, std::function<void(Client&)>> clients[] = {
      {"tiny", Tiny},
      {"tiny", Tiny},
      {"pipelined", Pipelined},
      {"recursive", Recursive},
      {"big-slow", [](Client& c) { BigSlow(c, true); }},
      {"big-slow", [](Client& c) { BigSlow(c, false); }},
      {"reset", Reset},
      {"no-newline", NoNewline},
      {"malformed", Malformed},
      {"slow-typist", SlowTypist},
      {"churn", Churn},
  };
  unsigned seed = 1;
  for (const auto& [kind, run] : clients) {
    threads_.emplace_back([this, kind = std::string(kind), run = run, seed = seed++] {
      Client c(kind, seed, endpoint_, expected_, *tally_, stop_);
      run(c);
    });
  }
}

void SoakLoad::Join() {
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace fibpool::bench
