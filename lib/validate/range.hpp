#pragma once

// The bounds of a range rule, "MIN..MAX" (--range amount:0..1000, a rules file's
// `range = "0.."`): inclusive, either end optional, not both. The ends are numbers
// ("-5", "2.5e3") or RFC 3339 timestamps ("2024-01-01T00:00:00Z.."); both ends of one
// range are of the same kind. One grammar for flags and rules files.

#include "time/timestamp.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace weir {

struct Range {
    bool timestamps = false; // the ends are timestamps (µs), else numbers
    std::optional<double> min, max;
    std::optional<Timestamp> min_time, max_time;
};

// Parses `text`; on failure returns nullopt and stores why in `error`:
// "range '9..1' is empty: 9 is greater than 1".
std::optional<Range> parse_range(std::string_view text, std::string* error);

} // namespace weir
