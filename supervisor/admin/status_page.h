// The live status page served at / on the metrics port: one self-contained
// HTML document (inline style and script, nothing fetched from elsewhere)
// that draws the last five minutes from /status/history on load, then polls
// /stats.json once a second and draws the workers, queues, rates,
// latencies, the clients with the most waiting work, errors, restarts and
// settings. Its source is
// supervisor/admin/status_page.html, embedded at build time.
#pragma once

#include <string_view>

namespace fibpool::supervisor {

// The page, valid for the life of the program.
std::string_view StatusPageHtml();

}  // namespace fibpool::supervisor
