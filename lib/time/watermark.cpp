#include "time/watermark.hpp"

#include "cli/error.hpp"
#include "time/duration.hpp"

namespace weir {

WatermarkTracker::WatermarkTracker(Duration delay) : delay_(delay) {
    if (delay.count() < 0)
        throw Error(Exit::usage, "watermark delay '{}' is negative", format_duration(delay));
}

Timestamp WatermarkTracker::current() const noexcept {
    if (max_seen_ == no_timestamp)
        return no_timestamp;
    Timestamp wm = 0;
    // delay >= 0, so the only way out of range is below: stop just above no_timestamp.
    if (__builtin_sub_overflow(max_seen_, delay_.count(), &wm) || wm == no_timestamp)
        return no_timestamp + 1;
    return wm;
}

} // namespace weir
