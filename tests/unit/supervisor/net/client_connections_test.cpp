#include "supervisor/net/client_connections.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

TEST(ClientConnections, ASlotCountsUntilReleasedOrDestroyed) {
  Metrics metrics;
  ClientConnections clients({4, 2}, &metrics);
  BusyReason reason{};
  auto a = clients.Admit("A", "A", &reason);
  ASSERT_TRUE(a);
  {
    auto b = clients.Admit("A", "A", &reason);
    ASSERT_TRUE(b);
    EXPECT_FALSE(clients.Admit("A", "A", &reason));
    EXPECT_EQ(reason, BusyReason::kConnectionsPerClient);
    EXPECT_EQ(metrics.connections_refused, 1u);
    EXPECT_EQ(metrics.busy[static_cast<std::size_t>(BusyReason::kConnectionsPerClient)], 1u);
  }
  EXPECT_EQ(clients.CountOf("A"), 1u);
  a->Release();
  a->Release();  // once
  EXPECT_EQ(clients.open(), 0u);
}

TEST(ClientConnections, AtMaxConnectionsAnIdleConnectionOfTheHeaviestIsAskedToClose) {
  Metrics metrics;
  ClientConnections clients({3, 3}, &metrics);
  BusyReason reason{};
  std::vector<ClientSlot> held;
  int closed = -1;
  for (int i = 0; i < 3; ++i) {
    held.push_back(*clients.Admit("A", "A", &reason));
    held.back().OnIdleClose([&closed, i] { closed = i; });
  }
  // None idle: refused as today.
  EXPECT_FALSE(clients.Admit("B", "B", &reason));
  EXPECT_EQ(reason, BusyReason::kConnections);
  held[1].SetIdle(true);
  auto b = clients.Admit("B", "B", &reason);
  ASSERT_TRUE(b);
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(clients.CountOf("A"), 2u);
  EXPECT_EQ(clients.open(), 3u);
  held[1].Release();  // its close: counted once only
  EXPECT_EQ(clients.open(), 3u);
}

TEST(ClientConnections, AProxyHeaderMovesTheCountToItsAddressAndMayRefuseIt) {
  Metrics metrics;
  ClientConnections clients({10, 1}, &metrics);
  BusyReason reason{};
  auto first = clients.Admit("", "127.0.0.1", &reason);
  auto second = clients.Admit("", "127.0.0.1", &reason);
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->Claim("10.0.0.1"));
  EXPECT_EQ(clients.CountOf("10.0.0.1"), 1u);
  EXPECT_FALSE(second->Claim("10.0.0.1"));
  EXPECT_EQ(clients.open(), 1u);  // the refused one no longer counts
  EXPECT_EQ(metrics.busy[static_cast<std::size_t>(BusyReason::kConnectionsPerClient)], 1u);
  auto third = clients.Admit("", "127.0.0.1", &reason);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->Claim("10.0.0.2"));
  EXPECT_EQ(clients.open(), 2u);
}

}  // namespace
}  // namespace fibpool::supervisor
