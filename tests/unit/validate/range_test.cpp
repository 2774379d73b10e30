// The MIN..MAX grammar of range rules (validate/range.hpp): numbers, timestamps, open
// ends, and every error message.

#include "time/rfc3339.hpp"
#include "validate/range.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using weir::Range;
using weir::Timestamp;

namespace {

Range parse(std::string_view text) {
    std::string why;
    std::optional<Range> r = weir::parse_range(text, &why);
    INFO(text, " -> ", why);
    REQUIRE(r.has_value());
    CHECK(why.empty());
    return *r;
}

std::string error(std::string_view text) {
    std::string why;
    std::optional<Range> r = weir::parse_range(text, &why);
    INFO(text);
    CHECK_FALSE(r.has_value());
    return why;
}

Timestamp at(std::string_view rfc3339) {
    std::optional<Timestamp> t = weir::parse_rfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

} // namespace

TEST_CASE("range: numbers, both ends") {
    Range r = parse("0..1000");
    CHECK_FALSE(r.timestamps);
    CHECK(r.min == 0.0);
    CHECK(r.max == 1000.0);
    CHECK_FALSE(r.min_time);
    CHECK_FALSE(r.max_time);

    r = parse("-5..-1");
    CHECK(r.min == -5.0);
    CHECK(r.max == -1.0);

    r = parse("2.5..2.5e3");
    CHECK(r.min == 2.5);
    CHECK(r.max == 2500.0);

    r = parse("-1.5E-2..1E2");
    CHECK(r.min == -0.015);
    CHECK(r.max == 100.0);

    r = parse("7..7"); // one value: inclusive at both ends
    CHECK(r.min == 7.0);
    CHECK(r.max == 7.0);
}

TEST_CASE("range: open ends") {
    Range r = parse("0..");
    CHECK_FALSE(r.timestamps);
    CHECK(r.min == 0.0);
    CHECK_FALSE(r.max);

    r = parse("..100");
    CHECK_FALSE(r.min);
    CHECK(r.max == 100.0);

    r = parse("2024-01-01T00:00:00Z..");
    CHECK(r.timestamps);
    CHECK(r.min_time == at("2024-01-01T00:00:00Z"));
    CHECK_FALSE(r.max_time);
    CHECK_FALSE(r.min);

    r = parse("..2024-01-01T00:00:00.5Z");
    CHECK(r.timestamps);
    CHECK_FALSE(r.min_time);
    CHECK(r.max_time == at("2024-01-01T00:00:00.5Z"));
}

TEST_CASE("range: timestamps, any offset, as UTC microseconds") {
    Range r = parse("2024-01-01T00:00:00Z..2024-12-31T23:59:59.999999Z");
    CHECK(r.timestamps);
    CHECK(r.min_time == at("2024-01-01T00:00:00Z"));
    CHECK(r.max_time == at("2024-12-31T23:59:59.999999Z"));
    CHECK_FALSE(r.min);
    CHECK_FALSE(r.max);

    // The same instant written in two offsets is a one-instant range, not an empty one.
    r = parse("2024-03-01T13:00:00+01:00..2024-03-01T12:00:00Z");
    CHECK(*r.min_time == *r.max_time);
    CHECK(*r.min_time == at("2024-03-01T12:00:00Z"));
}

TEST_CASE("range: not MIN..MAX") {
    CHECK(error("0-100") == "range '0-100' is not MIN..MAX (e.g. 0..100, 0.., ..100)");
    CHECK(error("") == "range '' is not MIN..MAX (e.g. 0..100, 0.., ..100)");
    CHECK(error("5") == "range '5' is not MIN..MAX (e.g. 0..100, 0.., ..100)");
    CHECK(error("1.5") == "range '1.5' is not MIN..MAX (e.g. 0..100, 0.., ..100)");
}

TEST_CASE("range: an end that is neither a number nor a timestamp") {
    CHECK(error("a..5") == "range 'a..5': 'a' is not a number or an RFC 3339 time");
    CHECK(error("5..b") == "range '5..b': 'b' is not a number or an RFC 3339 time");
    // The first bad end is named.
    CHECK(error("a..b") == "range 'a..b': 'a' is not a number or an RFC 3339 time");
    // Not numbers: infinities, NaN, a sign '+', blanks, hex, trailing garbage.
    CHECK(error("inf..") == "range 'inf..': 'inf' is not a number or an RFC 3339 time");
    CHECK(error("..nan") == "range '..nan': 'nan' is not a number or an RFC 3339 time");
    CHECK(error("+1..2") == "range '+1..2': '+1' is not a number or an RFC 3339 time");
    CHECK(error(" 1..2") == "range ' 1..2': ' 1' is not a number or an RFC 3339 time");
    CHECK(error("0x10..") == "range '0x10..': '0x10' is not a number or an RFC 3339 time");
    CHECK(error("1..2..3") == "range '1..2..3': '2..3' is not a number or an RFC 3339 time");
    CHECK(error("1e999..") == "range '1e999..': '1e999' is not a number or an RFC 3339 time");
    // Not RFC 3339: a date alone, no offset, a time out of range.
    CHECK(error("2024-01-01..") ==
          "range '2024-01-01..': '2024-01-01' is not a number or an RFC 3339 time");
    CHECK(error("..2024-01-01T00:00:00") ==
          "range '..2024-01-01T00:00:00': '2024-01-01T00:00:00' is not a number or an RFC "
          "3339 time");
    CHECK(error("2024-13-01T00:00:00Z..") ==
          "range '2024-13-01T00:00:00Z..': '2024-13-01T00:00:00Z' is not a number or an RFC "
          "3339 time");
}

TEST_CASE("range: no bound") {
    CHECK(error("..") == "range '..' has no bound");
}

TEST_CASE("range: a number and a timestamp mixed") {
    CHECK(error("0..2024-01-01T00:00:00Z") ==
          "range '0..2024-01-01T00:00:00Z' mixes a number and a timestamp");
    CHECK(error("2024-01-01T00:00:00Z..1e12") ==
          "range '2024-01-01T00:00:00Z..1e12' mixes a number and a timestamp");
}

TEST_CASE("range: empty ranges") {
    CHECK(error("9..1") == "range '9..1' is empty: 9 is greater than 1");
    CHECK(error("-1..-2") == "range '-1..-2' is empty: -1 is greater than -2");
    CHECK(error("1e3..999") == "range '1e3..999' is empty: 1e3 is greater than 999");
    CHECK(error("2024-01-02T00:00:00Z..2024-01-01T00:00:00Z") ==
          "range '2024-01-02T00:00:00Z..2024-01-01T00:00:00Z' is empty: 2024-01-02T00:00:00Z "
          "is greater than 2024-01-01T00:00:00Z");
    // Ends compare as instants, not as written: 13:00+01:00 is 12:00Z.
    CHECK(error("2024-03-01T12:30:00Z..2024-03-01T13:00:00+01:00") ==
          "range '2024-03-01T12:30:00Z..2024-03-01T13:00:00+01:00' is empty: "
          "2024-03-01T12:30:00Z is greater than 2024-03-01T13:00:00+01:00");
    CHECK(parse("2024-03-01T12:30:00+01:00..2024-03-01T12:00:00Z").timestamps);
}

TEST_CASE("range: a null error pointer is allowed") {
    CHECK_FALSE(weir::parse_range("9..1", nullptr).has_value());
    CHECK(weir::parse_range("1..9", nullptr).has_value());
}
