// IngestOp against a fake run loop: a Context that keeps what is emitted.

#include "../fake_context.hpp"
#include "cli/error.hpp"
#include "ingest/ingest_op.hpp"
#include "time/rfc3339.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <chrono>
#include <regex>

using weir::IngestConfig;
using weir::IngestOp;
using weir::Record;

namespace {

using weir::test::FakeContext;

// Ingest's records: line 7, event time 1234567 (neither is touched by the operator).
struct Input : weir::test::Input {
    Input(std::string_view json, std::uint32_t source = 0, std::uint64_t offset = 0)
        : weir::test::Input(json, 1234567, source, offset, 7) {}
};

std::string run_one(const IngestConfig& cfg, FakeContext& ctx, const Input& in) {
    IngestOp op(cfg);
    CHECK(op.process(in.rec, ctx) == weir::Flow::more);
    REQUIRE(ctx.out.size() == 1);
    return ctx.out[0].json;
}

} // namespace

TEST_CASE("ingest op: splices the source label before the closing brace") {
    FakeContext ctx;
    ctx.table.intern("other");
    std::uint32_t web = ctx.table.intern("web");
    IngestConfig cfg;
    SUBCASE("compact") {
        CHECK(run_one(cfg, ctx, Input(R"({"a":1,"b":[1,2]})", web)) ==
              R"({"a":1,"b":[1,2],"_source":"web"})");
    }
    SUBCASE("empty object") {
        CHECK(run_one(cfg, ctx, Input("{}", web)) == R"({"_source":"web"})");
    }
    SUBCASE("the rest of the record keeps its bytes") {
        std::string got = run_one(cfg, ctx, Input(R"({ "a" : 1.50 ,"s":"\u00e9" })", web));
        CHECK(got.rfind(R"({ "a" : 1.50 ,"s":"\u00e9")", 0) == 0);
        CHECK(got.find(R"("_source":"web")") != std::string::npos);
        CHECK(got.back() == '}');
    }
    SUBCASE("a label is escaped") {
        std::uint32_t odd = ctx.table.intern("we\"b\\1");
        CHECK(run_one(cfg, ctx, Input(R"({"a":1})", odd)) == R"({"a":1,"_source":"we\"b\\1"})");
    }
    SUBCASE("another field name") {
        cfg.source_field = "topic";
        CHECK(run_one(cfg, ctx, Input(R"({"a":1})", web)) == R"({"a":1,"topic":"web"})");
    }
    SUBCASE("the record's metadata is kept") {
        Input in(R"({"a":1})", web, 99);
        run_one(cfg, ctx, in);
        CHECK(ctx.out[0].meta.source == web);
        CHECK(ctx.out[0].meta.offset == 99);
        CHECK(ctx.out[0].meta.line == 7);
        CHECK(ctx.out[0].meta.event_time == 1234567);
    }
}

TEST_CASE("ingest op: an existing source field is replaced") {
    FakeContext ctx;
    std::uint32_t web = ctx.table.intern("web");
    IngestConfig cfg;
    SUBCASE("first member") {
        CHECK(run_one(cfg, ctx, Input(R"({"_source":"old","a":1})", web)) ==
              R"({"a":1,"_source":"web"})");
    }
    SUBCASE("last member") {
        CHECK(run_one(cfg, ctx, Input(R"({"a":1,"_source":{"x":"old"}})", web)) ==
              R"({"a":1,"_source":"web"})");
    }
    SUBCASE("a nested member of that name is not top level and stays") {
        CHECK(run_one(cfg, ctx, Input(R"({"n":{"_source":"deep"}})", web)) ==
              R"({"n":{"_source":"deep"},"_source":"web"})");
    }
}

TEST_CASE("ingest op: no fields to add passes the record's bytes unchanged") {
    FakeContext ctx;
    ctx.table.intern("web");
    IngestConfig cfg;
    cfg.source_field = "";
    IngestOp op(cfg);
    Input in(R"({"a":1,"_source":"kept"})", 0, 5);
    op.process(in.rec, ctx);
    REQUIRE(ctx.out.size() == 1);
    CHECK(ctx.out[0].json == R"({"a":1,"_source":"kept"})");
    CHECK(ctx.out[0].data == in.rec.json.data());
    CHECK(ctx.out[0].meta.offset == 5);
}

TEST_CASE("ingest op: the id field is LABEL:OFFSET") {
    FakeContext ctx;
    std::uint32_t a = ctx.table.intern("logs/a.ndjson");
    IngestConfig cfg;
    SUBCASE("alone") {
        cfg.source_field = "";
        cfg.id_field = "id";
        CHECK(run_one(cfg, ctx, Input(R"({"x":1})", a, 1234)) ==
              R"({"x":1,"id":"logs/a.ndjson:1234"})");
    }
    SUBCASE("with the source field") {
        cfg.id_field = "event_id";
        CHECK(run_one(cfg, ctx, Input(R"({"x":1})", a, 0)) ==
              R"({"x":1,"_source":"logs/a.ndjson","event_id":"logs/a.ndjson:0"})");
    }
    SUBCASE("offsets above 32 bits") {
        cfg.source_field = "";
        cfg.id_field = "id";
        CHECK(run_one(cfg, ctx, Input(R"({"x":1})", a, 12345678901234ULL)) ==
              R"({"x":1,"id":"logs/a.ndjson:12345678901234"})");
    }
    SUBCASE("the same record twice gets the same id") {
        cfg.source_field = "";
        cfg.id_field = "id";
        IngestOp op(cfg);
        Input in(R"({"x":1})", a, 42);
        op.process(in.rec, ctx);
        op.process(in.rec, ctx);
        REQUIRE(ctx.out.size() == 2);
        CHECK(ctx.out[0].json == ctx.out[1].json);
    }
}

