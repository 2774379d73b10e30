#include "expr/functions.hpp"
#include "expr_helpers.hpp"

#include <doctest/doctest.h>

using weir::expr::detail::find_function;
using weir::test::ev;

namespace {

constexpr std::string_view rec =
    R"({"i":7,"f":2.5,"s":"Héllo World","b":true,"n":null,"arr":[1,"x",null,{"k":1}],)"
    R"("o":{"k":1,"j":[2]},"t":"2024-03-01T12:00:00+01:00","secs":1709294400,)"
    R"("ms":1709294400123,"us":1709294400123456,"fs":1709294400.5,"bad":"yesterday",)"
    R"("num":"12","flt":"3.75","neg":"-2.5e1","big":18446744073709551615})";

} // namespace

TEST_CASE("expr functions: the table") {
    for (const char* name :
         {"exists", "is_null", "type", "len", "lower", "upper", "starts_with", "ends_with",
          "contains", "matches", "ts", "now", "coalesce", "int", "float", "str"})
        CHECK(find_function(name) != nullptr);
    CHECK(find_function("Len") == nullptr);
    CHECK(find_function("") == nullptr);
}

TEST_CASE("expr functions: exists and is_null tell missing from null") {
    CHECK(ev("exists(i)", rec) == "bool true");
    CHECK(ev("exists(n)", rec) == "bool true");
    CHECK(ev("exists(nope)", rec) == "bool false");
    CHECK(ev("exists(o.k)", rec) == "bool true");
    CHECK(ev("exists(o.k.deeper)", rec) == "bool false");
    CHECK(ev("exists(i + 1)", rec) == "bool true");
    CHECK(ev("is_null(n)", rec) == "bool true");
    CHECK(ev("is_null(nope)", rec) == "bool false");
    CHECK(ev("is_null(i)", rec) == "bool false");
    CHECK(ev("is_null(i / 0)", rec) == "bool true");
}

TEST_CASE("expr functions: type") {
    CHECK(ev("type(nope)", rec) == R"(string "missing")");
    CHECK(ev("type(n)", rec) == R"(string "null")");
    CHECK(ev("type(b)", rec) == R"(string "bool")");
    CHECK(ev("type(i)", rec) == R"(string "integer")");
    CHECK(ev("type(f)", rec) == R"(string "number")");
    CHECK(ev("type(2.0)") == R"(string "number")"); // by kind, not by value
    CHECK(ev("type(big)", rec) == R"(string "number")");
    CHECK(ev("type(s)", rec) == R"(string "string")");
    CHECK(ev("type(arr)", rec) == R"(string "array")");
    CHECK(ev("type(o)", rec) == R"(string "object")");
    CHECK(ev("type(ts(t))", rec) == R"(string "timestamp")");
    CHECK(ev("type(5m)") == R"(string "duration")");
    CHECK(ev("type(t)", rec) == R"(string "string")");
}

TEST_CASE("expr functions: len") {
    CHECK(ev("len(s)", rec) == "integer 11"); // code points: é is one
    CHECK(ev("len('')") == "integer 0");
    CHECK(ev("len('😀')") == "integer 1");
    CHECK(ev("len(arr)", rec) == "integer 4");
    CHECK(ev("len(o)", rec) == "integer 2");
    CHECK(ev("len(nope)", rec) == "null null");
    CHECK(ev("len(n)", rec) == "null null");
    CHECK(ev("len(i)", rec) == "null null");
    CHECK(ev("len(5m)") == "null null");
}

TEST_CASE("expr functions: lower and upper (ASCII letters)") {
    CHECK(ev("lower(s)", rec) == R"(string "héllo world")");
    CHECK(ev("upper(s)", rec) == R"(string "HéLLO WORLD")");
    CHECK(ev("lower(s) == lower('HÉLLO world')", rec) == "bool false"); // É is not ASCII
    CHECK(ev("upper('a') + lower('B')") == R"(string "Ab")");
    CHECK(ev("lower(nope)", rec) == "null null");
    CHECK(ev("lower(n)", rec) == "null null");
    CHECK(ev("upper(i)", rec) == "null null");
}

