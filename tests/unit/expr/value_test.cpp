#include "expr/value.hpp"
#include "expr_helpers.hpp"

#include <doctest/doctest.h>

#include <limits>

using weir::expr::compare;
using weir::expr::equals;
using weir::expr::Kind;
using weir::expr::unordered;
using weir::expr::Value;

TEST_CASE("expr value: kinds and names") {
    CHECK(Value().kind() == Kind::missing);
    CHECK(Value::null().is_null());
    CHECK(Value::number(std::numeric_limits<double>::infinity()).is_null());
    CHECK(Value::number(std::numeric_limits<double>::quiet_NaN()).is_null());
    CHECK(Value::timestamp(-62'167'219'200'000'001).is_null()); // before year 0000
    CHECK(Value::timestamp(0).kind() == Kind::timestamp);
    CHECK(weir::expr::kind_name(Kind::boolean) == "bool");
    CHECK(weir::expr::kind_name(Kind::number) == "number");
    CHECK(Value::boolean(true).is_true());
    CHECK_FALSE(Value::integer(1).is_true());
    CHECK_FALSE(Value().is_true());
}

TEST_CASE("expr value: integers and numbers compare exactly") {
    CHECK(equals(Value::integer(2), Value::number(2.0)));
    CHECK_FALSE(equals(Value::integer(2), Value::number(2.5)));
    // 2^53 + 1 is not the double 2^53, though converting it to double would say so.
    CHECK_FALSE(equals(Value::integer(9007199254740993), Value::number(9007199254740992.0)));
    CHECK(compare(Value::integer(9007199254740993), Value::number(9007199254740992.0)) == 1);
    CHECK(compare(Value::integer(std::numeric_limits<std::int64_t>::max()),
                  Value::number(9223372036854775808.0)) == -1);
    CHECK(compare(Value::integer(std::numeric_limits<std::int64_t>::min()),
                  Value::number(-9223372036854775808.0)) == 0);
    CHECK(compare(Value::number(-0.5), Value::integer(0)) == -1);
    CHECK(compare(Value::integer(-1), Value::number(-0.5)) == -1);
    CHECK(compare(Value::number(1.5), Value::number(1.25)) == 1);
}

TEST_CASE("expr value: equality across kinds is false, ordering unordered") {
    CHECK_FALSE(equals(Value(), Value::null()));
    CHECK(equals(Value(), Value()));
    CHECK(equals(Value::null(), Value::null()));
    CHECK_FALSE(equals(Value::string("1"), Value::integer(1)));
    CHECK_FALSE(equals(Value::duration(weir::Duration(5)), Value::integer(5)));
    CHECK_FALSE(equals(Value::timestamp(5), Value::duration(weir::Duration(5))));
    CHECK(compare(Value(), Value()) == unordered);
    CHECK(compare(Value::null(), Value::null()) == unordered);
    CHECK(compare(Value::boolean(false), Value::boolean(true)) == unordered);
    CHECK(compare(Value::string("a"), Value::integer(1)) == unordered);
    CHECK(compare(Value::string("a"), Value::string("b")) == -1);
    CHECK(compare(Value::string("\xc3\xa9"), Value::string("z")) == 1); // unsigned bytes
}

TEST_CASE("expr value: arrays and objects compare deeply") {
    std::string_view rec = R"({"a":[1,[2,{"x":null}]],"b":[1.0,[2,{"x":null}]],"c":[1,[2]],)"
                           R"("o":{"x":1,"y":[true]},"p":{"y":[true],"x":1.0},"q":{"x":1},)"
                           R"("d":{"x":2,"x":1,"y":[true]}})";
    using weir::test::ev;
    CHECK(ev("a == b", rec) == "bool true");
    CHECK(ev("a == c", rec) == "bool false");
    CHECK(ev("o == p", rec) == "bool true"); // member order does not matter
    CHECK(ev("o == q", rec) == "bool false");
    CHECK(ev("q == o", rec) == "bool false");
    CHECK(ev("o == d", rec) == "bool true"); // the last of a repeated name counts
    CHECK(ev("a == o", rec) == "bool false");
    CHECK(ev("a != c", rec) == "bool true");
}
