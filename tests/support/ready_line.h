// The ready line a fibpool server prints on stdout once it serves,
// "<name> listening on HOST:PORT [workers=N]" (HOST may be an IPv6 address,
// bare or in brackets), parsed. Header-only, pure.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace fibpool::testing {

struct ReadyLine {
  std::string host;  // without brackets
  std::uint16_t port = 0;
  unsigned workers = 0;  // 0 when the line names none
};

// The parts of `line`; std::nullopt when it is not a ready line or its port
// is not in 1..65535. The host is not checked.
inline std::optional<ReadyLine> ParseReadyLine(std::string_view line) {
  static constexpr std::string_view kMarker = "listening on ";
  const auto at = line.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view address = line.substr(at + kMarker.size());
  address = address.substr(0, address.find(' '));
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string port_text(address.substr(colon + 1));
  char* end = nullptr;
  const unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port == 0 || port > 65535) return std::nullopt;
  ReadyLine ready;
  std::string_view host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  ready.host = std::string(host);
  ready.port = static_cast<std::uint16_t>(port);
  const auto w = line.find("workers=");
  if (w != std::string_view::npos)
    ready.workers =
        static_cast<unsigned>(std::strtoul(std::string(line.substr(w + 8)).c_str(), nullptr, 10));
  return ready;
}

}  // namespace fibpool::testing
