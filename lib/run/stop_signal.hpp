#pragma once

// SIGINT and SIGTERM ask a tool to stop cleanly: finish the epoch in flight at the next
// barrier (weir-ingest ends it at once), commit it, and exit 130 or 143. A second
// signal of either kind ends the process at once with the default action.

#include <atomic>

namespace weir {

// Installs the handlers (once per process).
void install_stop_handlers();

// 0 while running; SIGINT or SIGTERM once a stop was asked for.
int stop_requested();

// For tests and for sources that must wake up (follow mode) when a stop is asked for.
const std::atomic<int>& stop_flag();

} // namespace weir
