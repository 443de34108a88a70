#include "bench/baseline_server.h"

#include <sys/socket.h>

#include <string>

#include <boost/asio/detail/socket_option.hpp>
#include <boost/json.hpp>

#include "supervisor/net/flow_key.h"

namespace fibpool::bench {

namespace asio = boost::asio;
using boost::system::error_code;

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

BaselineServer::BaselineServer(asio::io_context& io, const BaselineOptions& options, LoopIndex loop)
    : acceptor_(io), executor_(io, options.max_n) {
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  if (loop.count > 1) acceptor_.set_option(ReusePort(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);

  env_.limits = supervisor::ParserLimits{ipc::Algorithm::kFast, options.max_n, ipc::kMaxRecursiveN};
  env_.max_line = options.max_line;
  env_.max_inflight = options.max_inflight;
  env_.executor = &executor_;
  env_.metrics = &metrics_;
  env_.stats = [this, loop] {
    return boost::json::serialize(boost::json::object{
        {"baseline", true},
        {"loop", loop.index},
        {"loops", loop.count},
        {"connections_open", static_cast<std::uint64_t>(metrics_.connections_open)},
        {"requests", static_cast<std::uint64_t>(metrics_.requests)},
        {"jobs_done", executor_.jobs_done()}});
  };
  env_.log = &log_;
  env_.manager = &connections_;
}

void BaselineServer::Start() { Accept(); }

void BaselineServer::Accept() {
  acceptor_.async_accept([this](const error_code& ec, asio::ip::tcp::socket socket) {
    if (stopping_ || ec == asio::error::operation_aborted) return;
    if (!ec) {
      std::string peer = supervisor::FlowKeyOf(socket);
      connections_.Accept(env_, std::move(socket), std::move(peer));
    }
    // An accept error (out of descriptors) is retried at once: the bench
    // opens few connections, so this does not spin in practice.
    Accept();
  });
}

void BaselineServer::Stop() {
  stopping_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  connections_.DrainAll();
}

}  // namespace fibpool::bench
