// weir-cat's operators against a fake run loop: a Context that keeps what is emitted
// and hands out counters and a source table the test fills.

#include "../fake_context.hpp"
#include "cat/cat_op.hpp"
#include "time/rfc3339.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <vector>

using weir::Record;
using weir::Timestamp;

namespace {

using weir::test::FakeContext;
using weir::test::Input;

std::string minified(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    REQUIRE(parser.parse(simdjson::padded_string(json)).get(e) == simdjson::SUCCESS);
    return simdjson::minify(e);
}

std::string pretty(std::string_view json) {
    FakeContext ctx;
    weir::PrettyOp op;
    Input in(json);
    CHECK(op.process(in.rec, ctx) == weir::Flow::more);
    REQUIRE(ctx.out.size() == 1);
    CHECK(ctx.out[0].meta.line == 3);
    return ctx.out[0].json;
}

Timestamp at(std::string_view rfc3339) {
    std::optional<Timestamp> t = weir::parse_rfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

} // namespace

TEST_CASE("cat op: passes records through unchanged") {
    FakeContext ctx;
    weir::CatOp op;
    Input a(R"({ "a" : 1.50, "s":"\u00e9" })", 77, 2);
    Input b("{}");
    CHECK(op.process(a.rec, ctx) == weir::Flow::more);
    CHECK(op.process(b.rec, ctx) == weir::Flow::more);
    REQUIRE(ctx.out.size() == 2);
    CHECK(ctx.out[0].json == R"({ "a" : 1.50, "s":"\u00e9" })");
    CHECK(ctx.out[0].data == a.rec.json.data());
    CHECK(ctx.out[0].meta.event_time == 77);
    CHECK(ctx.out[0].meta.source == 2);
    CHECK(ctx.out[0].meta.offset == 40);
    CHECK(ctx.out[1].json == "{}");
    CHECK(ctx.rejects.empty());
}

TEST_CASE("cat op: pretty prints with two spaces per level") {
    SUBCASE("nested objects and arrays") {
        std::string in = R"({"a":{"b":[1,-2,2.5,{"c":null}],"d":[[true,false]]},"z":"x"})";
        std::string want = "{\n"
                           "  \"a\": {\n"
                           "    \"b\": [\n"
                           "      1,\n"
                           "      -2,\n"
                           "      2.5,\n"
                           "      {\n"
                           "        \"c\": null\n"
                           "      }\n"
                           "    ],\n"
                           "    \"d\": [\n"
                           "      [\n"
                           "        true,\n"
                           "        false\n"
                           "      ]\n"
                           "    ]\n"
                           "  },\n"
                           "  \"z\": \"x\"\n"
                           "}";
        CHECK(pretty(in) == want);
        CHECK(minified(pretty(in)) == minified(in));
    }
    SUBCASE("empty containers stay on one line") {
        CHECK(pretty("{}") == "{}");
        CHECK(pretty(R"({"o":{},"a":[],"n":[{},[]]})") ==
              "{\n  \"o\": {},\n  \"a\": [],\n  \"n\": [\n    {},\n    []\n  ]\n}");
    }
    SUBCASE("strings are escaped again") {
        std::string in = R"({"s":"q\"b\\s\n\t\u0001\u00e9\/","k\"ey":""})";
        std::string want = "{\n"
                           "  \"s\": \"q\\\"b\\\\s\\n\\t\\u0001\xc3\xa9/\",\n"
                           "  \"k\\\"ey\": \"\"\n"
                           "}";
        CHECK(pretty(in) == want);
        CHECK(minified(pretty(in)) == minified(in));
    }
    SUBCASE("member order is kept") {
        std::string in = R"({"z":1,"a":2,"m":3})";
        CHECK(pretty(in) == "{\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": 3\n}");
    }
    SUBCASE("whitespace in the input does not matter") {
        CHECK(pretty(" {\n\"a\" :\t[ 1 , 2 ] }") == pretty(R"({"a":[1,2]})"));
    }
    SUBCASE("large and float numbers read back the same") {
        std::string in = R"({"u":18446744073709551615,"i":-9223372036854775808,"f":1e300,)"
                         R"("g":0.1,"h":3.0})";
        CHECK(minified(pretty(in)) == minified(in));
    }
}

TEST_CASE("cat op: pretty rejects what does not parse") {
    FakeContext ctx;
    weir::PrettyOp op;
    Input in(R"({"a":)");
    CHECK(op.process(in.rec, ctx) == weir::Flow::more);
    CHECK(ctx.out.empty());
    REQUIRE(ctx.rejects.size() == 1);
    CHECK(ctx.rejects[0].first == weir::Reason::invalid_json);
}

