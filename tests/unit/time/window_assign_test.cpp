#include "time/rfc3339.hpp"
#include "time/window_assign.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using weir::Duration;
using weir::Timestamp;
using weir::window_start;

namespace {

using Windows = std::vector<std::pair<Timestamp, Timestamp>>;

Windows windows_of(Timestamp t, Duration size, Duration slide, Duration offset = 0s) {
    Windows out;
    weir::for_each_window(t, size, slide, offset,
                          [&](Timestamp start, Timestamp end) { out.emplace_back(start, end); });
    return out;
}

// The definition, by enumeration: every start = offset + k * slide with
// start <= t < start + size.
Windows by_definition(Timestamp t, std::int64_t size, std::int64_t slide, std::int64_t offset) {
    Windows out;
    std::int64_t k = (t - offset) / slide - size / slide - 2;
    for (;; ++k) {
        std::int64_t start = offset + k * slide;
        if (start > t)
            break;
        if (t < start + size)
            out.emplace_back(start, start + size);
    }
    return out;
}

constexpr Timestamp us_per_s = 1'000'000;

} // namespace

TEST_CASE("window_assign: tumbling windows align to the epoch") {
    CHECK(window_start(0, 1min, 0s) == 0);
    CHECK(window_start(59'999'999, 1min, 0s) == 0);
    CHECK(window_start(60'000'000, 1min, 0s) == 60'000'000);
    Timestamp t = weir::parse_rfc3339("2024-03-01T12:34:56.789Z").value();
    CHECK(weir::format_rfc3339(window_start(t, 1h, 0s)) == "2024-03-01T12:00:00Z");
    CHECK(weir::format_rfc3339(window_start(t, 24h, 0s)) == "2024-03-01T00:00:00Z");
    CHECK(weir::format_rfc3339(window_start(t, 5min, 0s)) == "2024-03-01T12:30:00Z");
    CHECK(weir::format_rfc3339(window_start(t, 1s, 0s)) == "2024-03-01T12:34:56Z");
    CHECK(weir::window_end(window_start(t, 1h, 0s), 1h) ==
          weir::parse_rfc3339("2024-03-01T13:00:00Z"));
}

TEST_CASE("window_assign: times before 1970 round down") {
    CHECK(window_start(-1, 1min, 0s) == -60 * us_per_s);
    CHECK(window_start(-60 * us_per_s, 1min, 0s) == -60 * us_per_s);
    CHECK(window_start(-60 * us_per_s - 1, 1min, 0s) == -120 * us_per_s);
    Timestamp t = weir::parse_rfc3339("1969-07-20T20:17:40Z").value();
    CHECK(weir::format_rfc3339(window_start(t, 24h, 0s)) == "1969-07-20T00:00:00Z");
    CHECK(weir::format_rfc3339(window_start(t, 1h, 0s)) == "1969-07-20T20:00:00Z");
    CHECK(windows_of(-1, 10s, 5s) == Windows{{-10 * us_per_s, 0}, {-5 * us_per_s, 5 * us_per_s}});
}

TEST_CASE("window_assign: the offset shifts the alignment") {
    // Days starting at 06:00 UTC.
    Timestamp t = weir::parse_rfc3339("2024-03-01T05:00:00Z").value();
    CHECK(weir::format_rfc3339(window_start(t, 24h, 6h)) == "2024-02-29T06:00:00Z");
    t = weir::parse_rfc3339("2024-03-01T06:00:00Z").value();
    CHECK(weir::format_rfc3339(window_start(t, 24h, 6h)) == "2024-03-01T06:00:00Z");
    SUBCASE("an offset is taken modulo the size, negative ones too") {
        for (Timestamp x : {Timestamp{-7'000'001}, Timestamp{0}, Timestamp{123'456'789}}) {
            CHECK(window_start(x, 10s, 3s) == window_start(x, 10s, 13s));
            CHECK(window_start(x, 10s, 3s) == window_start(x, 10s, -7s));
            CHECK(window_start(x, 10s, 10s) == window_start(x, 10s, 0s));
        }
    }
}

