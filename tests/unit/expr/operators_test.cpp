#include "expr/operators.hpp"
#include "expr_helpers.hpp"

#include <doctest/doctest.h>

using weir::test::ev;

namespace {

// A record with one field of each kind.
constexpr std::string_view rec =
    R"({"i":7,"f":2.5,"s":"ab","b":true,"n":null,"arr":[1,2],"o":{"k":1},)"
    R"("big":9223372036854775807,"small":-9223372036854775808,"zero":0})";

} // namespace

TEST_CASE("expr operators: integer arithmetic") {
    CHECK(ev("i + 1", rec) == "integer 8");
    CHECK(ev("i - 10", rec) == "integer -3");
    CHECK(ev("i * 3", rec) == "integer 21");
    CHECK(ev("i % 4", rec) == "integer 3");
    CHECK(ev("-7 % 4") == "integer -3"); // sign of the dividend, as in C
    SUBCASE("division is true division, always a number") {
        CHECK(ev("i / 2", rec) == "number 3.5");
        CHECK(ev("6 / 3") == "number 2.0");
    }
    SUBCASE("overflow and division by zero are null") {
        CHECK(ev("big + 1", rec) == "null null");
        CHECK(ev("small - 1", rec) == "null null");
        CHECK(ev("big * 2", rec) == "null null");
        CHECK(ev("-small", rec) == "null null");
        CHECK(ev("i / zero", rec) == "null null");
        CHECK(ev("i % zero", rec) == "null null");
        CHECK(ev("small % -1", rec) == "integer 0");
    }
}

TEST_CASE("expr operators: numbers and mixed arithmetic") {
    CHECK(ev("f + 1", rec) == "number 3.5");
    CHECK(ev("i * f", rec) == "number 17.5");
    CHECK(ev("f - 0.5", rec) == "number 2.0");
    CHECK(ev("f / 0.5", rec) == "number 5.0");
    CHECK(ev("f % 1", rec) == "number 0.5");
    CHECK(ev("-f", rec) == "number -2.5");
    CHECK(ev("f / 0", rec) == "null null");
    CHECK(ev("f % 0.0", rec) == "null null");
    CHECK(ev("1e308 * 10") == "null null"); // not finite
}

TEST_CASE("expr operators: strings concatenate with +, nothing else") {
    CHECK(ev("s + 'c'", rec) == R"(string "abc")");
    CHECK(ev("s + s + s", rec) == R"(string "ababab")");
    CHECK(ev("s - 'a'", rec) == "null null");
    CHECK(ev("s * 2", rec) == "null null");
    CHECK(ev("s + 1", rec) == "null null");
    CHECK(ev("-s", rec) == "null null");
}

TEST_CASE("expr operators: time arithmetic") {
    std::string_view t = R"(t"2024-01-01T00:00:00Z")";
    std::string base(t);
    CHECK(ev(base + " + 90s") == R"(timestamp "2024-01-01T00:01:30Z")");
    CHECK(ev("90s + " + base) == R"(timestamp "2024-01-01T00:01:30Z")");
    CHECK(ev(base + " - 1d") == R"(timestamp "2023-12-31T00:00:00Z")");
    CHECK(ev(base + " - t\"2023-12-31T23:00:00Z\"") == R"(duration "1h")");
    CHECK(ev("t\"2023-12-31T23:00:00Z\" - " + base) == R"(duration "-1h")");
    CHECK(ev("1h + 30m") == R"(duration "1h30m")");
    CHECK(ev("1h - 2h") == R"(duration "-1h")");
    CHECK(ev("-5m") == R"(duration "-5m")");
    CHECK(ev("5m * 2") == R"(duration "10m")");
    CHECK(ev("2 * 5m") == R"(duration "10m")");
    CHECK(ev("1h * 1.5") == R"(duration "1h30m")");
    CHECK(ev("1h / 4") == R"(duration "15m")");
    CHECK(ev("1h / 0") == "null null");
    CHECK(ev("1h / 30m") == "number 2.0");
    CHECK(ev("1h / 0s") == "null null");
    CHECK(ev("95m % 1h") == R"(duration "35m")");
    SUBCASE("mismatches are null") {
        CHECK(ev(base + " + " + base) == "null null");
        CHECK(ev(base + " + 1") == "null null");
        CHECK(ev("1d - " + base) == "null null");
        CHECK(ev("5m + 1") == "null null");
        CHECK(ev(base + " * 2") == "null null");
        CHECK(ev("5m * 5m") == "null null");
        CHECK(ev("-" + base) == "null null");
    }
    SUBCASE("results beyond years 0000-9999 are null") {
        CHECK(ev("t\"9999-12-31T23:59:59Z\" + 1s") == "null null");
        CHECK(ev("t\"0000-01-01T00:00:00Z\" - 1us") == "null null");
    }
}

