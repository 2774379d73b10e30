#pragma once

// Pacing for weir-ingest: --max-rate (a token bucket of records per second) and
// --replay-speed (records released at their event time, scaled: 1 = as they happened,
// 60 = a minute of events per second). Both only ever say how long to wait; the reader
// flushes its outputs before it sleeps, so a paced stream still shows each record at once.

#include "time/timestamp.hpp"

#include <chrono>

namespace weir {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    // rate: records per second (> 0); burst: the bucket's size (at least 1).
    explicit RateLimiter(double rate, double burst = 0);

    // How long to wait before one more record may pass at `now` (zero: it may pass,
    // and its token is taken).
    Clock::duration acquire(Clock::time_point now);

private:
    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_{};
    bool started_ = false;
};

class ReplayPacer {
public:
    using Clock = std::chrono::steady_clock;

    explicit ReplayPacer(double speed) : speed_(speed) {}

    // How long to wait until the record with `event_time` is due at `now`. The first
    // timed record sets the origin; records without a time, or earlier than one already
    // released, are due at once.
    Clock::duration wait_for(Timestamp event_time, Clock::time_point now);

private:
    double speed_;
    bool started_ = false;
    Timestamp origin_event_ = 0;
    Clock::time_point origin_wall_{};
};

} // namespace weir
