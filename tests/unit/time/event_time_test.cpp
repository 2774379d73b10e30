#include "time/event_time.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using weir::EventTimeResult;
using weir::TimeUnit;

namespace {

// Parses `json` (one value) and converts it; the parser outlives only this call,
// which the result must not depend on.
EventTimeResult convert(std::string_view json, TimeUnit unit = TimeUnit::auto_) {
    simdjson::dom::parser parser;
    simdjson::dom::element value;
    std::string padded(json);
    REQUIRE(parser.parse(padded).get(value) == simdjson::SUCCESS);
    return weir::event_time_from_json(value, unit);
}

std::string error_of(std::string_view json, TimeUnit unit = TimeUnit::auto_) {
    EventTimeResult r = convert(json, unit);
    CHECK_FALSE(r.ok());
    CHECK(r.time() == weir::no_timestamp);
    return std::string(r.error());
}

} // namespace

TEST_CASE("event_time: reads RFC 3339 strings") {
    EventTimeResult r = convert(R"("2024-03-01T13:00:00.25+01:00")");
    REQUIRE(r.ok());
    CHECK(r.time() == 1'709'294'400'250'000);
    CHECK(r.error().empty());
    SUBCASE("the unit does not apply to strings") {
        CHECK(convert(R"("1970-01-01T00:00:01Z")", TimeUnit::ms).time() == 1'000'000);
    }
    SUBCASE("JSON escapes are decoded first") {
        CHECK(convert(R"("2024-03-01\u005412:00:00Z")").time() == 1'709'294'400'000'000);
    }
}

TEST_CASE("event_time: reads numbers in the unit given") {
    CHECK(convert("1709294400").time() == 1'709'294'400'000'000);
    CHECK(convert("1709294400250").time() == 1'709'294'400'250'000);
    CHECK(convert("1709294400250001").time() == 1'709'294'400'250'001);
    CHECK(convert("1709294400.5").time() == 1'709'294'400'500'000);
    CHECK(convert("-1").time() == -1'000'000);
    CHECK(convert("1709294400", TimeUnit::ms).time() == 1'709'294'400'000);
    CHECK(convert("1709294400", TimeUnit::us).time() == 1'709'294'400);
    CHECK(convert("1.5e3", TimeUnit::ms).time() == 1'500'000);
}

TEST_CASE("event_time: says why a value is not a timestamp") {
    CHECK(error_of(R"("yesterday")") == R"("yesterday" is not a timestamp)");
    CHECK(error_of("true") == "true is not a timestamp");
    CHECK(error_of("false") == "false is not a timestamp");
    CHECK(error_of("null") == "null is not a timestamp");
    CHECK(error_of(R"({"t": 1})") == "an object is not a timestamp");
    CHECK(error_of("[1, 2]") == "an array is not a timestamp");
    CHECK(error_of(R"("")") == R"("" is not a timestamp)");
    SUBCASE("a quoted number is not an epoch time") {
        CHECK(error_of(R"("1709294400")") == R"("1709294400" is not a timestamp)");
    }
    SUBCASE("numbers out of range name the unit") {
        CHECK(error_of("253402300800", TimeUnit::s) ==
              "253402300800 is not a timestamp (out of range in s)");
        CHECK(error_of("9223372036854775807") ==
              "9223372036854775807 is not a timestamp (out of range in us)");
        CHECK(error_of("18446744073709551615", TimeUnit::ms) ==
              "18446744073709551615 is not a timestamp (out of range in ms)");
        CHECK(error_of("-1e300") == "-1e+300 is not a timestamp (out of range in us)");
        CHECK(error_of("1e19", TimeUnit::s) == "1e+19 is not a timestamp (out of range in s)");
    }
    SUBCASE("strings are escaped and shortened") {
        CHECK(error_of(R"("a\"b\\c\n")") == R"("a\"b\\c\u000a" is not a timestamp)");
        std::string long_text(200, 'x');
        std::string shown = error_of("\"" + long_text + "\"");
        CHECK(shown == "\"" + std::string(48, 'x') + "...\" is not a timestamp");
        CHECK(shown.size() <= EventTimeResult::error_capacity);
    }
    SUBCASE("shortening never splits a UTF-8 character") {
        // 47 ASCII bytes, then 3-byte characters across the 48-byte limit.
        std::string text(47, 'a');
        for (int i = 0; i < 10; ++i)
            text += "\xe2\x82\xac"; // U+20AC EURO SIGN
        std::string shown = error_of("\"" + text + "\"");
        CHECK(shown == "\"" + std::string(47, 'a') + "\xe2\x82\xac...\" is not a timestamp");
    }
}

TEST_CASE("event_time: results are self-contained values") {
    EventTimeResult bad = convert(R"("not a time")");
    EventTimeResult copy = bad;
    CHECK(copy.error() == R"("not a time" is not a timestamp)");
    CHECK(EventTimeResult::failure(std::string(500, 'e')).error().size() ==
          EventTimeResult::error_capacity);
    CHECK(EventTimeResult::success(0).ok());
}
