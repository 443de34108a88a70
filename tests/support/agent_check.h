// HAProxy's agent check (fibpool's --agent-port) in tests. Header-only.
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/line_client.h"
#include "tests/support/server_process.h"

namespace fibpool::testing {

// The agent port the ready log line (event=ready) names; -1 when it is off
// (and a test failure when the line names none).
inline int AgentPort(const ServerProcess& server) {
  std::smatch m;
  const std::string log = server.Log();
  if (!std::regex_search(log, m, std::regex("event=ready .* agent_port=(-?[0-9]+)"))) {
    ADD_FAILURE() << "no agent_port in the ready log line:\n" << log;
    return -1;
  }
  return std::stoi(m[1]);
}

// What one agent check reads: the line (without its LF), once the server has
// closed the connection; std::nullopt when there is no line or no close.
inline std::optional<std::string> AskAgent(std::uint16_t port) {
  LineClient agent(port);
  std::optional<std::string> line = agent.ReadLine(std::chrono::seconds(10));
  if (!line || !agent.WaitForClose()) return std::nullopt;
  return line;
}

}  // namespace fibpool::testing
