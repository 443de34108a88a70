#include "supervisor/protocol/line_buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fibpool::supervisor {
namespace {

std::vector<std::string> Drain(LineBuffer& b) {
  std::vector<std::string> lines;
  std::string_view line;
  while (b.Next(&line) == LineBuffer::Status::kLine) lines.emplace_back(line);
  return lines;
}

TEST(LineBuffer, SplitsOnLfAndKeepsPartialLines) {
  LineBuffer b(1024);
  b.Append("10\n20\n3");
  EXPECT_EQ(Drain(b), (std::vector<std::string>{"10", "20"}));
  b.Append("0\r\n");
  EXPECT_EQ(Drain(b), (std::vector<std::string>{"30\r"}));
  EXPECT_EQ(b.buffered(), 0u);
}

TEST(LineBuffer, LinesSplitAcrossManyAppendsAreJoined) {
  LineBuffer b(1024);
  for (char c : std::string("fib 93\n")) b.Append(std::string(1, c));
  EXPECT_EQ(Drain(b), (std::vector<std::string>{"fib 93"}));
}

TEST(LineBuffer, LineOfExactlyMaxBytesIsAcceptedEvenWithCr) {
  LineBuffer b(8);
  b.Append(std::string(8, 'x') + "\r\n" + std::string(8, 'y') + "\n");
  EXPECT_EQ(Drain(b).size(), 2u);
}

TEST(LineBuffer, TerminatedLineOverMaxIsTooLongAndFinal) {
  LineBuffer b(8);
  b.Append("ok\n" + std::string(9, 'x') + "\nmore\n");
  std::string_view line;
  ASSERT_EQ(b.Next(&line), LineBuffer::Status::kLine);
  EXPECT_EQ(b.Next(&line), LineBuffer::Status::kTooLong);
  EXPECT_EQ(b.Next(&line), LineBuffer::Status::kTooLong);
}

TEST(LineBuffer, UnterminatedLineOverMaxIsTooLongWithoutWaitingForLf) {
  LineBuffer b(8);
  b.Append(std::string(9, 'x'));
  std::string_view line;
  EXPECT_EQ(b.Next(&line), LineBuffer::Status::kTooLong);
}

TEST(LineBuffer, UnterminatedLineAtMaxWaitsForMore) {
  LineBuffer b(8);
  b.Append(std::string(8, 'x') + "\r");
  std::string_view line;
  EXPECT_EQ(b.Next(&line), LineBuffer::Status::kNeedMore);
}

}  // namespace
}  // namespace fibpool::supervisor
