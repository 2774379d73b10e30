// weir-validate's operator against a fake run loop (validate/validate_op.hpp): valid
// records pass as their exact bytes, invalid ones go to the quarantine file with their
// failed rules and the quarantine time, non-objects are wrapped, annotate mode, the
// no-quarantine mode, and the per-rule counts.

#include "../fake_context.hpp"
#include "../io/temp_dir.hpp"
#include "io/output_file.hpp"
#include "metrics/metrics_writer.hpp"
#include "time/rfc3339.hpp"
#include "validate/flag_rules.hpp"
#include "validate/json_schema.hpp"
#include "validate/validate_op.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

using weir::Channel;
using weir::Timestamp;
using weir::ValidateConfig;
using weir::ValidateOp;
using weir::test::FakeContext;
using weir::test::Input;

namespace {

Timestamp at(std::string_view rfc3339) {
    std::optional<Timestamp> t = weir::parse_rfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

// Rules from flags, in order: {"--require", "a,b"}, ...
ValidateConfig config(std::vector<std::pair<std::string, std::string>> flags) {
    ValidateConfig cfg;
    for (const auto& [flag, value] : flags)
        for (const weir::RuleSpec& s : weir::rules_from_flag(flag, value))
            cfg.rules.add(s);
    cfg.now = at("2024-03-01T12:00:00Z");
    return cfg;
}

// The standard gate of these tests, with a quarantine file.
ValidateConfig gate() {
    ValidateConfig cfg = config({{"--require", "event_id,user_id"},
                                 {"--range", "amount:0..1000"},
                                 {"--not-future", "event_time"}});
    cfg.has_quarantine = true;
    return cfg;
}

using Counts = std::vector<std::pair<std::string, std::uint64_t>>;

// A quarantine file in a scratch directory; read() flushes and returns its content.
struct Quarantine {
    weir::test::TempDir dir;
    std::unique_ptr<weir::OutputFile> file =
        weir::OutputFile::open(dir / "q.ndjson", weir::OutputFile::Mode::truncate);

    std::string read() {
        file->flush();
        return weir::test::read_file(dir / "q.ndjson");
    }
};

} // namespace

TEST_CASE("validate op: a valid record passes as its exact bytes") {
    Quarantine q;
    ValidateOp op(gate());
    op.set_quarantine(q.file.get());
    FakeContext ctx;
    Input in(R"( {"event_id":"e1", "user_id":7,"amount":1e3 ,"x":"\u00e9"} )", 42, 1);
    CHECK(op.process(in.rec, ctx) == weir::Flow::more);
    REQUIRE(ctx.out.size() == 1);
    CHECK(ctx.out[0].json == R"( {"event_id":"e1", "user_id":7,"amount":1e3 ,"x":"\u00e9"} )");
    CHECK(ctx.out[0].data == in.rec.json.data()); // zero-copy
    CHECK(ctx.out[0].meta.event_time == 42);
    CHECK(ctx.out[0].meta.source == 1);
    CHECK(ctx.run.rejected() == 0);
    CHECK(ctx.rejects.empty());
    CHECK(q.read().empty());
}

TEST_CASE("validate op: the run loop's parsed DOM is used when it has one") {
    ValidateOp op(gate());
    FakeContext ctx;
    Input in(R"({"event_id":1,"user_id":2})");
    simdjson::dom::parser parser;
    simdjson::padded_string padded(in.rec.json);
    REQUIRE(parser.parse(padded).get(ctx.dom) == simdjson::SUCCESS);
    ctx.has_dom = true;
    op.process(in.rec, ctx);
    REQUIRE(ctx.out.size() == 1);
    CHECK(ctx.out[0].data == in.rec.json.data());

    // The DOM is what is judged: here it lacks user_id.
    simdjson::padded_string other(std::string_view(R"({"event_id":1})"));
    REQUIRE(parser.parse(other).get(ctx.dom) == simdjson::SUCCESS);
    op.process(in.rec, ctx);
    CHECK(ctx.out.size() == 1);
    CHECK(ctx.run.rejected(Channel::quarantine) == 1);
}

TEST_CASE("validate op: invalid records go to the quarantine file") {
    Quarantine q;
    ValidateOp op(gate());
    op.set_quarantine(q.file.get());
    FakeContext ctx;
    Input a(R"({"event_id":"e1","amount":-5})");
    Input b(R"({ "event_id" : null , "user_id":1,"event_time":"2024-03-01T12:00:01Z" })");
    Input c(R"({"event_id":"e3","user_id":3,"amount":5})");
    op.process(a.rec, ctx);
    op.process(b.rec, ctx);
    op.process(c.rec, ctx);
    REQUIRE(ctx.out.size() == 1);
    CHECK(ctx.out[0].json == c.rec.json);
    CHECK(ctx.run.rejected(Channel::quarantine) == 2);
    CHECK(ctx.run.rejected() == 2);
    CHECK(ctx.rejects.empty()); // quarantine is not the dead-letter file
    CHECK(
        q.read() ==
        R"({"event_id":"e1","amount":-5,"validation_errors":["require:user_id","range:amount"],"quarantine_time":"2024-03-01T12:00:00Z"})"
        "\n"
        R"({ "event_id" : null , "user_id":1,"event_time":"2024-03-01T12:00:01Z" ,"validation_errors":["require:event_id","not_future:event_time"],"quarantine_time":"2024-03-01T12:00:00Z"})"
        "\n");
    op.finish(ctx);
    CHECK(ctx.warnings.empty());
}

TEST_CASE("validate op: fields of the same names in the record are replaced") {
    Quarantine q;
    ValidateOp op(gate());
    op.set_quarantine(q.file.get());
    FakeContext ctx;
    Input in(R"({"validation_errors":"old","quarantine_time":0,"event_id":1})");
    op.process(in.rec, ctx);
    CHECK(
        q.read() ==
        R"({"event_id":1,"validation_errors":["require:user_id"],"quarantine_time":"2024-03-01T12:00:00Z"})"
        "\n");
}

TEST_CASE("validate op: quarantine_time keeps the precision of now") {
    Quarantine q;
    ValidateConfig cfg = gate();
    cfg.now = at("2024-03-01T12:00:00.25+01:00");
    ValidateOp op(std::move(cfg));
    op.set_quarantine(q.file.get());
    FakeContext ctx;
    Input in("{}");
    op.process(in.rec, ctx);
    CHECK(
        q.read() ==
        R"({"validation_errors":["require:event_id","require:user_id"],"quarantine_time":"2024-03-01T11:00:00.250Z"})"
        "\n");
}

TEST_CASE("validate op: without --now, quarantine_time and the time rules use the clock") {
    Quarantine q;
    ValidateConfig cfg = config({{"--not-future", "t"}});
    cfg.now = weir::no_timestamp;
    cfg.has_quarantine = true;
    ValidateOp op(std::move(cfg));
    op.set_quarantine(q.file.get());
    FakeContext ctx;
    Timestamp before = weir::wall_clock_now();
    Input past(R"({"t":"2000-01-01T00:00:00Z"})");
    Input future(R"({"t":"9000-01-01T00:00:00Z"})");
    op.process(past.rec, ctx);
    op.process(future.rec, ctx);
    Timestamp after = weir::wall_clock_now();
    CHECK(ctx.out.size() == 1);
    std::string line = q.read();
    std::string prefix = R"({"t":"9000-01-01T00:00:00Z","validation_errors":["not_future:t"],)"
                         R"("quarantine_time":")";
    REQUIRE(line.rfind(prefix, 0) == 0);
    std::string_view rest = std::string_view(line).substr(prefix.size());
    std::size_t quote = rest.find('"');
    REQUIRE(quote != std::string_view::npos);
    CHECK(rest.substr(quote) == "\"}\n");
    std::optional<Timestamp> t = weir::parse_rfc3339(rest.substr(0, quote));
    REQUIRE(t.has_value());
    CHECK(*t >= before - 1'000'000); // the coarse clock lags by a tick at most
    CHECK(*t <= after);
}

