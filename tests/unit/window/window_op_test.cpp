// weir-window's operator (window/window_op.hpp) through a fake run loop: tumbling,
// sliding and offset windows, times before 1970, the watermark and late rows (wholly
// and partly late), output order, --emit update, --keep-open across a checkpoint,
// snapshot/restore mid-stream, running totals with --state-ttl, --merge rollups,
// dead-lettered non-numbers, --max-state and the flag checks.

#include "../error_of.hpp"
#include "../fake_context.hpp"
#include "../io/temp_dir.hpp"
#include "../op_run.hpp"
#include "cli/flag_values.hpp"
#include "io/output_file.hpp"
#include "json/field_path.hpp"
#include "state/state_io.hpp"
#include "time/rfc3339.hpp"
#include "window/agg_spec.hpp"
#include "window/window_op.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

using weir::Channel;
using weir::Timestamp;
using weir::WindowConfig;
using weir::WindowOp;
using weir::test::at;
using weir::test::Ev;
using weir::test::FakeContext;
using weir::test::Input;
using weir::test::Lines;
using weir::test::restore_into;
using weir::test::snapshot_of;
using weir::test::ts;

namespace {

// The start of an output record for the window [a, b) (seconds after t0), up to the
// group and aggregate members `rest`.
std::string row(std::int64_t a, std::int64_t b, const std::string& rest) {
    return R"({"window":{"start":")" + ts(a) + R"(","end":")" + ts(b) + R"("},)" + rest + "}";
}

WindowConfig config(const std::string& by, const std::vector<std::string>& aggs,
                    std::int64_t size_s, std::int64_t slide_s = 0) {
    WindowConfig c;
    c.by = weir::path_list_flag("--by", by);
    for (const std::string& a : aggs)
        c.aggs.push_back(weir::parse_agg_spec(a));
    c.size = std::chrono::seconds(size_s);
    c.slide = std::chrono::seconds(slide_s == 0 ? size_s : slide_s);
    return c;
}

using Run = weir::test::OpRun<WindowOp>;

// A --late file in a scratch directory.
struct LateFile {
    weir::test::TempDir dir;
    std::unique_ptr<weir::OutputFile> file =
        weir::OutputFile::open(dir / "late.ndjson", weir::OutputFile::Mode::truncate);

    Lines read() {
        file->flush();
        std::string all = weir::test::read_file(dir / "late.ndjson");
        Lines out;
        for (std::size_t from = 0; from < all.size();) {
            std::size_t nl = all.find('\n', from);
            out.push_back(all.substr(from, nl - from));
            from = nl + 1;
        }
        return out;
    }
};

std::string late_line(const std::string& detail, const std::string& record) {
    return R"({"tool":"weir-window","reason":"late","detail":")" + detail +
           R"(","source":"","line":0,"offset":0,"record":")" + record + R"("})";
}

// A deterministic pseudo-random sequence (the tests need no quality, only a fixed mix).
struct Lcg {
    std::uint64_t x = 12345;

    std::uint64_t next(std::uint64_t n) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return (x >> 33) % n;
    }
};

} // namespace

TEST_CASE("window op: tumbling windows close when the watermark reaches their end") {
    Run r(config("k", {"count", "sum:v"}, 60));
    r.feed({{0, R"("k":"b","v":1)"}, {10, R"("k":"a","v":2)"}, {59, R"("k":"b","v":3.5)"}});
    CHECK(r.lines().empty());
    r.feed({{60, R"("k":"a","v":4)"}}); // watermark 60 = the first window's end
    CHECK(r.lines() ==
          Lines{R"({"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:01:00Z"},)"
                R"("k":"a","count":1,"sum_v":2})",
                row(0, 60, R"("k":"b","count":2,"sum_v":4.5)")});
    CHECK(r.ctx.out[0].meta.event_time == at(0)); // a rollup's time is the window start
    r.feed({{61, R"("k":"a","v":5)"}, {119, R"("v":6)"}});
    CHECK(r.finish() == Lines{row(0, 60, R"("k":"a","count":1,"sum_v":2)"),
                              row(0, 60, R"("k":"b","count":2,"sum_v":4.5)"),
                              row(60, 120, R"("k":null,"count":1,"sum_v":6)"),
                              row(60, 120, R"("k":"a","count":2,"sum_v":9)")});
    CHECK(r.ctx.out[3].meta.event_time == at(60));
    CHECK(r.ctx.rejects.empty());
    CHECK(r.ctx.warnings.empty());
}