TEST_CASE("window_assign: sliding windows, slide dividing the size") {
    // size 10s, slide 5s: every event in exactly 2 windows, in increasing start order.
    CHECK(windows_of(12 * us_per_s, 10s, 5s) ==
          Windows{{5 * us_per_s, 15 * us_per_s}, {10 * us_per_s, 20 * us_per_s}});
    SUBCASE("an event on a boundary starts a window and is not in the one ending there") {
        CHECK(windows_of(10 * us_per_s, 10s, 5s) ==
              Windows{{5 * us_per_s, 15 * us_per_s}, {10 * us_per_s, 20 * us_per_s}});
        CHECK(windows_of(10 * us_per_s - 1, 10s, 5s) ==
              Windows{{0, 10 * us_per_s}, {5 * us_per_s, 15 * us_per_s}});
    }
    SUBCASE("an offset") {
        CHECK(windows_of(12 * us_per_s, 10s, 5s, 2s) ==
              Windows{{7 * us_per_s, 17 * us_per_s}, {12 * us_per_s, 22 * us_per_s}});
    }
    SUBCASE("size / slide windows for every event") {
        std::mt19937_64 rng(1);
        for (int i = 0; i < 2000; ++i) {
            auto t = static_cast<Timestamp>(rng() % 2'000'000'000) - 1'000'000'000;
            CHECK(windows_of(t, 1h, 1min).size() == 60);
            CHECK(windows_of(t, 1min, 1min).size() == 1);
        }
    }
}

TEST_CASE("window_assign: sliding windows, slide not dividing the size") {
    // size 10, slide 4 (microseconds): windows [..., [-4,6), [0,10), [4,14), [8,18), ...].
    CHECK(windows_of(0, 10us, 4us) == Windows{{-8, 2}, {-4, 6}, {0, 10}});
    CHECK(windows_of(1, 10us, 4us) == Windows{{-8, 2}, {-4, 6}, {0, 10}});
    CHECK(windows_of(2, 10us, 4us) == Windows{{-4, 6}, {0, 10}});
    CHECK(windows_of(5, 10us, 4us) == Windows{{-4, 6}, {0, 10}, {4, 14}});
    CHECK(windows_of(9, 10us, 4us) == Windows{{0, 10}, {4, 14}, {8, 18}});
    CHECK(weir::max_windows_per_event(10us, 4us) == 3);
    CHECK(weir::max_windows_per_event(10us, 5us) == 2);
}

TEST_CASE("window_assign: slide larger than the size leaves gaps") {
    // size 2, slide 5: windows [0,2), [5,7), [10,12) ...
    CHECK(windows_of(0, 2us, 5us) == Windows{{0, 2}});
    CHECK(windows_of(1, 2us, 5us) == Windows{{0, 2}});
    CHECK(windows_of(2, 2us, 5us).empty());
    CHECK(windows_of(4, 2us, 5us).empty());
    CHECK(windows_of(5, 2us, 5us) == Windows{{5, 7}});
    CHECK(windows_of(-3, 2us, 5us).empty());
    CHECK(windows_of(-4, 2us, 5us) == Windows{{-5, -3}});
    CHECK(windows_of(-5, 2us, 5us) == Windows{{-5, -3}});
    CHECK(windows_of(-6, 2us, 5us).empty());
    CHECK(weir::max_windows_per_event(2us, 5us) == 1);
}

TEST_CASE("window_assign: matches the definition on random inputs") {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 20000; ++i) {
        std::int64_t size = 1 + static_cast<std::int64_t>(rng() % 50);
        std::int64_t slide = 1 + static_cast<std::int64_t>(rng() % 60);
        std::int64_t offset = static_cast<std::int64_t>(rng() % 200) - 100;
        std::int64_t t = static_cast<std::int64_t>(rng() % 2000) - 1000;
        CAPTURE(size);
        CAPTURE(slide);
        CAPTURE(offset);
        CAPTURE(t);
        Windows got = windows_of(t, Duration(size), Duration(slide), Duration(offset));
        REQUIRE(got == by_definition(t, size, slide, offset));
        CHECK(got.size() <= static_cast<std::size_t>(
                                weir::max_windows_per_event(Duration(size), Duration(slide))));
        if (slide == size) {
            REQUIRE(got.size() == 1);
            CHECK(got[0].first == window_start(t, Duration(size), Duration(offset)));
        }
        if (size % slide == 0)
            CHECK(got.size() == static_cast<std::size_t>(size / slide));
    }
}

TEST_CASE("window_assign: extreme values neither overflow nor lose the event") {
    constexpr Timestamp max = std::numeric_limits<Timestamp>::max();
    constexpr Timestamp min = std::numeric_limits<Timestamp>::min();
    SUBCASE("the widest event times") {
        for (Timestamp t : {weir::min_rfc3339, weir::max_rfc3339, min + 1, max}) {
            CAPTURE(t);
            Windows got = windows_of(t, 1h, 30min);
            REQUIRE(got.size() >= 1);
            for (auto [start, end] : got)
                CHECK(((start <= t && t < end) || end == max));
            CHECK(window_start(t, 1h, 0s) <= t);
        }
    }
    SUBCASE("huge sizes and offsets take the wide path") {
        Duration huge(max / 2);
        Windows got = windows_of(weir::max_rfc3339, huge, huge, Duration(max / 3));
        REQUIRE(got.size() == 1);
        CHECK(got[0].first <= weir::max_rfc3339);
        CHECK(weir::max_rfc3339 < got[0].second);
        got = windows_of(0, Duration(max), Duration(max / 4), Duration(min + 1));
        CHECK(got.size() >= 4);
        CHECK(got.size() <= 5);
        for (auto [start, end] : got)
            CHECK((start <= 0 && 0 < end));
        CHECK(weir::window_end(max - 5, 10us) == max);
        CHECK(window_start(min + 1, Duration(max), 0s) == min + 1);
        // The aligned start, 5 - 2 * max, is below int64: it saturates.
        CHECK(window_start(min + 1, Duration(max), 5us) == min);
    }
}
