#include "expr/expr.hpp"
#include "expr_helpers.hpp"

#include <doctest/doctest.h>

#include <type_traits>

using weir::expr::Expr;
using weir::expr::Value;
using weir::test::ExprRecord;

static_assert(std::is_nothrow_move_constructible_v<Expr>);
static_assert(std::is_nothrow_move_assignable_v<Expr>);
static_assert(!std::is_copy_constructible_v<Expr>);

TEST_CASE("expr: compile once, evaluate over many records") {
    Expr e = Expr::compile(R"(amount > 100 && device.os in ["ios", "android"])", "--rule big");
    ExprRecord a(R"({"amount":150,"device":{"os":"ios"}})");
    ExprRecord b(R"({"amount":50,"device":{"os":"ios"}})");
    ExprRecord c(R"({"device":{"os":"android"}})");
    ExprRecord d(R"({"amount":"150","device":{"os":"android"}})");
    CHECK(e.test(a.root()));
    CHECK_FALSE(e.test(b.root()));
    CHECK_FALSE(e.test(c.root())); // missing amount: not true
    CHECK_FALSE(e.test(d.root())); // a string is not a number
    CHECK(e.test(a.root()));       // slots are refreshed per record
}

TEST_CASE("expr: fields are read per record, not cached across records") {
    Expr e = Expr::compile("x + x", "w");
    ExprRecord a(R"({"x":1})");
    ExprRecord b(R"({"x":20})");
    CHECK(weir::test::show(e.eval(a.root())) == "integer 2");
    CHECK(weir::test::show(e.eval(b.root())) == "integer 40");
    REQUIRE(e.fields().size() == 1);
    CHECK(e.fields()[0].text() == "x");
}

TEST_CASE("expr: scratch strings stay apart within one evaluation") {
    Expr e = Expr::compile("lower(a) + '/' + upper(a) + '/' + str(n)", "w");
    ExprRecord r(R"({"a":"MiXeD","n":42})");
    CHECK(weir::test::show(e.eval(r.root())) == R"(string "mixed/MIXED/42")");
    ExprRecord r2(R"({"a":"Other","n":1.5})");
    CHECK(weir::test::show(e.eval(r2.root())) == R"(string "other/OTHER/1.5")");
}

TEST_CASE("expr: move keeps the compiled expression") {
    Expr e = Expr::compile("lower(s) in ['a', 'b'] && matches(s, '^[AB]$')", "w");
    Expr moved = std::move(e);
    ExprRecord r(R"({"s":"A"})");
    CHECK(moved.test(r.root()));
    Expr other = Expr::compile("false", "w");
    other = std::move(moved);
    CHECK(other.test(r.root()));
    CHECK(other.source() == "lower(s) in ['a', 'b'] && matches(s, '^[AB]$')");
}

TEST_CASE("expr: test() is true only for boolean true") {
    ExprRecord r(R"({"n":null,"i":1,"t":true})");
    CHECK(Expr::compile("t", "w").test(r.root()));
    CHECK_FALSE(Expr::compile("i", "w").test(r.root()));
    CHECK_FALSE(Expr::compile("n", "w").test(r.root()));
    CHECK_FALSE(Expr::compile("nope", "w").test(r.root()));
    CHECK_FALSE(Expr::compile("'true'", "w").test(r.root()));
}

TEST_CASE("expr: append_json") {
    auto json = [](const Value& v) {
        std::string out;
        Expr::append_json(out, v);
        return out;
    };
    CHECK(json(Value()) == "null");
    CHECK(json(Value::null()) == "null");
    CHECK(json(Value::boolean(false)) == "false");
    CHECK(json(Value::integer(-12)) == "-12");
    CHECK(json(Value::number(0.1)) == "0.1");
    CHECK(json(Value::number(3)) == "3.0");
    CHECK(json(Value::string("a\"\n")) == R"("a\"\n")");
    CHECK(json(Value::timestamp(1'704'067'200'250'000)) == R"("2024-01-01T00:00:00.250Z")");
    CHECK(json(Value::duration(std::chrono::minutes(90))) == R"("1h30m")");
    CHECK(json(Value::duration(std::chrono::seconds(-5))) == R"("-5s")");
    ExprRecord r(R"({"a":[1, {"b" : "c"}]})");
    CHECK(json(Expr::compile("a", "w").eval(r.root())) == R"([1,{"b":"c"}])");
}

TEST_CASE("expr: errors are usage errors with the caller's label") {
    try {
        Expr::compile("amount >> 1", "--rule big_spend");
        FAIL("compiled");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        CHECK(std::string(e.what()) == "--rule big_spend: expected a value, found '>' at column 9\n"
                                       "  amount >> 1\n"
                                       "          ^");
    }
}
