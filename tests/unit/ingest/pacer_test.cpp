// RateLimiter and ReplayPacer with synthetic time points: nothing here sleeps.

#include "ingest/pacer.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace std::chrono_literals;
using weir::RateLimiter;
using weir::ReplayPacer;

namespace {

using Clock = std::chrono::steady_clock;

const Clock::time_point t0 = Clock::time_point{} + 1000s;

// Rounded: a wait computed in floating point may be a nanosecond short.
long long ms(Clock::duration d) {
    return std::chrono::round<std::chrono::milliseconds>(d).count();
}

long long us(Clock::duration d) {
    return std::chrono::round<std::chrono::microseconds>(d).count();
}

constexpr weir::Timestamp sec = 1000000;

// Records that pass in `span` when the caller always waits exactly as told.
int passes_in(RateLimiter& rl, Clock::time_point start, Clock::duration span) {
    int n = 0;
    Clock::time_point now = start;
    for (int i = 0; i < 1000000 && now < start + span; ++i) {
        Clock::duration w = rl.acquire(now);
        if (w == Clock::duration::zero())
            ++n;
        else
            now += w;
    }
    return n;
}

} // namespace

TEST_CASE("rate limiter: the first record passes, the next waits one interval") {
    RateLimiter rl(10);
    CHECK(rl.acquire(t0) == Clock::duration::zero());
    CHECK(ms(rl.acquire(t0)) == 100);
    // Asking again takes no token: the wait only shrinks as time passes.
    CHECK(ms(rl.acquire(t0 + 40ms)) == 60);
    CHECK(rl.acquire(t0 + 101ms) == Clock::duration::zero());
    CHECK(ms(rl.acquire(t0 + 101ms)) == 100); // the bucket holds one: no credit kept
}

TEST_CASE("rate limiter: holds the rate over time") {
    SUBCASE("10 per second") {
        RateLimiter rl(10);
        CHECK(passes_in(rl, t0, 10s) == doctest::Approx(100).epsilon(0.02));
    }
    SUBCASE("1000 per second") {
        RateLimiter rl(1000);
        int n = passes_in(rl, t0, 5s);
        CHECK(n >= 4990);
        CHECK(n <= 5101); // at most one burst (rate / 10) above the rate
    }
    SUBCASE("half a record per second") {
        RateLimiter rl(0.5);
        CHECK(rl.acquire(t0) == Clock::duration::zero());
        CHECK(ms(rl.acquire(t0)) == 2000);
        CHECK(passes_in(rl, t0, 20s) == doctest::Approx(10).epsilon(0.11));
    }
}

TEST_CASE("rate limiter: an idle spell earns at most a burst") {
    SUBCASE("explicit burst") {
        RateLimiter rl(10, 5);
        CHECK(rl.acquire(t0) == Clock::duration::zero());
        Clock::time_point later = t0 + 60s; // long idle: the bucket fills to 5, no more
        for (int i = 0; i < 5; ++i) {
            CAPTURE(i);
            CHECK(rl.acquire(later) == Clock::duration::zero());
        }
        CHECK(ms(rl.acquire(later)) == 100);
    }
    SUBCASE("default burst is a tenth of a second's records") {
        RateLimiter rl(100);
        CHECK(rl.acquire(t0) == Clock::duration::zero());
        Clock::time_point later = t0 + 10s;
        for (int i = 0; i < 10; ++i)
            CHECK(rl.acquire(later) == Clock::duration::zero());
        CHECK(ms(rl.acquire(later)) == 10);
    }
    SUBCASE("the burst is at least one record") {
        RateLimiter rl(2);
        CHECK(rl.acquire(t0) == Clock::duration::zero());
        Clock::time_point later = t0 + 10s;
        CHECK(rl.acquire(later) == Clock::duration::zero());
        CHECK(ms(rl.acquire(later)) == 500);
    }
}

TEST_CASE("replay pacer: releases records at their event time, scaled") {
    SUBCASE("speed 1") {
        ReplayPacer p(1);
        CHECK(p.wait_for(100 * sec, t0) == Clock::duration::zero()); // sets the origin
        CHECK(ms(p.wait_for(101 * sec, t0)) == 1000);
        CHECK(ms(p.wait_for(101 * sec, t0 + 400ms)) == 600);
        CHECK(p.wait_for(101 * sec, t0 + 1s) == Clock::duration::zero());
        CHECK(ms(p.wait_for(103 * sec, t0 + 1s)) == 2000);
        CHECK(p.wait_for(102 * sec, t0 + 5s) == Clock::duration::zero()); // overdue
    }
    SUBCASE("speed 60: a minute of events per second") {
        ReplayPacer p(60);
        CHECK(p.wait_for(0, t0) == Clock::duration::zero());
        CHECK(ms(p.wait_for(60 * sec, t0)) == 1000);
        CHECK(ms(p.wait_for(3600 * sec, t0 + 30s)) == 30000);
    }
    SUBCASE("speed 0.5: slower than real time") {
        ReplayPacer p(0.5);
        CHECK(p.wait_for(10 * sec, t0) == Clock::duration::zero());
        CHECK(ms(p.wait_for(11 * sec, t0)) == 2000);
    }
    SUBCASE("microsecond precision") {
        ReplayPacer p(1);
        CHECK(p.wait_for(5 * sec, t0) == Clock::duration::zero());
        CHECK(us(p.wait_for(5 * sec + 250, t0)) == 250);
    }
}

TEST_CASE("replay pacer: records earlier than the origin are due at once") {
    ReplayPacer p(1);
    CHECK(p.wait_for(100 * sec, t0) == Clock::duration::zero());
    CHECK(p.wait_for(99 * sec, t0) == Clock::duration::zero());
    CHECK(p.wait_for(0, t0) == Clock::duration::zero());
    // The origin stays: a later record is still paced from the first one.
    CHECK(ms(p.wait_for(102 * sec, t0)) == 2000);
}

TEST_CASE("replay pacer: records without a time never wait") {
    ReplayPacer p(1);
    CHECK(p.wait_for(weir::no_timestamp, t0) == Clock::duration::zero());
    // An untimed record does not set the origin: the first timed one does.
    CHECK(p.wait_for(500 * sec, t0 + 3s) == Clock::duration::zero());
    CHECK(ms(p.wait_for(501 * sec, t0 + 3s)) == 1000);
    CHECK(p.wait_for(weir::no_timestamp, t0 + 3s) == Clock::duration::zero());
}
