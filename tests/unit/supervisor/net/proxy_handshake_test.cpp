// ProxyHandshake on a real loopback connection: the server's side on an
// event loop of its own thread, the client's a blocking socket of the test.
#include "supervisor/net/proxy_handshake.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <future>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "supervisor/net/connection_log.h"
#include "supervisor/net/connection_manager.h"

namespace fibpool::supervisor {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// What `done` got.
struct Outcome {
  std::string flow;
  std::string rest;
  bool socket_open = false;
};

class ProxyHandshakeTest : public ::testing::Test {
 protected:
  ProxyHandshakeTest() {
    env_.proxy_protocol = true;
    env_.metrics = &metrics_;
    env_.log = &log_;
    env_.manager = &manager_;
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::address_v4::loopback(), 0});
    acceptor_.listen();
  }
  ~ProxyHandshakeTest() override {
    work_.reset();
    if (thread_.joinable()) thread_.join();
  }

  // Connects a client and runs the server's handshake for it; `slot` is
  // its place in clients_.
  tcp::socket Connect(bool through_manager = false) {
    tcp::socket client(client_io_);
    client.connect(acceptor_.local_endpoint());
    const timeval timeout{10, 0};  // a broken handshake fails the test, not hangs it
    ::setsockopt(client.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    tcp::socket server = acceptor_.accept(io_);
    BusyReason refused{};
    std::optional<ClientSlot> slot = clients_.Admit("", "127.0.0.1", &refused);
    if (through_manager) {
      asio::post(io_, [this, server = std::move(server), slot = std::move(*slot)]() mutable {
        manager_.Accept(env_, std::move(server), "127.0.0.1", std::move(slot));
      });
      thread_ = std::thread([this] { io_.run(); });
      return client;
    }
    ++metrics_.connections_open;  // as the manager counts it
    auto handshake = std::make_shared<ProxyHandshake>(
        std::move(server), env_, std::move(*slot), "127.0.0.1",
        [this](tcp::socket s, ClientSlot, std::string flow, std::string rest) {
          done_.set_value(Outcome{std::move(flow), std::move(rest), s.is_open()});
        },
        [this](ProxyHandshake*) { ended_.set_value(); });
    asio::post(io_, [handshake] { handshake->Start(); });
    thread_ = std::thread([this] { io_.run(); });
    return client;
  }
  // Everything the server sends until it closes.
  static std::string ReadToEnd(tcp::socket& client) {
    std::string got;
    boost::system::error_code ec;
    asio::read(client, asio::dynamic_buffer(got), ec);
    EXPECT_EQ(ec, asio::error::eof) << ec.message();
    return got;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread thread_;
  asio::io_context client_io_;
  tcp::acceptor acceptor_{client_io_};
  Metrics metrics_;
  ConnectionLog log_{io_.get_executor(), 0.0};
  std::promise<void> emptied_;  // the manager let its last connection go
  ConnectionManager manager_{&metrics_, [this] { emptied_.set_value(); }};
  ClientConnections clients_{{16, 1}, &metrics_};
  ConnectionEnv env_;
  std::promise<Outcome> done_;
  std::promise<void> ended_;
};

TEST_F(ProxyHandshakeTest, AHeaderNamesTheClientAndTheBytesAfterItGoToTheConnection) {
  tcp::socket client = Connect();
  asio::write(client, asio::buffer(std::string("PROXY TCP4 192.0.2.9 192.0.2.1 5000 7000\r\n10\n2")));
  const Outcome outcome = done_.get_future().get();
  ended_.get_future().get();
  EXPECT_EQ(outcome.flow, "192.0.2.9");
  EXPECT_EQ(outcome.rest, "10\n2");
  EXPECT_TRUE(outcome.socket_open);
  EXPECT_EQ(std::uint64_t{metrics_.connections_open}, 1u) << "the slot goes on to the connection";
  EXPECT_EQ(std::uint64_t{metrics_.connections_proxy_refused}, 0u);
}

TEST_F(ProxyHandshakeTest, BytesThatAreNoHeaderGetOneErrLineAndAClose) {
  tcp::socket client = Connect();
  asio::write(client, asio::buffer(std::string("10\n")));
  const std::string got = ReadToEnd(client);
  ended_.get_future().get();
  EXPECT_TRUE(got.starts_with("ERR bad_request ")) << got;
  EXPECT_EQ(got.find('\n'), got.size() - 1) << "one line: " << got;
  EXPECT_EQ(std::uint64_t{metrics_.connections_proxy_refused}, 1u);
  EXPECT_EQ(std::uint64_t{metrics_.connections_open}, 0u) << "the refused connection's slot is free";
}

TEST_F(ProxyHandshakeTest, AClientThatEndsBeforeAWholeHeaderIsRefused) {
  tcp::socket client = Connect();
  asio::write(client, asio::buffer(std::string("PROXY TCP4 192.0.2.9")));
  client.shutdown(tcp::socket::shutdown_send);
  EXPECT_EQ(ReadToEnd(client), "ERR bad_request incomplete PROXY protocol header\n");
}

TEST_F(ProxyHandshakeTest, NoHeaderWithinTheLimitIsRefused) {
  env_.idle_timeout = std::chrono::milliseconds(50);
  tcp::socket client = Connect();
  EXPECT_EQ(ReadToEnd(client), "ERR bad_request no PROXY protocol header within 50 ms\n");
  EXPECT_EQ(std::uint64_t{metrics_.connections_proxy_refused}, 1u);
}

TEST_F(ProxyHandshakeTest, ASourceAtItsConnectionLimitIsBusy) {
  BusyReason refused{};
  std::optional<ClientSlot> held = clients_.Admit("192.0.2.9", "192.0.2.9", &refused);
  ASSERT_TRUE(held);
  tcp::socket client = Connect();
  asio::write(client, asio::buffer(std::string("PROXY TCP4 192.0.2.9 192.0.2.1 5000 7000\r\n")));
  EXPECT_EQ(ReadToEnd(client),
            "ERR busy too many connections from your address; try again later\n");
}

TEST_F(ProxyHandshakeTest, ThroughTheManagerTheClientIsServedAsTheConnectionOfItsSource) {
  tcp::socket client = Connect(/*through_manager=*/true);
  asio::write(client, asio::buffer(std::string("PROXY TCP4 192.0.2.9 192.0.2.1 5000 7000\r\nping\nquit\n")));
  EXPECT_EQ(ReadToEnd(client), "pong\nbye\n");
}

TEST_F(ProxyHandshakeTest, ADrainClosesAHandshakeUnderWayWithoutAnAnswer) {
  tcp::socket client = Connect(/*through_manager=*/true);
  asio::write(client, asio::buffer(std::string("PROXY TCP4 ")));
  std::promise<bool> held;
  asio::post(io_, [&] {
    held.set_value(!manager_.empty());
    manager_.DrainAll();
  });
  EXPECT_TRUE(held.get_future().get());
  EXPECT_EQ(ReadToEnd(client), "");
  client.close();
  emptied_.get_future().get();
}

}  // namespace
}  // namespace fibpool::supervisor