TEST_CASE("expr operators: missing, null and other kinds propagate null") {
    for (const char* op : {"+", "-", "*", "/", "%"}) {
        CAPTURE(op);
        std::string o(op);
        CHECK(ev("nope " + o + " 1", rec) == "null null");
        CHECK(ev("1 " + o + " nope", rec) == "null null");
        CHECK(ev("n " + o + " 1", rec) == "null null");
        CHECK(ev("b " + o + " 1", rec) == "null null");
        CHECK(ev("arr " + o + " 1", rec) == "null null");
        CHECK(ev("o " + o + " o", rec) == "null null");
    }
    CHECK(ev("-nope", rec) == "null null");
    CHECK(ev("-n", rec) == "null null");
    CHECK(ev("-b", rec) == "null null");
}

TEST_CASE("expr operators: == and != are total") {
    CHECK(ev("i == 7", rec) == "bool true");
    CHECK(ev("i == 7.0", rec) == "bool true"); // integers and numbers by value
    CHECK(ev("f != 2.5", rec) == "bool false");
    CHECK(ev("s == 'ab'", rec) == "bool true");
    CHECK(ev("s == 1", rec) == "bool false");       // other kinds are unequal, never null
    CHECK(ev("nope == nope2", rec) == "bool true"); // missing == missing
    CHECK(ev("nope == null", rec) == "bool false"); // missing is not null
    CHECK(ev("n == null", rec) == "bool true");
    CHECK(ev("nope != null", rec) == "bool true");
    CHECK(ev("b == true", rec) == "bool true");
    CHECK(ev("'1' == 1") == "bool false");
    CHECK(ev("5m == 300s") == "bool true");
    CHECK(ev("5m == 300") == "bool false");
    CHECK(ev("t\"2024-01-01T01:00:00+01:00\" == t\"2024-01-01T00:00:00Z\"") == "bool true");
    CHECK(ev("t\"2024-01-01T00:00:00Z\" == '2024-01-01T00:00:00Z'") == "bool false");
}

TEST_CASE("expr operators: orderings") {
    CHECK(ev("i > 5", rec) == "bool true");
    CHECK(ev("i >= 7", rec) == "bool true");
    CHECK(ev("i < 7.5", rec) == "bool true");
    CHECK(ev("f <= 2", rec) == "bool false");
    CHECK(ev("'abc' < 'abd'") == "bool true");
    CHECK(ev("'Z' < 'a'") == "bool true"); // bytes, so code points
    CHECK(ev("'z' < 'é'") == "bool true");
    CHECK(ev("1m < 61s") == "bool true");
    CHECK(ev("t\"2024-01-01T00:00:00Z\" < t\"2024-01-02T00:00:00Z\"") == "bool true");
    SUBCASE("unordered operands give null") {
        CHECK(ev("nope > 0", rec) == "null null");
        CHECK(ev("n > 0", rec) == "null null");
        CHECK(ev("s > 1", rec) == "null null");
        CHECK(ev("b > false", rec) == "null null");
        CHECK(ev("arr < arr", rec) == "null null");
        CHECK(ev("1m < 60", rec) == "null null");
        CHECK(ev("t\"2024-01-01T00:00:00Z\" < '2025'") == "null null");
    }
}

TEST_CASE("expr operators: && || ! take only boolean true as true") {
    CHECK(ev("true && true") == "bool true");
    CHECK(ev("true && 1") == "bool false");
    CHECK(ev("nope || true", rec) == "bool true");
    CHECK(ev("nope || 'yes'", rec) == "bool false");
    CHECK(ev("!nope", rec) == "bool true");
    CHECK(ev("!n", rec) == "bool true");
    CHECK(ev("!i", rec) == "bool true");
    CHECK(ev("!b", rec) == "bool false");
    CHECK(ev("nope > 0", rec) == "null null");
    CHECK(ev("!(nope > 0)", rec) == "bool true");
    SUBCASE("short-circuit: the right side is not needed") {
        CHECK(ev("false && 1 / 0 == 1") == "bool false");
        CHECK(ev("true || 1 / 0 == 1") == "bool true");
    }
}

TEST_CASE("expr operators: in") {
    CHECK(ev("s in ['x', 'ab']", rec) == "bool true");
    CHECK(ev("s in ['x']", rec) == "bool false");
    CHECK(ev("i in [1, 7]", rec) == "bool true");
    CHECK(ev("i in [7.0]", rec) == "bool true");
    CHECK(ev("f in [1, 2.5]", rec) == "bool true");
    CHECK(ev("f in [2, 3]", rec) == "bool false");
    CHECK(ev("2.0 in [2]") == "bool true");
    CHECK(ev("b in [true]", rec) == "bool true");
    CHECK(ev("b in [false]", rec) == "bool false");
    CHECK(ev("n in [null]", rec) == "bool true");
    CHECK(ev("nope in [null]", rec) == "bool false"); // missing is in no list
    CHECK(ev("i in ['7']", rec) == "bool false");
    CHECK(ev("5m in [1m, 300s]") == "bool true");
    CHECK(ev("-5m in [-300s]") == "bool true");
    CHECK(ev("t\"2024-01-01T00:00:00Z\" in [t\"2024-01-01T00:00:00Z\"]") == "bool true");
    CHECK(ev("arr in [1, 2]", rec) == "bool false");
    CHECK(ev("-1 in [-1]") == "bool true");
    CHECK(ev("-0.5 in [-0.5]") == "bool true");
}
