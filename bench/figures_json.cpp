#include "bench/figures_json.h"

#include "bench/report_table.h"

namespace fibpool::bench {

namespace {

boost::json::object PercentileJson(const LatencySamples::Percentile& p) {
  return {{"us", JsonNumber(p.us)}, {"lower_bound", p.lower_bound}};
}

boost::json::value OptionalNumber(const std::optional<double>& v) {
  return v ? JsonNumber(*v) : nullptr;
}

boost::json::object Perf2PhaseJson(const Perf2Phase& p) {
  return {{"counts", boost::json::array(p.counts.begin(), p.counts.end())},
          {"median", OptionalNumber(p.median)},
          {"error", p.error}};
}

}  // namespace

boost::json::object FiguresJson(const Figures& f) {
  const auto s = f.latency.Summarize();
  boost::json::object o;
  o["label"] = f.label;
  o["requests_per_second"] = JsonNumber(f.rate());
  o["window_seconds"] = JsonNumber(f.window_seconds);
  o["sent"] = f.sent;
  o["answered"] = f.answered;
  o["answered_in_window"] = f.answered_in_window;
  o["wrong"] = f.wrong;
  o["unanswered"] = f.unanswered;
  o["latency"] = {{"samples", s.count},
                  {"censored", s.censored},
                  {"mean_us", JsonNumber(s.mean_us)},
                  {"min_us", JsonNumber(s.min_us)},
                  {"p50", PercentileJson(s.p50)},
                  {"p90", PercentileJson(s.p90)},
                  {"p99", PercentileJson(s.p99)},
                  {"max", PercentileJson(s.max)}};
  boost::json::array per_slice;
  for (const double v : f.per_slice) per_slice.push_back(JsonNumber(v));
  o["per_slice"] = std::move(per_slice);
  if (!f.timeline.empty()) {
    o["timeline_bucket_ms"] = JsonNumber(f.timeline_bucket_ms);
    o["timeline"] = boost::json::array(f.timeline.begin(), f.timeline.end());
  }
  o["cpu_seconds"] = {{"known", f.cpu_known},
                      {"client", JsonNumber(f.client_cpu_seconds)},
                      {"server", JsonNumber(f.server_cpu_seconds)},
                      {"workers", JsonNumber(f.worker_cpu_seconds)},
                      {"server_waiting_for_cpu", JsonNumber(f.server_wait_seconds)},
                      {"workers_waiting_for_cpu", JsonNumber(f.worker_wait_seconds)},
                      {"server_scheduled_in", f.server_wakeups},
                      {"workers_scheduled_in", f.worker_wakeups}};
  o["first_error"] = f.first_error;
  return o;
}

const char* BigAnswerName(ArticlesFigures::BigAnswer answer) {
  switch (answer) {
    case ArticlesFigures::BigAnswer::kRight:
      return "right";
    case ArticlesFigures::BigAnswer::kWrong:
      return "wrong";
    case ArticlesFigures::BigAnswer::kNotAwaited:
      return "not awaited";
    case ArticlesFigures::BigAnswer::kNotSent:
      break;
  }
  return "not sent";
}

boost::json::object ArticlesFiguresJson(const ArticlesFigures& a) {
  return {{"label", a.label},
          {"ran", a.ran},
          {"perf2_alone", Perf2PhaseJson(a.alone)},
          {"perf2_during_big_job", Perf2PhaseJson(a.during_big_job)},
          {"perf2_beside_perf1", Perf2PhaseJson(a.beside_perf1)},
          {"during_big_job_over_alone", OptionalNumber(a.OverAlone(a.during_big_job))},
          {"beside_perf1_over_alone", OptionalNumber(a.OverAlone(a.beside_perf1))},
          {"big_job",
           {{"request", a.big_job},
            {"answer", BigAnswerName(a.big_answer)},
            {"seconds", JsonNumber(a.big_seconds)},
            {"error", a.big_error}}}};
}

}  // namespace fibpool::bench
