#include "supervisor/server.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "os/open_file_limit.h"
#include "supervisor/admin/agent_answer.h"
#include "supervisor/admin/prometheus_report.h"
#include "supervisor/admin/stats_report.h"
#include "supervisor/metrics/process_stat.h"
#include "supervisor/net/event_loop.h"
#include "supervisor/net/flow_key.h"
#include "supervisor/net/tcp_listen.h"
#include "supervisor/pool/worker_executable.h"
#include "supervisor/signal_policy.h"

namespace fibpool::supervisor {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// "cannot listen for LISTENER on HOST:PORT: WHY", for start-up failures.
std::string ListenError(std::string_view listener, const std::string& host, std::uint16_t port,
                        const error_code& ec) {
  return "cannot listen for " + std::string(listener) + " on " + AddressText(host, port) + ": " +
         ec.message();
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

// What a connection refused for want of room gets, before it is closed.
const std::string& TooManyConnectionsLine() {
  static const std::string kLine =
      ErrorLine(AnswerError::kBusy, BusyDetail(BusyReason::kConnections));
  return kLine;
}

// Many clients need many descriptors: take what the hard limit allows, and
// say so when even that is short of max_connections.
DescriptorBudget PlanOpenFiles(const Config& config) {
  const DescriptorBudget budget = PlanDescriptors(config, os::RaiseOpenFileLimit());
  if (budget.short_of_limit()) {
    spdlog::warn(
        "event=open_file_limit_short open_file_limit={} needed={} max_connections={} "
        "connections_limit={} action=\"serving at most {} connections, more get ERR busy; raise "
        "the hard limit (ulimit -Hn, LimitNOFILE=) to {} to serve max_connections\"",
        budget.open_file_limit, budget.needed, config.max_connections, budget.max_connections,
        budget.max_connections, budget.needed);
  }
  return budget;
}

}  // namespace

Server::Server(Config config, std::vector<std::string> args, Environment env,
               InheritedSockets inherited)
    : config_(std::move(config)),
      args_(std::move(args)),
      env_(std::move(env)),
      descriptors_(PlanOpenFiles(config_)),
      clients_({descriptors_.max_connections, config_.max_connections_per_client}, &metrics_),
      acceptor_(io_),
      signals_(io_),
      accept_retry_(io_),
      startup_timer_(io_),
      handover_timer_(io_),
      connections_(&metrics_, [this] { MaybeExit(); }),
      started_(std::chrono::steady_clock::now()) {
  for (const int signo : HandledSignals()) signals_.add(signo);
  clients_.SetLogSink(
      {[this](BusyReason reason, const std::string& peer) {
         asio::post(io_, [this, reason, peer] {
           std::uint64_t suppressed = 0;
           if (!refused_log_.Admit(&suppressed)) return;
           spdlog::info(
               "event=connection_refused reason={} peer={} max_connections={} "
               "max_connections_per_client={} suppressed={}",
               BusyReasonName(reason), peer, descriptors_.max_connections,
               config_.max_connections_per_client, suppressed);
         });
       },
       [this](const std::string& from, const std::string& for_peer) {
         asio::post(io_, [this, from, for_peer] {
           std::uint64_t suppressed = 0;
           if (!evicted_log_.Admit(&suppressed)) return;
           spdlog::info("event=connection_evicted from={} for={} max_connections={} suppressed={}",
                        from, for_peer, descriptors_.max_connections, suppressed);
         });
       }});
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
  // The spare descriptor's accept must never block the event loop.
  error_code non_blocking;
  acceptor_.native_non_blocking(true, non_blocking);

  const PoolOptions pool_options = PoolOptionsFrom(config_);
  if (const auto problem = WorkerExecutableProblem(pool_options.worker_path)) {
    throw ConfigError(*problem);
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
    return ProcessInfo{FIBPOOL_VERSION,
                       start_time,
                       std::chrono::steady_clock::now() - started_,
                       metrics_server_ ? metrics_server_->port() : -1,
                       agent_server_ ? agent_server_->port() : -1,
                       descriptors_.max_connections,
                       descriptors_.open_file_limit,
                       ProcessUsage{},
                       ::getpid(),
                       draining_};
  };
  connection_env_.stats = [this] { return StatsText(); };
  if (!config_.line_stats) {
    connection_env_.stats = [] {
      std::string line = ErrorLine(AnswerError::kBadRequest,
                                   "stats is disabled on this port; the metrics port serves "
                                   "/stats.json");
      line.pop_back();  // the connection adds the LF
      return line;
    };
  }
  os::UniqueFd metrics_fd = inherited.Take(ListenerRole::kMetrics);
  if (config_.metrics_port >= 0 || metrics_fd.valid()) {
    const auto port = static_cast<std::uint16_t>(std::max(config_.metrics_port, 0));
    try {
      metrics_server_ = std::make_unique<MetricsServer>(
          io_, MetricsHost(config_), port,
          HttpEndpoints{[this] {
                          ProcessInfo process = process_();
                          process.usage = ReadProcessUsage();
                          return PrometheusText(pool_->Snapshot(), metrics_, process);
                        },
                        [this] { return StatsText(); },
                        [this] { return CanServe(Serving()); },
                        {}},  // history_json: the MetricsServer's own
          [this] { return StatusFiguresOf(pool_->Snapshot(), metrics_, process_().uptime); },
          std::move(metrics_fd));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(ListenError("metrics (HTTP)", MetricsHost(config_), port, e.code()));
    }
    connection_env_.metrics_port = metrics_server_->port();
  }
  os::UniqueFd agent_fd = inherited.Take(ListenerRole::kAgent);
  if (config_.agent_port >= 0 || agent_fd.valid()) {
    const auto port = static_cast<std::uint16_t>(std::max(config_.agent_port, 0));
    try {
      agent_server_ = std::make_unique<AgentServer>(
          io_, MetricsHost(config_), port,
          [this] {
            return AgentAnswer(AgentState{Serving(), pool_->pending_cost_ns()});
          },
          std::move(agent_fd));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(
          ListenError("the agent check", MetricsHost(config_), port, e.code()));
    }
  }
  connection_env_.log = &connection_log_;
  connection_env_.manager = &connections_;
  if (config_.io_threads > 1) {
    connection_env_.stats_executor = io_.get_executor();
    for (unsigned i = 0; i < config_.io_threads; ++i) {
      io_threads_.push_back(std::make_unique<IoThread>(
          connection_env_, pool_.get(), io_.get_executor(), [this] { MaybeExit(); },
          config_.supervisor_spin));
    }
  }
}

ServingState Server::Serving() const { return {draining_, pool_->ready_workers()}; }

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
            "event=ready version={} config={} address={} workers={} segment={} "
            "metrics_port={} agent_port={} proxy_protocol={} io_threads={}",
            FIBPOOL_VERSION, config_.config_file.empty() ? "none" : config_.config_file,
            AddressText(bound.address().to_string(), bound.port()), config_.workers,
            pool_->segment_name(), metrics_server_ ? metrics_server_->port() : -1,
            agent_server_ ? agent_server_->port() : -1, config_.proxy_protocol, config_.io_threads);
        std::printf("fibpool listening on %s workers=%u\n",
                    AddressText(bound.address().to_string(), bound.port()).c_str(),
                    config_.workers);
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
  RunEventLoop(io_, config_.supervisor_spin);
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
        if (connections_draining_) return;
        // A socket accepted just before the acceptor was closed (a drain's
        // start) or handed over to a new process (binary upgrade) is still
        // served here.
        const bool accepting = acceptor_.is_open();
        if (ec) {
          if (accepting) AcceptFailed(ec);
          return;
        }
        last_accepted_ = std::chrono::steady_clock::now();
        // With proxy_protocol the client is named by its header, not the peer.
        const std::string peer = FlowKeyOf(socket);
        BusyReason refused{};
        std::optional<ClientSlot> slot =
            clients_.Admit(config_.proxy_protocol ? std::string() : peer, peer, &refused);
        if (!slot) {
          Refuse(std::move(socket), refused);
          if (accepting) Accept();
          return;
        }
        if (owner) {
          owner->Adopt(std::move(socket), peer, std::move(*slot));
        } else {
          connections_.Accept(connection_env_, std::move(socket), peer, std::move(*slot));
        }
        if (accepting) Accept();
      });
}

