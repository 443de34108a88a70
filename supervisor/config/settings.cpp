#include "supervisor/config/settings.h"
#include "supervisor/config/setting_text.h"
#include "supervisor/config/slot_layout.h"

#include <algorithm>
#include <array>
#include <vector>

namespace fibpool::supervisor {

namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kYearMs = 365LL * 86400 * 1000;

// clang-format off
constexpr std::array kSettings = {
  Setting{"host", SettingKind::kHost, 0, 0, false,
          "listen address, for the line protocol, the metrics port and the agent port; a host "
          "name is resolved at start to its first IPv4 address (else its first IPv6 address)",
          "an IP address or a host name", "",
          [](Config& c, std::int64_t resolved, const std::string& t) {
            (resolved ? c.host : c.host_setting) = t;
          },
          [](const Config& c) { return c.host_setting; }},
  Setting{"port", SettingKind::kInteger, 0, 65535, false,
          "listen port; 0 picks a free one", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.port = static_cast<std::uint16_t>(n); },
          [](const Config& c) { return std::to_string(c.port); }},
  Setting{"workers", SettingKind::kInteger, 0, kMaxWorkers, true,
          "worker processes", "0 (the CPUs this process may use) to 256",
          "the CPUs this process may use (affinity and cgroup quota)",
          [](Config& c, std::int64_t n, const std::string&) { c.workers = static_cast<unsigned>(n); },
          [](const Config& c) { return std::to_string(c.workers); }},
  Setting{"io-threads", SettingKind::kInteger, 0, kMaxIoThreads, false,
          "supervisor threads serving client connections; 1: all on the pool's thread",
          "0 (one per four CPUs this process may use, at least 1) to 64",
          "one per four CPUs this process may use, at least 1",
          [](Config& c, std::int64_t n, const std::string&) { c.io_threads = static_cast<unsigned>(n); },
          [](const Config& c) { return std::to_string(c.io_threads); }},
  Setting{"reserve-workers", SettingKind::kInteger, 0, 16, false,
          "extra workers kept for cheap jobs while big ones hold the others", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.reserve_workers = static_cast<unsigned>(n); },
          [](const Config& c) { return std::to_string(c.reserve_workers); }},
  Setting{"worker-nice", SettingKind::kInteger, 0, 19, false,
          "nice value of the workers; the supervisor and the reserve workers stay at 0", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.worker_nice = static_cast<int>(n); },
          [](const Config& c) { return std::to_string(c.worker_nice); }},
  Setting{"algorithm", SettingKind::kAlgorithm, 0, 0, false,
          "algorithm of a bare N", "fast or recursive", "",
          [](Config& c, std::int64_t, const std::string& t) { c.algorithm = *ipc::ParseAlgorithm(t); },
          [](const Config& c) { return std::string(ipc::AlgorithmName(c.algorithm)); }},
  Setting{"max-n", SettingKind::kInteger, 0, 1'000'000'000, false,
          "largest N for fast", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_n = static_cast<std::uint64_t>(n); },
          [](const Config& c) { return std::to_string(c.max_n); }},
  Setting{"job-timeout", SettingKind::kSeconds, 1, kYearMs, true,
          "seconds a job may run before its worker is killed", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.job_timeout = milliseconds(n); },
          [](const Config& c) { return setting_text::Seconds(c.job_timeout); }},
  Setting{"log-level", SettingKind::kLogLevel, 0, 0, true,
          "least severe log event written to stderr",
          "trace, debug, info, warn (or warning), error, critical, off; any case", "",
          [](Config& c, std::int64_t, const std::string& t) { c.log_level = t; },
          [](const Config& c) { return c.log_level; }},
  Setting{"max-line", SettingKind::kInteger, 16, 1 << 20, false,
          "longest request line in bytes", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_line = static_cast<std::size_t>(n); },
          [](const Config& c) { return std::to_string(c.max_line); }},
  Setting{"max-backlog", SettingKind::kInteger, 1, 1'000'000, true,
          "jobs waiting for a worker, all clients together, before ERR busy", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_backlog = static_cast<std::size_t>(n); },
          [](const Config& c) { return std::to_string(c.max_backlog); }},
  Setting{"max-wait", SettingKind::kSeconds, 0, kYearMs, true,
          "refuse a job whose estimated wait for a worker exceeds this many seconds with "
          "ERR busy retry_after=S (S: its estimated start); 0 = off", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_wait = milliseconds(n); },
          [](const Config& c) { return setting_text::Seconds(c.max_wait); }},
  Setting{"quarantine-period", SettingKind::kSeconds, 1, kYearMs, true,
          "seconds a request whose job killed two workers is answered ERR worker_crashed at once, "
          "without starting a worker; SIGHUP applies it to the inputs held already", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.quarantine_period = milliseconds(n); },
          [](const Config& c) { return setting_text::Seconds(c.quarantine_period); }},
  Setting{"max-inflight-per-connection", SettingKind::kInteger, 1, 1'000'000, false,
          "unanswered requests per connection before the server stops reading it", "", "",
          [](Config& c, std::int64_t n, const std::string&) {
            c.max_inflight_per_connection = static_cast<std::size_t>(n);
          },
          [](const Config& c) { return std::to_string(c.max_inflight_per_connection); }},
  Setting{"max-output-per-connection", SettingKind::kInteger, 1024, 1LL << 40, false,
          "bytes of answers held for one connection before the server stops reading it", "", "",
          [](Config& c, std::int64_t n, const std::string&) {
            c.max_output_per_connection = static_cast<std::uint64_t>(n);
          },
          [](const Config& c) { return std::to_string(c.max_output_per_connection); }},
  Setting{"max-connections", SettingKind::kInteger, 1, 1'000'000, false,
          "open client connections; past it a new one gets ERR busy and is closed, unless an idle "
          "one of the address holding the most makes room for it", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_connections = static_cast<std::size_t>(n); },
          [](const Config& c) { return std::to_string(c.max_connections); }},
  Setting{"max-connections-per-client", SettingKind::kInteger, 0, 1'000'000, false,
          "open client connections from one address (the PROXY header's with proxy-protocol); "
          "past it a new one gets ERR busy and is closed",
          "0 (a quarter of max-connections, rounded up) to 1000000",
          "a quarter of max-connections, rounded up",
          [](Config& c, std::int64_t n, const std::string&) {
            c.max_connections_per_client = static_cast<std::size_t>(n);
          },
          [](const Config& c) { return std::to_string(c.max_connections_per_client); }},
  Setting{"idle-timeout", SettingKind::kSeconds, 1, kYearMs, false,
          "seconds a connection with nothing pending may stay silent before it is closed", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.idle_timeout = milliseconds(n); },
          [](const Config& c) { return setting_text::Seconds(c.idle_timeout); }},
  Setting{"proxy-protocol", SettingKind::kBool, 0, 0, false,
          "every line-protocol connection must begin with a PROXY protocol header (v1 or v2), "
          "whose source address is the client's; one without it gets ERR and is closed",
          "true, false, on, off, yes, no, 1 or 0", "",
          [](Config& c, std::int64_t n, const std::string&) { c.proxy_protocol = n != 0; },
          [](const Config& c) { return std::string(c.proxy_protocol ? "true" : "false"); }},
  Setting{"metrics-port", SettingKind::kInteger, -1, 65535, false,
          "serve Prometheus /metrics and /healthz over HTTP on this port; 0 picks one",
          "-1 (off) or 0 to 65535", "",
          [](Config& c, std::int64_t n, const std::string&) { c.metrics_port = static_cast<int>(n); },
          [](const Config& c) { return std::to_string(c.metrics_port); }},
  Setting{"agent-port", SettingKind::kInteger, -1, 65535, false,
          "answer HAProxy's agent check on this port: up with a weight from the queued work, "
          "or drain; 0 picks one",
          "-1 (off) or 0 to 65535", "",
          [](Config& c, std::int64_t n, const std::string&) { c.agent_port = static_cast<int>(n); },
          [](const Config& c) { return std::to_string(c.agent_port); }},
  // The same address as host unless set: a container listens on 0.0.0.0 and
  // publishes the metrics port (deploy/), and Prometheus scrapes it there.
  Setting{"metrics-host", SettingKind::kHost, 0, 0, false,
          "listen address of the metrics port (status page, /stats.json, /metrics) and the agent "
          "port; resolved like host",
          "an IP address or a host name", "the value of host",
          [](Config& c, std::int64_t resolved, const std::string& t) {
            (resolved ? c.metrics_host : c.metrics_host_setting) = t;
          },
          [](const Config& c) {
            return c.metrics_host_setting.empty() ? c.host_setting : c.metrics_host_setting;
          }},
  // On by default: clients, scripts and the load tests read `stats` on the
  // line port; an operator who exposes that port to strangers turns it off.
  Setting{"line-stats", SettingKind::kBool, 0, 0, false,
          "answer `stats` on the line-protocol port; off: ERR bad_request there, and the figures "
          "only on the metrics port's /stats.json",
          "true, false, on, off, yes, no, 1 or 0", "",
          [](Config& c, std::int64_t n, const std::string&) { c.line_stats = n != 0; },
          [](const Config& c) { return std::string(c.line_stats ? "true" : "false"); }},
  Setting{"access-log", SettingKind::kShare, 0, 1'000'000, false,
          "log one info line per answered request (client, request, outcome, bytes, time); "
          "a fraction logs that share of them, evenly spread",
          "off, on, or a fraction 0 to 1 (0.01: one request in a hundred)", "",
          [](Config& c, std::int64_t n, const std::string&) { c.access_log = static_cast<double>(n) / 1e6; },
          [](const Config& c) { return setting_text::ShareText(c.access_log); }},
  Setting{"supervisor-spin-us", SettingKind::kInteger, 0, 10'000, false,
          "microseconds a supervisor thread keeps looking for events before it sleeps", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.supervisor_spin = std::chrono::microseconds(n); },
          [](const Config& c) { return std::to_string(c.supervisor_spin.count()); }},
  Setting{"worker-spin-us", SettingKind::kInteger, 0, 10'000, false,
          "microseconds an idle worker spins before sleeping", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.worker_spin = std::chrono::microseconds(n); },
          [](const Config& c) { return std::to_string(c.worker_spin.count()); }},
  Setting{"max-jobs-per-worker", SettingKind::kInteger, 0, 1'000'000'000'000, false,
          "replace a worker after this many jobs; 0 = never", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_jobs_per_worker = static_cast<std::uint64_t>(n); },
          [](const Config& c) { return std::to_string(c.max_jobs_per_worker); }},
  Setting{"max-worker-memory", SettingKind::kInteger, 0, 1 << 20, false,
          "MiB a worker may use: larger jobs fail up front, a worker left above it is replaced; "
          "0 = no limit", "", "",
          [](Config& c, std::int64_t n, const std::string&) { c.max_worker_memory_mb = static_cast<std::uint64_t>(n); },
          [](const Config& c) { return std::to_string(c.max_worker_memory_mb); }},
  Setting{"worker-path", SettingKind::kText, 0, 0, false,
          "fibpool-worker executable", "a path", "fibpool-worker beside fibpool",
          [](Config& c, std::int64_t, const std::string& t) { c.worker_path = t; },
          [](const Config& c) { return c.worker_path; }},
};
// clang-format on

}  // namespace

