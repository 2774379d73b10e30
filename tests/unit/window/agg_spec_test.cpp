#include "../error_of.hpp"
#include "window/agg_spec.hpp"

#include <doctest/doctest.h>

using weir::AggFunc;
using weir::AggSpec;
using weir::parse_agg_spec;
using weir::test::error_of;

namespace {

std::string usage_message(std::string_view text) {
    weir::Error e = error_of([&] { parse_agg_spec(text); });
    CHECK(e.code() == weir::Exit::usage);
    return e.what();
}

} // namespace

TEST_CASE("agg_spec: default names") {
    CHECK(parse_agg_spec("count").name == "count");
    CHECK(parse_agg_spec("count:user").name == "count_user");
    CHECK(parse_agg_spec("sum:amount").name == "sum_amount");
    CHECK(parse_agg_spec("approx_distinct:customer_id").name == "approx_distinct_customer_id");
    CHECK(parse_agg_spec("p90:latency_ms").name == "p90_latency_ms");
    CHECK(parse_agg_spec("sum:order.total").name == "sum_order_total");
    CHECK(parse_agg_spec("count_if:status >= 500").name == "count_if");
    SUBCASE("quantile(q) is named by q as a percentage, from its text") {
        CHECK(parse_agg_spec("quantile(0.75):x").name == "p75_x");
        CHECK(parse_agg_spec("quantile(0.999):x").name == "p99.9_x");
        CHECK(parse_agg_spec("quantile(0.5):x").name == "p50_x");
        CHECK(parse_agg_spec("quantile(.05):x").name == "p5_x");
        CHECK(parse_agg_spec("quantile(1):x").name == "p100_x");
        CHECK(parse_agg_spec("quantile(0):x").name == "p0_x");
        CHECK(parse_agg_spec("quantile(0.29):x").name == "p29_x");
    }
}

TEST_CASE("agg_spec: functions, fields and explicit names") {
    AggSpec s = parse_agg_spec("max:device.latency=worst");
    CHECK(s.func == AggFunc::max);
    REQUIRE(s.field);
    CHECK(s.field->segments() == std::vector<std::string>{"device", "latency"});
    CHECK(s.name == "worst");
    CHECK(s.text == "max:device.latency=worst");

    CHECK(parse_agg_spec("count=n").name == "n");
    CHECK_FALSE(parse_agg_spec("count=n").field);
    CHECK(parse_agg_spec("p99:x").func == AggFunc::quantile);
    CHECK(parse_agg_spec("p99:x").q == 0.99);
    CHECK(parse_agg_spec("p50:x").q == 0.5);
    CHECK(parse_agg_spec("quantile(0.75):x").q == 0.75);
    for (const char* f :
         {"sum", "min", "max", "avg", "first", "last", "distinct", "approx_distinct", "collect"})
        CHECK(weir::agg_func_name(parse_agg_spec(std::string(f) + ":x").func) == f);
}

TEST_CASE("agg_spec: count_if keeps '=' of its expression") {
    AggSpec s = parse_agg_spec("count_if:status >= 500=errors");
    CHECK(s.func == AggFunc::count_if);
    CHECK(s.expr == "status >= 500");
    CHECK(s.name == "errors");
    CHECK_FALSE(s.field);

    CHECK(parse_agg_spec("count_if:a == b").expr == "a == b");
    CHECK(parse_agg_spec("count_if:a == b").name == "count_if");
    CHECK(parse_agg_spec("count_if:a==b").expr == "a==b");
    CHECK(parse_agg_spec("count_if:a!=b").expr == "a!=b");
    CHECK(parse_agg_spec("count_if:a<=b").expr == "a<=b");
    CHECK(parse_agg_spec("count_if:a == \"x=y\"").expr == "a == \"x=y\"");
    CHECK(parse_agg_spec("count_if:kind == \"x\"=n_x").name == "n_x");
}

TEST_CASE("agg_spec: usage errors name the flag value") {
    CHECK(usage_message("median:x") == "--agg 'median:x': unknown function 'median'");
    CHECK(usage_message("sum") == "--agg 'sum': sum needs a field, as in sum:FIELD");
    CHECK(usage_message("p90=x") == "--agg 'p90=x': p90 needs a field, as in p90:FIELD");
    CHECK(usage_message("count_if") ==
          "--agg 'count_if': count_if needs an expression, as in count_if:status >= 500");
    CHECK(usage_message("sum:a..b") == "--agg 'sum:a..b': field path 'a..b': empty segment");
    CHECK(usage_message("sum:x=") == "--agg 'sum:x=': empty name after '='");
    CHECK(usage_message("quantile(1.5):x") ==
          "--agg 'quantile(1.5):x': quantile '1.5' is not a number from 0 to 1");
    CHECK(usage_message("quantile(abc):x").find("not a number") != std::string::npos);
    CHECK(usage_message("quantile():x").find("not a number") != std::string::npos);
    CHECK(usage_message("quantile(0.5:x").find("expected quantile(Q)") != std::string::npos);
    CHECK(usage_message("").find("unknown function ''") != std::string::npos);
}

TEST_CASE("agg_spec: check_unique_names") {
    std::vector<AggSpec> specs{parse_agg_spec("count_if:a > 1"), parse_agg_spec("count")};
    weir::check_unique_names(specs);
    specs.push_back(parse_agg_spec("count_if:b > 1"));
    weir::Error e = error_of([&] { weir::check_unique_names(specs); });
    CHECK(e.code() == weir::Exit::usage);
    CHECK(std::string(e.what()) == "--agg 'count_if:a > 1' and --agg 'count_if:b > 1' both "
                                   "write field 'count_if'; name one with =NAME");
    std::vector<AggSpec> same{parse_agg_spec("p90:x"), parse_agg_spec("quantile(0.9):x")};
    CHECK_THROWS_AS(weir::check_unique_names(same), weir::Error);
}
