#include "supervisor/net/proxy_handshake.h"

#include <algorithm>
#include <utility>

#include <boost/asio/write.hpp>

#include "supervisor/net/connection_log.h"
#include "supervisor/net/connection_manager.h"
#include "supervisor/net/flow_key.h"
#include "supervisor/protocol/answer_error.h"
#include "supervisor/protocol/busy_reason.h"
#include "supervisor/protocol/duration_text.h"
#include "supervisor/protocol/proxy_header.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

ProxyHandshake::ProxyHandshake(asio::ip::tcp::socket socket, const ConnectionEnv& env,
                               ClientSlot client, std::string peer, Done done,
                               std::function<void(ProxyHandshake*)> ended)
    : socket_(std::move(socket)),
      env_(env),
      client_(std::move(client)),
      done_(std::move(done)),
      ended_(std::move(ended)),
      flow_(std::move(peer)),
      timer_(socket_.get_executor()) {}

void ProxyHandshake::Start() {
  const auto limit = std::min<std::chrono::milliseconds>(env_.idle_timeout, kProxyHeaderTimeout);
  timer_.expires_after(limit);
  timer_.async_wait([self = shared_from_this(), limit](const error_code& ec) {
    if (ec || self->phase_ != Phase::kReading) return;
    self->RefuseHeader("no PROXY protocol header within " + LimitText(limit));
  });
  Read();
}

void ProxyHandshake::Stop() {
  if (phase_ == Phase::kReading) Linger();
}

void ProxyHandshake::Read() {
  read_in_flight_ = true;
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const error_code& ec, std::size_t n) {
                            self->read_in_flight_ = false;
                            self->OnRead(ec, n);
                          });
}

void ProxyHandshake::OnRead(const error_code& ec, std::size_t n) {
  switch (phase_) {
    case Phase::kReading:
      break;
    case Phase::kLingering:
      return ec ? Close() : Read();
    default:
      return;  // kRefusing: Linger() reads again; kOver: nothing more
  }
  if (ec && ec != asio::error::eof) return Close();
  if (ec) {
    return RefuseHeader(header_.empty() ? "missing PROXY protocol header"
                                        : "incomplete PROXY protocol header");
  }
  env_.metrics->bytes_in += n;
  header_.append(read_buffer_.data(), n);
  const ProxyHeader header = ParseProxyHeader(header_);
  if (header.status == ProxyHeader::Status::kNeedMore) return Read();
  if (header.status == ProxyHeader::Status::kInvalid) return RefuseHeader(header.error);
  if (header.source) flow_ = FlowKeyOf(*header.source);
  if (!client_.Claim(flow_)) {  // counted and logged there
    return Refuse(ErrorLine(AnswerError::kBusy, BusyDetail(BusyReason::kConnectionsPerClient)));
  }
  phase_ = Phase::kOver;
  timer_.cancel();
  std::string rest = header_.substr(header.length);
  done_(std::move(socket_), std::move(client_), std::move(flow_), std::move(rest));
  ended_(this);
}

void ProxyHandshake::RefuseHeader(std::string_view why) {
  // A refused connection, like one over max_connections, is not a request.
  ++env_.metrics->connections_proxy_refused;
  env_.log->ProxyRefused(flow_, why);
  Refuse(ErrorLine(AnswerError::kBadRequest, why));
}

void ProxyHandshake::Refuse(std::string line) {
  phase_ = Phase::kRefusing;
  timer_.cancel();
  std::string().swap(header_);
  refusal_ = std::move(line);
  asio::async_write(socket_, asio::buffer(refusal_),
                    [self = shared_from_this()](const error_code& ec, std::size_t n) {
                      self->env_.metrics->bytes_out += n;
                      if (ec) return self->Close();
                      self->Linger();
                    });
}

void ProxyHandshake::Linger() {
  phase_ = Phase::kLingering;
  env_.manager->ReleaseSlot();
  client_.Release();
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  timer_.cancel();
  timer_.expires_after(kLinger);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->Close();
  });
  if (!read_in_flight_) Read();
}

void ProxyHandshake::Close() {
  if (phase_ == Phase::kOver) return;
  if (phase_ != Phase::kLingering) {
    env_.manager->ReleaseSlot();
    client_.Release();
  }
  phase_ = Phase::kOver;
  error_code ignored;
  timer_.cancel();
  socket_.close(ignored);
  ended_(this);
}

}  // namespace fibpool::supervisor
