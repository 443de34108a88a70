#include "ipc/worker_args.h"

#include <charconv>
#include <set>
#include <string_view>
#include <type_traits>

#include "ipc/ipc_error.h"

namespace fibpool::ipc {

namespace {

// Every field of the command line, in one list for both directions.
template <class Args, class Fn>
void ForEachField(Args& a, Fn&& field) {
  field("segment", a.segment, /*required=*/true);
  field("cell", a.cell, true);
  field("supervisor-pid", a.supervisor_pid, true);
  field("result-fd", a.result_fd, false);
  field("max-n", a.max_n, true);
  field("inline-limit", a.inline_limit, false);
  field("spin-us", a.spin, false);
  field("max-jobs", a.max_jobs, false);
  field("max-memory-mb", a.max_memory_mb, false);
  field("nice", a.nice, false);
  field("slice-us", a.slice, false);
  field("log-level", a.log_level, false);
}

std::string ToText(const std::string& value) { return value; }
std::string ToText(std::chrono::microseconds value) { return std::to_string(value.count()); }
template <class Int>
requires std::is_integral_v<Int> std::string ToText(Int value) { return std::to_string(value); }

bool FromText(std::string_view text, std::string* out) {
  *out = text;
  return true;
}
template <class Int>
requires std::is_integral_v<Int>
bool FromText(std::string_view text, Int* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}
bool FromText(std::string_view text, std::chrono::microseconds* out) {
  std::int64_t count = 0;
  if (!FromText(text, &count)) return false;
  *out = std::chrono::microseconds(count);
  return true;
}

}  // namespace

std::vector<std::string> ToCommandLine(const WorkerArgs& args) {
  std::vector<std::string> out;
  ForEachField(args, [&](std::string_view name, const auto& value, bool) {
    out.push_back("--" + std::string(name));
    out.push_back(ToText(value));
  });
  return out;
}

os::Result<WorkerArgs> ParseWorkerArgs(const std::vector<std::string>& argv) {
  WorkerArgs args;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < argv.size(); i += 2) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with("--")) return make_error_code(IpcError::kUnexpectedArgument);
    const std::string_view name = arg.substr(2);
    bool known = false, ok = true;
    ForEachField(args, [&](std::string_view field, auto& value, bool) {
      if (field != name) return;
      known = true;
      ok = i + 1 < argv.size() && FromText(argv[i + 1], &value);
      seen.insert(field);
    });
    if (!known) return make_error_code(IpcError::kUnknownArgument);
    if (!ok) return make_error_code(IpcError::kBadArgumentValue);
  }
  bool missing = false;
  ForEachField(args, [&](std::string_view name, const auto&, bool required) {
    missing = missing || (required && !seen.contains(name));
  });
  if (missing) return make_error_code(IpcError::kMissingArgument);
  return args;
}

}  // namespace fibpool::ipc
