#pragma once

// Time in weir is int64 microseconds since the Unix epoch, UTC (DESIGN.md, "Time").
// Durations are std::chrono::microseconds. Both cover roughly +-292,000 years.

#include <chrono>
#include <cstdint>
#include <limits>

namespace weir {

using Timestamp = std::int64_t; // microseconds since 1970-01-01T00:00:00Z
using Duration = std::chrono::microseconds;

// "No event time": a record without a usable time, or a watermark not yet set.
inline constexpr Timestamp no_timestamp = std::numeric_limits<std::int64_t>::min();

} // namespace weir

namespace weir {

// t + d, saturating at the int64 limits, and never reaching no_timestamp: a window or
// session end, an expiry time, always stays a time.
constexpr Timestamp saturating_add(Timestamp t, Duration d) {
    Timestamp r = 0;
    if (__builtin_add_overflow(t, d.count(), &r))
        return d.count() > 0 ? std::numeric_limits<Timestamp>::max() : no_timestamp + 1;
    return r == no_timestamp ? no_timestamp + 1 : r;
}

} // namespace weir
