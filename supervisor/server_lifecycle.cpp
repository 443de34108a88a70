// Server's lifecycle after start: signals (drain, reload, binary upgrade,
// ignored ones), the drain and the exit once everything is answered. Part of
// server.h's Server, on the pool thread like the rest of it.
#include "supervisor/server.h"

#include <spdlog/spdlog.h>

#include "supervisor/config/reload_summary.h"
#include "supervisor/pool/worker_executable.h"
#include "supervisor/signal_policy.h"

namespace fibpool::supervisor {

using boost::system::error_code;

void Server::WaitForSignal() {
  signals_.async_wait([this](const error_code& ec, int signo) {
    if (ec) return;
    const SignalAction action = ActionFor(signo);
    if (action == SignalAction::kDrain && !ready_) {
      // Nothing is served yet: stop at once (the pool's destructor ends the
      // workers and removes the shared memory).
      spdlog::info("event=stopped_during_startup signal={}", SignalName(signo));
      startup_timer_.cancel();
      io_.stop();
      return;
    }
    if (action == SignalAction::kReload) {
      Reload();
    } else if (action == SignalAction::kUpgrade) {
      StartUpgrade();
    } else if (action == SignalAction::kIgnore) {
      spdlog::warn("event=signal_ignored signal={} why=\"{}\"", SignalName(signo),
                   WhyIgnored(signo));
    } else if (!draining_) {
      spdlog::info("event=drain signal={}", SignalName(signo));
      BeginDrain();
    }
    if (!pool_stopped_) WaitForSignal();
  });
}

void Server::BeginDrain() {
  draining_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  DrainAfterLastAccepted();
}

void Server::DrainAfterLastAccepted() {
  // Always through the timer, even when no connection is that young: an
  // accept completed before the close is handled first.
  handover_timer_.expires_at(
      std::max(std::chrono::steady_clock::now(), last_accepted_ + kDrainGrace));
  handover_timer_.async_wait([this](const error_code& ec) {
    if (ec || connections_draining_) return;
    if (std::chrono::steady_clock::now() < last_accepted_ + kDrainGrace) {
      return DrainAfterLastAccepted();  // one was accepted in between
    }
    Drain();
  });
}

void Server::Drain() {
  draining_ = true;
  connections_draining_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  if (io_threads_.empty()) {
    StopPool();
    connections_.DrainAll();
  } else {
    // The pool stops once every thread's connections have drained: the jobs
    // of requests they read before reach the pool first.
    drains_pending_ = static_cast<unsigned>(io_threads_.size());
    for (const auto& t : io_threads_) {
      t->Drain([this] {
        if (--drains_pending_ == 0) StopPool();
      });
    }
  }
  MaybeExit();
}

void Server::StopPool() {
  pool_->Stop([this] {
    pool_stopped_ = true;
    MaybeExit();
  });
}

void Server::Reload() {
  if (config_.config_file.empty()) {
    spdlog::info(
        "event=reload_skipped why=\"no config file to re-read: start with --config or "
        "FIBPOOL_CONFIG\"");
    return;
  }
  try {
    // No lookup of `host` (it needs a restart): none may block this thread.
    const ConfigOutcome outcome = LoadConfig(args_, env_, HostLookup::kSkip);
    const Config& next = outcome.config;
    // The next start would fail on it: refused now, while the running one works.
    if (const auto problem = WorkerExecutableProblem(PoolOptionsFrom(next).worker_path)) {
      throw ConfigError(*problem);
    }
    spdlog::info("event=reload {}", ReloadSummary(config_, outcome));
    if (draining_) return;
    pool_->Resize(next.workers);
    pool_->SetJobTimeout(next.job_timeout);
    pool_->SetMaxBacklog(next.max_backlog);
    pool_->SetMaxWait(next.max_wait);
    pool_->SetQuarantinePeriod(next.quarantine_period);
    spdlog::set_level(spdlog::level::from_str(next.log_level));
    config_.workers = next.workers;
    config_.job_timeout = next.job_timeout;
    config_.max_backlog = next.max_backlog;
    config_.max_wait = next.max_wait;
    config_.quarantine_period = next.quarantine_period;
    config_.log_level = next.log_level;
  } catch (const std::exception& e) {
    spdlog::error("event=reload_failed why=\"{}\"", e.what());
  }
}

void Server::StartUpgrade() {
  if (!ready_ || draining_) {
    spdlog::warn("event=upgrade_skipped why=\"{}\"", draining_ ? "draining" : "not ready yet");
    return;
  }
  std::vector<HandedListener> listeners{{acceptor_.native_handle(), std::string(kLineSocketName)}};
  if (metrics_server_) {
    listeners.push_back({metrics_server_->native_handle(), std::string(kMetricsSocketName)});
  }
  if (agent_server_) {
    listeners.push_back({agent_server_->native_handle(), std::string(kAgentSocketName)});
  }
  upgrade_->Start(std::move(listeners), [this](pid_t new_pid) {
    if (draining_) return;
    // The new process accepts from now on. A connection this one accepted
    // last may not have sent its first request yet: it is served as usual
    // for kHandoverGrace more, so that such a request is answered rather
    // than cut off by the drain.
    if (agent_server_) agent_server_->StopAccepting();
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    handover_timer_.expires_after(kHandoverGrace);
    handover_timer_.async_wait([this, new_pid](const error_code& ec) {
      if (ec || connections_draining_) return;
      spdlog::info("event=drain signal=SIGUSR2 new_pid={}", new_pid);
      Drain();
    });
  });
}

void Server::MaybeExit() {
  if (!draining_ || !pool_stopped_ || !connections_.empty()) return;
  for (const auto& t : io_threads_) {
    if (t->live() > 0) return;
  }
  signals_.cancel();
  // The metrics port answers (/healthz 503) until here: scraped to the end.
  if (metrics_server_) metrics_server_->Stop();
  spdlog::info("event=stopped");
  io_.stop();
}

}  // namespace fibpool::supervisor
