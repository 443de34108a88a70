#include "bench/response_matcher.h"

#include <gtest/gtest.h>

namespace fibpool::bench {
namespace {

// Feeds `bytes` in chunks of `chunk`; returns {complete count, correct count}.
std::pair<int, int> FeedAll(ResponseMatcher& m, std::string_view answer, std::string_view bytes,
                            std::size_t chunk) {
  int complete = 0;
  int correct = 0;
  while (!bytes.empty()) {
    if (!m.expecting()) m.Expect(answer);
    bool done = false;
    bool ok = false;
    const std::size_t n = m.Feed(bytes.substr(0, chunk), &done, &ok);
    bytes.remove_prefix(n);
    complete += done;
    correct += done && ok;
  }
  return {complete, correct};
}

TEST(ResponseMatcherTest, MatchingAnswerIsCorrectWhateverTheChunking) {
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 100u}) {
    ResponseMatcher m;
    EXPECT_EQ(FeedAll(m, "832040", "832040\n832040\n", chunk), std::make_pair(2, 2)) << chunk;
  }
}

TEST(ResponseMatcherTest, ShorterLongerAndErrorAnswersAreWrongAndSkippedToTheirLf) {
  for (std::size_t chunk : {1u, 4u, 100u}) {
    ResponseMatcher m;
    EXPECT_EQ(FeedAll(m, "832040", "83204\n8320401\nERR busy try later\n832040\n", chunk),
              std::make_pair(4, 1))
        << chunk;
  }
}

TEST(ResponseMatcherTest, WrongSampleShowsWhatCameInstead) {
  ResponseMatcher m;
  m.Expect("6765");
  bool done = false;
  bool ok = true;
  EXPECT_EQ(m.Feed("67ERR x\n55\n", &done, &ok), 8u);
  EXPECT_TRUE(done);
  EXPECT_FALSE(ok);
  EXPECT_EQ(m.wrong_sample(), "67ERR x");
}

TEST(ResponseMatcherTest, EmptyAnswerIsJustAnLf) {
  ResponseMatcher m;
  EXPECT_EQ(FeedAll(m, "", "\n\n", 1), std::make_pair(2, 2));
}

}  // namespace
}  // namespace fibpool::bench
