#include "supervisor/server.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <boost/asio/write.hpp>

#include "supervisor/agent_answer.h"
#include "supervisor/process_stat.h"
#include "supervisor/prometheus_report.h"
#include "supervisor/reload_summary.h"
#include "supervisor/stats_report.h"
#include "supervisor/tcp_listen.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// "cannot listen for LISTENER on HOST:PORT: WHY", for start-up failures.
std::string ListenError(std::string_view listener, const std::string& host, std::uint16_t port,
                        const error_code& ec) {
  return "cannot listen for " + std::string(listener) + " on " + host + ":" + std::to_string(port) +
         ": " + ec.message();
}

// Binds and listens on host:port, or throws std::runtime_error naming the
// listener and the address (no library source locations).
void Listen(asio::ip::tcp::acceptor& acceptor, const std::string& host, std::uint16_t port) {
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error(ListenError("the line protocol", host, port, ec));
  const asio::ip::tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(ListenError("the line protocol", host, port, ec));
}

// Many clients need many descriptors: take what the hard limit allows.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

Server::Server(Config config, std::vector<std::string> args, Environment env,
               InheritedSockets inherited)
    : config_(std::move(config)),
      args_(std::move(args)),
      env_(std::move(env)),
      acceptor_(io_),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      accept_retry_(io_),
      startup_timer_(io_),
      connections_(&metrics_, [this] { MaybeExit(); }),
      started_(std::chrono::steady_clock::now()) {
  RaiseOpenFileLimit();
  signals_.add(SIGUSR2);
  {
    // The path this process was started from, read now: a package upgrade
    // replaces the file, and SIGUSR2 starts what is there then.
    const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe");
    std::vector<std::string> argv{program.string()};
    argv.insert(argv.end(), args_.begin(), args_.end());
    upgrade_ = std::make_unique<BinaryUpgrade>(io_, program, std::move(argv));
  }
  if (os::UniqueFd line = inherited.Take(ListenerRole::kLine); line.valid()) {
    try {
      ListenOrAdopt(acceptor_, std::move(line), config_.host, config_.port);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen for the line protocol on the socket handed over: " +
                               e.code().message());
    }
  } else {
    Listen(acceptor_, config_.host, config_.port);
  }
  for (const std::string& name : inherited.unused()) {
    spdlog::warn("event=socket_unused name=\"{}\" why=\"no listener takes this name\"", name);
  }
  ready_fd_ = inherited.TakeReadyFd();

  const PoolOptions pool_options = PoolOptionsFrom(config_);
  if (::access(pool_options.worker_path.c_str(), X_OK) != 0) {
    throw std::runtime_error("worker executable not found: " + pool_options.worker_path.string());
  }
  pool_ = std::make_unique<WorkerPool>(io_, pool_options, &metrics_);

  connection_env_.limits = ParserLimits{config_.algorithm, config_.max_n, ipc::kMaxRecursiveN};
  connection_env_.max_line = config_.max_line;
  connection_env_.max_inflight = config_.max_inflight_per_connection;
  connection_env_.max_output_bytes = config_.max_output_per_connection;
  connection_env_.idle_timeout = config_.idle_timeout;
  connection_env_.proxy_protocol = config_.proxy_protocol;
  connection_env_.executor = pool_.get();
  connection_env_.metrics = &metrics_;
  process_ = [this, start_time = ProcessStartTimeSeconds()] {
    return ProcessInfo{FIBPOOL_VERSION, start_time, std::chrono::steady_clock::now() - started_,
                       metrics_server_ ? metrics_server_->port() : -1, ::getpid()};
  };
  connection_env_.stats = [this] { return StatsText(); };
  os::UniqueFd metrics_fd = inherited.Take(ListenerRole::kMetrics);
  if (config_.metrics_port >= 0 || metrics_fd.valid()) {
    const auto port = static_cast<std::uint16_t>(std::max(config_.metrics_port, 0));
    try {
      metrics_server_ = std::make_unique<MetricsServer>(
          io_, config_.host, port,
          HttpEndpoints{[this] { return PrometheusText(pool_->Snapshot(), metrics_, process_()); },
                        connection_env_.stats,
                        [this] { return !draining_ && !pool_->Snapshot().workers.empty(); }},
          std::move(metrics_fd));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(ListenError("metrics (HTTP)", config_.host, port, e.code()));
    }
    connection_env_.metrics_port = metrics_server_->port();
  }
  os::UniqueFd agent_fd = inherited.Take(ListenerRole::kAgent);
  if (config_.agent_port >= 0 || agent_fd.valid()) {
    const auto port = static_cast<std::uint16_t>(std::max(config_.agent_port, 0));
    try {
      agent_server_ = std::make_unique<AgentServer>(
          io_, config_.host, port,
          [this] {
            return AgentAnswer(
                AgentState{draining_, pool_->ready_workers(), pool_->pending_cost_ns()});
          },
          std::move(agent_fd));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(ListenError("the agent check", config_.host, port, e.code()));
    }
  }
  connection_env_.idle_close_log = &idle_close_log_;
  connection_env_.line_too_long_log = &line_too_long_log_;
  connection_env_.proxy_refused_log = &proxy_refused_log_;
  connection_env_.manager = &connections_;
  if (config_.io_threads > 1) {
    connection_env_.stats_executor = io_.get_executor();
    for (unsigned i = 0; i < config_.io_threads; ++i) {
      io_threads_.push_back(std::make_unique<IoThread>(
          connection_env_, pool_.get(), io_.get_executor(), [this] { MaybeExit(); }));
    }
  }
}

