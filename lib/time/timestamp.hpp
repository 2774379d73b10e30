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
