#include "supervisor/protocol/busy_reason.h"

#include <array>

namespace fibpool::supervisor {

namespace {
struct Text {
  std::string_view name;
  std::string_view detail;
};
constexpr std::array<Text, kBusyReasonCount> kTexts = {{
    {"backlog_full", "the backlog is full; try again later"},
    {"flow_share", "your address has too many waiting jobs; try again later"},
    {"max_wait", "retry_after"},
    {"connections", "too many connections; try again later"},
    {"connections_per_client", "too many connections from your address; try again later"},
}};
}  // namespace

std::string_view BusyReasonName(BusyReason reason) {
  return kTexts[static_cast<std::size_t>(reason)].name;
}

std::string BusyDetail(BusyReason reason) {
  return std::string(kTexts[static_cast<std::size_t>(reason)].detail);
}

}  // namespace fibpool::supervisor