std::string Server::StatsText() const {
  return StatsJson(pool_->Snapshot(), metrics_, config_, process_());
}

Server::~Server() = default;

int Server::Run() {
  std::string failure;
  // A worker that never reports ready (a wrong --worker-path, a binary that
  // hangs) fails the start-up instead of hanging it.
  startup_timer_.expires_after(kStartupTimeout);
  startup_timer_.async_wait([this, &failure](const error_code& ec) {
    if (ec || ready_) return;
    failure = "the workers did not report ready within " + std::to_string(kStartupTimeout.count()) +
              " s (worker executable " + PoolOptionsFrom(config_).worker_path.string() +
              "; is it fibpool-worker, and does it start?)";
    io_.stop();
  });
  pool_->Start(
      [this] {
        ready_ = true;
        startup_timer_.cancel();
        const auto bound = acceptor_.local_endpoint();
        spdlog::info(
            "event=ready version={} config={} address={}:{} workers={} segment={} "
            "metrics_port={} agent_port={} proxy_protocol={} io_threads={}",
            FIBPOOL_VERSION, config_.config_file.empty() ? "none" : config_.config_file,
            bound.address().to_string(), bound.port(), config_.workers, pool_->segment_name(),
            metrics_server_ ? metrics_server_->port() : -1,
            agent_server_ ? agent_server_->port() : -1, config_.proxy_protocol, config_.io_threads);
        std::printf("fibpool listening on %s:%u workers=%u\n", bound.address().to_string().c_str(),
                    static_cast<unsigned>(bound.port()), config_.workers);
        std::fflush(stdout);
        if (const error_code ec = ReportReady(std::move(ready_fd_))) {
          spdlog::warn("event=upgrade_ready_not_reported why=\"{}\"", ec.message());
        }
        if (metrics_server_) metrics_server_->Start();
        if (agent_server_) agent_server_->Start();
        Accept();
      },
      [this, &failure](std::string why) {
        startup_timer_.cancel();
        failure = std::move(why);
        io_.stop();
      });
  WaitForSignal();
  io_.run();
  if (!failure.empty()) throw std::runtime_error(failure);
  return exit_code_;
}

