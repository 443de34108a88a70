#include "supervisor/admin/status_page.h"

// Generated from status_page.html by embed_file.cmake: kStatusPageHtml.
#include "supervisor/admin/status_page_html.h"

namespace fibpool::supervisor {

std::string_view StatusPageHtml() { return kStatusPageHtml; }

}  // namespace fibpool::supervisor
