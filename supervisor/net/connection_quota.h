// How many connections each client address holds, and whether a new one
// gets in: max_connections for all addresses together,
// max_connections_per_client for each (the per-source limits of nginx's
// limit_conn and HAProxy's src_conn_cur). Pure: no I/O.
//
// A new connection from an address holding max_connections_per_client is
// refused (connections_per_client). Below max_connections every other one
// gets in. At max_connections, one from an address that, once in, would
// still hold fewer connections than the address holding the most
// (own + 1 < heaviest) gets in in place of an idle connection of that
// address (kEvictIdleOfHeaviest; the caller refuses it as kConnections when
// that address has no idle one); otherwise it is refused (connections).
// own + 1 < heaviest keeps two addresses from closing each other's
// connections in turn.
//
// An address not known yet (""; the PROXY protocol header names it later)
// counts toward max_connections only, and is never admitted in place of
// another connection; once it is known, MayClaim() says whether the
// connection may stay (then Remove("") and Add(address)).
//
// Not thread-safe: ClientConnections (client_connections.h) guards it.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "supervisor/protocol/busy_reason.h"

namespace fibpool::supervisor {

class ConnectionQuota {
 public:
  struct Limits {
    std::size_t max_connections = 1;
    std::size_t max_per_client = 1;
  };
  enum class Verdict { kAdmit, kEvictIdleOfHeaviest, kRefuse };
  struct Decision {
    Verdict verdict = Verdict::kAdmit;
    BusyReason reason = BusyReason::kConnections;  // kRefuse: connections or connections_per_client
    std::string heaviest;                          // kEvictIdleOfHeaviest: whose connection
  };

  explicit ConnectionQuota(Limits limits) : limits_(limits) {}

  // For a new connection from `address` ("": not known yet), before Add().
  Decision Decide(const std::string& address) const;
  // Whether a connection counted without an address may stay as one of
  // `address` (its max_connections_per_client).
  bool MayClaim(const std::string& address) const;

  void Add(const std::string& address);
  // `address` must have been Add()ed.
  void Remove(const std::string& address);

  std::size_t open() const { return open_; }
  std::size_t CountOf(const std::string& address) const;
  const Limits& limits() const { return limits_; }

 private:
  void Change(const std::string& address, std::size_t from, std::size_t to);

  Limits limits_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> counts_;     // addresses holding connections
  std::set<std::pair<std::size_t, std::string>> by_count_;  // the same, the heaviest last
};

}  // namespace fibpool::supervisor