TEST_CASE("validate op: a record that is not an object fails not_an_object") {
    Quarantine q;
    ValidateOp op(gate());
    op.set_quarantine(q.file.get());
    CHECK(op.takes_non_objects());
    FakeContext ctx;
    Input arr("[1, 2]");
    Input str(R"("x" )");
    Input num("3.5\r");
    op.process(arr.rec, ctx);
    op.process(str.rec, ctx);
    op.process(num.rec, ctx);
    CHECK(ctx.out.empty());
    CHECK(ctx.rejects.empty());
    CHECK(ctx.run.rejected(Channel::quarantine) == 3);
    CHECK(
        q.read() ==
        R"({"record":[1, 2],"validation_errors":["not_an_object"],"quarantine_time":"2024-03-01T12:00:00Z"})"
        "\n"
        R"({"record":"x","validation_errors":["not_an_object"],"quarantine_time":"2024-03-01T12:00:00Z"})"
        "\n"
        R"({"record":3.5,"validation_errors":["not_an_object"],"quarantine_time":"2024-03-01T12:00:00Z"})"
        "\n");

    SUBCASE("from a parsed DOM too") {
        FakeContext dctx;
        Input null_rec("null");
        simdjson::dom::parser parser;
        REQUIRE(parser.parse(simdjson::padded_string(std::string_view("null"))).get(dctx.dom) ==
                simdjson::SUCCESS);
        dctx.has_dom = true;
        op.process(null_rec.rec, dctx);
        CHECK(dctx.out.empty());
        CHECK(dctx.run.rejected(Channel::quarantine) == 1);
        CHECK(q.read().find(R"({"record":null,"validation_errors":["not_an_object"],)") !=
              std::string::npos);
    }
}

