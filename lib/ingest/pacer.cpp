#include "ingest/pacer.hpp"

#include <algorithm>

namespace weir {

RateLimiter::RateLimiter(double rate, double burst)
    : rate_(rate)
    , burst_(std::max(1.0, burst > 0 ? burst : rate / 10))
    , tokens_(1) {}

RateLimiter::Clock::duration RateLimiter::acquire(Clock::time_point now) {
    if (!started_) {
        started_ = true;
        last_ = now;
    }
    double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    if (tokens_ >= 1) {
        tokens_ -= 1;
        return Clock::duration::zero();
    }
    double missing = (1 - tokens_) / rate_;
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(missing));
}

ReplayPacer::Clock::duration ReplayPacer::wait_for(Timestamp event_time, Clock::time_point now) {
    if (event_time == no_timestamp)
        return Clock::duration::zero();
    if (!started_) {
        started_ = true;
        origin_event_ = event_time;
        origin_wall_ = now;
        return Clock::duration::zero();
    }
    double offset_us = static_cast<double>(event_time - origin_event_) / speed_;
    auto due = origin_wall_ + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double, std::micro>(offset_us));
    return due > now ? due - now : Clock::duration::zero();
}

} // namespace weir
