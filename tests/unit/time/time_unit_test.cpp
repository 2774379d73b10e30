#include "time/time_unit.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

using weir::timestamp_from_number;
using weir::TimeUnit;

TEST_CASE("time_unit: parses the flag values") {
    CHECK(weir::parse_time_unit("auto") == TimeUnit::auto_);
    CHECK(weir::parse_time_unit("s") == TimeUnit::s);
    CHECK(weir::parse_time_unit("ms") == TimeUnit::ms);
    CHECK(weir::parse_time_unit("us") == TimeUnit::us);
    CHECK_FALSE(weir::parse_time_unit(""));
    CHECK_FALSE(weir::parse_time_unit("S"));
    CHECK_FALSE(weir::parse_time_unit("ns"));
    CHECK_FALSE(weir::parse_time_unit("seconds"));
    for (TimeUnit u : {TimeUnit::auto_, TimeUnit::s, TimeUnit::ms, TimeUnit::us})
        CHECK(weir::parse_time_unit(weir::time_unit_name(u)) == u);
}

TEST_CASE("time_unit: explicit units are exact for integers") {
    constexpr std::int64_t t = 1'709'294'400;
    CHECK(timestamp_from_number(t, TimeUnit::s) == t * 1'000'000);
    CHECK(timestamp_from_number(t * 1000 + 250, TimeUnit::ms) == t * 1'000'000 + 250'000);
    CHECK(timestamp_from_number(t * 1'000'000 + 7, TimeUnit::us) == t * 1'000'000 + 7);
    CHECK(timestamp_from_number(std::int64_t{0}, TimeUnit::s) == 0);
    CHECK(timestamp_from_number(std::int64_t{-1}, TimeUnit::s) == -1'000'000);
    CHECK(timestamp_from_number(std::int64_t{-1}, TimeUnit::ms) == -1'000);
    SUBCASE("an explicit unit is used whatever the magnitude") {
        CHECK(timestamp_from_number(std::int64_t{5}, TimeUnit::us) == 5);
        CHECK(timestamp_from_number(std::int64_t{5}, TimeUnit::ms) == 5'000);
    }
}

TEST_CASE("time_unit: auto picks the unit by magnitude") {
    constexpr std::int64_t t = 1'709'294'400;
    CHECK(timestamp_from_number(t, TimeUnit::auto_) == t * 1'000'000);
    CHECK(timestamp_from_number(t * 1000 + 1, TimeUnit::auto_) == t * 1'000'000 + 1'000);
    CHECK(timestamp_from_number(t * 1'000'000 + 1, TimeUnit::auto_) == t * 1'000'000 + 1);
    CHECK(timestamp_from_number(-t, TimeUnit::auto_) == -t * 1'000'000);
    CHECK(timestamp_from_number(-t * 1000, TimeUnit::auto_) == -t * 1'000'000);
    SUBCASE("the boundaries") {
        CHECK(weir::auto_time_unit(99'999'999'999.0) == TimeUnit::s);
        CHECK(weir::auto_time_unit(1e11) == TimeUnit::ms);
        CHECK(weir::auto_time_unit(-1e11) == TimeUnit::ms);
        CHECK(weir::auto_time_unit(99'999'999'999'999.0) == TimeUnit::ms);
        CHECK(weir::auto_time_unit(1e14) == TimeUnit::us);
        CHECK(weir::auto_time_unit(0.0) == TimeUnit::s);
        CHECK(timestamp_from_number(std::int64_t{99'999'999'999}, TimeUnit::auto_) ==
              std::int64_t{99'999'999'999} * 1'000'000);
        CHECK(timestamp_from_number(std::int64_t{100'000'000'000}, TimeUnit::auto_) ==
              std::int64_t{100'000'000'000} * 1'000);
        CHECK(timestamp_from_number(std::int64_t{100'000'000'000'000}, TimeUnit::auto_) ==
              std::int64_t{100'000'000'000'000});
    }
}

TEST_CASE("time_unit: doubles round to the microsecond") {
    CHECK(timestamp_from_number(1.5, TimeUnit::s) == 1'500'000);
    CHECK(timestamp_from_number(1'709'294'400.123456, TimeUnit::s) == 1'709'294'400'123'456);
    CHECK(timestamp_from_number(1'709'294'400'123.456, TimeUnit::ms) == 1'709'294'400'123'456);
    CHECK(timestamp_from_number(1'709'294'400.5, TimeUnit::auto_) == 1'709'294'400'500'000);
    CHECK(timestamp_from_number(-0.5, TimeUnit::s) == -500'000);
    CHECK(timestamp_from_number(0.4, TimeUnit::us) == 0);
    CHECK(timestamp_from_number(1e15, TimeUnit::auto_) == 1'000'000'000'000'000);
    CHECK(timestamp_from_number(1'709'294'400.0, TimeUnit::s) ==
          timestamp_from_number(std::int64_t{1'709'294'400}, TimeUnit::s));
}

TEST_CASE("time_unit: out of range is nullopt") {
    SUBCASE("integers: years 0000-9999 only, no overflow") {
        CHECK(timestamp_from_number(std::int64_t{253'402'300'799}, TimeUnit::s) ==
              std::int64_t{253'402'300'799} * 1'000'000);
        CHECK_FALSE(timestamp_from_number(std::int64_t{253'402'300'800}, TimeUnit::s));
        CHECK(timestamp_from_number(std::int64_t{-62'167'219'200}, TimeUnit::s) ==
              weir::min_rfc3339);
        CHECK_FALSE(timestamp_from_number(std::int64_t{-62'167'219'201}, TimeUnit::s));
        CHECK(timestamp_from_number(weir::max_rfc3339, TimeUnit::us) == weir::max_rfc3339);
        CHECK_FALSE(timestamp_from_number(weir::max_rfc3339 + 1, TimeUnit::us));
        CHECK_FALSE(timestamp_from_number(weir::min_rfc3339 - 1, TimeUnit::us));
        CHECK_FALSE(timestamp_from_number(std::numeric_limits<std::int64_t>::max(), TimeUnit::s));
        CHECK_FALSE(timestamp_from_number(std::numeric_limits<std::int64_t>::min(), TimeUnit::ms));
        CHECK_FALSE(
            timestamp_from_number(std::numeric_limits<std::int64_t>::min(), TimeUnit::auto_));
    }
    SUBCASE("doubles") {
        CHECK_FALSE(timestamp_from_number(std::nan(""), TimeUnit::s));
        CHECK_FALSE(timestamp_from_number(HUGE_VAL, TimeUnit::s));
        CHECK_FALSE(timestamp_from_number(-HUGE_VAL, TimeUnit::auto_));
        CHECK_FALSE(timestamp_from_number(1e300, TimeUnit::auto_));
        CHECK_FALSE(timestamp_from_number(-1e300, TimeUnit::us));
        CHECK_FALSE(timestamp_from_number(253'402'300'800.0, TimeUnit::s));
        CHECK(timestamp_from_number(253'402'300'799.0, TimeUnit::s));
        CHECK_FALSE(timestamp_from_number(9.3e18, TimeUnit::us));
    }
}