TEST_CASE("expr functions: starts_with, ends_with") {
    CHECK(ev("starts_with(s, 'Hé')", rec) == "bool true");
    CHECK(ev("starts_with(s, '')", rec) == "bool true");
    CHECK(ev("starts_with(s, 'World')", rec) == "bool false");
    CHECK(ev("starts_with('a', 'abc')") == "bool false");
    CHECK(ev("ends_with(s, 'World')", rec) == "bool true");
    CHECK(ev("ends_with(s, 'Hello')", rec) == "bool false");
    CHECK(ev("ends_with('d', 'World')") == "bool false");
    CHECK(ev("starts_with(nope, 'a')", rec) == "null null");
    CHECK(ev("starts_with(s, nope)", rec) == "null null");
    CHECK(ev("ends_with(i, '7')", rec) == "null null");
}

TEST_CASE("expr functions: contains") {
    CHECK(ev("contains(s, 'llo W')", rec) == "bool true");
    CHECK(ev("contains(s, 'xyz')", rec) == "bool false");
    CHECK(ev("contains(s, '')", rec) == "bool true");
    CHECK(ev("contains(arr, 'x')", rec) == "bool true");
    CHECK(ev("contains(arr, 1.0)", rec) == "bool true");
    CHECK(ev("contains(arr, null)", rec) == "bool true");
    CHECK(ev("contains(arr, o.k)", rec) == "bool true");
    CHECK(ev("contains(arr, 'y')", rec) == "bool false");
    CHECK(ev("contains(arr, nope)", rec) == "bool false");
    CHECK(ev("contains(o.j, 2)", rec) == "bool true");
    CHECK(ev("contains(s, 1)", rec) == "null null");
    CHECK(ev("contains(o, 'k')", rec) == "null null");
    CHECK(ev("contains(nope, 'x')", rec) == "null null");
    CHECK(ev("contains(n, 'x')", rec) == "null null");
}

TEST_CASE("expr functions: matches searches with RE2") {
    CHECK(ev("matches(s, 'llo')", rec) == "bool true");
    CHECK(ev("matches(s, '^H.llo')", rec) == "bool true"); // . is one code point
    CHECK(ev("matches(s, '^hello')", rec) == "bool false");
    CHECK(ev("matches(s, '(?i)^hÉllo')", rec) == "bool true");
    CHECK(ev("matches(s, \"\\\\bWorld$\")", rec) == "bool true");
    CHECK(ev("matches(i, '7')", rec) == "null null");
    CHECK(ev("matches(nope, 'x')", rec) == "null null");
    CHECK(ev("matches(n, 'x')", rec) == "null null");
}

TEST_CASE("expr functions: ts reads event times as --time does") {
    CHECK(ev("ts(t)", rec) == R"(timestamp "2024-03-01T11:00:00Z")");
    CHECK(ev("ts(secs)", rec) == R"(timestamp "2024-03-01T12:00:00Z")");
    CHECK(ev("ts(ms)", rec) == R"(timestamp "2024-03-01T12:00:00.123Z")");
    CHECK(ev("ts(us)", rec) == R"(timestamp "2024-03-01T12:00:00.123456Z")");
    CHECK(ev("ts(fs)", rec) == R"(timestamp "2024-03-01T12:00:00.500Z")");
    CHECK(ev("ts(t\"2024-01-01T00:00:00Z\")") == R"(timestamp "2024-01-01T00:00:00Z")");
    CHECK(ev("ts('2024-01-01T00:00:00Z')") == R"(timestamp "2024-01-01T00:00:00Z")");
    CHECK(ev("ts(1709294400)") == R"(timestamp "2024-03-01T12:00:00Z")");
    CHECK(ev("ts(1709294400.5)") == R"(timestamp "2024-03-01T12:00:00.500Z")");
    CHECK(ev("ts(secs) - ts(t)", rec) == R"(duration "1h")");
    SUBCASE("anything else is null") {
        CHECK(ev("ts(bad)", rec) == "null null");
        CHECK(ev("ts(num)", rec) == "null null"); // a quoted number is not a time
        CHECK(ev("ts(big)", rec) == "null null");
        CHECK(ev("ts(nope)", rec) == "null null");
        CHECK(ev("ts(n)", rec) == "null null");
        CHECK(ev("ts(b)", rec) == "null null");
        CHECK(ev("ts(arr)", rec) == "null null");
        CHECK(ev("ts(5m)") == "null null");
    }
}

