#include "supervisor/config/setting_text.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace fibpool::supervisor::setting_text {

using std::chrono::milliseconds;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string Seconds(milliseconds ms) {
  std::string text = std::to_string(ms.count() / 1000);
  std::int64_t fraction = ms.count() % 1000;
  if (fraction == 0) return text;
  text.push_back('.');
  for (std::int64_t digit = 100; fraction != 0; digit /= 10) {
    text.push_back(static_cast<char>('0' + fraction / digit));
    fraction %= digit;
  }
  return text;
}

// off, on, or the fraction.
std::string ShareText(double share) {
  if (share <= 0) return "off";
  if (share >= 1) return "on";
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, share).ptr;
  return std::string(text, end);
}

std::optional<std::int64_t> Integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Seconds, as milliseconds rounded up.
std::optional<std::int64_t> Milliseconds(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      !std::isfinite(seconds) || std::abs(seconds) > 1e15) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(std::ceil(seconds * 1000));
}

std::optional<std::string> ParseLogLevel(std::string_view text) {
  std::string level = Lower(text);
  if (level == "warning") level = "warn";
  static constexpr std::array<std::string_view, 7> kLevels = {"trace", "debug",    "info", "warn",
                                                              "error", "critical", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) return std::nullopt;
  return level;
}

// The first IPv4 address `host` names, else its first IPv6 address, as text;
// or why there is none.
std::optional<std::string> Resolve(const std::string& host, std::string* why) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    *why = ::gai_strerror(rc);
    return std::nullopt;
  }
  const addrinfo* chosen = nullptr;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
    if (a->ai_family == AF_INET6 && !chosen) chosen = a;
  }
  std::optional<std::string> address;
  char text[INET6_ADDRSTRLEN] = {};
  if (chosen && ::getnameinfo(chosen->ai_addr, chosen->ai_addrlen, text, sizeof text, nullptr, 0,
                              NI_NUMERICHOST) == 0) {
    address = text;
  } else {
    *why = "no IPv4 or IPv6 address";
  }
  ::freeaddrinfo(found);
  return address;
}

// 1 for true, on, yes, 1; 0 for false, off, no, 0 (any case).
std::optional<std::int64_t> Boolean(std::string_view text) {
  const std::string word = Lower(text);
  if (word == "true" || word == "on" || word == "yes" || word == "1") return 1;
  if (word == "false" || word == "off" || word == "no" || word == "0") return 0;
  return std::nullopt;
}

// off -> 0, on -> 1e6, a fraction 0 to 1 -> millionths (at least 1 when above 0).
std::optional<std::int64_t> Millionths(std::string_view text) {
  const std::string word = Lower(text);
  if (word == "off") return 0;
  if (word == "on") return 1'000'000;
  double share = -1;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), share);
  if (ec != std::errc() || end != word.data() + word.size() || !(share >= 0 && share <= 1)) {
    return std::nullopt;
  }
  return share == 0 ? 0 : std::max<std::int64_t>(1, std::llround(share * 1e6));
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace fibpool::supervisor::setting_text
