#pragma once

// Epoch numbers as event times (`--time-unit s|ms|us|auto`, DESIGN.md "Time").
//
// With `auto` (the default) the unit is picked per value by its magnitude, because
// feeds mix them and a wrong guess is off by a factor of 1000:
//   |v| < 1e11            seconds       (1e11 s  is the year 5138)
//   1e11 <= |v| < 1e14    milliseconds  (1e11 ms is 1973-03-03, 1e14 ms the year 5138)
//   |v| >= 1e14           microseconds  (1e14 us is 1973-03-03)
// So auto reads any time from 1973-03-04 to 5138 right in any unit; before that, small
// milliseconds and microseconds are taken for seconds (use an explicit unit then).
//
// Key invariant: a returned Timestamp always lies in [min_rfc3339, max_rfc3339] (years
// 0000-9999), so every event time weir accepts can be written back as RFC 3339.
// Anything else (NaN, infinities, beyond those years) is nullopt.

#include "time/rfc3339.hpp"
#include "time/timestamp.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace weir {

enum class TimeUnit { auto_, s, ms, us };

// "auto", "s", "ms", "us" (exactly, lower case); nullopt for anything else.
std::optional<TimeUnit> parse_time_unit(std::string_view s) noexcept;

// The flag spelling of a unit: "auto", "s", "ms", "us".
std::string_view time_unit_name(TimeUnit u) noexcept;

// The unit `auto` picks for a value of this magnitude (never TimeUnit::auto_).
TimeUnit auto_time_unit(double v) noexcept;

// An epoch number in `unit` as a Timestamp. Exact for every integer in range.
std::optional<Timestamp> timestamp_from_number(std::int64_t v, TimeUnit unit) noexcept;

// The same for a JSON double: the value is rounded to the nearest microsecond
// (1700000000.123456 s is the ...123456 us intended, not the ...123455.99 a double
// holds). A double with no fraction is exact up to 2^53.
std::optional<Timestamp> timestamp_from_number(double v, TimeUnit unit) noexcept;

} // namespace weir