TEST_CASE("window op: without --agg, count; without --by, one group per window") {
    Run r(config("", {}, 60));
    r.feed({{5, R"("k":"b")"}, {6, R"("k":"a")"}, {70, R"("x":1)"}});
    CHECK(r.finish() == Lines{row(0, 60, R"("count":2)"), row(60, 120, R"("count":1)")});
}

TEST_CASE("window op: sliding windows (size 10m, slide 5m) hold each event twice") {
    Run r(config("k", {"count", "collect:n"}, 600, 300));
    r.feed({{60, R"("k":"a","n":1)"},
            {300, R"("k":"a","n":2)"}, // at a window start: in [5m,15m) and [0,10m) only
            {420, R"("k":"b","n":3)"},
            {599, R"("k":"a","n":4)"}});
    CHECK(r.lines() == Lines{row(-300, 300, R"("k":"a","count":1,"collect_n":[1])")});
    CHECK(r.finish() == Lines{row(-300, 300, R"("k":"a","count":1,"collect_n":[1])"),
                              row(0, 600, R"("k":"a","count":3,"collect_n":[1,2,4])"),
                              row(0, 600, R"("k":"b","count":1,"collect_n":[3])"),
                              row(300, 900, R"("k":"a","count":2,"collect_n":[2,4])"),
                              row(300, 900, R"("k":"b","count":1,"collect_n":[3])")});
    // Each of the 4 events is in 2 windows: 8 contributions in all.
    std::int64_t total = 0;
    for (const auto& o : r.ctx.out) {
        std::size_t at_count = o.json.find("\"count\":");
        total += std::stoll(o.json.substr(at_count + 8));
    }
    CHECK(total == 8);
}

TEST_CASE("window op: slide longer than size leaves gaps; events there are filtered") {
    Run r(config("", {"count"}, 60, 120));
    r.feed({{10, ""}, {90, ""} /* in the gap [60, 120) */, {130, ""}});
    CHECK(r.finish() == Lines{row(0, 60, R"("count":1)"), row(120, 180, R"("count":1)")});
    CHECK(r.ctx.run.rejected(Channel::filtered) == 1);
    CHECK(r.counted("outside_windows") == 1);
}

TEST_CASE("window op: --offset shifts window starts from the epoch") {
    WindowConfig c = config("", {"count"}, 3600);
    c.offset = std::chrono::minutes(15);
    Run r(c);
    r.feed({{600, ""} /* 00:10 */, {1200, ""} /* 00:20 */, {900, ""} /* 00:15 exactly */});
    CHECK(r.finish() == Lines{row(-2700, 900, R"("count":1)"), row(900, 4500, R"("count":2)")});
    CHECK(r.ctx.out[0].json.find(R"("start":"2023-12-31T23:15:00Z")") != std::string::npos);
}

TEST_CASE("window op: times before 1970 fall in the window that holds them") {
    Run r(config("", {"count", "first:n"}, 60));
    auto feed_us = [&](Timestamp t, int n) {
        r.feed(t, "{\"n\":" + std::to_string(n) + "}");
    };
    feed_us(-61'000'000, 1); // 1969-12-31T23:58:59Z
    feed_us(-60'000'000, 2); // 23:59:00 exactly: the next window
    feed_us(-1, 3);          // 23:59:59.999999
    feed_us(0, 4);           // the epoch starts a window
    CHECK(r.finish() ==
          Lines{R"({"window":{"start":"1969-12-31T23:58:00Z","end":"1969-12-31T23:59:00Z"},)"
                R"("count":1,"first_n":1})",
                R"({"window":{"start":"1969-12-31T23:59:00Z","end":"1970-01-01T00:00:00Z"},)"
                R"("count":2,"first_n":2})",
                R"({"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},)"
                R"("count":1,"first_n":4})"});
    CHECK(r.ctx.out[0].meta.event_time == -120'000'000);
}

