#include "time/rfc3339.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <random>
#include <string>

using weir::parse_rfc3339;
using weir::Timestamp;

namespace {

constexpr Timestamp s = 1'000'000;

std::optional<Timestamp> p(const char* text) {
    return parse_rfc3339(text);
}

} // namespace

TEST_CASE("rfc3339: parses UTC date-times") {
    CHECK(p("1970-01-01T00:00:00Z") == 0);
    CHECK(p("2024-03-01T12:00:00Z") == 1'709'294'400 * s);
    CHECK(p("2001-09-09T01:46:40Z") == 1'000'000'000 * s);
    CHECK(p("2038-01-19T03:14:08Z") == 2'147'483'648 * s);
    SUBCASE("lower-case t and z, or a space") {
        CHECK(p("2024-03-01t12:00:00z") == 1'709'294'400 * s);
        CHECK(p("2024-03-01 12:00:00Z") == 1'709'294'400 * s);
        CHECK(p("2024-03-01 12:00:00+00:00") == 1'709'294'400 * s);
    }
}

TEST_CASE("rfc3339: applies offsets") {
    Timestamp noon = 1'709'294'400 * s;
    CHECK(p("2024-03-01T13:00:00+01:00") == noon);
    CHECK(p("2024-03-01T07:00:00-05:00") == noon);
    CHECK(p("2024-03-01T17:30:00+05:30") == noon);
    CHECK(p("2024-03-01T12:00:00+00:00") == noon);
    CHECK(p("2024-03-01T12:00:00-00:00") == noon);
    SUBCASE("an offset can move the date across a month and a year") {
        CHECK(p("2024-01-01T00:30:00+01:00") == p("2023-12-31T23:30:00Z"));
        CHECK(p("2023-12-31T23:30:00-01:00") == p("2024-01-01T00:30:00Z"));
        CHECK(p("2024-03-01T00:00:00+23:59") == p("2024-02-29T00:01:00Z"));
        CHECK(p("2024-02-29T23:59:00-23:59") == p("2024-03-01T23:58:00Z"));
    }
    SUBCASE("offset ranges and shapes are checked") {
        CHECK_FALSE(p("2024-03-01T12:00:00+24:00"));
        CHECK_FALSE(p("2024-03-01T12:00:00+01:60"));
        CHECK_FALSE(p("2024-03-01T12:00:00+01"));
        CHECK_FALSE(p("2024-03-01T12:00:00+0100"));
        CHECK_FALSE(p("2024-03-01T12:00:00+01:00:00"));
        CHECK_FALSE(p("2024-03-01T12:00:00+1:00"));
        CHECK_FALSE(p("2024-03-01T12:00:00 +01:00"));
        CHECK_FALSE(p("2024-03-01T12:00:00UTC"));
        CHECK_FALSE(p("2024-03-01T12:00:00"));
        CHECK_FALSE(p("2024-03-01T12:00:00ZZ"));
    }
}

TEST_CASE("rfc3339: reads 0 to 9 fraction digits and truncates past microseconds") {
    Timestamp base = 1'709'294'400 * s;
    CHECK(p("2024-03-01T12:00:00.5Z") == base + 500'000);
    CHECK(p("2024-03-01T12:00:00.25Z") == base + 250'000);
    CHECK(p("2024-03-01T12:00:00.125Z") == base + 125'000);
    CHECK(p("2024-03-01T12:00:00.1234Z") == base + 123'400);
    CHECK(p("2024-03-01T12:00:00.12345Z") == base + 123'450);
    CHECK(p("2024-03-01T12:00:00.123456Z") == base + 123'456);
    CHECK(p("2024-03-01T12:00:00.1234567Z") == base + 123'456);
    CHECK(p("2024-03-01T12:00:00.12345678Z") == base + 123'456);
    CHECK(p("2024-03-01T12:00:00.123456789Z") == base + 123'456);
    CHECK(p("2024-03-01T12:00:00.999999999999Z") == base + 999'999);
    CHECK(p("2024-03-01T12:00:00.000001+01:00") == base - 3600 * s + 1);
    SUBCASE("truncation goes to the earlier microsecond before 1970 too") {
        CHECK(p("1969-12-31T23:59:59.9999999Z") == -1);
        CHECK(p("1969-12-31T23:59:59.0000009Z") == -s);
    }
    SUBCASE("a dot needs digits") {
        CHECK_FALSE(p("2024-03-01T12:00:00.Z"));
        CHECK_FALSE(p("2024-03-01T12:00:00.+01:00"));
        CHECK_FALSE(p("2024-03-01T12:00:00,5Z"));
        CHECK_FALSE(p("2024-03-01T12:00:00.5"));
    }
}

TEST_CASE("rfc3339: validates calendar and clock ranges") {
    SUBCASE("leap years") {
        CHECK(p("2024-02-29T00:00:00Z"));
        CHECK(p("2000-02-29T00:00:00Z"));
        CHECK(p("1600-02-29T00:00:00Z"));
        CHECK(p("0000-02-29T00:00:00Z"));
        CHECK_FALSE(p("2023-02-29T00:00:00Z"));
        CHECK_FALSE(p("1900-02-29T00:00:00Z"));
        CHECK_FALSE(p("2100-02-29T00:00:00Z"));
        CHECK_FALSE(p("2024-02-30T00:00:00Z"));
        CHECK(p("2024-03-01T00:00:00Z").value() - p("2024-02-28T00:00:00Z").value() ==
              2 * 86400 * s);
        CHECK(p("2023-03-01T00:00:00Z").value() - p("2023-02-28T00:00:00Z").value() == 86400 * s);
    }
    SUBCASE("days per month") {
        const char* last_days[] = {"01-31", "03-31", "04-30", "05-31", "06-30", "07-31",
                                   "08-31", "09-30", "10-31", "11-30", "12-31"};
        const char* too_far[] = {"01-32", "03-32", "04-31", "05-32", "06-31", "07-32",
                                 "08-32", "09-31", "10-32", "11-31", "12-32"};
        for (const char* d : last_days)
            CHECK(parse_rfc3339(std::string("2023-") + d + "T00:00:00Z"));
        for (const char* d : too_far)
            CHECK_FALSE(parse_rfc3339(std::string("2023-") + d + "T00:00:00Z"));
        CHECK_FALSE(p("2023-00-10T00:00:00Z"));
        CHECK_FALSE(p("2023-13-10T00:00:00Z"));
        CHECK_FALSE(p("2023-01-00T00:00:00Z"));
    }
    SUBCASE("clock") {
        CHECK(p("2023-01-01T23:59:59Z"));
        CHECK_FALSE(p("2023-01-01T24:00:00Z"));
        CHECK_FALSE(p("2023-01-01T00:60:00Z"));
        CHECK_FALSE(p("2023-01-01T00:00:61Z"));
        CHECK_FALSE(p("2023-01-01T00:00:99Z"));
    }
}

TEST_CASE("rfc3339: maps a leap second to the last microsecond of second 59") {
    Timestamp before = p("2016-12-31T23:59:59Z").value();
    CHECK(p("2016-12-31T23:59:60Z") == before + 999'999);
    CHECK(p("2016-12-31T23:59:60.5Z") == before + 999'999);
    CHECK(p("2017-01-01T00:00:00Z") == before + s);
    // The same leap second written in another offset (the minute is not 59 there).
    CHECK(p("2017-01-01T05:29:60+05:30") == before + 999'999);
}

TEST_CASE("rfc3339: dates before 1970") {
    CHECK(p("1969-12-31T23:59:59Z") == -s);
    CHECK(p("1969-12-31T23:59:59.999999Z") == -1);
    CHECK(p("1969-12-31T00:00:00Z") == -86400 * s);
    CHECK(p("1900-01-01T00:00:00Z") == -2'208'988'800 * s);
    CHECK(p("1582-10-15T00:00:00Z") == -12'219'292'800 * s);
    CHECK(p("0001-01-01T00:00:00Z") == -62'135'596'800 * s);
}

TEST_CASE("rfc3339: years 0000 to 9999 in UTC") {
    CHECK(p("0000-01-01T00:00:00Z") == weir::min_rfc3339);
    CHECK(p("9999-12-31T23:59:59.999999Z") == weir::max_rfc3339);
    CHECK(p("9999-12-31T23:59:60Z") == weir::max_rfc3339);
    CHECK(p("0000-01-01T00:00:00-00:01") == weir::min_rfc3339 + 60 * s);
    SUBCASE("an offset that leaves the range is rejected") {
        CHECK_FALSE(p("0000-01-01T00:00:00+00:01"));
        CHECK_FALSE(p("9999-12-31T23:59:59-00:01"));
    }
    CHECK(weir::format_rfc3339(weir::min_rfc3339) == "0000-01-01T00:00:00Z");
    CHECK(weir::format_rfc3339(weir::max_rfc3339) == "9999-12-31T23:59:59.999999Z");
}

TEST_CASE("rfc3339: rejects malformed text") {
    const char* bad[] = {
        "",
        "2024-03-01",
        "2024-03-01T12:00Z",
        "2024-03-01T12:00:00Z ",
        " 2024-03-01T12:00:00Z",
        "2024-03-01T12:00:00Z\n",
        "2024-03-01  12:00:00Z",
        "2024-03-01_12:00:00Z",
        "2024-3-01T12:00:00Z",
        "24-03-01T12:00:00Z",
        "+2024-03-01T12:00:00Z",
        "2024/03/01T12:00:00Z",
        "2024-03-01T12.00.00Z",
        "2024-03-01T1a:00:00Z",
        "2024-03-01T12:00:0Z",
        "20240301T120000Z",
        "yesterday",
        "2024-03-01T12:00:00\0Z",
    };
    for (const char* text : bad) {
        CAPTURE(text);
        CHECK_FALSE(p(text));
    }
    // An embedded NUL is part of the view, not its end.
    CHECK_FALSE(parse_rfc3339(std::string_view("2024-03-01T12:00:00Z\0", 21)));
    // Only the view is read, not the bytes after it.
    CHECK(parse_rfc3339(std::string_view("2024-03-01T12:00:00Zjunk", 20)) == 1'709'294'400 * s);
}

TEST_CASE("rfc3339: formats with the precision kept") {
    using weir::format_rfc3339;
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
    CHECK(format_rfc3339(1'709'294'400 * s) == "2024-03-01T12:00:00Z");
    CHECK(format_rfc3339(1'709'294'400 * s + 250'000) == "2024-03-01T12:00:00.250Z");
    CHECK(format_rfc3339(1'709'294'400 * s + 1'000) == "2024-03-01T12:00:00.001Z");
    CHECK(format_rfc3339(1'709'294'400 * s + 123'456) == "2024-03-01T12:00:00.123456Z");
    CHECK(format_rfc3339(1'709'294'400 * s + 10) == "2024-03-01T12:00:00.000010Z");
    CHECK(format_rfc3339(1'709'294'400 * s + 1'001) == "2024-03-01T12:00:00.001001Z");
    CHECK(format_rfc3339(951'782'400 * s) == "2000-02-29T00:00:00Z");
}

TEST_CASE("rfc3339: formats a fixed number of digits") {
    using weir::format_rfc3339;
    Timestamp t = 1'709'294'400 * s + 123'456;
    CHECK(format_rfc3339(t, 0) == "2024-03-01T12:00:00Z");
    CHECK(format_rfc3339(t, 1) == "2024-03-01T12:00:00.1Z");
    CHECK(format_rfc3339(t, 3) == "2024-03-01T12:00:00.123Z");
    CHECK(format_rfc3339(t, 5) == "2024-03-01T12:00:00.12345Z");
    CHECK(format_rfc3339(t, 6) == "2024-03-01T12:00:00.123456Z");
    CHECK(format_rfc3339(t, 9) == "2024-03-01T12:00:00.123456000Z");
    CHECK(format_rfc3339(0, 3) == "1970-01-01T00:00:00.000Z");
    SUBCASE("out-of-range digit counts are clamped") {
        CHECK(format_rfc3339(t, 12) == format_rfc3339(t, 9));
        CHECK(format_rfc3339(t, -7) == format_rfc3339(t, -1));
    }
}

TEST_CASE("rfc3339: formats times before 1970 with floor division") {
    using weir::format_rfc3339;
    CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59.999999Z");
    CHECK(format_rfc3339(-s) == "1969-12-31T23:59:59Z");
    CHECK(format_rfc3339(-1'500) == "1969-12-31T23:59:59.998500Z");
    CHECK(format_rfc3339(-500'000) == "1969-12-31T23:59:59.500Z");
    CHECK(format_rfc3339(-86400 * s) == "1969-12-31T00:00:00Z");
    CHECK(format_rfc3339(-86400 * s - 1) == "1969-12-30T23:59:59.999999Z");
    CHECK(format_rfc3339(-2'208'988'800 * s) == "1900-01-01T00:00:00Z");
    CHECK(format_rfc3339(-1, 0) == "1969-12-31T23:59:59Z");
}

TEST_CASE("rfc3339: writes an expanded year outside 0000-9999") {
    using weir::format_rfc3339;
    CHECK(format_rfc3339(weir::min_rfc3339 - 1) == "-0001-12-31T23:59:59.999999Z");
    CHECK(format_rfc3339(weir::max_rfc3339 + 1) == "+10000-01-01T00:00:00Z");
    CHECK(format_rfc3339(weir::no_timestamp) == "-290308-12-21T19:59:05.224192Z");
    CHECK(format_rfc3339(std::numeric_limits<Timestamp>::max()) ==
          "+294247-01-10T04:00:54.775807Z");
    CHECK_FALSE(p("-0001-12-31T23:59:59.999999Z"));
    CHECK_FALSE(p("+10000-01-01T00:00:00Z"));
}

TEST_CASE("rfc3339: append_rfc3339 appends") {
    std::string out = "at ";
    weir::append_rfc3339(out, 0);
    weir::append_rfc3339(out, 1'000, 6);
    CHECK(out == "at 1970-01-01T00:00:00Z1970-01-01T00:00:00.001000Z");
}

TEST_CASE("rfc3339: days_from_civil agrees with a day-by-day walk over 0000-9999") {
    using namespace weir::detail;
    std::int64_t days = days_from_civil(0, 1, 1);
    CHECK(days == weir::min_rfc3339 / (86400 * s));
    std::int64_t walked = 0;
    for (std::int64_t year = 0; year <= 9999; ++year) {
        for (unsigned month = 1; month <= 12; ++month) {
            unsigned last = days_in_month(year, month);
            for (unsigned day = 1; day <= last; ++day) {
                std::int64_t expect = days + walked;
                if (days_from_civil(year, month, day) != expect) {
                    FAIL("days_from_civil(", year, "-", month, "-", day, ")");
                }
                CivilDate back = civil_from_days(expect);
                if (back.year != year || back.month != month || back.day != day) {
                    FAIL("civil_from_days(", expect, ")");
                }
                ++walked;
            }
        }
    }
    CHECK(walked == 3'652'425); // 10000 years of 365.2425 days
    CHECK(days_from_civil(1970, 1, 1) == 0);
}

TEST_CASE("rfc3339: agrees with timegm") {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> secs(weir::min_rfc3339 / s, weir::max_rfc3339 / s);
    for (int i = 0; i < 2000; ++i) {
        auto t = static_cast<std::time_t>(secs(rng));
        std::tm tm{};
        REQUIRE(gmtime_r(&t, &tm));
        char text[64];
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        CAPTURE(text);
        CHECK(p(text) == static_cast<Timestamp>(t) * s);
        CHECK(weir::format_rfc3339(static_cast<Timestamp>(t) * s) == text);
    }
}

TEST_CASE("rfc3339: format and parse round-trip") {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<Timestamp> any(weir::min_rfc3339, weir::max_rfc3339);
    std::uniform_int_distribution<Timestamp> near_epoch(-1'000 * s, 1'000 * s);
    for (int i = 0; i < 20000; ++i) {
        Timestamp t = i % 2 ? any(rng) : near_epoch(rng);
        if (i % 3 == 0)
            t -= t % 1000; // whole milliseconds take the 3-digit form
        std::string text = weir::format_rfc3339(t);
        CAPTURE(text);
        REQUIRE(p(text.c_str()) == t);
        CHECK(parse_rfc3339(weir::format_rfc3339(t, 6)) == t);
        CHECK(parse_rfc3339(weir::format_rfc3339(t, 9)) == t);
        // Fewer digits floor to that precision, also before 1970.
        Timestamp ms = t - ((t % 1000) + 1000) % 1000;
        CHECK(parse_rfc3339(weir::format_rfc3339(t, 3)) == ms);
        Timestamp whole = t - ((t % s) + s) % s;
        CHECK(parse_rfc3339(weir::format_rfc3339(t, 0)) == whole);
        // Same instant in another offset.
        if (t > weir::min_rfc3339 + 86400 * s) {
            std::string shifted = weir::format_rfc3339(t - 5 * 3600 * s - 30 * 60 * s, 6);
            shifted.back() = '-';
            shifted += "05:30";
            CHECK(parse_rfc3339(shifted) == t);
        }
    }
}

TEST_CASE("rfc3339: the remembered date never changes a result") {
    // Same date again (the cached path), then other dates and bad ones in between.
    const char* texts[] = {"2024-02-29T10:00:00Z", "2024-02-29T23:59:59.5Z",
                           "2024-02-30T00:00:00Z", "2024-02-29T24:00:00Z",
                           "2023-02-29T00:00:00Z", "2024-02-29X00:00:00Z",
                           "2024-02-29T00:00:00+01:00", "1970-01-01T00:00:00Z",
                           "2024-02-29T00:00:00Z"};
    std::optional<weir::Timestamp> want[] = {1709200800000000, 1709251199500000, std::nullopt,
                                             std::nullopt,     std::nullopt,     std::nullopt,
                                             1709161200000000, 0,                1709164800000000};
    for (int round = 0; round < 2; ++round)
        for (std::size_t i = 0; i < std::size(texts); ++i) {
            CAPTURE(texts[i]);
            CHECK(weir::parse_rfc3339(texts[i]) == want[i]);
        }
}
