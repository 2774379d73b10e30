#include "cli/error.hpp"
#include "time/watermark.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <limits>

using namespace std::chrono_literals;
using weir::no_timestamp;
using weir::Timestamp;
using weir::WatermarkTracker;

TEST_CASE("watermark: is max event time minus the delay") {
    WatermarkTracker wm(5s);
    CHECK(wm.delay() == 5s);
    CHECK(wm.current() == no_timestamp);
    CHECK(wm.max_seen() == no_timestamp);
    wm.observe(100'000'000);
    CHECK(wm.current() == 95'000'000);
    wm.observe(90'000'000); // out of order: does not move it back
    CHECK(wm.current() == 95'000'000);
    CHECK(wm.max_seen() == 100'000'000);
    wm.observe(no_timestamp);
    CHECK(wm.current() == 95'000'000);
    wm.observe(101'000'000);
    CHECK(wm.current() == 96'000'000);
    SUBCASE("zero delay") {
        WatermarkTracker zero(0s);
        zero.observe(-7);
        CHECK(zero.current() == -7);
    }
}

TEST_CASE("watermark: nothing is late or final before the first event") {
    WatermarkTracker wm(0s);
    CHECK_FALSE(wm.is_late(std::numeric_limits<Timestamp>::min() + 1));
    CHECK_FALSE(wm.is_final(std::numeric_limits<Timestamp>::min() + 1));
    CHECK_FALSE(wm.is_late(0));
}

TEST_CASE("watermark: late is strictly before, final is at or after the end") {
    WatermarkTracker wm(10s);
    wm.observe(70'000'000); // watermark 60 s
    REQUIRE(wm.current() == 60'000'000);
    CHECK(wm.is_late(59'999'999));
    CHECK_FALSE(wm.is_late(60'000'000)); // at the watermark: on time
    CHECK_FALSE(wm.is_late(60'000'001));
    // The window [0s, 60s) is final; [60s, 120s) is not.
    CHECK(wm.is_final(60'000'000));
    CHECK_FALSE(wm.is_final(60'000'001));
    // An event is late exactly when its 1-microsecond window is final.
    for (Timestamp t : {59'999'998, 59'999'999, 60'000'000, 60'000'001})
        CHECK(wm.is_late(t) == wm.is_final(t + 1));
}

TEST_CASE("watermark: each record is judged before it advances the watermark") {
    // Delay 0: the record that moves the watermark is never late itself.
    WatermarkTracker wm(0s);
    Timestamp times[] = {10, 20, 15, 20, 5, 30, 29};
    bool expect_late[] = {false, false, true, false, true, false, true};
    for (std::size_t i = 0; i < std::size(times); ++i) {
        CAPTURE(i);
        CHECK(wm.is_late(times[i]) == expect_late[i]);
        wm.observe(times[i]);
    }
}

TEST_CASE("watermark: saturates instead of wrapping") {
    WatermarkTracker wm{weir::Duration(std::numeric_limits<std::int64_t>::max())};
    wm.observe(0);
    CHECK(wm.current() == -std::numeric_limits<std::int64_t>::max());
    wm.restore(std::numeric_limits<Timestamp>::min() + 5);
    CHECK(wm.current() == no_timestamp + 1); // never no_timestamp once an event was seen
    CHECK_FALSE(wm.is_late(no_timestamp + 1));
    WatermarkTracker small(10us);
    small.observe(no_timestamp + 3);
    CHECK(small.current() == no_timestamp + 1);
    small.observe(std::numeric_limits<Timestamp>::max());
    CHECK(small.current() == std::numeric_limits<Timestamp>::max() - 10);
}

TEST_CASE("watermark: restores from max_seen") {
    WatermarkTracker before(30s);
    before.observe(1'000'000'000);
    WatermarkTracker after(30s);
    after.restore(before.max_seen());
    CHECK(after.current() == before.current());
    CHECK(after.max_seen() == 1'000'000'000);
    after.restore(no_timestamp);
    CHECK(after.current() == no_timestamp);
}

TEST_CASE("watermark: a negative delay is a usage error") {
    try {
        WatermarkTracker wm(-1s);
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        CHECK(std::string(e.what()) == "watermark delay '-1s' is negative");
    }
}