TEST_CASE("window op: the watermark delay keeps windows open; a late row is set aside") {
    LateFile late;
    WindowConfig c = config("k", {"count", "sum:v"}, 60);
    c.watermark = std::chrono::seconds(30);
    Run r(c);
    r.op.set_late(late.file.get());
    r.feed({{10, R"("k":"a","v":1)"},
            {70, R"("k":"a","v":2)"},    // watermark 40: [0, 60) stays open
            {50, R"("k":"a","v":4)"},    // on time
            {89, R"("k":"b","v":8)"},    // watermark 59
            {29, R"("k":"b","v":16)"}}); // on time: [0, 60) is open until the watermark is 60
    CHECK(r.lines().empty());
    r.feed({{90, R"("k":"a","v":32)"}}); // watermark 60: [0, 60) is final
    CHECK(r.lines() == Lines{row(0, 60, R"("k":"a","count":2,"sum_v":5)"),
                             row(0, 60, R"("k":"b","count":1,"sum_v":16)")});
    r.feed({{59, R"("k":"a","v":64)"}}); // late: its only window is final
    CHECK(r.ctx.run.rejected(Channel::late) == 1);
    CHECK(r.finish() == Lines{row(0, 60, R"("k":"a","count":2,"sum_v":5)"),
                              row(0, 60, R"("k":"b","count":1,"sum_v":16)"),
                              row(60, 120, R"("k":"a","count":2,"sum_v":34)"),
                              row(60, 120, R"("k":"b","count":1,"sum_v":8)")});
    CHECK(late.read() ==
          Lines{late_line("event time " + ts(59) + " is behind the watermark " + ts(60) +
                              ": window [" + ts(0) + ", " + ts(60) + ") is closed",
                          R"({\"k\":\"a\",\"v\":64})")});
    CHECK(r.counted("late") == 1);
    CHECK(r.counted("partly_late") == 0);
    CHECK(r.ctx.warnings.empty()); // the late file kept it
}

TEST_CASE("window op: without --late a late row is counted and warned about") {
    Run r(config("", {"count"}, 60));
    r.feed({{100, ""}, {10, ""}, {20, ""}});
    CHECK(r.finish() == Lines{row(60, 120, R"("count":1)")});
    CHECK(r.ctx.run.rejected(Channel::late) == 2);
    REQUIRE(r.ctx.warnings.size() == 1);
    CHECK(r.ctx.warnings[0] ==
          "2 late rows were counted but not kept (give --late FILE to keep them)");
}

TEST_CASE("window op: a row late for some sliding windows counts in the open ones") {
    LateFile late;
    Run r(config("k", {"count", "sum:v"}, 600, 300));
    r.op.set_late(late.file.get());
    r.feed({{720, R"("k":"a","v":1)"}}); // 12m: watermark 12m; [0, 10m) is final
    r.feed({{540, R"("k":"a","v":2)"}}); // 9m: in [0, 10m) (final) and [5m, 15m) (open)
    CHECK(r.ctx.run.rejected(Channel::late) == 1);
    CHECK(r.counted("partly_late") == 1);
    CHECK(r.counted("late") == 0);
    CHECK(r.finish() == Lines{row(300, 900, R"("k":"a","count":2,"sum_v":3)"),
                              row(600, 1200, R"("k":"a","count":1,"sum_v":1)")});
    CHECK(late.read() == Lines{late_line("event time " + ts(540) + " is behind the watermark " +
                                             ts(720) + ": window [" + ts(0) + ", " + ts(600) +
                                             ") is closed (the record counts in its later windows)",
                                         R"({\"k\":\"a\",\"v\":2})")});
}

TEST_CASE("window op: output is ordered by window end, then start, then group key") {
    Run r(config("k", {"count"}, 600, 300));
    r.feed({{60, R"("k":10)"},
            {120, R"("k":"x")"},
            {180, R"("k":9)"},
            {240, R"("x":0)"},
            {400, R"("k":true)"},
            {3000, R"("k":0)"}}); // [-5m, 5m) closed at 400; this closes the next two at once
    CHECK(r.lines() ==
          Lines{row(-300, 300, R"("k":null,"count":1)"), row(-300, 300, R"("k":9,"count":1)"),
                row(-300, 300, R"("k":10,"count":1)"), row(-300, 300, R"("k":"x","count":1)"),
                row(0, 600, R"("k":null,"count":1)"), row(0, 600, R"("k":true,"count":1)"),
                row(0, 600, R"("k":9,"count":1)"), row(0, 600, R"("k":10,"count":1)"),
                row(0, 600, R"("k":"x","count":1)"), row(300, 900, R"("k":true,"count":1)")});
}

TEST_CASE("window op: group fields are written at their paths, nested paths merged") {
    Run r(config("device.os,user,device.type", {"count", "max:v"}, 60));
    r.feed({{1, R"("device":{"type":"phone","os":"ios"},"user":7,"v":1)"},
            {2, R"("user":7.0,"device":{"os":"ios","type":"phone","x":1},"v":2.5)"},
            {3, R"("user":"7","device":{"os":"ios"},"v":3)"}});
    CHECK(
        r.finish() ==
        Lines{row(0, 60, R"("device":{"os":"ios","type":"phone"},"user":7,"count":2,"max_v":2.5)"),
              // The number 7 sorts before the string "7" (parts compare in --by order).
              row(0, 60, R"("device":{"os":"ios","type":null},"user":"7","count":1,"max_v":3)")});
}

