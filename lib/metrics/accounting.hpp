#pragma once

// The accounting line: the final statement of where every record went, printed on
// stderr at exit and repeated in the metrics file (DESIGN.md: "the final metrics line
// states the equation, per channel, with the reason codes").
//
//   weir-ingest: records in 1000 = out 990 + dead_letter 10 (invalid_json 7, too_long 3)
//   weir-window: records in 1000 + generated 5 = out 5 + consumed 988 + late 7
//
// The equation is the one in counters.hpp. Terms that are zero are left out (except in
// and out); channels appear in Channel order, reasons within a channel sorted by name.
// When the two sides differ the line ends in "(unbalanced: N unaccounted)" or
// "(unbalanced: N over-counted)": a visible detector for a counting bug, never hidden.

#include "metrics/breakdown.hpp"
#include "metrics/counters.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

// True when in + generated = out + rejects + consumed + held.
bool balanced(const RunCounters& c);

// Left side minus right side of the equation: > 0 when records are unaccounted for,
// < 0 when more were counted leaving than entering.
std::int64_t imbalance(const RunCounters& c);

// The line described above, without a trailing newline.
std::string accounting_line(std::string_view program, const RunCounters& c);

// "weir-validate: rule failures: require:event_id 3, range:amount 9": the non-zero
// counts of `b` in its order; empty when all are zero.
std::string breakdown_line(std::string_view program, const Breakdown& b);

} // namespace weir
