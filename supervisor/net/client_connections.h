// The client connections counted by address for every thread: the
// admission of a new connection (connection_quota.h) at accept, on the
// acceptor's thread, and each connection's Slot, which it holds on its own
// I/O thread until it stops answering.
//
// A connection counts (max_connections and max_connections_per_client) from
// the accept until it has nothing more to send or closes, whichever comes
// first (Slot::Release), so the counts are exact across I/O threads. With
// proxy_protocol on the address is not known at accept: the connection
// counts under no address until its header names one (Slot::Claim), which
// may then refuse it.
//
// Idle connections: each connection says when it has no request in flight
// and nothing unanswered (Slot::SetIdle, an atomic flag: no lock per
// request). To admit a newcomer at max_connections, Admit() uncounts an idle
// connection of the address holding the most and asks it to close through
// the function it gave to Slot::OnIdleClose (which posts to its own
// thread). A connection that took a request in between stays open,
// uncounted, until it closes: the count then passes max_connections by one.
//
// Refusals are counted (Metrics::connections_refused, Metrics::busy) and,
// like evictions, handed to the LogSink.
//
// Thread-safety: every member is safe from any thread (one mutex, taken on
// accept, on release and on eviction; never per request). Lifetime:
// outlives every Slot; `metrics` outlives it.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "supervisor/metrics/metrics.h"
#include "supervisor/net/connection_quota.h"
#include "supervisor/protocol/busy_reason.h"

namespace fibpool::supervisor {

class ClientConnections {
 private:
  struct Entry;

 public:
  // One connection's place in the counts. Move-only; releases on
  // destruction. An empty Slot (default) counts nothing. Used on the
  // connection's thread.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { Release(); }

    // `close` asks the connection, from any thread, to close if it is
    // still idle; the connection gives it when it starts.
    void OnIdleClose(std::function<void()> close);
    // Whether the connection is idle (no lock).
    void SetIdle(bool idle);
    // The PROXY header named the client: counts the connection under
    // `address` from now on; false (refused, counted and logged, and
    // released) when that address holds max_connections_per_client.
    bool Claim(const std::string& address);
    // Uncounts the connection (once; later calls do nothing).
    void Release();

   private:
    friend class ClientConnections;
    Slot(ClientConnections* owner, std::shared_ptr<Entry> entry)
        : owner_(owner), entry_(std::move(entry)) {}
    ClientConnections* owner_ = nullptr;
    std::shared_ptr<Entry> entry_;
  };

  ClientConnections(ConnectionQuota::Limits limits, Metrics* metrics);
  ClientConnections(const ClientConnections&) = delete;
  ClientConnections& operator=(const ClientConnections&) = delete;

  // Where refusals and evictions go to be logged: called under the lock,
  // from whichever thread admits or claims, so the server forwards them to
  // its own thread's rate-limited logs (throttled_log.h), which also report
  // a burst's held-back events when it ends. Unset: counted, not logged.
  struct LogSink {
    std::function<void(BusyReason reason, const std::string& peer)> refused;
    std::function<void(const std::string& from, const std::string& for_peer)> evicted;
  };
  // Before the first Admit().
  void SetLogSink(LogSink sink) { log_ = std::move(sink); }

  // A new connection from `address` ("" while its PROXY header is awaited),
  // `peer` naming it in the log: its Slot, or std::nullopt with *reason set
  // (counted and logged) when it is refused.
  std::optional<Slot> Admit(const std::string& address, const std::string& peer,
                            BusyReason* reason);

  std::size_t open() const;
  std::size_t CountOf(const std::string& address) const;

 private:
  struct Entry {
    std::string address;  // "" until claimed
    std::atomic<bool> idle{false};
    std::function<void()> close;  // under mutex_
    bool counted = true;          // under mutex_
  };
  void Uncount(Entry& entry);  // under mutex_
  // An idle connection of `address`, uncounted, and how to close it; empty
  // when it has none. Under mutex_.
  std::function<void()> TakeIdle(const std::string& address);
  void LogRefusal(BusyReason reason, const std::string& peer);  // under mutex_

  mutable std::mutex mutex_;
  ConnectionQuota quota_;
  std::unordered_map<std::string, std::unordered_set<Entry*>> members_;  // by address
  Metrics* metrics_;
  LogSink log_;
};

// The slot a connection holds (client_connections.h).
using ClientSlot = ClientConnections::Slot;

}  // namespace fibpool::supervisor
