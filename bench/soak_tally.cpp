#include "bench/soak_tally.h"

namespace fibpool::bench {

namespace {

// Printable, at most 80 bytes: the start of a line that may be megabytes.
std::string Sample(std::string_view s) {
  std::string out;
  for (const char c : s.substr(0, 80)) {
    out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : (c >= 32 && c < 127) ? std::string(1, c) : "?";
  }
  return s.size() > 80 ? out + "..." : out;
}

}  // namespace

void SoakTally::Answer(const std::string& kind, Verdict verdict, std::string_view request,
                       std::string_view got) {
  answers_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  KindCounts& c = counts_[kind];
  ++c.requests;
  switch (verdict) {
    case Verdict::kRight:
      ++c.right;
      break;
    case Verdict::kCrashed:
      ++c.crashed;
      break;
    case Verdict::kBusy:
      ++c.busy;
      break;
    case Verdict::kWrong:
      ++c.wrong;
      Problem(kind + ": wrong answer to '" + Sample(request) + "': '" + Sample(got) + "'");
      break;
  }
}

void SoakTally::Lost(const std::string& kind, std::string_view request, std::string_view why) {
  std::lock_guard lock(mutex_);
  KindCounts& c = counts_[kind];
  ++c.requests;
  ++c.lost;
  Problem(kind + ": no answer to '" + Sample(request) + "': " + std::string(why));
}

void SoakTally::Event(const std::string& kind, const std::string& event) {
  std::lock_guard lock(mutex_);
  ++counts_[kind].events[event];
}

void SoakTally::TinyLatency(double us) {
  std::lock_guard lock(mutex_);
  tiny_us_.push_back(us);
}

std::vector<double> SoakTally::TakeTinyLatencies() {
  std::lock_guard lock(mutex_);
  std::vector<double> out;
  out.swap(tiny_us_);
  return out;
}

std::map<std::string, KindCounts> SoakTally::Counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

KindCounts SoakTally::Total() const {
  KindCounts t;
  for (const auto& [kind, c] : Counts()) {
    t.requests += c.requests;
    t.right += c.right;
    t.crashed += c.crashed;
    t.busy += c.busy;
    t.wrong += c.wrong;
    t.lost += c.lost;
  }
  return t;
}

std::vector<std::string> SoakTally::Problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

void SoakTally::Problem(std::string text) {
  if (problems_.size() < kMaxProblems) problems_.push_back(std::move(text));
}

}  // namespace fibpool::bench
