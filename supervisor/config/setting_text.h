// How the settings' values read and print: pure parsers of a setting's text
// (integers, seconds, booleans, shares, log levels), the host lookup, and the
// edit distance that suggests a setting for a misspelt name. Used by
// settings.cpp's table; a parser returns std::nullopt for text it does not
// take, and never throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fibpool::supervisor::setting_text {

// ASCII lower case.
std::string Lower(std::string_view text);
// Without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);
// "1.5" for 1500 ms: seconds, with no trailing zero.
std::string Seconds(std::chrono::milliseconds ms);
// off, on, or the fraction.
std::string ShareText(double share);

// A decimal integer, with an optional '+'.
std::optional<std::int64_t> Integer(std::string_view text);
// Seconds, as milliseconds rounded up.
std::optional<std::int64_t> Milliseconds(std::string_view text);
// spdlog's level names, "warning" read as "warn", any case.
std::optional<std::string> ParseLogLevel(std::string_view text);
// The first IPv4 address `host` names, else its first IPv6 address, as text;
// or why there is none. Blocks on DNS.
std::optional<std::string> Resolve(const std::string& host, std::string* why);
// 1 for true, on, yes, 1; 0 for false, off, no, 0 (any case).
std::optional<std::int64_t> Boolean(std::string_view text);
// off -> 0, on -> 1e6, a fraction 0 to 1 -> millionths (at least 1 when above 0).
std::optional<std::int64_t> Millionths(std::string_view text);
// Levenshtein distance.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace fibpool::supervisor::setting_text