TEST_CASE("window op: --emit update sends changes, then each group once with final:true") {
    WindowConfig c = config("k", {"count"}, 60);
    c.emit = weir::EmitMode::update;
    Run r(c);
    r.feed({{0, R"("k":"a")"}});
    CHECK(r.lines() == Lines{row(0, 60, R"("k":"a","count":1,"final":false)")});
    r.feed({{5, R"("k":"b")"}, {5, R"("k":"a")"} /* watermark unchanged: held back */});
    r.feed({{7, R"("k":"a")"}}); // the watermark moves: a (now 3) goes out
    r.feed({{61, R"("k":"a")"}, {62, R"("x":1)"}});
    Lines want{row(0, 60, R"("k":"a","count":1,"final":false)"),
               row(0, 60, R"("k":"b","count":1,"final":false)"),
               row(0, 60, R"("k":"a","count":3,"final":false)"),
               // 61 closes [0, 60): all its groups, final, then the open window's changes
               row(0, 60, R"("k":"a","count":3,"final":true)"),
               row(0, 60, R"("k":"b","count":1,"final":true)"),
               row(60, 120, R"("k":"a","count":1,"final":false)"),
               row(60, 120, R"("k":null,"count":1,"final":false)")};
    CHECK(r.lines() == want);
    want.push_back(row(60, 120, R"("k":null,"count":1,"final":true)"));
    want.push_back(row(60, 120, R"("k":"a","count":1,"final":true)"));
    CHECK(r.finish() == want);
    // Exactly one final record per (window, group).
    int finals = 0;
    for (const std::string& l : r.lines())
        finals += l.find("\"final\":true") != std::string::npos ? 1 : 0;
    CHECK(finals == 4);
}

TEST_CASE("window op: a late row changes nothing in --emit update") {
    WindowConfig c = config("", {"count"}, 60);
    c.emit = weir::EmitMode::update;
    Run r(c);
    r.feed({{70, ""}, {10, ""} /* late */, {71, ""}});
    CHECK(r.finish() == Lines{row(60, 120, R"("count":1,"final":false)"),
                              row(60, 120, R"("count":2,"final":false)"),
                              row(60, 120, R"("count":2,"final":true)")});
}

TEST_CASE("window op: --emit-every sends the changed groups of open windows by the clock") {
    WindowConfig c = config("k", {"count"}, 60);
    c.emit_every = std::chrono::seconds(1);
    Run r(c);
    auto clock = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    r.feed({{0, R"("k":"a")"}, {1, R"("k":"b")"}});
    r.op.on_tick(clock, r.ctx); // starts the clock
    CHECK(r.lines().empty());
    r.op.on_tick(clock + std::chrono::milliseconds(500), r.ctx);
    CHECK(r.lines().empty());
    r.op.on_tick(clock + std::chrono::seconds(1), r.ctx);
    Lines want{row(0, 60, R"("k":"a","count":1,"final":false)"),
               row(0, 60, R"("k":"b","count":1,"final":false)")};
    CHECK(r.lines() == want);
    r.feed({{2, R"("k":"a")"}}); // the watermark moves, but only the clock emits updates
    CHECK(r.lines() == want);
    r.op.on_tick(clock + std::chrono::seconds(2), r.ctx);
    want.push_back(row(0, 60, R"("k":"a","count":2,"final":false)"));
    CHECK(r.lines() == want);
    r.op.on_tick(clock + std::chrono::seconds(3), r.ctx); // nothing changed
    CHECK(r.lines() == want);
    want.push_back(row(0, 60, R"("k":"a","count":2,"final":true)"));
    want.push_back(row(0, 60, R"("k":"b","count":1,"final":true)"));
    CHECK(r.finish() == want);
}

