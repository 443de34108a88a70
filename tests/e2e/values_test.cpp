// F(N) as the real server answers it, checked against an independent
// computation (tests/support/fib_reference.h), never against mpz_fib_ui.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/fib_by_addition.h"
#include "tests/support/fib_reference.h"
#include "tests/support/line_client.h"
#include "tests/support/server_process.h"
#include "tests/support/shared_server.h"

namespace fibpool::testing {
namespace {

// Every test here only asks and reads: one server for all.
class Values : public SharedServer<Values> {
 public:
  static std::vector<std::string> Args() { return {"--workers", "2"}; }
};

TEST_F(Values, ReferenceAgreesWithTheProtocolsExamples) {
  // The two references agree with each other and with docs/protocol.md, so a
  // mistake in one of them cannot hide a wrong answer.
  const std::vector<std::string> table = FibTableByAddition(101);
  for (std::uint64_t n = 0; n <= 100; ++n) EXPECT_EQ(FibReference(n), table[n]) << n;
  EXPECT_EQ(table[30], "832040");
  EXPECT_EQ(table[93], "12200160415121876738");
  EXPECT_EQ(table[100], "354224848179261915075");
}

TEST_F(Values, SmallNZeroToHundredAreExact) {
  const std::vector<std::string> table = FibTableByAddition(101);
  LineClient client(server().port());
  std::string request;
  for (int n = 0; n <= 100; ++n) request += std::to_string(n) + "\n";
  client.Send(request);
  for (int n = 0; n <= 100; ++n) EXPECT_EQ(client.ReadLine(), table[n]) << "N=" << n;
}

TEST_F(Values, LargeNMatchTheFastDoublingReference) {
  LineClient client(server().port());
  for (std::uint64_t n : {93u, 94u, 100u, 1000u, 10000u, 65536u}) {
    EXPECT_EQ(client.Ask(std::to_string(n)), FibReference(n)) << "N=" << n;
  }
}

TEST_F(Values, NearOneMillionIsExact) {
  LineClient client(server().port());
  const std::string expected = FibReference(1000003);
  ASSERT_EQ(expected.size(), 208988u);  // F(n) has about n log10(phi) digits
  const auto got = client.Ask("1000003");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), expected.size());
  EXPECT_TRUE(*got == expected) << "F(1000003) differs (" << got->size() << " digits)";
  EXPECT_EQ(client.Ask("ping"), "pong");  // nothing trailed the big answer
}

// Answers just under the inline limit travel in pipe frames larger than the
// pipe and the supervisor's read buffer: each arrives in several reads.
TEST_F(Values, PipelinedAnswersJustUnderTheInlineLimitAreExact) {
  LineClient client(server().port());
  const std::vector<std::uint64_t> ns = {313'000, 313'001, 313'002, 313'003};
  std::string request;
  for (std::uint64_t n : ns) request += std::to_string(n) + "\n";
  client.Send(request + "ping\n");
  for (std::uint64_t n : ns) {
    const std::string expected = FibReference(n);
    ASSERT_GT(expected.size(), 65'000u);  // over the 64 KiB read buffer
    ASSERT_LT(expected.size(), 65'536u);  // under the inline limit
    const auto got = client.ReadLine();
    ASSERT_TRUE(got.has_value()) << "N=" << n;
    EXPECT_TRUE(*got == expected) << "F(" << n << ") differs (" << got->size() << " digits)";
  }
  EXPECT_EQ(client.ReadLine(), "pong");
}

TEST_F(Values, RecursiveEqualsFastForSmallN) {
  const std::vector<std::string> table = FibTableByAddition(31);
  LineClient client(server().port());
  std::string request;
  for (int n = 0; n <= 30; ++n) {
    request += std::to_string(n) + " recursive\n" + std::to_string(n) + " fast\n";
  }
  client.Send(request);
  for (int n = 0; n <= 30; ++n) {
    EXPECT_EQ(client.ReadLine(), table[n]) << "recursive N=" << n;
    EXPECT_EQ(client.ReadLine(), table[n]) << "fast N=" << n;
  }
}

}  // namespace
}  // namespace fibpool::testing
