#include "cli/error.hpp"
#include "time/duration.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>

using namespace std::chrono_literals;
using weir::Duration;
using weir::try_parse_duration;

TEST_CASE("duration: parses single units") {
    CHECK(try_parse_duration("250ms") == 250ms);
    CHECK(try_parse_duration("90s") == 90s);
    CHECK(try_parse_duration("5m") == 5min);
    CHECK(try_parse_duration("2h") == 2h);
    CHECK(try_parse_duration("2d") == 48h);
    CHECK(try_parse_duration("1w") == 168h);
    CHECK(try_parse_duration("500us") == 500us);
    CHECK(try_parse_duration("0s") == 0s);
    CHECK(try_parse_duration("0") == 0s);
    CHECK(try_parse_duration("007s") == 7s);
}

TEST_CASE("duration: parses compound units") {
    CHECK(weir::parse_duration("1h30m") == std::chrono::minutes(90));
    CHECK(try_parse_duration("1w2d3h4m5s6ms7us") ==
          Duration(604'800'000'000 + 2 * 86'400'000'000 + 3 * 3'600'000'000 + 4 * 60'000'000 +
                   5'000'000 + 6'000 + 7));
    CHECK(try_parse_duration("1m30s") == 90s);
    CHECK(try_parse_duration("1s500ms") == 1500ms);
    CHECK(try_parse_duration("90m") == 90min);
    CHECK(try_parse_duration("1h0m") == 1h);
    SUBCASE("units must descend and appear once") {
        CHECK_FALSE(try_parse_duration("30m1h"));
        CHECK_FALSE(try_parse_duration("1h1h"));
        CHECK_FALSE(try_parse_duration("1s1m"));
        CHECK_FALSE(try_parse_duration("1ms1s"));
        CHECK_FALSE(try_parse_duration("1us1ms"));
    }
}

TEST_CASE("duration: accepts fractions that are whole microseconds") {
    CHECK(try_parse_duration("1.5s") == 1500ms);
    CHECK(try_parse_duration("0.25s") == 250ms);
    CHECK(try_parse_duration("1.5h") == 90min);
    CHECK(try_parse_duration("0.5ms") == 500us);
    CHECK(try_parse_duration("0.000001s") == 1us);
    CHECK(try_parse_duration("1.50000000000000000000s") == 1500ms);
    CHECK(try_parse_duration("0.5w") == 84h);
    CHECK(try_parse_duration("1.5h30m") == 2h);
    SUBCASE("a fraction below a microsecond is rejected, not rounded") {
        CHECK_FALSE(try_parse_duration("1.5us"));
        CHECK_FALSE(try_parse_duration("0.0000001s"));
        CHECK_FALSE(try_parse_duration("0.3333333333333h"));
        CHECK_FALSE(try_parse_duration("0.00000000000001w"));
    }
    SUBCASE("both sides of the dot need digits") {
        CHECK_FALSE(try_parse_duration(".5s"));
        CHECK_FALSE(try_parse_duration("1.s"));
        CHECK_FALSE(try_parse_duration("1..5s"));
        CHECK_FALSE(try_parse_duration("1.5.5s"));
    }
}

TEST_CASE("duration: rejects what is not a duration") {
    const char* bad[] = {"",    "m",  "s",    "5",      "10",   "-5s", "+5s",   "5 s",  " 5s",
                         "5s ", "5M", "5S",   "5H",     "5y",   "5mo", "5ns",   "5sec", "5min",
                         "1h ", "h1", "1h30", "1h-30m", "1e3s", "5µs", "0x10s", "1,5s", "0s0"};
    for (const char* text : bad) {
        CAPTURE(text);
        CHECK_FALSE(try_parse_duration(text));
    }
}

TEST_CASE("duration: rejects overflow") {
    // INT64_MAX microseconds is 15250284 weeks 3 days 4:00:54.775807.
    CHECK(try_parse_duration("9223372036854775807us") ==
          Duration(std::numeric_limits<std::int64_t>::max()));
    CHECK_FALSE(try_parse_duration("9223372036854775808us"));
    CHECK_FALSE(try_parse_duration("99999999999999999999999us"));
    CHECK(try_parse_duration("15250284w"));
    CHECK_FALSE(try_parse_duration("15250285w"));
    CHECK_FALSE(try_parse_duration("9223372036854775807s"));
    CHECK_FALSE(try_parse_duration("15250284w4d"));
    CHECK(try_parse_duration("15250284w3d4h54s775ms807us"));
    CHECK_FALSE(try_parse_duration("15250284w3d4h54s775ms808us"));
    CHECK_FALSE(try_parse_duration("9223372036854775807ms1us"));
    CHECK_FALSE(try_parse_duration("15250284.9w"));
}

TEST_CASE("duration: parse_duration throws a usage error") {
    try {
        weir::parse_duration("5 minutes");
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        CHECK(std::string(e.what()) ==
              "'5 minutes' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)");
    }
    CHECK_THROWS_AS(weir::parse_duration(""), weir::Error);
    CHECK(weir::parse_duration("2d") == 48h);
}

TEST_CASE("duration: formats the canonical compound form") {
    using weir::format_duration;
    CHECK(format_duration(0s) == "0s");
    CHECK(format_duration(90min) == "1h30m");
    CHECK(format_duration(90s) == "1m30s");
    CHECK(format_duration(250ms) == "250ms");
    CHECK(format_duration(1500ms) == "1s500ms");
    CHECK(format_duration(1us) == "1us");
    CHECK(format_duration(48h) == "2d");
    CHECK(format_duration(168h) == "1w");
    CHECK(format_duration(192h) == "1w1d");
    CHECK(format_duration(Duration(3'600'000'001)) == "1h1us");
    CHECK(format_duration(Duration(std::numeric_limits<std::int64_t>::max())) ==
          "15250284w3d4h54s775ms807us");
    SUBCASE("negative durations get a sign") {
        CHECK(format_duration(-5s) == "-5s");
        CHECK(format_duration(Duration(std::numeric_limits<std::int64_t>::min())) ==
              "-15250284w3d4h54s775ms808us");
    }
}

TEST_CASE("duration: format and parse round-trip") {
    std::mt19937_64 rng(3);
    for (int i = 0; i < 20000; ++i) {
        // Spread over all magnitudes, with many round values.
        auto bits = static_cast<int>(rng() % 63);
        auto v = static_cast<std::int64_t>(rng() >> (63 - bits) >> 1);
        if (i % 4 == 0)
            v -= v % 1'000'000;
        std::string text = weir::format_duration(Duration(v));
        CAPTURE(text);
        REQUIRE(try_parse_duration(text) == Duration(v));
    }
    CHECK(try_parse_duration(
              weir::format_duration(Duration(std::numeric_limits<std::int64_t>::max()))) ==
          Duration(std::numeric_limits<std::int64_t>::max()));
}