TEST_CASE("cat op: stats summarise the stream") {
    FakeContext ctx;
    std::uint32_t a = ctx.table.intern("a.ndjson");
    std::uint32_t b = ctx.table.intern("b \"quoted\".ndjson");
    ctx.table.intern("unused.ndjson");
    ctx.run.batches = 3;
    ctx.run.last_barrier = 7;
    ctx.run.watermark = at("2024-05-01T12:00:15Z");
    ctx.run.reject(weir::Channel::dead_letter, weir::Reason::invalid_json, 2);
    ctx.run.reject(weir::Channel::late); // not a dead letter: not "invalid"

    weir::StatsOp op;
    std::vector<Input> ins;
    ins.emplace_back(R"({"n":1})", at("2024-05-01T12:00:10Z"), a);
    ins.emplace_back(R"({"n":22})", weir::no_timestamp, b);
    ins.emplace_back(R"({"n":333})", at("2024-05-01T12:00:05.5Z"), a);
    ins.emplace_back(R"({"n":4444})", at("2024-05-01T12:00:20Z"), b);
    ins.emplace_back(R"({"n":5})", at("2024-05-01T12:00:12Z"), b);
    for (const Input& in : ins)
        CHECK(op.process(in.rec, ctx) == weir::Flow::more);
    CHECK(ctx.out.empty()); // nothing until the end
    op.finish(ctx);
    REQUIRE(ctx.out.size() == 1);
    std::string got = ctx.out[0].json;
    CAPTURE(got);

    simdjson::dom::parser parser;
    simdjson::dom::element s;
    REQUIRE(parser.parse(simdjson::padded_string(got)).get(s) == simdjson::SUCCESS);
    CHECK(std::uint64_t(s["records"]) == 5);
    CHECK(std::uint64_t(s["invalid"]) == 2);
    CHECK(std::uint64_t(s["bytes"]) == 8 + 9 + 10 + 11 + 8); // each line with its newline
    CHECK(std::string_view(s["first_event_time"]) == "2024-05-01T12:00:10Z");
    CHECK(std::string_view(s["last_event_time"]) == "2024-05-01T12:00:12Z");
    CHECK(std::string_view(s["min_event_time"]) == "2024-05-01T12:00:05.500Z");
    CHECK(std::string_view(s["max_event_time"]) == "2024-05-01T12:00:20Z");
    CHECK(double(s["span_seconds"]) == doctest::Approx(14.5));
    CHECK(std::uint64_t(s["without_event_time"]) == 1);
    CHECK(std::uint64_t(s["barriers"]) == 3);
    CHECK(std::uint64_t(s["last_epoch"]) == 7);
    CHECK(std::string_view(s["watermark"]) == "2024-05-01T12:00:15Z");
    simdjson::dom::object srcs = s["sources"];
    CHECK(srcs.size() == 2); // a source without records is left out
    CHECK(std::uint64_t(srcs["a.ndjson"]) == 2);
    CHECK(std::uint64_t(srcs["b \"quoted\".ndjson"]) == 3);
}

TEST_CASE("cat op: stats of an empty stream") {
    FakeContext ctx;
    weir::StatsOp op;
    op.finish(ctx);
    REQUIRE(ctx.out.size() == 1);
    CHECK(ctx.out[0].json ==
          R"({"records":0,"invalid":0,"bytes":0,"first_event_time":null,)"
          R"("last_event_time":null,"min_event_time":null,"max_event_time":null,)"
          R"("span_seconds":null,"without_event_time":0,"barriers":0,"last_epoch":0,)"
          R"("watermark":null,"sources":{}})");
}

TEST_CASE("cat op: stats with only untimed records") {
    FakeContext ctx;
    ctx.table.intern("<stdin>");
    weir::StatsOp op;
    Input in(R"({"x":1})");
    op.process(in.rec, ctx);
    op.process(in.rec, ctx);
    op.finish(ctx);
    REQUIRE(ctx.out.size() == 1);
    std::string got = ctx.out[0].json;
    CHECK(got.find(R"("records":2,)") != std::string::npos);
    CHECK(got.find(R"("min_event_time":null,)") != std::string::npos);
    CHECK(got.find(R"("span_seconds":null,)") != std::string::npos);
    CHECK(got.find(R"("without_event_time":2,)") != std::string::npos);
    CHECK(got.find(R"("sources":{"<stdin>":2}})") != std::string::npos);
}
