// weir-sessionize's operator (session/session_op.hpp) through a fake run loop: output
// shape and order, the watermark and late rows, a bridging event joining two open
// sessions, --gap-by and --gap-expr, missing keys, collect in event-time order,
// --max-duration, --keep-open across a checkpoint, snapshot/restore at every cut,
// --max-state, the flag checks, and an oracle over random out-of-order streams.

#include "../error_of.hpp"
#include "../fake_context.hpp"
#include "../io/temp_dir.hpp"
#include "../op_run.hpp"
#include "cli/flag_values.hpp"
#include "io/output_file.hpp"
#include "json/field_path.hpp"
#include "session/session_op.hpp"
#include "state/state_io.hpp"
#include "time/rfc3339.hpp"
#include "window/agg_spec.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

using weir::Channel;
using weir::SessionizeConfig;
using weir::SessionizeOp;
using weir::Timestamp;
using weir::test::at;
using weir::test::Ev;
using weir::test::FakeContext;
using weir::test::Input;
using weir::test::Lines;
using weir::test::restore_into;
using weir::test::snapshot_of;
using weir::test::ts;

namespace {

// An output record: key members, session [a, b] (seconds after t0), then `rest`.
std::string row(const std::string& key, std::int64_t a, std::int64_t b, const std::string& rest) {
    return "{" + key + (key.empty() ? "" : ",") + R"("session":{"start":")" + ts(a) +
           R"(","end":")" + ts(b) + R"("},)" + rest + "}";
}

SessionizeConfig config(const std::string& key, std::int64_t gap_s,
                        const std::vector<std::string>& aggs = {}) {
    SessionizeConfig c;
    c.key = weir::path_list_flag("--key", key);
    c.gap = std::chrono::seconds(gap_s);
    for (const std::string& a : aggs)
        c.aggs.push_back(weir::parse_agg_spec(a));
    return c;
}

using Run = weir::test::OpRun<SessionizeOp>;

struct LateFile {
    weir::test::TempDir dir;
    std::unique_ptr<weir::OutputFile> file =
        weir::OutputFile::open(dir / "late.ndjson", weir::OutputFile::Mode::truncate);

    std::string read() {
        file->flush();
        return weir::test::read_file(dir / "late.ndjson");
    }
};

// Random events for keys k0..k4 at times 0..3000 s, arriving up to ~200 s out of order.
std::vector<Ev> mixed_events(std::uint64_t seed, int n = 400) {
    std::uint64_t x = seed;
    auto next = [&](std::uint64_t m) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>((x >> 33) % m);
    };
    std::vector<Ev> evs;
    for (int i = 0; i < n; ++i) {
        std::int64_t t = i * 7 + next(200) - 100;
        evs.push_back({t, R"("k":"k)" + std::to_string(next(5)) + R"(","v":)" +
                              std::to_string(next(100)) + R"(,"tier":")" +
                              (next(3) == 0 ? "power" : "casual") + "\""});
    }
    return evs;
}

// Feeds evs[0, cut), snapshots, restores into a new operator, feeds the rest.
Lines run_cut(const SessionizeConfig& c, const std::vector<Ev>& evs, std::size_t cut) {
    Run first(c);
    first.feed(std::vector<Ev>(evs.begin(), evs.begin() + static_cast<std::ptrdiff_t>(cut)));
    Lines out = first.lines();
    std::string state = snapshot_of(first.op);
    Run second(c);
    restore_into(second.op, state);
    second.feed(std::vector<Ev>(evs.begin() + static_cast<std::ptrdiff_t>(cut), evs.end()));
    for (const std::string& l : second.finish())
        out.push_back(l);
    return out;
}

} // namespace

TEST_CASE("sessionize op: sessions per key with count, duration and aggregates") {
    Run r(config("user", 600, {"sum:amount=revenue", "collect:type=seq"}));
    r.feed({{0, R"("user":"u1","amount":5,"type":"view")"},
            {120, R"("user":"u1","amount":7,"type":"cart")"},
            {60, R"("user":"u1","amount":1,"type":"click")"},
            {30, R"("user":"u2","amount":2.5,"type":"view")"}});
    CHECK(r.lines().empty());
    CHECK(r.op.open_sessions() == 2);
    CHECK(r.finish() == Lines{row(R"("user":"u2")", 30, 630,
                                  R"("events":1,"duration_s":0,"revenue":2.5,)"
                                  R"("seq":["view"])"),
                              row(R"("user":"u1")", 0, 720,
                                  R"("events":3,"duration_s":120,"revenue":13,)"
                                  R"("seq":["view","click","cart"])")});
    CHECK(r.ctx.run.rejected(Channel::late) == 0);
}