void Server::Accept() {
  // The I/O thread with the fewest connections owns the next one; with none,
  // the pool's thread does.
  IoThread* owner = nullptr;
  for (const auto& t : io_threads_) {
    if (!owner || t->live() < owner->live()) owner = t.get();
  }
  const asio::any_io_executor executor =
      owner ? owner->context().get_executor() : asio::any_io_executor(io_.get_executor());
  acceptor_.async_accept(
      executor, [this, owner](const error_code& ec, asio::ip::tcp::socket socket) {
        if (draining_) return;
        if (ec) {
          // Out of descriptors, usually: back off instead of spinning.
          spdlog::warn("event=accept_failed error=\"{}\"", ec.message());
          accept_retry_.expires_after(std::chrono::milliseconds(100));
          accept_retry_.async_wait([this](const error_code& e) {
            if (!e && !draining_) Accept();
          });
          return;
        }
        if (!connections_.HasRoom(config_.max_connections)) {
          Refuse(std::move(socket));
          Accept();
          return;
        }
        if (owner) {
          owner->Adopt(std::move(socket));
        } else {
          connections_.Start(std::make_shared<Connection>(std::move(socket), connection_env_));
        }
        Accept();
      });
}

void Server::Refuse(asio::ip::tcp::socket socket) {
  ++metrics_.connections_refused;
  std::uint64_t suppressed = 0;
  if (refused_log_.Admit(std::chrono::steady_clock::now(), &suppressed)) {
    spdlog::info("event=connection_refused reason=max_connections max_connections={} suppressed={}",
                 config_.max_connections, suppressed);
  }
  auto s = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
  static const std::string kLine =
      ErrorLine(AnswerError::kBusy, "too many connections; try again later");
  asio::async_write(*s, asio::buffer(kLine), [s](const error_code&, std::size_t) {
    error_code ignored;
    s->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  });
}

void Server::WaitForSignal() {
  signals_.async_wait([this](const error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGUSR2) {
      StartUpgrade();
      WaitForSignal();
      return;
    }
    if (signo != SIGHUP && !ready_) {
      // Nothing is served yet: stop at once (the pool's destructor ends the
      // workers and removes the shared memory).
      spdlog::info("event=stopped_during_startup signal={}",
                   signo == SIGTERM ? "SIGTERM" : "SIGINT");
      startup_timer_.cancel();
      io_.stop();
      return;
    }
    if (signo == SIGHUP) {
      Reload();
    } else if (!draining_) {
      spdlog::info("event=drain signal={}", signo == SIGTERM ? "SIGTERM" : "SIGINT");
      Drain();
    }
    if (!pool_stopped_) WaitForSignal();
  });
}

void Server::Drain() {
  draining_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  if (metrics_server_) metrics_server_->Stop();
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
    const ConfigOutcome outcome = LoadConfig(args_, env_);
    const Config& next = outcome.config;
    spdlog::info("event=reload {}", ReloadSummary(config_, outcome));
    if (draining_) return;
    pool_->Resize(next.workers);
    pool_->SetJobTimeout(next.job_timeout);
    pool_->SetMaxBacklog(next.max_backlog);
    pool_->SetMaxWait(next.max_wait);
    spdlog::set_level(spdlog::level::from_str(next.log_level));
    config_.workers = next.workers;
    config_.job_timeout = next.job_timeout;
    config_.max_backlog = next.max_backlog;
    config_.max_wait = next.max_wait;
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
    spdlog::info("event=drain signal=SIGUSR2 new_pid={}", new_pid);
    if (agent_server_) agent_server_->StopAccepting();
    Drain();
  });
}

void Server::MaybeExit() {
  if (!draining_ || !pool_stopped_ || !connections_.empty()) return;
  for (const auto& t : io_threads_) {
    if (t->live() > 0) return;
  }
  signals_.cancel();
  spdlog::info("event=stopped");
  io_.stop();
}

}  // namespace fibpool::supervisor
