// Plain HTTP/1.0 exchanges with fibpool's metrics port over a real socket,
// for tests. Header-only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "tests/support/line_client.h"

namespace fibpool::testing {

// Sends `request` as is over a raw socket; the whole response (headers and
// body) until the server closes, each line waited for at most 10 s.
inline std::string HttpExchange(std::uint16_t port, const std::string& request) {
  LineClient http(port);
  http.Send(request);
  std::string response;
  while (auto line = http.ReadLine(std::chrono::seconds(10))) response += *line + "\n";
  return response;
}

// One HTTP/1.0 GET; the whole response.
inline std::string HttpGet(std::uint16_t port, const std::string& path) {
  return HttpExchange(port, "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n");
}

// The body of an HTTP response (after the blank line).
inline std::string BodyOf(const std::string& response) {
  const auto blank = response.find("\r\n\r\n");
  return blank == std::string::npos ? "" : response.substr(blank + 4);
}

}  // namespace fibpool::testing
