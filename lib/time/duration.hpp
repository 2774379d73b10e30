#pragma once

// Durations as people type them on the command line: --size 5m, --watermark 90s,
// --gap 1h30m, --horizon 2d. Parsed once at start-up, so clarity beats speed here.
//
// Grammar: one or more <number><unit> parts, units strictly descending, no blanks:
//   units   w (7 days), d (24 hours), h, m, s, ms, us
//   number  digits, optionally with a decimal fraction: "1.5h", "0.25s"
// - "0" alone is zero (as in Go); any other number needs a unit.
// - A fraction must come out as a whole number of microseconds ("1.5us" is rejected,
//   not rounded): a window size silently changed would change every result.
// - Units are lower case ("5M" is rejected: minutes or months?); a unit may appear once.
// - Negative, empty, and overflowing (past int64 microseconds, ~292,000 years)
//   durations are rejected.
//
// Key invariant: format_duration writes the canonical form, and for every d >= 0,
//   try_parse_duration(format_duration(d)) == d.

#include "time/timestamp.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace weir {

// Parses a duration as described above; nullopt when `s` is not one. Never throws.
std::optional<Duration> try_parse_duration(std::string_view s) noexcept;

// The same for flag values: throws Error(Exit::usage,
// "'x' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)").
Duration parse_duration(std::string_view s);

// Canonical form: each unit from w down to us, largest first, zero parts left out:
// "1h30m" (not "90m"), "1m30s", "1w1d", "1s500ms", "250ms", "0s". A negative duration
// (which parsing never returns) is written with a leading '-': "-5s".
std::string format_duration(Duration d);

} // namespace weir
