// Why fibpool answered `ERR busy`: the `reason` label of
// fibpool_busy_total (/metrics) and the keys of `stats`' "busy", and the
// detail each refusal's ERR line gives the client (docs/protocol.md,
// "Errors"). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fibpool::supervisor {

enum class BusyReason {
  kBacklogFull,           // the backlog is full, fairly shared (backlog_admission.h)
  kFlowShare,             // the client's address holds the most waiting jobs
  kMaxWait,               // the job's estimated wait exceeds max_wait (admission.h)
  kConnections,           // max_connections, no idle connection to close (connection_quota.h)
  kConnectionsPerClient,  // max_connections_per_client
};
inline constexpr std::size_t kBusyReasonCount = 5;

// "backlog_full", "flow_share", "max_wait", "connections", "connections_per_client".
std::string_view BusyReasonName(BusyReason reason);

// The detail of the ERR busy line for `reason`; kMaxWait's "retry_after=S"
// is made by CheckWait (admission.h), with its S.
std::string BusyDetail(BusyReason reason);

}  // namespace fibpool::supervisor