TEST_CASE("validate op: malformed JSON is rejected to the dead-letter channel") {
    ValidateOp op(gate());
    FakeContext ctx;
    Input bad(R"({"event_id":)");
    op.process(bad.rec, ctx);
    CHECK(ctx.out.empty());
    REQUIRE(ctx.rejects.size() == 1);
    CHECK(ctx.rejects[0].first == weir::Reason::invalid_json);
    CHECK(ctx.run.rejected(Channel::quarantine) == 0);
}

TEST_CASE("validate op: annotate passes every record with _valid and _errors") {
    ValidateConfig cfg = gate();
    cfg.has_quarantine = false;
    cfg.annotate = true;
    ValidateOp op(std::move(cfg));
    CHECK_FALSE(op.takes_non_objects());
    FakeContext ctx;
    Input good(R"({"event_id":1,"user_id":2})", 9, 4);
    Input bad(R"({"amount":5000, "_valid":true})");
    Input empty("{ }");
    op.process(good.rec, ctx);
    op.process(bad.rec, ctx);
    op.process(empty.rec, ctx);
    REQUIRE(ctx.out.size() == 3);
    CHECK(ctx.out[0].json == R"({"event_id":1,"user_id":2,"_valid":true,"_errors":[]})");
    CHECK(ctx.out[0].meta.event_time == 9);
    CHECK(ctx.out[0].meta.source == 4);
    CHECK(
        ctx.out[1].json ==
        R"({"amount":5000,"_valid":false,"_errors":["require:event_id","require:user_id","range:amount"]})");
    CHECK(ctx.out[2].json ==
          R"({ "_valid":false,"_errors":["require:event_id","require:user_id"]})");
    CHECK(ctx.run.rejected() == 0);
    op.finish(ctx);
    CHECK(ctx.warnings.empty());
    weir::Breakdown b = op.breakdown();
    CHECK(b.counts == Counts{{"require:event_id", 2},
                             {"require:user_id", 2},
                             {"range:amount", 1},
                             {"not_future:event_time", 0},
                             {"not_an_object", 0}});
}

TEST_CASE("validate op: without a quarantine file invalid records are counted and dropped") {
    ValidateConfig cfg = gate();
    cfg.has_quarantine = false;
    ValidateOp op(std::move(cfg));
    FakeContext ctx;
    Input good(R"({"event_id":1,"user_id":2})");
    Input bad1("{}");
    Input bad2("[]");
    op.process(good.rec, ctx);
    op.process(bad1.rec, ctx);
    op.process(bad2.rec, ctx);
    CHECK(ctx.out.size() == 1);
    CHECK(ctx.run.rejected(Channel::quarantine) == 2);
    CHECK(ctx.warnings.empty()); // said once, at the end
    op.finish(ctx);
    CHECK(ctx.warnings ==
          std::vector<std::string>{
              "2 records failed validation and were dropped (no --quarantine FILE)"});
}

TEST_CASE("validate op: no warning when nothing failed") {
    ValidateConfig cfg = gate();
    cfg.has_quarantine = false;
    ValidateOp op(std::move(cfg));
    FakeContext ctx;
    Input good(R"({"event_id":1,"user_id":2})");
    op.process(good.rec, ctx);
    op.finish(ctx);
    CHECK(ctx.warnings.empty());
}

TEST_CASE("validate op: breakdown counts failures per rule, shared names once") {
    ValidateConfig cfg;
    weir::RuleSpec ids;
    ids.kind = weir::RuleKind::require;
    ids.name = "ids";
    ids.origin = "rules.toml [ids]";
    ids.field = "a";
    cfg.rules.add(ids);
    ids.field = "b";
    cfg.rules.add(ids);
    cfg.rules.add_schema(
        weir::JsonSchema::compile(R"({"properties":{"n":{"type":"integer"}}})", "schema.json"));
    cfg.now = at("2024-03-01T12:00:00Z");
    ValidateOp op(std::move(cfg));
    CHECK(op.name() == "validate");
    CHECK(op.breakdown().counts == Counts{{"ids", 0}, {"schema:n:type", 0}, {"not_an_object", 0}});
    FakeContext ctx;
    for (const char* json : {"{}", R"({"a":1})", R"({"a":1,"b":2,"n":1.5})", R"({"n":"x"})", "[1]",
                             "2", R"({"a":1,"b":2})"}) {
        Input in(json);
        op.process(in.rec, ctx);
    }
    weir::Breakdown b = op.breakdown();
    CHECK(b.what == "rule_failures");
    CHECK(b.label == "rule");
    CHECK_FALSE(b.help.empty());
    CHECK(b.counts == Counts{{"ids", 3}, {"schema:n:type", 2}, {"not_an_object", 2}});
    CHECK(ctx.out.size() == 1);
    CHECK(ctx.run.rejected(Channel::quarantine) == 6);
}