TEST_CASE("sessionize op: fractional durations, nested keys, no key at all") {
    Run r(config("device.os,user", 10));
    r.feed(at(0) + 250'000, R"({"device":{"os":"ios"},"user":7})");
    r.feed(at(3), R"({"device":{"os":"ios"},"user":7})");
    CHECK(r.finish() == Lines{"{\"device\":{\"os\":\"ios\"},\"user\":7,\"session\":{\"start\":\"" +
                              weir::format_rfc3339(at(0) + 250'000) + "\",\"end\":\"" + ts(13) +
                              "\"},\"events\":2,\"duration_s\":2.75}"});
    Run all(config("", 10));
    all.feed({{0, R"("a":1)"}, {5, R"("b":2)"}});
    CHECK(all.finish() == Lines{row("", 0, 15, R"("events":2,"duration_s":5)")});
}

TEST_CASE("sessionize op: sessions close when the watermark passes their end") {
    SessionizeConfig c = config("k", 10, {"count"});
    c.watermark = std::chrono::seconds(5);
    Run r(c);
    r.feed({{0, R"("k":"a")"}, {2, R"("k":"b")"}, {14, R"("k":"x")"}});
    CHECK(r.lines().empty());     // watermark 9: a ends 10, b ends 12
    r.feed({{15, R"("k":"x")"}}); // watermark 10: not past a's end (inclusive)
    CHECK(r.lines().empty());
    r.feed({{18, R"("k":"x")"}}); // watermark 13: a and b are final, by end
    CHECK(r.lines() == Lines{row(R"("k":"a")", 0, 10, R"("events":1,"duration_s":0,"count":1)"),
                             row(R"("k":"b")", 2, 12, R"("events":1,"duration_s":0,"count":1)")});
    CHECK(r.finish().size() == 3);
    CHECK(r.counted("sessions_emitted") == 3);
}

TEST_CASE("sessionize op: order within one advance is end, then start, then key") {
    Run r(config("k", 10));
    r.feed({{5, R"("k":"c")"},
            {0, R"("k":"b")"},
            {4, R"("k":"a")"},
            {0, R"("k":"a")"},
            {1, R"("k":"d")"}});
    // Sessions: a [0, 14], b [0, 10], c [5, 15], d [1, 11]; one event closes them all.
    r.feed({{100, R"("k":"z")"}});
    Lines want{row(R"("k":"b")", 0, 10, R"("events":1,"duration_s":0)"),
               row(R"("k":"d")", 1, 11, R"("events":1,"duration_s":0)"),
               row(R"("k":"a")", 0, 14, R"("events":2,"duration_s":4)"),
               row(R"("k":"c")", 5, 15, R"("events":1,"duration_s":0)")};
    CHECK(r.lines() == want);
}

TEST_CASE("sessionize op: a late event bridges two open sessions into one") {
    SessionizeConfig c = config("k", 10, {"collect:n"});
    c.watermark = std::chrono::seconds(100);
    Run r(c);
    r.feed({{0, R"("k":1,"n":1)"}, {30, R"("k":1,"n":3)"}, {12, R"("k":1,"n":2)"}});
    CHECK(r.op.open_sessions() == 3);   // [0, 10], [12, 22] and [30, 40]
    r.feed({{21, R"("k":1,"n":2.5)"}}); // [21, 31] touches [12, 22] and [30, 40]
    CHECK(r.op.open_sessions() == 2);
    CHECK(r.counted("sessions_bridged") == 1);
    CHECK(r.finish() ==
          Lines{row(R"("k":1)", 0, 10, R"("events":1,"duration_s":0,"collect_n":[1])"),
                row(R"("k":1)", 12, 40, R"("events":3,"duration_s":18,"collect_n":[2,2.5,3])")});
}

TEST_CASE("sessionize op: an event is late when it touches no open session and its reach "
          "is final") {
    SessionizeConfig c = config("k", 10);
    c.watermark = std::chrono::seconds(5);
    LateFile late;
    Run r(c);
    r.op.set_late(late.file.get());
    r.feed({{0, R"("k":"a")"}, {40, R"("k":"b")"}}); // watermark 35: a [0, 10] emitted
    CHECK(r.lines().size() == 1);
    r.feed({{5, R"("k":"a")"}});  // reaches 15 < 35, no open session of a: late
    r.feed({{25, R"("k":"a")"}}); // reaches 35: not final (end inclusive): a new session
    r.feed({{20, R"("k":"b")"}}); // reaches 30 < 35 but touches b's [40, 50]? no: late
    r.feed({{32, R"("k":"b")"}}); // reaches 42, touches b: joins, start moves back
    CHECK(r.ctx.run.rejected(Channel::late) == 2);
    CHECK(r.counted("late") == 2);
    CHECK(r.finish() == Lines{row(R"("k":"a")", 0, 10, R"("events":1,"duration_s":0)"),
                              row(R"("k":"a")", 25, 35, R"("events":1,"duration_s":0)"),
                              row(R"("k":"b")", 32, 50, R"("events":2,"duration_s":8)")});
    std::string text = late.read();
    CHECK(text.find(R"("reason":"late")") != std::string::npos);
    CHECK(text.find("event time " + ts(5) + " with gap 10s reaches " + ts(15) +
                    ", behind the watermark " + ts(35)) != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);

    SUBCASE("without a late file: counted and warned about") {
        Run q(c);
        q.feed({{0, R"("k":"a")"}, {40, R"("k":"b")"}, {5, R"("k":"a")"}});
        q.finish();
        CHECK(q.ctx.warnings ==
              std::vector<std::string>{"1 late rows were counted but not kept (give --late "
                                       "FILE to keep them)"});
    }
}

TEST_CASE("sessionize op: --gap-by picks the gap by a field's value") {
    SessionizeConfig c = config("u", 1800);
    c.gap_by = weir::FieldPath::from("tier");
    c.gap_values = weir::parse_gap_values("power=5m,casual=30m");
    Run r(c);
    r.feed({{0, R"("u":1,"tier":"power")"},
            {400, R"("u":1,"tier":"power")"}, // 400 > 300: a new session
            {0, R"("u":2,"tier":"casual")"},
            {1700, R"("u":2,"tier":"casual")"},
            {0, R"("u":3,"tier":7)"},
            {1800, R"("u":3)"}}); // not a listed string: --gap (30m)
    CHECK(r.finish() == Lines{row(R"("u":1)", 0, 300, R"("events":1,"duration_s":0)"),
                              row(R"("u":1)", 400, 700, R"("events":1,"duration_s":0)"),
                              row(R"("u":2)", 0, 3500, R"("events":2,"duration_s":1700)"),
                              row(R"("u":3)", 0, 3600, R"("events":2,"duration_s":1800)")});
    SUBCASE("the value list is checked") {
        auto msg = [](const char* text) {
            return std::string(weir::test::error_of([&] { weir::parse_gap_values(text); }).what());
        };
        CHECK(msg("power") == "--gap-by 'power': expected VALUE=DURATION");
        CHECK(msg("power=0s") == "--gap-by 'power=0s': '0s' is not a positive duration");
        CHECK(msg("a=1m,a=2m") == "--gap-by: value 'a' is given twice");
    }
}

TEST_CASE("sessionize op: --gap-expr computes the gap; a bad one is a dead letter") {
    SessionizeConfig c = config("u", 0);
    c.gap_expr = "idle_min * 1m";
    Run r(c);
    r.feed({{0, R"("u":1,"idle_min":2)"},
            {100, R"("u":1,"idle_min":1)"},
            {170, R"("u":1,"idle_min":1)"}, // 100 + 60 < 170: a new session
            {200, R"("u":1,"idle_min":"x")"},
            {201, R"("u":1,"idle_min":0)"}});
    CHECK(r.ctx.rejects.size() == 2);
    CHECK(r.ctx.rejects[0].second == "--gap-expr 'idle_min * 1m' gave null, not a positive "
                                     "duration");
    CHECK(r.ctx.rejects[1].second == "--gap-expr 'idle_min * 1m' gave \"0s\", not a positive "
                                     "duration");
    CHECK(r.counted("bad_gap") == 2);
    CHECK(r.finish() == Lines{row(R"("u":1)", 0, 160, R"("events":2,"duration_s":100)"),
                              row(R"("u":1)", 170, 230, R"("events":1,"duration_s":0)")});
    SUBCASE("null falls back to --gap when given") {
        c.gap = std::chrono::seconds(10);
        Run d(c);
        d.feed({{0, R"("u":1)"}, {10, R"("u":1)"}});
        CHECK(d.finish() == Lines{row(R"("u":1)", 0, 20, R"("events":2,"duration_s":10)")});
    }
}

TEST_CASE("sessionize op: a missing or null key is a dead letter, or the null key") {
    SessionizeConfig c = config("u,d", 10);
    Run r(c);
    r.feed({{0, R"("u":1,"d":2)"}, {1, R"("u":1)"}, {2, R"("u":null,"d":2)"}});
    CHECK(r.ctx.rejects.size() == 2);
    CHECK(r.ctx.rejects[0].first == weir::Reason::bad_field);
    CHECK(r.ctx.rejects[0].second == "field 'd': missing (--key)");
    CHECK(r.ctx.rejects[1].second == "field 'u': null (--key)");
    CHECK(r.counted("missing_key") == 2);
    CHECK(r.finish().size() == 1);
    c.missing_key_null = true;
    Run n(c);
    n.feed({{1, R"("u":1)"}, {2, R"("u":1,"d":null)"}});
    CHECK(n.finish() == Lines{row(R"("u":1,"d":null)", 1, 12, R"("events":2,"duration_s":1)")});
    SUBCASE("no event time: bad_time") {
        Run t(c);
        Input in(R"({"u":1})");
        t.op.process(in.rec, t.ctx);
        CHECK(t.ctx.rejects.at(0).first == weir::Reason::bad_time);
    }
}

TEST_CASE("sessionize op: --max-duration cuts a session at the first event too far on") {
    SessionizeConfig c = config("u", 60, {"count"});
    c.max_duration = std::chrono::seconds(100);
    Run r(c);
    for (int s = 0; s <= 250; s += 30)
        r.feed(at(s), R"({"u":1})");
    // Events 0..90 | 120..210 | 240: each session spans less than 100 s.
    CHECK(r.counted("sessions_split") == 2);
    CHECK(r.finish() == Lines{row(R"("u":1)", 0, 150, R"("events":4,"duration_s":90,"count":4)"),
                              row(R"("u":1)", 120, 270, R"("events":4,"duration_s":90,"count":4)"),
                              row(R"("u":1)", 240, 300, R"("events":1,"duration_s":0,"count":1)")});
}

TEST_CASE("sessionize op: --keep-open carries open sessions to the next run") {
    std::vector<Ev> evs = mixed_events(7);
    SessionizeConfig c = config("k", 30, {"sum:v", "collect:v", "approx_distinct:v"});
    c.watermark = std::chrono::seconds(50);
    Run whole(c);
    whole.feed(evs);
    Lines want = whole.finish();
    REQUIRE(want.size() > 20);

    SessionizeConfig keep = c;
    keep.keep_open = true;
    Run first(keep);
    first.feed(std::vector<Ev>(evs.begin(), evs.begin() + 200));
    Lines got = first.finish();
    CHECK(got.size() < want.size());
    Run second(c);
    restore_into(second.op, snapshot_of(first.op));
    second.feed(std::vector<Ev>(evs.begin() + 200, evs.end()));
    for (const std::string& l : second.finish())
        got.push_back(l);
    CHECK(got == want);
}

TEST_CASE("sessionize op: snapshot and restore at any point give an uninterrupted run") {
    std::vector<Ev> evs = mixed_events(11);
    SessionizeConfig c = config("k", 25, {"count", "avg:v", "first:v", "collect:v", "p90:v"});
    c.watermark = std::chrono::seconds(40);
    SUBCASE("fixed gap") {}
    SUBCASE("gap by tier, max duration") {
        c.gap_by = weir::FieldPath::from("tier");
        c.gap_values = weir::parse_gap_values("power=10s");
        c.max_duration = std::chrono::seconds(120);
    }
    Run whole(c);
    whole.feed(evs);
    Lines want = whole.finish();
    CHECK(want.size() > 20);
    CHECK(whole.counted("late") > 0);
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{57}, std::size_t{200},
                            evs.size() - 1, evs.size()}) {
        CAPTURE(cut);
        CHECK(run_cut(c, evs, cut) == want);
    }
    SUBCASE("a restored state snapshots to the same bytes") {
        Run first(c);
        first.feed(std::vector<Ev>(evs.begin(), evs.begin() + 150));
        std::string state = snapshot_of(first.op);
        SessionizeOp second(c);
        restore_into(second, state);
        CHECK(snapshot_of(second) == state);
    }
}

