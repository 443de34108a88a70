#include "bench/soak_report.h"

#include <cstdio>
#include <sstream>

#include <boost/json.hpp>

#include "bench/figure_text.h"

namespace fibpool::bench {

namespace {

std::string Events(const KindCounts& c) {
  std::string s;
  for (const auto& [name, n] : c.events)
    s += (s.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return s;
}

void CountsRow(std::ostringstream& o, const std::string& kind, const KindCounts& c) {
  o << "| " << kind << " | " << c.requests << " | " << c.right << " | " << c.crashed << " | "
    << c.busy << " | " << c.wrong << " | " << c.lost << " | " << Events(c) << " |\n";
}

boost::json::object CountsJson(const KindCounts& c) {
  boost::json::object events;
  for (const auto& [name, n] : c.events) events[name] = n;
  return {
      {"requests", c.requests}, {"right", c.right}, {"worker_crashed", c.crashed}, {"busy", c.busy},
      {"wrong", c.wrong},       {"lost", c.lost},   {"events", std::move(events)}};
}

// Workers as the series shows them: "2+1" (main lane + reserve), "?" unknown.
std::string Workers(const SoakSample& s) {
  if (s.workers < 0) return "?";
  return std::to_string(s.workers) + "+" + std::to_string(s.reserve_workers);
}

}  // namespace

std::string SoakMarkdown(const SoakResult& r, const SoakReportContext& context) {
  std::ostringstream o;
  o << "# fibpool soak\n\n";
  o << "Command: `" << context.command << "`\n\n";
  for (const auto& c : context.conditions) o << "- " << c << "\n";
  o << "- fibpool: `" << r.fibpool_command << "` (" << r.ready_line << ")\n";
  if (!r.failure.empty()) {
    o << "\n**Not run: " << r.failure << "**\n";
    return o.str();
  }
  o << "- load: " << Fixed(r.load_seconds, 0) << " s (" << context.duration_s
    << " s of sending, then each client's last answer); " << r.kills << " workers SIGKILLed, "
    << r.resizes.size() << " resizes by SIGHUP (workers";
  for (std::size_t i = 0; i < r.resizes.size() && i < 12; ++i) o << " " << r.resizes[i].workers;
  o << (r.resizes.size() > 12 ? " ..." : "") << "), " << r.workers_seen
    << " distinct worker processes seen\n";

  o << "\n## Answers\n\n"
       "Every answer checked: the exact F(N) (F(10^7) and F(10^8) by length and FNV-1a hash "
       "of all their digits), or the exact error line. `worker_crashed` and `busy` are the "
       "errors the rules allow a job (its retry died too; the backlog was full): counted, "
       "never wrong. Wrong: any other answer, or one out of order. Lost: no answer by the "
       "deadline, or the connection closed under the request.\n\n"
       "| client | requests | right | worker_crashed | busy | wrong | lost | events |\n"
       "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
  for (const auto& [kind, c] : r.counts) CountsRow(o, kind, c);
  CountsRow(o, "**all**", r.total);
  for (const auto& p : r.problems) o << "\n- " << p;
  if (!r.problems.empty()) o << "\n";

  o << "\n## Drift\n\n| check | before | after | limit | verdict |\n| --- | --- | --- | --- | --- "
       "|\n";
  for (const DriftCheck& c : r.drift.checks) {
    o << "| " << c.what << " | " << c.before << " | " << c.after << " | " << c.limit << " | "
      << (c.ok ? "ok" : "**FAIL**") << " |\n";
  }
  o << "\nVmRSS (median, with the big answers mapped at the time): " << Mib(r.drift.rss_warm)
    << " after the warm-up, " << Mib(r.drift.rss_end) << " at the end of the load.\n";

  o << "\n## Over time\n\nOne row per tenth of the run (the JSON has every second).\n\n"
       "| t (s) | VmRSS | RssAnon | fds | /dev/shm | workers (+reserve) | tiny p99 (ms) | "
       "answers/s | kills | resizes |\n"
       "| ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: |\n";
  const std::size_t step = std::max<std::size_t>(1, r.samples.size() / 10);
  for (std::size_t i = 0; i < r.samples.size(); ++i) {
    if (i % step != 0 && i + 1 != r.samples.size()) continue;
    const SoakSample& s = r.samples[i];
    o << "| " << Fixed(s.t_s, 0) << (s.load ? "" : " (rest)") << " | "
      << Mib(static_cast<double>(s.rss_bytes)) << " | "
      << Mib(static_cast<double>(s.rss_anon_bytes)) << " | " << s.fds << " | "
      << Mib(static_cast<double>(s.shm_bytes)) << " | " << Workers(s) << " | "
      << Fixed(s.tiny_p99_us / 1000, 1) << " | " << s.answers << " | " << s.kills << " | "
      << s.resizes << " |\n";
  }
  o << "\n**" << (r.ok() ? "PASS" : "FAIL") << "**: " << r.total.wrong << " wrong, " << r.total.lost
    << " lost, drift " << (r.drift.ok() ? "none" : "found") << ".\n";
  return o.str();
}

std::string SoakJson(const SoakResult& r, const SoakReportContext& context) {
  namespace json = boost::json;
  json::object root;
  root["scenario"] = "soak";
  root["command"] = context.command;
  json::array conditions;
  for (const auto& c : context.conditions) conditions.emplace_back(c);
  root["conditions"] = std::move(conditions);
  root["duration_s"] = context.duration_s;
  root["fibpool"] = r.fibpool_command;
  root["ready_line"] = r.ready_line;
  root["failure"] = r.failure;
  root["ok"] = r.ok();
  root["load_seconds"] = r.load_seconds;
  json::object answers;
  for (const auto& [kind, c] : r.counts) answers[kind] = CountsJson(c);
  root["answers"] = std::move(answers);
  root["total"] = CountsJson(r.total);
  json::array problems;
  for (const auto& p : r.problems) problems.emplace_back(p);
  root["problems"] = std::move(problems);
  root["kills"] = r.kills;
  json::array resizes;
  for (const auto& z : r.resizes)
    resizes.push_back(json::object{{"t_s", z.t_s}, {"workers", z.workers}});
  root["resizes"] = std::move(resizes);
  root["workers_seen"] = r.workers_seen;
  json::array checks;
  for (const DriftCheck& c : r.drift.checks) {
    checks.push_back(json::object{{"what", c.what},
                                  {"before", c.before},
                                  {"after", c.after},
                                  {"limit", c.limit},
                                  {"ok", c.ok}});
  }
  root["drift"] = json::object{{"ok", r.drift.ok()},
                               {"checks", std::move(checks)},
                               {"rss_warm_bytes", r.drift.rss_warm},
                               {"rss_end_bytes", r.drift.rss_end},
                               {"rss_anon_warm_bytes", r.drift.rss_anon_warm},
                               {"rss_anon_end_bytes", r.drift.rss_anon_end},
                               {"fd_tolerance", r.limits.fd_tolerance},
                               {"rss_tolerance_bytes", r.limits.rss_tolerance_bytes},
                               {"warmup_fraction", r.limits.warmup_fraction}};
  root["at_rest"] =
      json::object{{"before", json::object{{"fds", r.end.before.fds},
                                           {"shm_bytes", r.end.before.shm_bytes},
                                           {"shm_segments", r.end.before.shm_segments}}},
                   {"after", json::object{{"fds", r.end.after.fds},
                                          {"shm_bytes", r.end.after.shm_bytes},
                                          {"shm_segments", r.end.after.shm_segments}}},
                   {"segments_after_stop", r.end.segments_after_stop},
                   {"workers_after_stop", r.end.workers_after_stop},
                   {"exit_status", r.end.exit_status}};
  json::array series;
  for (const SoakSample& s : r.samples) {
    series.push_back(json::object{{"t_s", s.t_s},
                                  {"load", s.load},
                                  {"rss_bytes", s.rss_bytes},
                                  {"rss_anon_bytes", s.rss_anon_bytes},
                                  {"rss_shmem_bytes", s.rss_shmem_bytes},
                                  {"fds", s.fds},
                                  {"shm_bytes", s.shm_bytes},
                                  {"shm_segments", s.shm_segments},
                                  {"workers", s.workers},
                                  {"reserve_workers", s.reserve_workers},
                                  {"tiny_p99_us", s.tiny_p99_us},
                                  {"tiny_answers", s.tiny_answers},
                                  {"answers", s.answers},
                                  {"kills", s.kills},
                                  {"resizes", s.resizes}});
  }
  root["series"] = std::move(series);
  return json::serialize(root) + "\n";
}

}  // namespace fibpool::bench
