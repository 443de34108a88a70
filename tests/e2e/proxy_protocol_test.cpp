// proxy_protocol against the real binaries: clients behind a load balancer
// are told apart by the PROXY protocol header's source address, not by the
// balancer's own address; a connection without the header is refused.
#include <signal.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/log_lines.h"
#include "tests/support/proxy_header_bytes.h"
#include "tests/support/server_process.h"
#include "tests/support/stats.h"
#include "tests/support/wait.h"

namespace fibpool::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kBlockingJob = "40 recursive";  // F(40) = 102334155: seen busy
constexpr std::uint64_t kProxiedN = 1000;
constexpr int kJobs = 2;  // per client

const std::vector<std::string> kProxyOn = {"--proxy-protocol", "true"};

std::vector<std::string> ProxyOnWith(std::vector<std::string> more) {
  std::vector<std::string> args = kProxyOn;
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// `stats` on a new connection that announces itself as the proxy's own
// (v2 LOCAL, as HAProxy's health checks do).
boost::json::object StatsViaProxy(std::uint16_t port) {
  LineClient observer(port);
  observer.Send(ProxyV2Local());
  return AskStats(observer);
}

TEST(ProxyProtocol, V1AndV2ClientsAreAnsweredAndQueuedUnderTheHeadersSourceAddress) {
  ServerProcess server(ProxyOnWith({"--workers", "1", "--reserve-workers", "0"}));
  // The one worker is held (SIGSTOP) on a job of the proxy's own connection,
  // so the clients' jobs wait in the backlog however fast the machine.
  LineClient blocker(server.port());
  blocker.Send(ProxyV2Local() + kBlockingJob + "\n");
  LineClient observer(server.port());
  observer.Send(ProxyV2Local());
  std::vector<WorkerStat> busy;
  ASSERT_TRUE(
      WaitFor([&] { return !(busy = BusyWorkers(AskStats(observer))).empty(); }, seconds(30)));
  ASSERT_EQ(::kill(busy.front().pid, SIGSTOP), 0);

  // Three clients that all reach fibpool from 127.0.0.1, as through a proxy:
  // v1 TCP4, v2 over IPv6 with a TLV, and v1 UNKNOWN (the peer is the client).
  std::string jobs;
  for (int i = 0; i < kJobs; ++i) jobs += std::to_string(kProxiedN) + "\n";
  LineClient v1(server.port());
  v1.Send("PROXY TCP4 203.0.113.7 192.0.2.1 56324 25000\r\n" + jobs);
  LineClient v2(server.port());
  v2.Send(ProxyV2Tcp("2001:db8::9", 1234, "2001:db8::1", 25000, ProxyV2Tlv(0x05, "id-1")) + jobs);
  LineClient unknown(server.port(), "127.0.0.5");
  unknown.Send("PROXY UNKNOWN\r\n" + jobs);

  boost::json::object stats;
  std::set<std::string> flows;
  const bool queued = WaitFor(
      [&] {
        stats = AskStats(observer);
        flows.clear();
        for (const auto& f : stats.at("flows").as_array())
          flows.insert(std::string(f.at("flow").as_string()));
        return flows.size() == 3;
      },
      seconds(30));
  ::kill(busy.front().pid, SIGCONT);
  ASSERT_TRUE(queued) << boost::json::serialize(stats);
  EXPECT_EQ(flows, (std::set<std::string>{"203.0.113.7", "2001:db8::9", "127.0.0.5"}));

  const std::string expected = FibReference(kProxiedN);
  for (LineClient* client : {&v1, &v2, &unknown}) {
    for (int i = 0; i < kJobs; ++i) EXPECT_EQ(client->ReadLine(seconds(60)), expected);
  }
  EXPECT_EQ(blocker.ReadLine(seconds(60)), "102334155");
  stats = AskStats(observer);
  EXPECT_EQ(Counter(stats, "connections_proxy_refused"), 0u);
  EXPECT_TRUE(stats.at("settings").at("proxy_protocol").as_bool());
}

TEST(ProxyProtocol, RequestsInTheHeadersWriteAndAHeaderInPiecesAreServed) {
  ServerProcess server(kProxyOn);
  LineClient same_write(server.port());
  same_write.Send(ProxyV2Tcp("198.51.100.9", 40000, "192.0.2.1", 25000) + "ping\n30\n");
  EXPECT_EQ(same_write.ReadLine(), "pong");
  EXPECT_EQ(same_write.ReadLine(), "832040");

  LineClient pieces(server.port());
  const std::string header = "PROXY TCP6 2001:db8::7 2001:db8::1 65535 25000\r\n";
  for (std::size_t at = 0; at < header.size(); at += 7) pieces.Send(header.substr(at, 7));
  EXPECT_EQ(pieces.Ask("fib 20"), "6765");
}

TEST(ProxyProtocol, ConnectionWithoutTheHeaderGetsOneErrLineAndIsClosed) {
  ServerProcess server(kProxyOn);
  LineClient direct(server.port(), "127.0.0.3");
  direct.Send("30\nping\n");
  EXPECT_EQ(direct.ReadLine(), "ERR bad_request missing PROXY protocol header");
  EXPECT_TRUE(direct.WaitForClose());

  LineClient malformed(server.port());
  malformed.Send("PROXY TCP4 203.0.113.7 192.0.2.1 56324\r\nping\n");
  EXPECT_EQ(malformed.ReadLine(),
            "ERR bad_request malformed PROXY protocol header: "
            "v1 needs TCP4 or TCP6, two addresses and two ports");
  EXPECT_TRUE(malformed.WaitForClose());

  LineClient truncated(server.port());
  truncated.Send(ProxyV2Local().substr(0, 10));
  truncated.ShutdownWrite();
  EXPECT_EQ(truncated.ReadLine(), "ERR bad_request incomplete PROXY protocol header");
  EXPECT_TRUE(truncated.WaitForClose());

  const auto stats = StatsViaProxy(server.port());
  EXPECT_EQ(Counter(stats, "connections_proxy_refused"), 3u);
  // Refused connections are not requests: only the observer's stats is one.
  EXPECT_EQ(Counter(stats, "errors", "bad_request"), 0u);
  EXPECT_EQ(Counter(stats, "requests"), 1u);
  // The first refusal is logged with the address it came from.
  const std::string line = LogLineWith(server.Log(), "event=connection_refused");
  EXPECT_NE(line.find("reason=proxy_protocol peer=127.0.0.3 "
                      "why=\"missing PROXY protocol header\""),
            std::string::npos)
      << server.Log();
}

TEST(ProxyProtocol, HeaderNotCompleteWithinTheIdleTimeoutIsRefused) {
  ServerProcess server(ProxyOnWith({"--idle-timeout", "0.5"}));
  LineClient slow(server.port());
  slow.Send("PROXY TCP4 203.0.113.7 ");
  EXPECT_EQ(slow.ReadLine(seconds(10)), "ERR bad_request no PROXY protocol header within 500 ms");
  EXPECT_TRUE(slow.WaitForClose());
}

TEST(ProxyProtocol, LogLinesNameTheHeadersSourceAsTheClient) {
  ServerProcess server(ProxyOnWith({"--log-level", "debug", "--max-line", "16"}));
  LineClient client(server.port());
  client.Send("PROXY TCP4 203.0.113.7 192.0.2.1 56324 25000\r\n" + std::string(40, '1') + "\n");
  EXPECT_EQ(client.ReadLine().value_or("").rfind("ERR line_too_long", 0), 0u);
  ASSERT_TRUE(WaitFor([&] { return !LogLineWith(server.Log(), "event=connection_closed").empty(); },
                      seconds(10)))
      << server.Log();
  EXPECT_NE(LogLineWith(server.Log(), "event=connection_closed")
                .find("reason=line_too_long client=203.0.113.7 "),
            std::string::npos)
      << server.Log();
}

TEST(ProxyProtocol, OffAHeaderLineIsAnOrdinaryBadRequest) {
  ServerProcess server({"--workers", "1"});
  LineClient client(server.port(), "127.0.0.6");
  EXPECT_EQ(client.Ask("PROXY TCP4 203.0.113.7 192.0.2.1 56324 25000")
                .value_or("")
                .rfind("ERR bad_request", 0),
            0u);
  EXPECT_EQ(client.Ask("30"), "832040");
  const auto stats = AskStats(client);
  EXPECT_FALSE(stats.at("settings").at("proxy_protocol").as_bool());
  EXPECT_EQ(Counter(stats, "connections_proxy_refused"), 0u);
}

}  // namespace
}  // namespace fibpool::testing