TEST_CASE("sessionize op: output equals sorting each key's events and splitting on the gap") {
    // With a watermark past the disorder nothing is late, so arrival order is irrelevant.
    for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
        CAPTURE(seed);
        std::vector<Ev> evs = mixed_events(seed, 600);
        SessionizeConfig c = config("k", 20);
        c.watermark = std::chrono::seconds(400);
        Run r(c);
        r.feed(evs);
        Lines got = r.finish();
        CHECK(r.counted("late") == 0);

        std::map<std::string, std::vector<std::int64_t>> by_key;
        for (const Ev& e : evs)
            by_key[e.fields.substr(4, 4)].push_back(e.s); // "k":"kN"
        Lines want;
        for (auto& [k, times] : by_key) {
            std::sort(times.begin(), times.end());
            std::size_t i = 0;
            while (i < times.size()) {
                std::size_t j = i;
                while (j + 1 < times.size() && times[j + 1] <= times[j] + 20)
                    ++j;
                want.push_back(row(R"("k":)" + k, times[i], times[j] + 20,
                                   R"("events":)" + std::to_string(j - i + 1) +
                                       R"(,"duration_s":)" + std::to_string(times[j] - times[i])));
                i = j + 1;
            }
        }
        // The order by end holds within one watermark advance: compare as sets.
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        CHECK(got == want);
    }
}