TEST_CASE("window op: --keep-open leaves windows in the checkpoint for the next run") {
    WindowConfig c = config("k", {"count", "sum:v", "distinct:u", "last:u"}, 60);
    c.watermark = std::chrono::seconds(20);
    std::vector<Ev> part1{{5, R"("k":"a","v":1,"u":"x")"},
                          {50, R"("k":"b","v":2,"u":"y")"},
                          {81, R"("k":"a","v":3,"u":"z")"}, // watermark 61: [0, 60) closes
                          {62, R"("k":"a","v":4,"u":"x")"},
                          {100, R"("k":"b","v":5,"u":"x")"}};
    std::vector<Ev> part2{{110, R"("k":"a","v":6,"u":"w")"},
                          {75, R"("k":"b","v":7,"u":"q")"}, // on time: watermark 80
                          {200, R"("k":"a","v":8,"u":"x")"}};

    Run whole(c);
    whole.feed(part1);
    whole.feed(part2);
    Lines want = whole.finish();
    REQUIRE(want.size() == 5);

    WindowConfig kept = c;
    kept.keep_open = true;
    Run first(kept);
    first.feed(part1);
    Lines before = first.lines();
    CHECK(before.size() == 2);       // [0, 60), closed by the watermark
    CHECK(first.finish() == before); // open windows are not emitted at the end
    CHECK(first.ctx.warnings.empty());

    Run second(c);
    restore_into(second.op, snapshot_of(first.op));
    second.feed(part2);
    Lines got = before;
    for (const std::string& l : second.finish())
        got.push_back(l);
    CHECK(got == want);

    SUBCASE("restored, finishing at once emits what was kept open") {
        Run third(c);
        restore_into(third.op, snapshot_of(first.op));
        CHECK(third.finish() == Lines{row(60, 120,
                                          R"("k":"a","count":2,"sum_v":7,)"
                                          R"("distinct_u":2,"last_u":"z")"),
                                      row(60, 120,
                                          R"("k":"b","count":1,"sum_v":5,)"
                                          R"("distinct_u":1,"last_u":"x")")});
    }
}

namespace {

// Events for the snapshot tests: 3 keys over ~40 minutes, out of order by up to 90 s
// (some of them late for a 60 s watermark), with a mix of values.
std::vector<Ev> mixed_events() {
    std::vector<Ev> evs;
    Lcg rng;
    const char* keys[] = {R"("a")", R"("b")", "3"};
    for (int i = 0; i < 400; ++i) {
        std::int64_t s = i * 6 - static_cast<std::int64_t>(rng.next(90));
        std::string v = rng.next(7) == 0 ? "1.5" : std::to_string(rng.next(100));
        evs.push_back({s, R"("k":)" + std::string(keys[rng.next(3)]) + R"(,"v":)" + v +
                              R"(,"u":"u)" + std::to_string(rng.next(20)) + "\""});
    }
    return evs;
}

std::vector<std::string> all_aggs() {
    return {"count",
            "sum:v",
            "min:v",
            "max:v",
            "avg:v",
            "first:u",
            "last:u",
            "distinct:u",
            "approx_distinct:u",
            "p90:v",
            "quantile(0.5):v=median",
            "collect:v",
            "count_if:v > 50=big",
            "count:v"};
}

// Runs `evs` through a fresh op of `c`, cut at `cut` by a snapshot restored into a
// second op: the outputs of both, in order.
Lines run_cut(const WindowConfig& c, const std::vector<Ev>& evs, std::size_t cut) {
    Run first(c);
    first.feed(std::vector<Ev>(evs.begin(), evs.begin() + static_cast<std::ptrdiff_t>(cut)));
    std::string state = snapshot_of(first.op);
    Run second(c);
    restore_into(second.op, state);
    second.feed(std::vector<Ev>(evs.begin() + static_cast<std::ptrdiff_t>(cut), evs.end()));
    Lines got = first.lines();
    for (const std::string& l : second.finish())
        got.push_back(l);
    return got;
}

} // namespace

TEST_CASE("window op: snapshot and restore mid-stream give an uninterrupted run's output") {
    std::vector<Ev> evs = mixed_events();
    WindowConfig c = config("k", all_aggs(), 600, 300);
    c.watermark = std::chrono::seconds(60);

    SUBCASE("final") {}
    SUBCASE("update") {
        c.emit = weir::EmitMode::update;
    }
    SUBCASE("tumbling, with sketches") {
        c.slide = c.size;
        c.sketches = true;
    }
    SUBCASE("running") {
        c.running = true;
        c.size = c.slide = {};
        c.state_ttl = std::chrono::seconds(200);
    }
    Run whole(c);
    whole.feed(evs);
    Lines want = whole.finish();
    CHECK(want.size() > 10);
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{57}, std::size_t{200},
                            evs.size() - 1, evs.size()}) {
        CAPTURE(cut);
        CHECK(run_cut(c, evs, cut) == want);
    }
}

