#pragma once

// Counts by name that an operator keeps beyond the run's counters: weir-validate's
// failures per rule. They appear in the metrics file (a JSON object under `what`, or a
// Prometheus counter weir_<what>_total with one series per name under `label`) and in
// the summary a tool prints at exit.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace weir {

struct Breakdown {
    std::string what;  // "rule_failures"; empty: nothing to report
    std::string label; // "rule"
    std::string help;  // one line for Prometheus' HELP
    std::vector<std::pair<std::string, std::uint64_t>> counts; // in the operator's order
    bool at_exit = true; // also in the summary a tool prints at exit (non-zero counts)
};

} // namespace weir