TEST_CASE("expr functions: now") {
    CHECK(ev("now()") == R"(timestamp "2024-01-01T00:00:00Z")");
    CHECK(ev("now() - ts(t) > 1d", R"({"t":"2023-12-30T00:00:00Z"})") == "bool true");
    auto e = weir::expr::Expr::compile("now()", "w");
    weir::test::ExprRecord r("{}");
    weir::expr::Value v = e.eval(r.root());
    REQUIRE(v.kind() == weir::expr::Kind::timestamp);
    CHECK(v.as_timestamp() > 1'704'067'200'000'000); // the system clock, after 2024
    e.set_now(5);
    CHECK(e.eval(r.root()).as_timestamp() == 5);
}

TEST_CASE("expr functions: coalesce") {
    CHECK(ev("coalesce(nope, n, i)", rec) == "integer 7");
    CHECK(ev("coalesce(s)", rec) == R"(string "Héllo World")");
    CHECK(ev("coalesce(nope, n)", rec) == "null null");
    CHECK(ev("coalesce(nope)", rec) == "null null");
    CHECK(ev("coalesce(b, i)", rec) == "bool true");
    CHECK(ev("coalesce(false, true)") == "bool false"); // false is a value
    CHECK(ev("coalesce(i / 0, -1)", rec) == "integer -1");
}

TEST_CASE("expr functions: int") {
    CHECK(ev("int(i)", rec) == "integer 7");
    CHECK(ev("int(f)", rec) == "integer 2");
    CHECK(ev("int(-2.9)") == "integer -2"); // toward zero
    CHECK(ev("int(num)", rec) == "integer 12");
    CHECK(ev("int(flt)", rec) == "integer 3");
    CHECK(ev("int(neg)", rec) == "integer -25");
    CHECK(ev("int(b)", rec) == "integer 1");
    CHECK(ev("int(false)") == "integer 0");
    CHECK(ev("int(5m)") == "integer 300000000");
    CHECK(ev("int(t\"1970-01-01T00:00:01Z\")") == "integer 1000000");
    CHECK(ev("int(big)", rec) == "null null");
    CHECK(ev("int(1e300)") == "null null");
    CHECK(ev("int(' 12')") == "null null");
    CHECK(ev("int('12x')") == "null null");
    CHECK(ev("int(s)", rec) == "null null");
    CHECK(ev("int(nope)", rec) == "null null");
    CHECK(ev("int(n)", rec) == "null null");
    CHECK(ev("int(arr)", rec) == "null null");
}

TEST_CASE("expr functions: float") {
    CHECK(ev("float(i)", rec) == "number 7.0");
    CHECK(ev("float(f)", rec) == "number 2.5");
    CHECK(ev("float(flt)", rec) == "number 3.75");
    CHECK(ev("float(num)", rec) == "number 12.0");
    CHECK(ev("float(b)", rec) == "number 1.0");
    CHECK(ev("float(1ms)") == "number 1000.0");
    CHECK(ev("float('inf')") == "null null");
    CHECK(ev("float('nan')") == "null null");
    CHECK(ev("float(s)", rec) == "null null");
    CHECK(ev("float(nope)", rec) == "null null");
    CHECK(ev("float(n)", rec) == "null null");
    CHECK(ev("float(o)", rec) == "null null");
}

TEST_CASE("expr functions: str") {
    CHECK(ev("str(s)", rec) == R"(string "Héllo World")");
    CHECK(ev("str(i)", rec) == R"(string "7")");
    CHECK(ev("str(f)", rec) == R"(string "2.5")");
    CHECK(ev("str(2.0)") == R"(string "2.0")");
    CHECK(ev("str(b)", rec) == R"(string "true")");
    CHECK(ev("str(ts(t))", rec) == R"(string "2024-03-01T11:00:00Z")");
    CHECK(ev("str(90m)") == R"(string "1h30m")");
    CHECK(ev("str(arr)", rec) == R"(string "[1,\"x\",null,{\"k\":1}]")");
    CHECK(ev("str(o)", rec) == R"(string "{\"k\":1,\"j\":[2]}")");
    CHECK(ev("str(i) + str(f)", rec) == R"(string "72.5")");
    CHECK(ev("str(n)", rec) == "null null");
    CHECK(ev("str(nope)", rec) == "null null");
}