TEST_CASE("ingest op: the ingest time is RFC 3339 UTC with microseconds") {
    FakeContext ctx;
    ctx.table.intern("web");
    IngestConfig cfg;
    cfg.source_field = "";
    cfg.ingest_time_field = "ingested_at";
    auto now_us = [] {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    weir::Timestamp before = now_us();
    std::string got = run_one(cfg, ctx, Input(R"({"x":1})"));
    weir::Timestamp after = now_us();
    std::smatch m;
    std::regex want(R"re(\{"x":1,"ingested_at":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)"\})re");
    REQUIRE(std::regex_match(got, m, want));
    std::optional<weir::Timestamp> t = weir::parse_rfc3339(m[1].str());
    REQUIRE(t.has_value());
    CHECK(*t >= before);
    CHECK(*t <= after);
}

TEST_CASE("ingest op: id and source fields of the same name are a usage error") {
    IngestConfig cfg;
    cfg.id_field = "_source";
    try {
        IngestOp op(cfg);
        FAIL("no error");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        CHECK(std::string(e.what()).find("'_source'") != std::string::npos);
    }
    SUBCASE("both named explicitly") {
        cfg.source_field = "src";
        cfg.id_field = "src";
        CHECK_THROWS_AS(IngestOp{cfg}, weir::Error);
    }
    SUBCASE("two empty names do not clash") {
        cfg.source_field = "";
        cfg.id_field = "";
        CHECK_NOTHROW(IngestOp{cfg});
    }
}

TEST_CASE("ingest op: a record parsed upstream is spliced the same way") {
    // With the reader's DOM the op may skip looking for the names it adds; the output
    // must not change.
    FakeContext ctx;
    std::uint32_t web = ctx.table.intern("web");
    IngestConfig cfg;
    cfg.id_field = "id";
    cfg.ingest_time_field = "at";
    simdjson::dom::parser parser;
    auto with_dom = [&](const Input& in) {
        REQUIRE(parser.parse(in.rec.json.data(), in.rec.json.size(), false).get(ctx.dom) ==
                simdjson::SUCCESS);
        ctx.has_dom = true;
        IngestOp op(cfg);
        op.process(in.rec, ctx);
        REQUIRE(ctx.out.size() == 1);
        std::string got = ctx.out[0].json;
        ctx.out.clear();
        return got.substr(0, got.find(R"(,"at":")"));
    };
    SUBCASE("new names are appended") {
        CHECK(with_dom(Input(R"({"a":1})", web, 3)) == R"({"a":1,"_source":"web","id":"web:3")");
    }
    SUBCASE("existing names are replaced") {
        CHECK(with_dom(Input(R"({"at":0,"id":"x","_source":"old","a":1})", web, 3)) ==
              R"({"a":1,"_source":"web","id":"web:3")");
    }
    SUBCASE("a name only nested stays nested") {
        CHECK(with_dom(Input(R"({"n":{"id":"x"}})", web, 3)) ==
              R"({"n":{"id":"x"},"_source":"web","id":"web:3")");
    }
}

TEST_CASE("ingest op: each source gets its own label") {
    FakeContext ctx;
    std::uint32_t a = ctx.table.intern("a");
    std::uint32_t b = ctx.table.intern("b");
    IngestOp op(IngestConfig{});
    Input ra(R"({"x":1})", a), rb(R"({"x":2})", b);
    op.process(rb.rec, ctx);
    op.process(ra.rec, ctx);
    op.process(rb.rec, ctx);
    REQUIRE(ctx.out.size() == 3);
    CHECK(ctx.out[0].json == R"({"x":2,"_source":"b"})");
    CHECK(ctx.out[1].json == R"({"x":1,"_source":"a"})");
    CHECK(ctx.out[2].json == R"({"x":2,"_source":"b"})");
}

TEST_CASE("ingest op: a record already tagged with its label passes untouched") {
    FakeContext ctx;
    std::uint32_t web = ctx.table.intern("web");
    IngestConfig cfg;
    IngestOp op(cfg);
    SUBCASE("as the last member: same bytes, not copied") {
        Input in(R"({"a":1,"_source":"web"})", web);
        op.process(in.rec, ctx);
        REQUIRE(ctx.out.size() == 1);
        CHECK(ctx.out[0].data == in.rec.json.data());
    }
    SUBCASE("the only member, whitespace before the brace") {
        Input in("{\"_source\":\"web\"  }", web);
        op.process(in.rec, ctx);
        CHECK(ctx.out[0].data == in.rec.json.data());
    }
    SUBCASE("in a nested object only: the root still gets its tag") {
        Input in(R"({"a":{"_source":"web"}})", web);
        op.process(in.rec, ctx);
        CHECK(ctx.out[0].json == R"({"a":{"_source":"web"},"_source":"web"})");
    }
    SUBCASE("another label: replaced") {
        Input in(R"({"a":1,"_source":"app"})", web);
        op.process(in.rec, ctx);
        CHECK(ctx.out[0].json == R"({"a":1,"_source":"web"})");
    }
    SUBCASE("inside a string: not a member") {
        Input in(R"({"s":",\"_source\":\"web\"}"})", web);
        op.process(in.rec, ctx);
        CHECK(ctx.out[0].json == R"({"s":",\"_source\":\"web\"}","_source":"web"})");
    }
}
