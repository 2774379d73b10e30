// weir-dedup's operator (dedup/dedup_op.hpp) through a fake run loop: bounded mode with
// out-of-order and late events, --keep last, global mode across a snapshot, composite
// and whole-record keys, records without a key, --max-state, flag combinations.

#include "../error_of.hpp"
#include "../fake_context.hpp"
#include "dedup/dedup_op.hpp"
#include "time/rfc3339.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::DedupConfig;
using weir::DedupOp;
using weir::test::FakeContext;
using weir::test::Input;

namespace {

DedupConfig bounded(std::string key, std::int64_t within_s, std::int64_t delay_s = 0) {
    DedupConfig c;
    c.key = std::move(key);
    c.within = std::chrono::seconds(within_s);
    c.watermark_delay = std::chrono::seconds(delay_s);
    return c;
}

DedupConfig global(std::string key) {
    DedupConfig c;
    c.key = std::move(key);
    c.global = true;
    return c;
}

// A record {"id":ID,"t":SECONDS} with its event time carried (seconds).
struct Ev {
    std::string id;
    std::int64_t t;
};

std::vector<std::string> run(DedupOp& op, FakeContext& ctx, const std::vector<Ev>& evs) {
    for (const Ev& e : evs) {
        std::string json = "{\"id\":\"" + e.id + "\",\"t\":" + std::to_string(e.t) + "}";
        Input in(json, e.t * 1'000'000);
        op.process(in.rec, ctx);
    }
    std::vector<std::string> out;
    for (const auto& o : ctx.out)
        out.push_back(o.json);
    return out;
}

std::string rec(const std::string& id, std::int64_t t) {
    return "{\"id\":\"" + id + "\",\"t\":" + std::to_string(t) + "}";
}

} // namespace

TEST_CASE("dedup op: bounded mode keeps the first occurrence within the horizon") {
    DedupOp op(bounded("id", 10, 5));
    FakeContext ctx;
    auto out = run(op, ctx,
                   {{"a", 100},
                    {"b", 101},
                    {"a", 102},
                    {"a", 98} /* out of order, on time: watermark 97 */,
                    {"a", 120} /* dropped: a's horizon is open until the watermark reaches 110 */,
                    {"b", 103} /* late: watermark is 115 */,
                    {"a", 130}});
    CHECK(out == std::vector<std::string>{rec("a", 100), rec("b", 101), rec("a", 130)});
    CHECK(ctx.run.rejected(weir::Channel::duplicate) == 3);
    CHECK(ctx.run.rejected(weir::Channel::late) == 1);
    op.finish(ctx);
    REQUIRE(ctx.warnings.size() == 1);
    CHECK(ctx.warnings[0] == "1 late records counted but not kept (no --late FILE)");
}

TEST_CASE("dedup op: an event at the watermark is on time and a key expires at first + within") {
    DedupOp op(bounded("id", 10));
    FakeContext ctx;
    // Watermark = max event time (delay 0). a@100 expires when the watermark reaches 110.
    auto out = run(op, ctx, {{"a", 100}, {"b", 109}, {"b", 109}, {"a", 110}, {"a", 110}});
    CHECK(out == std::vector<std::string>{rec("a", 100), rec("b", 109), rec("a", 110)});
    CHECK(ctx.run.rejected(weir::Channel::late) == 0);
    CHECK(ctx.run.rejected(weir::Channel::duplicate) == 2);
}

TEST_CASE("dedup op: --keep last writes the last occurrence when the horizon closes") {
    DedupConfig c = bounded("id", 10);
    c.keep_last = true;
    DedupOp op(c);
    FakeContext ctx;
    auto out = run(op, ctx, {{"a", 100}, {"b", 101}, {"a", 105}, {"b", 105}, {"c", 112}});
    // c@112 moves the watermark to 112: a (expires 110) and b (111) close, in that order.
    CHECK(out == std::vector<std::string>{rec("a", 105), rec("b", 105)});
    CHECK(ctx.run.rejected(weir::Channel::duplicate) == 2);
    op.finish(ctx); // the end of input closes c's horizon
    CHECK(ctx.out.back().json == rec("c", 112));
    CHECK(ctx.out.back().meta.event_time == 112'000'000);
}

TEST_CASE("dedup op: global mode remembers keys across a snapshot") {
    DedupOp first(global("id"));
    FakeContext ctx1;
    run(first, ctx1, {{"a", 1}, {"b", 2}, {"a", 3}});
    CHECK(ctx1.out.size() == 2);
    weir::StateWriter w;
    first.snapshot(w);
    std::string state = w.take();

    DedupOp second(global("id"));
    weir::StateReader r(state);
    second.restore(r);
    FakeContext ctx2;
    auto out = run(second, ctx2, {{"b", 10}, {"c", 11}, {"a", 12}});
    CHECK(out == std::vector<std::string>{rec("c", 11)});
    CHECK(ctx2.run.rejected(weir::Channel::duplicate) == 2);

    SUBCASE("--exact too") {
        DedupConfig c = global("id");
        c.exact = true;
        DedupOp e1(c);
        FakeContext x1;
        run(e1, x1, {{"a", 1}, {"a", 2}});
        weir::StateWriter w2;
        e1.snapshot(w2);
        std::string s2 = w2.take();
        DedupOp e2(c);
        weir::StateReader r2(s2);
        e2.restore(r2);
        FakeContext x2;
        CHECK(run(e2, x2, {{"a", 3}, {"z", 4}}) == std::vector<std::string>{rec("z", 4)});
    }
}

