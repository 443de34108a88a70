// The supervisor's front: the listening socket, the client connections, the
// signals, and the worker pool behind them.
//
// Threads: the pool, the acceptor, the signals, the metrics and agent
// servers run on one Asio event loop, the pool's thread. With io_threads 1
// the connections run there too and call the pool directly. With more, each
// accepted connection is handed to the IoThread with the fewest connections
// (io_thread.h), which owns it from then on and reaches the pool through a
// PoolGate (pool_gate.h); a `stats` request is answered on the pool's
// thread. Figures shared across threads are Metrics' counters (metrics.h).
//
// Start-up: take the listening sockets handed over (inherited_sockets.h:
// systemd socket activation, a binary upgrade) or bind and listen (failing fast if the address is taken, with a
// message naming the listener and the address), start the workers, then
// print the ready line and accept. Workers that are not all ready within
// kStartupTimeout fail the start-up; SIGTERM/SIGINT/SIGQUIT before ready
// stop it at once (Run() returns 0). SIGTERM/SIGINT/SIGQUIT drain: stop
// accepting, answer every request already read (every I/O thread has
// drained its connections and its jobs have reached the pool before the
// pool is told to stop), stop the pool with sentinels, and return from Run()
// with 0; the metrics port answers until then (/healthz: 503), the agent
// port too (`drain`). SIGHUP re-reads the config file. SIGUSR2 starts the
// binary on disk as a new process on the same listening sockets and drains
// this one once the new one is ready (upgrade.h). Every other
// signal that would end the process is logged and ignored (signal_policy.h).
// A new connection is admitted by ClientConnections (client_connections.h:
// the connection limit in force, max_connections_per_client, and an idle
// connection of the address holding the most closed for a newcomer at the
// limit); one refused gets `ERR busy <why>` and is closed. The
// soft limit on open files is raised to the hard limit at start; when it
// cannot cover max_connections beside fibpool's own descriptors, a warning
// says so and the connection limit in force is what fits
// (descriptor_budget.h). A connection that finds no descriptor left gets
// `ERR busy` through a spare descriptor (spare_descriptor.h).
// /healthz and the agent check answer from one CanServe (serving_state.h).
//
// Failure: the constructor and Run() throw on start-up errors (bind, shared
// memory, workers that cannot start); on the serving path nothing throws.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "supervisor/admin/agent_server.h"
#include "supervisor/admin/metrics_server.h"
#include "supervisor/admin/serving_state.h"
#include "supervisor/config/config.h"
#include "supervisor/config/descriptor_budget.h"
#include "supervisor/log/throttled_log.h"
#include "supervisor/metrics/metrics.h"
#include "supervisor/metrics/process_info.h"
#include "supervisor/net/client_connections.h"
#include "supervisor/net/connection_env.h"
#include "supervisor/net/connection_log.h"
#include "supervisor/net/connection_manager.h"
#include "supervisor/net/inherited_sockets.h"
#include "supervisor/net/io_thread.h"
#include "supervisor/net/spare_descriptor.h"
#include "supervisor/pool/worker_pool.h"
#include "supervisor/protocol/busy_reason.h"
#include "supervisor/upgrade.h"

namespace fibpool::supervisor {

// How long the workers may take to report ready at start-up.
inline constexpr std::chrono::seconds kStartupTimeout{10};

// After a binary upgrade's new process is ready: how long this one goes on
// serving its connections, without accepting, before it drains.
inline constexpr std::chrono::seconds kHandoverGrace{1};

// On SIGTERM: a connection accepted less than this long ago may not have
// sent its first request yet; the drain waits until the last one accepted
// is this old (at most this long), so that such a request is answered
// rather than cut off. A client sends its first request one round trip
// after its connect at the most.
inline constexpr std::chrono::milliseconds kDrainGrace{100};

class Server {
 public:
  // `args` and `env` are kept to re-read the configuration on SIGHUP.
  // Listening sockets in `inherited` replace the binds of their listeners.
  Server(Config config, std::vector<std::string> args, Environment env,
         InheritedSockets inherited = {});
  ~Server();

  // Serves until drained. Returns the process exit code.
  int Run();

 private:
  void Accept();
  // accept() failed (out of descriptors, usually).
  void AcceptFailed(const boost::system::error_code& ec);
  ServingState Serving() const;
  void WaitForSignal();
  // SIGTERM, SIGINT, SIGQUIT: stops accepting (and reports draining at
  // once), then Drain()s once the last connection accepted is kDrainGrace old.
  void BeginDrain();
  void DrainAfterLastAccepted();
  void Drain();
  void StopPool();
  // The `stats` line, on the pool's thread.
  std::string StatsText() const;
  void Reload();
  // SIGUSR2: a binary upgrade (upgrade.h); this process drains once the new one is ready.
  void StartUpgrade();
  void MaybeExit();
  void Refuse(boost::asio::ip::tcp::socket socket, BusyReason reason);

  Config config_;
  std::vector<std::string> args_;
  Environment env_;
  DescriptorBudget descriptors_;  // the connection limit in force
  SpareDescriptor spare_;
  Metrics metrics_;
  ClientConnections clients_;  // before io_: outlives the connections its handlers hold
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer accept_retry_;
  boost::asio::steady_timer startup_timer_;
  // A binary upgrade's grace before the drain, or a SIGTERM's (kDrainGrace).
  boost::asio::steady_timer handover_timer_;
  std::chrono::steady_clock::time_point last_accepted_{};
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<MetricsServer> metrics_server_;
  std::unique_ptr<AgentServer> agent_server_;  // answers until the process exits, `drain` included
  std::unique_ptr<BinaryUpgrade> upgrade_;
  ConnectionEnv connection_env_;
  ConnectionManager connections_;
  std::chrono::steady_clock::time_point started_;
  ThrottledLog accept_failed_log_{io_.get_executor(), LogLevel::kInfo,
                                  "event=accept_failed action=refused_busy"};
  // ClientConnections' refusals and evictions, from any thread, logged here.
  ThrottledLog refused_log_{io_.get_executor(), LogLevel::kInfo, "event=connection_refused"};
  ThrottledLog evicted_log_{io_.get_executor(), LogLevel::kInfo, "event=connection_evicted"};
  ConnectionLog connection_log_{io_.get_executor(), config_.access_log};  // the pool thread's
  bool ready_ = false;  // the workers reported ready; serving
  bool draining_ = false;             // stop requested: not accepting, /healthz 503
  bool connections_draining_ = false;  // Drain() ran: the connections drain
  bool pool_stopped_ = false;
  unsigned drains_pending_ = 0;  // I/O threads still draining
  int exit_code_ = 0;
  os::UniqueFd ready_fd_;  // an upgrade's predecessor waits on it for the ready line
  std::function<ProcessInfo()> process_;
  // Last: destroyed (joined) first, before the pool and metrics they use.
  std::vector<std::unique_ptr<IoThread>> io_threads_;
};

}  // namespace fibpool::supervisor
