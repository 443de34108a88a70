#include "supervisor/protocol/request_parser.h"

#include <array>
#include <charconv>
#include <optional>
#include <utility>

namespace fibpool::supervisor {

namespace {

constexpr std::size_t kMaxTokens = 4;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

Request Invalid(AnswerError code, std::string detail) {
  Request r;
  r.kind = Request::Kind::kInvalid;
  r.error = code;
  r.detail = std::move(detail);
  return r;
}

// Whether `token` is `lower` in any mix of ASCII case.
bool EqualsIgnoringCase(std::string_view token, std::string_view lower) {
  if (token.size() != lower.size()) return false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::optional<ipc::Algorithm> AlgorithmNamed(std::string_view name) {
  for (const ipc::Algorithm a : {ipc::Algorithm::kFast, ipc::Algorithm::kRecursive}) {
    if (EqualsIgnoringCase(name, ipc::AlgorithmName(a))) return a;
  }
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A token short enough to quote back to the client.
std::string Quote(std::string_view token) {
  constexpr std::size_t kMax = 32;
  std::string out = "'";
  out += token.substr(0, kMax);
  if (token.size() > kMax) out += "...";
  out += "'";
  return out;
}

Request ParseCompute(std::string_view number, std::string_view algorithm_name,
                     const ParserLimits& limits) {
  // The first problem in the line is the one reported: the number, then the algorithm.
  if (!AllDigits(number)) {
    if (number.starts_with('-') && AllDigits(number.substr(1))) {
      return Invalid(AnswerError::kBadRequest, "N must not be negative");
    }
    return Invalid(AnswerError::kBadRequest, "not a number or command: " + Quote(number));
  }
  ipc::Algorithm algorithm = limits.default_algorithm;
  if (!algorithm_name.empty()) {
    const auto parsed = AlgorithmNamed(algorithm_name);
    if (!parsed) {
      return Invalid(AnswerError::kBadRequest,
                     "unknown algorithm " + Quote(algorithm_name) + " (fast or recursive)");
    }
    algorithm = *parsed;
  }
  const std::uint64_t limit =
      algorithm == ipc::Algorithm::kRecursive ? limits.max_recursive_n : limits.max_fast_n;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (ec != std::errc() || end != number.data() + number.size() || n > limit) {
    return Invalid(AnswerError::kOutOfRange, std::string(ipc::AlgorithmName(algorithm)) +
                                                 " takes N <= " + std::to_string(limit));
  }
  Request r;
  r.kind = Request::Kind::kCompute;
  r.n = n;
  r.algorithm = algorithm;
  return r;
}

// An HTTP request line: `METHOD TARGET HTTP/x.y`.
bool IsHttpRequestLine(const std::array<std::string_view, kMaxTokens>& tokens, std::size_t count) {
  static constexpr std::string_view kMethods[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                  "OPTIONS", "CONNECT", "TRACE", "PATCH"};
  if (count != 3 || !tokens[2].starts_with("HTTP/")) return false;
  for (const std::string_view method : kMethods) {
    if (tokens[0] == method) return true;
  }
  return false;
}

}  // namespace

std::string_view HelpText() {
  return "commands: N [fast|recursive] | fib N [fast|recursive] | ping | stats | help | quit";
}

Request ParseRequest(std::string_view line, const ParserLimits& limits) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return Invalid(AnswerError::kBadRequest, "control byte in request");
    }
  }
  std::array<std::string_view, kMaxTokens> tokens;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i == line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (count == kMaxTokens) return Invalid(AnswerError::kBadRequest, "too many words");
    tokens[count++] = line.substr(start, i - start);
  }
  if (count == 0) return Request{};
  if (IsHttpRequestLine(tokens, count)) {
    Request r =
        Invalid(AnswerError::kBadRequest, "this port speaks fibpool's line protocol, not HTTP");
    r.kind = Request::Kind::kHttp;
    return r;
  }

  static constexpr std::pair<std::string_view, Request::Kind> kCommands[] = {
      {"ping", Request::Kind::kPing},
      {"stats", Request::Kind::kStats},
      {"help", Request::Kind::kHelp},
      {"quit", Request::Kind::kQuit}};
  for (const auto& [name, kind] : kCommands) {
    if (!EqualsIgnoringCase(tokens[0], name)) continue;
    if (count != 1)
      return Invalid(AnswerError::kBadRequest, std::string(name) + " takes no arguments");
    Request r;
    r.kind = kind;
    return r;
  }
  if (EqualsIgnoringCase(tokens[0], "fib")) {
    if (count < 2 || count > 3)
      return Invalid(AnswerError::kBadRequest, "usage: fib N [ALGORITHM]");
    return ParseCompute(tokens[1], count == 3 ? tokens[2] : std::string_view{}, limits);
  }
  if (count > 2) return Invalid(AnswerError::kBadRequest, "usage: N [ALGORITHM]");
  return ParseCompute(tokens[0], count == 2 ? tokens[1] : std::string_view{}, limits);
}

}  // namespace fibpool::supervisor