TEST_CASE("window op: a restored state snapshots to the same bytes") {
    WindowConfig c = config("k", all_aggs(), 600, 300);
    c.emit = weir::EmitMode::update;
    Run first(c);
    std::vector<Ev> evs = mixed_events();
    first.feed(std::vector<Ev>(evs.begin(), evs.begin() + 150));
    std::string state = snapshot_of(first.op);
    WindowOp second(c);
    restore_into(second, state);
    CHECK(snapshot_of(second) == state);
}

TEST_CASE("window op: running totals per group, with --state-ttl forgetting idle groups") {
    WindowConfig c = config("k", {"count", "sum:v"}, 0);
    c.running = true;
    c.size = c.slide = {};
    auto line = [](const std::string& rest, std::int64_t last) {
        return "{" + rest + R"(,"last_event_time":")" + ts(last) + "\"}";
    };

    SUBCASE("without a ttl, totals grow forever, one record per input") {
        Run r(c);
        r.feed({{0, R"("k":"a","v":1)"},
                {30, R"("k":"b","v":2)"},
                {20, R"("k":"a","v":3)"},
                {500, R"("k":"a","v":4)"}});
        CHECK(r.finish() == Lines{line(R"("k":"a","count":1,"sum_v":1)", 0),
                                  line(R"("k":"b","count":1,"sum_v":2)", 30),
                                  line(R"("k":"a","count":2,"sum_v":4)", 20),
                                  line(R"("k":"a","count":3,"sum_v":8)", 500)});
        CHECK(r.ctx.out[3].meta.event_time == at(500));
    }
    SUBCASE("the sweep forgets a group idle past the ttl") {
        c.state_ttl = std::chrono::seconds(60);
        Run r(c);
        r.feed({{0, R"("k":"a","v":1)"},
                {30, R"("k":"a","v":2)"},
                {100, R"("k":"b","v":4)"}, // watermark 100 >= 30 + 60: a is forgotten
                {110, R"("k":"a","v":8)"}});
        CHECK(r.finish() == Lines{line(R"("k":"a","count":1,"sum_v":1)", 0),
                                  line(R"("k":"a","count":2,"sum_v":3)", 30),
                                  line(R"("k":"b","count":1,"sum_v":4)", 100),
                                  line(R"("k":"a","count":1,"sum_v":8)", 110)});
        CHECK(r.counted("expired_keys") == 1);
    }
    SUBCASE("a group idle past the ttl starts again even before a sweep") {
        c.state_ttl = std::chrono::seconds(60);
        Run r(c);
        r.feed({{0, R"("k":"z","v":0)"},    // sweep at 0, next at 60
                {5, R"("k":"a","v":1)"},    // a expires at 65
                {61, R"("k":"z","v":0)"},   // sweep at 61: a stays; next at 121
                {70, R"("k":"z","v":0)"},   // watermark 70: a is idle past the ttl
                {80, R"("k":"a","v":2)"}}); // starts from nothing
        Lines got = r.finish();
        REQUIRE(got.size() == 5);
        CHECK(got[4] == line(R"("k":"a","count":1,"sum_v":2)", 80));
    }
    SUBCASE("a group seen again within the ttl keeps its totals") {
        c.state_ttl = std::chrono::seconds(60);
        Run r(c);
        r.feed({{0, R"("k":"a","v":1)"}, {59, R"("k":"a","v":1)"}, {119, R"("k":"a","v":1)"}});
        // 59 + 60 = 119: the watermark (59) had not reached it when 119 arrived.
        CHECK(r.finish().back() == line(R"("k":"a","count":3,"sum_v":3)", 119));
    }
}

namespace {

// Raw events for the rollup test: 3 keys over hours 0-2, one every 8 s, up to 29 s out
// of order (never late with --watermark 30s); about 150 per key and hour, under the 200
// a quantile sketch holds exactly, so that merged and direct quantiles agree.
std::vector<Ev> rollup_events() {
    std::vector<Ev> evs;
    Lcg rng;
    for (int i = 0; i < 1345; ++i) {
        std::int64_t s = 40 + i * 8 - static_cast<std::int64_t>(rng.next(30));
        evs.push_back({s, R"("k":")" + std::string(1, static_cast<char>('a' + rng.next(3))) +
                              R"(","amount":)" + std::to_string(rng.next(1000)) + R"(,"user":"u)" +
                              std::to_string(rng.next(300)) + "\""});
    }
    return evs;
}

} // namespace