std::span<const Setting> Settings() { return kSettings; }

std::string SettingName(std::string_view name) {
  std::string out = setting_text::Lower(name);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::string FileName(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

const Setting* FindSetting(std::string_view name) {
  const std::string wanted = SettingName(name);
  for (const Setting& s : kSettings) {
    if (s.name == wanted) return &s;
  }
  return nullptr;
}

std::string RangeText(const Setting& s) {
  if (!s.range_text.empty()) return std::string(s.range_text);
  if (s.kind == SettingKind::kSeconds) {
    return setting_text::Seconds(milliseconds(s.min)) + " to " +
           setting_text::Seconds(milliseconds(s.max)) + " seconds";
  }
  return std::to_string(s.min) + " to " + std::to_string(s.max);
}

std::string DefaultText(const Setting& s) {
  if (!s.default_text.empty()) return std::string(s.default_text);
  return s.show(Config{});
}

std::optional<std::string> Assign(const Setting& s, std::string_view raw, Config& config,
                                  HostLookup lookup) {
  const std::string_view text = setting_text::Trim(raw);
  const auto wrong = [&] {
    return FileName(s.name) + " must be " + RangeText(s) + ", got '" + std::string(raw) + "'";
  };
  switch (s.kind) {
    case SettingKind::kInteger:
    case SettingKind::kSeconds: {
      const auto n = s.kind == SettingKind::kInteger ? setting_text::Integer(text)
                                                     : setting_text::Milliseconds(text);
      if (!n || *n < s.min || *n > s.max) return wrong();
      s.store(config, *n, {});
      return std::nullopt;
    }
    case SettingKind::kText:
      s.store(config, 0, std::string(text));
      return std::nullopt;
    case SettingKind::kHost: {
      std::string why = "empty";
      std::optional<std::string> address;
      if (!text.empty()) {
        address = lookup == HostLookup::kSkip ? std::string(text)
                                              : setting_text::Resolve(std::string(text), &why);
      }
      if (!address) {
        return FileName(s.name) + " must be an IP address or a host name that resolves, got '" +
               std::string(raw) + "' (" + why + ")";
      }
      // Twice: the setting as given (number 0), then the address it names
      // (number 1), unresolved when `lookup` skips it.
      s.store(config, 0, std::string(text));
      s.store(config, 1, *address);
      return std::nullopt;
    }
    case SettingKind::kAlgorithm:
      if (!ipc::ParseAlgorithm(setting_text::Lower(text))) return wrong();
      s.store(config, 0, setting_text::Lower(text));
      return std::nullopt;
    case SettingKind::kLogLevel: {
      const auto level = setting_text::ParseLogLevel(text);
      if (!level) return wrong();
      s.store(config, 0, *level);
      return std::nullopt;
    }
    case SettingKind::kBool: {
      const auto value = setting_text::Boolean(text);
      if (!value) return wrong();
      s.store(config, *value, {});
      return std::nullopt;
    }
    case SettingKind::kShare: {
      const auto value = setting_text::Millionths(text);
      if (!value) return wrong();
      s.store(config, *value, {});
      return std::nullopt;
    }
  }
  return wrong();
}

const Setting* ClosestSetting(std::string_view name) {
  const std::string wanted = SettingName(name);
  const Setting* best = nullptr;
  std::size_t best_distance = 0;
  for (const Setting& s : kSettings) {
    const std::size_t d = setting_text::EditDistance(wanted, s.name);
    if (!best || d < best_distance) {
      best = &s;
      best_distance = d;
    }
  }
  const std::size_t tolerated = std::max<std::size_t>(2, wanted.size() / 3);
  return best_distance <= tolerated ? best : nullptr;
}

}  // namespace fibpool::supervisor
