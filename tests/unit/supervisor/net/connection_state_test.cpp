#include "supervisor/net/connection_state.h"

#include <set>
#include <string_view>

#include <gtest/gtest.h>

namespace fibpool::supervisor {
namespace {

using S = ConnectionState;
using E = ConnectionEvent;

constexpr S kAll[] = {S::kOpen,         S::kDraining,  S::kInputEnded,
                      S::kInputStopped, S::kLingering, S::kClosed};
constexpr E kEvents[] = {E::kDrain, E::kEndOfInput, E::kStopInput, E::kLinger, E::kClose};

TEST(ConnectionState, AnOpenConnectionGoesWhereEachEventLeads) {
  EXPECT_EQ(NextState(S::kOpen, E::kDrain), S::kDraining);
  EXPECT_EQ(NextState(S::kOpen, E::kEndOfInput), S::kInputEnded);
  EXPECT_EQ(NextState(S::kOpen, E::kStopInput), S::kInputStopped);
  EXPECT_EQ(NextState(S::kOpen, E::kLinger), S::kLingering);
  EXPECT_EQ(NextState(S::kOpen, E::kClose), S::kClosed);
}

TEST(ConnectionState, EndOfInputOrQuitWhileDrainingStopsTheReading) {
  EXPECT_EQ(NextState(S::kDraining, E::kEndOfInput), S::kInputEnded);
  EXPECT_EQ(NextState(S::kDraining, E::kStopInput), S::kInputStopped);
  EXPECT_FALSE(ReadsRequests(NextState(S::kDraining, E::kEndOfInput)));
}

TEST(ConnectionState, DrainAfterEndOfInputKeepsTheLinesAlreadyReadBeingAnswered) {
  EXPECT_EQ(NextState(S::kInputEnded, E::kDrain), S::kInputEnded);
  EXPECT_TRUE(ParsesLines(S::kInputEnded));
}

TEST(ConnectionState, QuitAmongTheLinesReadBeforeEndOfInputIgnoresTheRest) {
  EXPECT_EQ(NextState(S::kInputEnded, E::kStopInput), S::kInputStopped);
  EXPECT_FALSE(ParsesLines(S::kInputStopped));
}

TEST(ConnectionState, NoEventEverMovesAConnectionBack) {
  for (const S s : kAll) {
    for (const E e : kEvents) {
      EXPECT_GE(NextState(s, e), s) << ConnectionStateName(s);
    }
  }
}

TEST(ConnectionState, ALingeringConnectionOnlyCloses) {
  for (const E e : kEvents) {
    EXPECT_EQ(NextState(S::kLingering, e), e == E::kClose ? S::kClosed : S::kLingering);
    EXPECT_EQ(NextState(S::kClosed, e), S::kClosed);
  }
}

TEST(ConnectionState, AConnectionStopsAnsweringAndFreesItsSlotOnceItLingers) {
  EXPECT_TRUE(IsAnswering(S::kOpen));
  EXPECT_TRUE(IsAnswering(S::kInputStopped));
  EXPECT_FALSE(IsAnswering(S::kLingering));
  EXPECT_FALSE(IsAnswering(S::kClosed));
}

TEST(ConnectionState, OnlyDrainingOrEndedInputFinishesWhenEverythingIsAnswered) {
  EXPECT_FALSE(FinishesWhenAnswered(S::kOpen));
  EXPECT_TRUE(FinishesWhenAnswered(S::kDraining));
  EXPECT_TRUE(FinishesWhenAnswered(S::kInputEnded));
  EXPECT_TRUE(FinishesWhenAnswered(S::kInputStopped));
  EXPECT_FALSE(FinishesWhenAnswered(S::kLingering));
  EXPECT_FALSE(FinishesWhenAnswered(S::kClosed));
}

TEST(ConnectionState, OnlyOpenAndDrainingConnectionsReadRequests) {
  for (const S s : kAll) {
    EXPECT_EQ(ReadsRequests(s), s == S::kOpen || s == S::kDraining) << ConnectionStateName(s);
  }
}

TEST(ConnectionState, EveryStateHasItsOwnName) {
  std::set<std::string_view> names;
  for (const S s : kAll) names.insert(ConnectionStateName(s));
  EXPECT_EQ(names.size(), std::size(kAll));
  EXPECT_EQ(ConnectionStateName(S::kLingering), "lingering");
}

}  // namespace
}  // namespace fibpool::supervisor