TEST_CASE("sessionize op: --max-state stops the run with a data error; closed sessions free it") {
    SessionizeConfig c = config("k", 10, {"count", "distinct:u"});
    c.max_state = 20000;
    Run r(c);
    weir::Error e = weir::test::error_of([&] {
        for (int i = 0; i < 100000; ++i) {
            Input in(R"({"k":)" + std::to_string(i) + R"(,"u":1})", at(1));
            r.op.process(in.rec, r.ctx);
        }
    });
    CHECK(e.code() == weir::Exit::data);
    CHECK(std::string(e.what()).find("over --max-state 20000") != std::string::npos);

    Run ok(c);
    std::string long_key(100, 'k');
    for (int i = 0; i < 5000; ++i) // one session open at a time, many keys in turn
        ok.feed(at(i * 60), R"({"k":")" + long_key + std::to_string(i) + R"(","u":1})");
    CHECK(ok.finish().size() == 5000);
}

TEST_CASE("sessionize op: flag combinations are checked at construction") {
    auto usage = [](const SessionizeConfig& c) {
        return std::string(weir::test::error_of([&] { SessionizeOp op(c); }).what());
    };
    SessionizeConfig c = config("k", 60);
    SessionizeConfig bad = c;
    bad.gap = {};
    CHECK(usage(bad) == "--gap must be positive");
    bad = c;
    bad.gap_by = weir::FieldPath::from("t");
    bad.gap_expr = "1m";
    CHECK(usage(bad) == "--gap-by and --gap-expr are two ways to set the gap: give one");
    bad = config("k", 60, {"count=events"});
    CHECK(usage(bad).find("'events' is a field weir-sessionize writes itself") !=
          std::string::npos);
    bad = config("session", 60);
    CHECK(usage(bad) == "--key 'session': 'session' is a field weir-sessionize writes itself");
    bad = config("k", 60, {"sum:x=k"});
    CHECK(usage(bad) == "--agg 'sum:x=k' writes field 'k', which --key 'k' also writes");
    bad = c;
    bad.gap_expr = "1m +";
    CHECK(weir::test::error_of([&] { SessionizeOp op(bad); }).code() == weir::Exit::usage);
}

TEST_CASE("sessionize op: sessions emitted at an end of input stay final for the next run") {
    SessionizeConfig c = config("k", 10);
    Run first(c);
    first.feed({{0, R"("k":"a")"}, {100, R"("k":"b")"}});
    CHECK(first.finish().size() == 2); // b [100, 110] emitted at the end of the input
    LateFile late;
    Run second(c);
    second.op.set_late(late.file.get());
    restore_into(second.op, snapshot_of(first.op));
    second.feed({{99, R"("k":"b")"}, {101, R"("k":"b")"}, {95, R"("k":"c")"}});
    CHECK(second.counted("late") == 2); // b at 99 reaches 109; c at 95 reaches 105
    CHECK(second.finish() == Lines{row(R"("k":"b")", 101, 111, R"("events":1,"duration_s":0)")});
    CHECK(late.read().find("reaches " + ts(109) + ", before the end of an earlier run's input") !=
          std::string::npos);
}
