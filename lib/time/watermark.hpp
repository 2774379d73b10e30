#pragma once

// The event-time watermark of one tool (DESIGN.md "Time"): the largest event time seen
// so far minus a fixed delay (`--watermark 5m`). It says "events before this time are
// not expected any more"; windows, sessions and dedup keys close against it.
//
// weir moves the watermark per record, not per batch as Spark does, so results do not
// depend on read sizes. Each record is judged against the watermark as it stood BEFORE
// that record, then the record advances it:
//
//     bool late = tracker.is_late(t);   // or tracker.is_final(window_end) per window
//     tracker.observe(t);               // then close whatever the new current() passed
//
// The comparisons, which every operator must share so that "late" and "final" agree:
// - a half-open window [start, end) is final once current() >= end (is_final);
// - an event at t is late when t < current() (is_late): exactly when the 1-microsecond
//   window [t, t + 1) holding it is final. An event AT the watermark is on time.
// - for an inclusive end, such as a session's t + gap, "final" is current() > end,
//   i.e. is_final(end + 1): an event at exactly `end` may still join.
// Before the first event current() is no_timestamp and nothing is late or final.
//
// All arithmetic saturates: max_seen - delay never wraps, and a result that would reach
// no_timestamp (INT64_MIN) stops one above it, so "no watermark" stays unambiguous.

#include "time/timestamp.hpp"

namespace weir {

class WatermarkTracker {
public:
    // `delay` must not be negative: throws Error(Exit::usage, "...") otherwise.
    explicit WatermarkTracker(Duration delay);

    // Takes an event time into account; no_timestamp is ignored. Never moves backwards.
    void observe(Timestamp event_time) noexcept {
        if (event_time > max_seen_)
            max_seen_ = event_time;
    }

    // max_seen() - delay, saturating; no_timestamp before the first event.
    Timestamp current() const noexcept;

    // Whether an event at `t` arrives behind the watermark: t < current().
    bool is_late(Timestamp t) const noexcept {
        Timestamp wm = current();
        return wm != no_timestamp && t < wm;
    }

    // Whether the half-open interval ending at `end` (exclusive) is closed:
    // current() >= end.
    bool is_final(Timestamp end) const noexcept {
        Timestamp wm = current();
        return wm != no_timestamp && wm >= end;
    }

    // The largest event time observed; no_timestamp before the first event. This (not
    // current()) is what a checkpoint stores, so a restart with another delay is exact.
    Timestamp max_seen() const noexcept { return max_seen_; }

    // Sets the state back to a checkpointed max_seen() (no_timestamp: no event yet).
    void restore(Timestamp max_seen) noexcept { max_seen_ = max_seen; }

    Duration delay() const noexcept { return delay_; }

private:
    Duration delay_;
    Timestamp max_seen_ = no_timestamp;
};

} // namespace weir