TEST_CASE("dedup op: bounded state survives a snapshot: watermark and open keys") {
    DedupOp first(bounded("id", 10, 2));
    FakeContext ctx1;
    run(first, ctx1, {{"a", 100}, {"b", 105}});
    weir::StateWriter w;
    first.snapshot(w);
    std::string state = w.take();
    DedupOp second(bounded("id", 10, 2));
    weir::StateReader r(state);
    second.restore(r);
    FakeContext ctx2;
    auto out = run(second, ctx2, {{"a", 104}, {"z", 102} /* late: watermark 103 */, {"b", 106}});
    CHECK(out.empty());
    CHECK(ctx2.run.rejected(weir::Channel::late) == 1);
    CHECK(ctx2.run.rejected(weir::Channel::duplicate) == 2);
}

TEST_CASE("dedup op: composite, nested and whole-record keys") {
    SUBCASE("composite and nested") {
        DedupOp op(global("u,d.os"));
        FakeContext ctx;
        for (const char* j :
             {R"({"u":1,"d":{"os":"ios"}})", R"({"u":1,"d":{"os":"web"}})",
              R"({"d":{"os":"ios"},"u":1.0,"x":2})", R"({"u":"1","d":{"os":"ios"}})"}) {
            Input in(j);
            op.process(in.rec, ctx);
        }
        // 1 and 1.0 are one key; the string "1" is another.
        CHECK(ctx.out.size() == 3);
        CHECK(ctx.run.rejected(weir::Channel::duplicate) == 1);
    }
    SUBCASE("whole record: exact bytes") {
        DedupOp op(global("*"));
        FakeContext ctx;
        for (const char* j : {R"({"a":1})", R"({"a":1})", R"({"a": 1})"}) {
            Input in(j);
            op.process(in.rec, ctx);
        }
        CHECK(ctx.out.size() == 2);
    }
}

TEST_CASE("dedup op: records without the key") {
    const char* recs[] = {R"({"x":1})", R"({"id":null})", R"({"id":[1]})", R"({"id":"a"})"};
    SUBCASE("dead-lettered by default") {
        DedupOp op(global("id"));
        FakeContext ctx;
        for (const char* j : recs) {
            Input in(j);
            op.process(in.rec, ctx);
        }
        CHECK(ctx.out.size() == 1);
        REQUIRE(ctx.rejects.size() == 3);
        CHECK(ctx.rejects[0].second == "field 'id': missing");
        CHECK(ctx.rejects[1].second == "field 'id': null");
        CHECK(ctx.rejects[2].second == "field 'id': an array is not a key");
        CHECK(ctx.rejects[0].first == weir::Reason::bad_field);
    }
    SUBCASE("passed on with --missing-key pass; non-scalar keys are still rejected") {
        DedupConfig c = global("id");
        c.missing_pass = true;
        DedupOp op(c);
        FakeContext ctx;
        for (const char* j : recs) {
            Input in(j);
            op.process(in.rec, ctx);
        }
        CHECK(ctx.out.size() == 3);
        CHECK(ctx.rejects.size() == 1);
        CHECK(ctx.out[0].data != nullptr);
    }
}

TEST_CASE("dedup op: bounded mode reads --time itself and dead-letters a bad time") {
    DedupConfig c = bounded("id", 60);
    c.time_field = "ts";
    c.time_given = true;
    DedupOp op(c);
    FakeContext ctx;
    for (const char* j :
         {R"({"id":"a","ts":"2024-01-01T00:00:00Z"})", R"({"id":"a","ts":"2024-01-01T00:00:59Z"})",
          R"({"id":"b","ts":"2024-01-01T00:01:00Z"})", R"({"id":"a","ts":"2024-01-01T00:01:00Z"})",
          R"({"id":"a"})", R"({"id":"a","ts":"x"})"}) {
        Input in(j);
        op.process(in.rec, ctx);
    }
    // a@1:00 passes: b@1:00 moved the watermark to 1:00 first, which closed a's horizon.
    CHECK(ctx.out.size() == 3);
    REQUIRE(ctx.rejects.size() == 2);
    CHECK(ctx.rejects[0].second == "field 'ts': missing");
    CHECK(ctx.rejects[1].first == weir::Reason::bad_time);
}

TEST_CASE("dedup op: --max-state stops with a clear error") {
    DedupConfig c = global("id");
    c.max_state = 4096;
    DedupOp op(c);
    FakeContext ctx;
    weir::Error e = weir::test::error_of([&] {
        for (int i = 0; i < 1000; ++i) {
            Input in("{\"id\":" + std::to_string(i) + "}");
            op.process(in.rec, ctx);
        }
    });
    CHECK(e.code() == weir::Exit::data);
    CHECK(std::string(e.what()).find("--max-state 4096") != std::string::npos);
}

TEST_CASE("dedup op: flag combinations") {
    auto usage = [](DedupConfig c) {
        return weir::test::error_of([&] { DedupOp op(c); }).code() == weir::Exit::usage;
    };
    DedupConfig none;
    none.key = "id";
    CHECK(usage(none)); // neither --within nor --global
    DedupConfig both = bounded("id", 10);
    both.global = true;
    CHECK(usage(both));
    DedupConfig last = global("id");
    last.keep_last = true;
    CHECK(usage(last));
    CHECK(usage(global("a,,b")));
    CHECK(usage(global("")));
    DedupOp ok(bounded("id", 10));
    auto flags = ok.meaning_flags();
    CHECK(flags[0] == std::pair<std::string, std::string>{"--key", "id"});
    CHECK(flags[2] == std::pair<std::string, std::string>{"--within", "10s"});
}