TEST_CASE("window op: --merge of minute windows equals hourly windows from raw events") {
    std::vector<std::string> aggs{
        "count",      "sum:amount",           "min:amount", "max:amount", "approx_distinct:user",
        "p90:amount", "count_if:amount > 500"};
    std::vector<Ev> evs = rollup_events();

    WindowConfig minute = config("k", aggs, 60);
    minute.watermark = std::chrono::seconds(30);
    minute.sketches = true;
    Run minutes(minute);
    minutes.feed(evs);
    minutes.finish();
    CHECK(minutes.ctx.run.rejected(Channel::late) == 0);
    CHECK(minutes.ctx.out.size() > 300);
    CHECK(minutes.ctx.out[0].json.find(R"("_sketches":{"approx_distinct_user":")") !=
          std::string::npos);

    WindowConfig hour = config("k", aggs, 3600);
    hour.watermark = std::chrono::seconds(30);
    Run raw(hour);
    raw.feed(evs);
    Lines want = raw.finish();
    REQUIRE(want.size() == 9); // 3 keys in hours 0-2

    WindowConfig rollup = config("k", aggs, 3600);
    rollup.merge = true;
    Run merged(rollup);
    for (const auto& o : minutes.ctx.out)
        merged.feed(o.meta.event_time, o.json);
    CHECK(merged.ctx.rejects.empty());
    CHECK(merged.finish() == want);

    SUBCASE("a record with a bad count is dead-lettered whole, changing nothing") {
        std::string bad = minutes.ctx.out[0].json;
        std::size_t at_count = bad.find("\"count\":");
        REQUIRE(at_count != std::string::npos);
        bad.replace(at_count, bad.find(',', at_count) - at_count, "\"count\":-1");
        Run again(rollup);
        again.feed(minutes.ctx.out[0].meta.event_time, bad);
        REQUIRE(again.ctx.rejects.size() == 1);
        CHECK(again.ctx.rejects[0].second ==
              "field 'count': -1 is not a count (--merge --agg 'count')");
        for (const auto& o : minutes.ctx.out)
            again.feed(o.meta.event_time, o.json);
        CHECK(again.finish() == want);
        CHECK(again.counted("bad_input:count") == 1);
    }
    SUBCASE("a record without its sketches is dead-lettered whole") {
        Run bad(rollup);
        bad.feed(at(0),
                 row(0, 60,
                     R"("k":"a","count":5,"sum_amount":1,"min_amount":1,)"
                     R"("max_amount":1,"count_if":1,"approx_distinct_user":1,"p90_amount":1)"));
        REQUIRE(bad.ctx.rejects.size() == 1);
        CHECK(bad.ctx.rejects[0].first == weir::Reason::bad_field);
        CHECK(bad.finish().empty());
    }
}

TEST_CASE("window op: a non-number for a numeric aggregate dead-letters the whole record") {
    Run r(config("k", {"count", "sum:v", "distinct:u", "collect:u"}, 60));
    r.feed({{1, R"("k":"a","v":1,"u":1)"},
            {2, R"("k":"a","v":"x","u":2)"},    // dead-lettered: nothing counts it
            {3, R"("k":"b","v":[1],"u":3)"},    // nor creates group b
            {4, R"("k":"a","v":null,"u":4)"},   // null is skipped, not an error
            {5, R"("k":"a","u":5)"},            // so is a missing field
            {6, R"("k":"a","v":true,"u":6)"}}); // dead-lettered
    CHECK(r.finish() == Lines{row(0, 60,
                                  R"("k":"a","count":3,"sum_v":1,"distinct_u":3,)"
                                  R"("collect_u":[1,4,5])")});
    REQUIRE(r.ctx.rejects.size() == 3);
    CHECK(r.ctx.rejects[0].first == weir::Reason::bad_field);
    CHECK(r.ctx.rejects[0].second == R"(field 'v': "x" is not a number (--agg 'sum:v'))");
    CHECK(r.ctx.rejects[1].second == "field 'v': [1] is not a number (--agg 'sum:v')");
    CHECK(r.counted("bad_input:sum_v") == 3);
    CHECK(r.counted("collect_dropped:collect_u") == 0);
}

TEST_CASE("window op: a record without event time is dead-lettered") {
    Run r(config("", {"count"}, 60));
    r.feed(weir::no_timestamp, R"({"a":1})");
    REQUIRE(r.ctx.rejects.size() == 1);
    CHECK(r.ctx.rejects[0].first == weir::Reason::bad_time);
    CHECK(r.finish().empty());
}

