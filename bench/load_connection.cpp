#include "bench/load_connection.h"

#include <algorithm>

#include <boost/asio/write.hpp>

#include "bench/clock.h"
#include "bench/retry_after.h"

namespace fibpool::bench {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kReadBytes = 256 * 1024;

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

LoadConnection::LoadConnection(asio::io_context& io, const GroupSpec& spec, unsigned index,
                               GroupResult* result, const RunClock* clock,
                               std::function<void()> on_done)
    : socket_(io),
      pause_timer_(io),
      spec_(spec),
      result_(result),
      clock_(clock),
      on_done_(std::move(on_done)),
      next_request_(index),
      in_(kReadBytes) {}

error_code LoadConnection::Connect(const asio::ip::tcp::endpoint& target) {
  error_code ec;
  if (!spec_.source.is_unspecified()) {
    socket_.open(target.protocol(), ec);
    if (!ec) socket_.bind(asio::ip::tcp::endpoint(spec_.source, 0), ec);
    if (ec) return ec;
  }
  socket_.connect(target, ec);
  if (ec) return ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  if (!ec) socket_.non_blocking(true, ec);
  return ec;
}

void LoadConnection::Start() {
  if (closed_ || done_) return;
  started_ = true;
  Read();
  Fill();
}

void LoadConnection::StopSending() {
  stopped_ = true;
  MaybeDone();
}

bool LoadConnection::InWindow(std::int64_t sent_ns) const {
  return spec_.record_all_latency ||
         (sent_ns >= clock_->window_start_ns && sent_ns < clock_->window_end_ns);
}

bool LoadConnection::CanSend() const {
  if (!started_ || stopped_ || clock_->sending_stopped || spec_.requests.empty()) return false;
  if (spec_.stop_after.count() > 0 && NowNanos() >= clock_->start_ns + spec_.stop_after.count()) {
    return false;
  }
  return spec_.max_requests_per_connection == 0 || sent_ < spec_.max_requests_per_connection;
}

bool LoadConnection::Pausing() {
  if (NowNanos() >= resume_ns_ || !CanSend()) return false;
  if (!pause_armed_) {
    pause_armed_ = true;
    pause_timer_.expires_at(SteadyAt(resume_ns_));
    pause_timer_.async_wait([this](const error_code& ec) {
      pause_armed_ = false;
      if (!ec && !closed_) Fill();
    });
  }
  return true;
}

void LoadConnection::Fill() {
  if (writing_ || closed_ || Pausing()) return;
  const std::int64_t now = NowNanos();
  while (pending_.size() < spec_.depth && CanSend()) {
    const RequestLine& r = spec_.requests[next_request_++ % spec_.requests.size()];
    out_ += r.line;
    pending_.push_back(Pending{now, &r, retry_next_});
    if (retry_next_) ++result_->retries;
    retry_next_ = false;
    ++sent_;
    ++result_->sent;
  }
  if (out_.empty()) {
    MaybeDone();
    return;
  }
  error_code ec;
  const std::size_t n = socket_.write_some(asio::buffer(out_), ec);
  if (ec && ec != asio::error::would_block) {
    Fail("send: " + ec.message());
    return;
  }
  if (n == out_.size()) {
    out_.clear();
    return;
  }
  out_.erase(0, n);
  writing_ = true;
  asio::async_write(socket_, asio::buffer(out_), [this](const error_code& e, std::size_t) {
    writing_ = false;
    if (closed_) return;
    if (e) {
      Fail("send: " + e.message());
      return;
    }
    out_.clear();
    Fill();
  });
}

void LoadConnection::Read() {
  if (closed_) return;
  socket_.async_read_some(asio::buffer(in_), [this](const error_code& ec, std::size_t n) {
    if (closed_) return;
    if (ec) {
      Fail(ec == asio::error::eof ? "the server closed the connection" : "recv: " + ec.message());
      return;
    }
    OnData(n);
  });
}

void LoadConnection::OnData(std::size_t n) {
  // Everything in one read arrived at once: one timestamp for all of it.
  const std::int64_t now = NowNanos();
  std::string_view data(in_.data(), n);
  while (!data.empty()) {
    if (pending_.empty()) {
      Fail("bytes nobody asked for: '" + Printable(data.substr(0, 60)) + "'");
      return;
    }
    if (!matcher_.expecting()) matcher_.Expect(*pending_.front().request->expected);
    bool complete = false;
    bool correct = false;
    data.remove_prefix(matcher_.Feed(data, &complete, &correct));
    if (complete) {
      resume_ns_ = std::max(resume_ns_, now + spec_.pause.count());
      if (correct || !RecordRefusal(pending_.front(), now)) {
        Record(pending_.front(), now, correct);
      }
      pending_.pop_front();
    }
  }
  Fill();
  if (done_) return;
  Read();
}

void LoadConnection::Record(const Pending& p, std::int64_t now_ns, bool correct) {
  ++result_->answered;
  if (p.retry && correct) ++result_->retries_accepted;
  if (spec_.honour_retry_after && correct) {
    result_->accepted_jobs.push_back(AcceptedJob{p.sent_ns - clock_->start_ns, now_ns - p.sent_ns});
  }
  if (now_ns >= clock_->window_start_ns && now_ns <= clock_->window_end_ns) {
    ++result_->answered_in_window;
  }
  if (InWindow(p.sent_ns)) result_->latency.Add(now_ns - p.sent_ns);
  if (spec_.record_answer_times) result_->answer_ns.push_back(now_ns - clock_->start_ns);
  if (spec_.timeline_bucket.count() > 0) {
    const auto bucket =
        static_cast<std::size_t>((now_ns - clock_->start_ns) / spec_.timeline_bucket.count());
    if (result_->timeline.size() <= bucket) result_->timeline.resize(bucket + 1);
    ++result_->timeline[bucket];
  }
  if (!correct) {
    ++result_->wrong;
    if (result_->first_error.empty()) {
      const std::string& want = *p.request->expected;
      result_->first_error = "sent '" + Printable(p.request->line) + "', expected '" +
                             Printable(std::string_view(want).substr(0, 40)) +
                             (want.size() > 40 ? "...'" : "'") + ", got '" +
                             Printable(matcher_.wrong_sample()) + "'";
    }
  }
}

bool LoadConnection::RecordRefusal(const Pending& p, std::int64_t now_ns) {
  if (!spec_.honour_retry_after) return false;
  const std::optional<unsigned> s = ParseRetryAfter(matcher_.wrong_sample());
  if (!s) return false;
  ++result_->refused;
  result_->refusals_seen.push_back(RefusalSeen{now_ns - clock_->start_ns, *s});
  result_->refusal_latency.Add(now_ns - p.sent_ns);
  resume_ns_ = std::max(resume_ns_, now_ns + static_cast<std::int64_t>(*s) * 1'000'000'000);
  retry_next_ = true;
  return true;
}

void LoadConnection::MaybeDone() {
  if (done_ || closed_ || writing_ || !pending_.empty() || CanSend()) return;
  // Not started yet and the window is over: nothing will ever be sent.
  done_ = true;
  if (on_done_) on_done_();
}

void LoadConnection::Abort(std::int64_t now_ns, const std::string& why) {
  if (done_) return;
  for (const Pending& p : pending_) {
    ++result_->unanswered;
    if (InWindow(p.sent_ns)) result_->latency.AddCensored(now_ns - p.sent_ns);
  }
  if (!pending_.empty() && result_->first_error.empty()) result_->first_error = why;
  pending_.clear();
  done_ = true;
  Close();
}

void LoadConnection::Fail(const std::string& why) {
  if (done_) return;
  Abort(NowNanos(), why);
  if (result_->first_error.empty()) result_->first_error = why;
  if (on_done_) on_done_();
}

void LoadConnection::Close() {
  if (closed_) return;
  closed_ = true;
  pause_timer_.cancel();
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace fibpool::bench