void Server::AcceptFailed(const error_code& ec) {
  // Out of descriptors: the connection waiting in the backlog gets `ERR busy`
  // through the spare descriptor, and the next accept follows at once.
  const bool no_descriptors =
      ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system;
  const bool refused =
      no_descriptors && spare_.RefuseOne(acceptor_.native_handle(), TooManyConnectionsLine()) ==
                            SpareDescriptor::Refusal::kRefused;
  if (refused) {
    ++metrics_.connections_refused;
    metrics_.CountBusy(BusyReason::kConnections);
  }
  std::uint64_t suppressed = 0;
  if (accept_failed_log_.Admit(&suppressed)) {
    spdlog::warn("event=accept_failed error=\"{}\" action={} suppressed={}", ec.message(),
                 refused ? "refused_busy" : "retry_in_100ms", suppressed);
  }
  if (refused) {
    Accept();
    return;
  }
  // Some other failure, or no spare to give up: back off instead of spinning.
  spare_.Reopen();
  accept_retry_.expires_after(std::chrono::milliseconds(100));
  accept_retry_.async_wait([this](const error_code& e) {
    if (!e && !draining_) Accept();
  });
}

void Server::Refuse(asio::ip::tcp::socket socket, BusyReason reason) {
  // Counted and logged by clients_.
  auto s = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
  auto line = std::make_shared<std::string>(ErrorLine(AnswerError::kBusy, BusyDetail(reason)));
  asio::async_write(*s, asio::buffer(*line), [s, line](const error_code&, std::size_t) {
    error_code ignored;
    s->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  });
}

}  // namespace fibpool::supervisor