TEST_CASE("window op: --where filters records, which still move the watermark") {
    WindowConfig c = config("", {"count"}, 60);
    c.where = "v > 1";
    Run r(c);
    r.feed({{1, R"("v":2)"}, {2, R"("v":1)"}, {61, R"("v":0)"} /* filtered, closes [0,60) */});
    CHECK(r.lines() == Lines{row(0, 60, R"("count":1)")});
    CHECK(r.finish().size() == 1);
    CHECK(r.ctx.run.rejected(Channel::filtered) == 2);
}

TEST_CASE("window op: --max-state stops the run with a data error") {
    WindowConfig c = config("k", {"count", "distinct:u"}, 60);
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

    SUBCASE("closed windows free their state") {
        Run ok(c);
        for (int i = 0; i < 2000; ++i)
            ok.feed(at(i * 60), R"({"k":1,"u":1})"); // one group open at a time
        CHECK(ok.finish().size() == 2000);
    }
}

// State accounting gives back what a group took, its key's bytes included: 2000
// one-group windows, one open at a time, with a 100-byte key stay under 20000 bytes.
TEST_CASE("window op: closed windows with long keys free their state") {
    WindowConfig c = config("k", {"count"}, 60);
    c.max_state = 20000;
    Run ok(c);
    std::string key(100, 'k');
    for (int i = 0; i < 2000; ++i) {
        Input in(R"({"k":")" + key + R"("})", at(i * 60));
        ok.op.process(in.rec, ok.ctx); // would throw Error(Exit::data) on a leak
    }
    CHECK(ok.finish().size() == 2000);

    SUBCASE("running groups forgotten by --state-ttl, too") {
        WindowConfig r = config("k", {"count"}, 0);
        r.running = true;
        r.size = r.slide = {};
        r.state_ttl = std::chrono::seconds(1);
        r.max_state = 20000;
        Run run(r);
        for (int i = 0; i < 2000; ++i) {
            Input in(R"({"k":")" + key + std::to_string(i) + R"("})", at(i * 60));
            run.op.process(in.rec, run.ctx);
        }
        CHECK(run.counted("expired_keys") >= 1990);
    }
}

TEST_CASE("window op: flag combinations are checked at construction") {
    auto usage = [](const WindowConfig& c) {
        return std::string(weir::test::error_of([&] { WindowOp op(c); }).what());
    };
    auto code = [](const WindowConfig& c) {
        return weir::test::error_of([&] { WindowOp op(c); }).code();
    };
    WindowConfig c = config("k", {"count"}, 60);
    WindowConfig bad = c;
    bad.size = {};
    CHECK(usage(bad) == "--size must be positive (or use --running)");
    CHECK(code(bad) == weir::Exit::usage);
    bad = c;
    bad.slide = {};
    CHECK(usage(bad) == "--slide must be positive");
    bad = config("", {"count"}, 86400);
    bad.slide = std::chrono::seconds(1);
    CHECK(usage(bad) ==
          "--size 1d with --slide 1s puts each event in 86400 windows (at most 10000)");
    bad = c;
    bad.state_ttl = std::chrono::seconds(5);
    CHECK(usage(bad) == "--state-ttl is for --running (windows expire by the watermark)");
    bad = config("count", {"count"}, 60);
    CHECK(usage(bad) == "--agg 'count' writes field 'count', which --by 'count' also writes");
    bad = config("window.x", {"count"}, 60);
    CHECK(usage(bad) == "--by 'window.x': 'window' is a field weir-window writes itself");
    bad = config("", {"sum:x=final"}, 60);
    CHECK(usage(bad).find("'final' is a field weir-window writes itself") != std::string::npos);
    bad = config("", {"count", "count"}, 60);
    CHECK(code(bad) == weir::Exit::usage);
    bad = config("a,a.b", {"count"}, 60);
    CHECK(code(bad) == weir::Exit::usage);
    bad = c;
    bad.where = "v >";
    CHECK(code(bad) == weir::Exit::usage);

    WindowConfig run = config("k", {"count"}, 0);
    run.running = true;
    bad = run;
    bad.emit = weir::EmitMode::update;
    CHECK(code(bad) == weir::Exit::usage);
    bad = run;
    bad.keep_open = true;
    CHECK(code(bad) == weir::Exit::usage);
    bad = run;
    bad.merge = true;
    CHECK(code(bad) == weir::Exit::usage);
    WindowOp fine(run); // running needs no size
    CHECK(fine.name() == "window");
}
