#include "supervisor/net/connection_quota.h"

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using Verdict = ConnectionQuota::Verdict;

void AddMany(ConnectionQuota& quota, const std::string& address, int n) {
  for (int i = 0; i < n; ++i) quota.Add(address);
}

TEST(ConnectionQuota, AnAddressAtItsLimitIsRefusedWhileAnotherGetsIn) {
  ConnectionQuota quota({10, 3});
  AddMany(quota, "10.0.0.1", 3);
  const auto refused = quota.Decide("10.0.0.1");
  EXPECT_EQ(refused.verdict, Verdict::kRefuse);
  EXPECT_EQ(refused.reason, BusyReason::kConnectionsPerClient);
  EXPECT_EQ(quota.Decide("10.0.0.2").verdict, Verdict::kAdmit);
  quota.Remove("10.0.0.1");
  EXPECT_EQ(quota.Decide("10.0.0.1").verdict, Verdict::kAdmit);
}

TEST(ConnectionQuota, AtMaxConnectionsANewcomerTakesThePlaceOfTheHeaviestAddress) {
  ConnectionQuota quota({6, 6});
  AddMany(quota, "A", 4);
  AddMany(quota, "B", 2);
  const auto decision = quota.Decide("C");
  EXPECT_EQ(decision.verdict, Verdict::kEvictIdleOfHeaviest);
  EXPECT_EQ(decision.heaviest, "A");
}

TEST(ConnectionQuota, AtMaxConnectionsTheHeaviestAddressAndNearPeersAreRefused) {
  ConnectionQuota quota({6, 6});
  AddMany(quota, "A", 4);
  AddMany(quota, "B", 2);
  const auto own = quota.Decide("A");
  EXPECT_EQ(own.verdict, Verdict::kRefuse);
  EXPECT_EQ(own.reason, BusyReason::kConnections);
  // B holds 2: once swapped it would hold 3 to A's 3; allowed (3 <= 3).
  EXPECT_EQ(quota.Decide("B").verdict, Verdict::kEvictIdleOfHeaviest);
  quota.Add("B");
  quota.Remove("A");  // now A 3, B 3: B taking A's place would swap back and forth
  EXPECT_EQ(quota.Decide("B").verdict, Verdict::kRefuse);
}

TEST(ConnectionQuota, AnUnknownAddressCountsOnlyTowardMaxConnectionsAndNeverEvicts) {
  ConnectionQuota quota({3, 1});
  AddMany(quota, "", 2);  // PROXY headers not read yet: no per-address limit
  EXPECT_EQ(quota.open(), 2u);
  EXPECT_EQ(quota.Decide("").verdict, Verdict::kAdmit);
  quota.Add("A");
  const auto full = quota.Decide("");
  EXPECT_EQ(full.verdict, Verdict::kRefuse);
  EXPECT_EQ(full.reason, BusyReason::kConnections);
}

TEST(ConnectionQuota, ClaimMovesAnUnnamedConnectionToItsAddressAndItsLimit) {
  ConnectionQuota quota({10, 1});
  quota.Add("");
  quota.Add("");
  ASSERT_TRUE(quota.MayClaim("A"));
  quota.Remove("");
  quota.Add("A");
  EXPECT_EQ(quota.CountOf("A"), 1u);
  EXPECT_EQ(quota.open(), 2u);
  EXPECT_FALSE(quota.MayClaim("A"));
  EXPECT_TRUE(quota.MayClaim("B"));
}

}  // namespace
}  // namespace fibpool::supervisor
