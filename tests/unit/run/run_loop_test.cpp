#include "../capture_fd.hpp"
#include "../io/temp_dir.hpp"
#include "checkpoint/stage.hpp"
#include "cli/error.hpp"
#include "io/output_file.hpp"
#include "json/document.hpp"
#include "json/field_path.hpp"
#include "run/dead_letter.hpp"
#include "run/run_loop.hpp"
#include "run/stop_signal.hpp"
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <functional>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace weir;
using weir::test::CaptureFd;
using weir::test::read_file;
using weir::test::TempDir;

namespace {

// One scripted input event.
struct Step {
    InputKind kind = InputKind::end;
    std::string json; // record, invalid
    Reason reason = Reason::invalid_json;
    std::string detail;
    std::uint64_t epoch = 0;
    Timestamp watermark = no_timestamp;
    Timestamp event_time = no_timestamp; // carried by the reader (frames)
    std::uint64_t line = 0;
};

Step rec(std::string json, std::uint64_t line = 0, Timestamp t = no_timestamp) {
    Step s;
    s.kind = InputKind::record;
    s.json = std::move(json);
    s.line = line;
    s.event_time = t;
    return s;
}

Step bad(std::string raw, Reason why, std::string detail, std::uint64_t line = 0) {
    Step s;
    s.kind = InputKind::invalid;
    s.json = std::move(raw);
    s.reason = why;
    s.detail = std::move(detail);
    s.line = line;
    return s;
}

Step barrier(std::uint64_t epoch) {
    Step s;
    s.kind = InputKind::barrier;
    s.epoch = epoch;
    return s;
}

Step watermark(Timestamp wm) {
    Step s;
    s.kind = InputKind::watermark;
    s.watermark = wm;
    return s;
}

Step idle() {
    Step s;
    s.kind = InputKind::idle;
    return s;
}

// A reader that plays a script, then returns `end` forever. Records keep the padding
// the Record invariant promises.
class ScriptReader final : public RecordReader {
public:
    explicit ScriptReader(std::vector<Step> steps, std::string name = "in.ndjson")
        : steps_(std::move(steps)) {
        sources_.intern(name);
    }

    // Called with the index of the step about to be returned (steps.size(): end).
    std::function<void(std::size_t)> on_next;
    bool clean = true;
    bool parse = false; // parse records and offer the DOM, as the NDJSON reader does
    std::size_t end_calls = 0;

    InputKind next(InputEvent& ev) override {
        if (on_next)
            on_next(i_);
        ev = InputEvent{};
        if (i_ == steps_.size()) {
            ++end_calls;
            ev.kind = InputKind::end;
            return ev.kind;
        }
        const Step& s = steps_[i_++];
        buf_ = s.json;
        buf_.append(record_padding, '\0');
        ev.kind = s.kind;
        ev.record.json = std::string_view(buf_).substr(0, s.json.size());
        ev.record.event_time = s.event_time;
        ev.record.source = 0;
        ev.record.line = s.line;
        ev.record.offset = s.line * 100;
        ev.reason = s.reason;
        ev.detail = s.detail;
        ev.epoch = s.epoch;
        ev.watermark = s.watermark;
        bytes_ += s.json.size();
        root_ok_ = parse && s.kind == InputKind::record && doc_.parse(ev.record.json);
        return ev.kind;
    }

    bool parsed_root(simdjson::dom::element& out) const override {
        if (!root_ok_)
            return false;
        out = doc_.root();
        return true;
    }

    const SourceTable& sources() const override { return sources_; }

    std::uint64_t bytes_read() const override { return bytes_; }

    bool ended_cleanly() const override { return clean; }

private:
    std::vector<Step> steps_;
    std::size_t i_ = 0;
    std::string buf_;
    SourceTable sources_;
    std::uint64_t bytes_ = 0;
    JsonDoc doc_;
    bool root_ok_ = false;
};

// Emits every record except those containing "reject", which it rejects; remembers all
// it was shown. Its state is the number of records seen and the last one.
class RecordingOp final : public Operator {
public:
    std::vector<std::string> seen;
    std::vector<Timestamp> times;
    std::vector<std::string> problems;  // ctx.time_problem() per record
    std::vector<std::string> positions; // ctx.position() per record
    std::vector<Timestamp> watermarks;
    std::vector<std::int64_t> dom_a; // member "a" of ctx.parsed_root(), or -1 without one
    int finished = 0;
    std::size_t stop_after = SIZE_MAX;
    std::string emit_on_finish;

    std::string_view name() const override { return "recording"; }

    std::uint32_t state_version() const override { return 3; }

    Flow process(const Record& in, Context& ctx) override {
        seen.emplace_back(in.json);
        times.push_back(in.event_time);
        problems.emplace_back(ctx.time_problem());
        positions.push_back(fmt::to_string(ctx.position()));
        simdjson::dom::element root;
        std::int64_t a = -1;
        if (ctx.parsed_root(root) && root["a"].get(a) != simdjson::SUCCESS)
            a = -2;
        dom_a.push_back(a);
        if (in.json.find("reject") != std::string_view::npos)
            ctx.reject(Reason::bad_field, "field 'reject': present");
        else
            ctx.emit(in);
        return seen.size() >= stop_after ? Flow::stop : Flow::more;
    }

    void on_watermark(Timestamp wm, Context& /*ctx*/) override { watermarks.push_back(wm); }

    void finish(Context& ctx) override {
        ++finished;
        if (!emit_on_finish.empty()) {
            std::string padded = emit_on_finish + std::string(record_padding, '\0');
            Record r;
            r.json = std::string_view(padded).substr(0, emit_on_finish.size());
            ctx.emit(r);
        }
    }

    void snapshot(StateWriter& w) const override {
        w.u64("seen", seen.size());
        w.str("last", seen.empty() ? std::string() : seen.back());
    }
};

// Logs every call; records also go to `file` as NDJSON when one is set.
class RecordingWriter final : public RecordWriter {
public:
    std::vector<std::string> log;
    OutputFile* file = nullptr;

    void write(const Record& r) override {
        log.push_back("rec " + std::string(r.json));
        if (file != nullptr) {
            file->append(r.json);
            file->put('\n');
        }
    }

    void barrier(std::uint64_t epoch) override {
        log.push_back("barrier " + std::to_string(epoch));
    }

    void watermark(Timestamp wm) override { log.push_back("watermark " + std::to_string(wm)); }

    void end() override { log.push_back("end"); }

    void flush() override { log.push_back("flush"); }

    std::vector<std::string> without_flushes() const {
        std::vector<std::string> out;
        for (const std::string& s : log)
            if (s != "flush")
                out.push_back(s);
        return out;
    }
};

std::uint64_t disk_size(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// Everything a RunLoop needs, with stderr captured while it runs.
struct Harness {
    ScriptReader in;
    RecordingOp op;
    RecordingWriter out;
    Reporter reporter{"weir-test"};
    RunCounters counters;
    RunSettings settings;
    std::string err;

    explicit Harness(std::vector<Step> steps) : in(std::move(steps)) {}

    Exit run(const std::function<void(RunLoop&)>& setup = {}) {
        RunLoop loop(settings, in, op, out, reporter, counters);
        if (setup)
            setup(loop);
        CaptureFd capture(STDERR_FILENO);
        Exit e = loop.run();
        capture.restore();
        err = capture.text();
        return e;
    }
};

Snapshot base_snapshot() {
    Snapshot s;
    s.tool = "weir-test";
    s.op_name = "recording";
    s.state_version = 3;
    s.meaning_flags = {{"--key", "user_id"}};
    return s;
}

std::optional<std::uint64_t> file_length(const Snapshot& s, const std::string& key) {
    for (const auto& [k, len] : s.file_lengths)
        if (k == key)
            return len;
    return std::nullopt;
}

} // namespace

TEST_CASE("run_loop: records pass through and are counted") {
    Harness h({rec("{\"a\":1}", 1), rec("{\"a\":2}", 2), rec("{\"a\":3}", 3)});
    CHECK(h.run() == Exit::ok);
    CHECK(h.op.seen == std::vector<std::string>{"{\"a\":1}", "{\"a\":2}", "{\"a\":3}"});
    CHECK(h.op.positions == std::vector<std::string>{"in.ndjson:1", "in.ndjson:2", "in.ndjson:3"});
    CHECK(h.out.without_flushes() ==
          std::vector<std::string>{"rec {\"a\":1}", "rec {\"a\":2}", "rec {\"a\":3}", "end"});
    CHECK(h.counters.records_in == 3);
    CHECK(h.counters.records_out == 3);
    CHECK(h.counters.bytes_in == 3 * 8);  // each line with its newline
    CHECK(h.counters.bytes_out == 3 * 8); // likewise
    CHECK(h.counters.rejected() == 0);
    CHECK(h.op.finished == 1);
    CHECK(h.err.empty());
}

TEST_CASE("run_loop: rejects go to the dead-letter file, counted per reason") {
    TempDir dir;
    auto dlq_file = OutputFile::open(dir / "dlq", OutputFile::Mode::truncate);
    DeadLetterWriter dlq(*dlq_file, "weir-test");
    Harness h({rec("{\"a\":1}", 1), bad("{\"a\":", Reason::invalid_json, "invalid JSON: x", 2),
               rec("{\"reject\":true}", 3), bad("[1]", Reason::not_object, "not an object", 4),
               bad("{\"b\":", Reason::invalid_json, "invalid JSON: y", 5), rec("{\"a\":6}", 6)});
    CHECK(h.run([&](RunLoop& loop) { loop.set_dead_letters(&dlq); }) == Exit::ok);

    CHECK(h.counters.records_in == 6);
    CHECK(h.counters.records_out == 2);
    CHECK(h.counters.rejected(Channel::dead_letter) == 4);
    CHECK(h.counters.rejected(Channel::dead_letter, Reason::invalid_json) == 2);
    CHECK(h.counters.rejected(Channel::dead_letter, Reason::not_object) == 1);
    CHECK(h.counters.rejected(Channel::dead_letter, Reason::bad_field) == 1);
    // Invalid input never reaches the operator.
    CHECK(h.op.seen == std::vector<std::string>{"{\"a\":1}", "{\"reject\":true}", "{\"a\":6}"});

    dlq_file->flush();
    std::string expected;
    format_dead_letter(expected, "weir-test", Reason::invalid_json, "invalid JSON: x",
                       Position{"in.ndjson", 2, 200}, "{\"a\":");
    format_dead_letter(expected, "weir-test", Reason::bad_field, "field 'reject': present",
                       Position{"in.ndjson", 3, 300}, "{\"reject\":true}");
    format_dead_letter(expected, "weir-test", Reason::not_object, "not an object",
                       Position{"in.ndjson", 4, 400}, "[1]");
    format_dead_letter(expected, "weir-test", Reason::invalid_json, "invalid JSON: y",
                       Position{"in.ndjson", 5, 500}, "{\"b\":");
    CHECK(read_file(dir / "dlq") == expected);

    CHECK(h.err == "weir-test: in.ndjson:2: invalid JSON: x\n"
                   "weir-test: in.ndjson:3: field 'reject': present\n"
                   "weir-test: in.ndjson:4: not an object\n"
                   "weir-test: in.ndjson:5: invalid JSON: y\n");
}

TEST_CASE("run_loop: bytes of an invalid line count like a record's") {
    Harness h({rec("{\"a\":1}", 1), bad("{\"a\":1", Reason::invalid_json, "x", 2)});
    h.run();
    CHECK(h.counters.bytes_in == 8 + 7);
}

TEST_CASE("run_loop: without a dead-letter file rejects are still counted") {
    Harness h({rec("{\"reject\":1}", 1), bad("x", Reason::invalid_json, "invalid JSON: x", 2)});
    CHECK(h.run() == Exit::ok);
    CHECK(h.counters.rejected(Channel::dead_letter) == 2);
    CHECK(h.counters.records_out == 0);
    CHECK(h.err.find("in.ndjson:1: field 'reject': present") != std::string::npos);
}

TEST_CASE("run_loop: --strict makes the first reject fatal") {
    SUBCASE("an invalid line") {
        Harness h({rec("{\"a\":1}", 1), bad("{", Reason::invalid_json, "invalid JSON: x", 2),
                   rec("{\"a\":3}", 3)});
        h.settings.strict = true;
        try {
            h.run();
            FAIL("no exception");
        } catch (const Error& e) {
            CHECK(e.code() == Exit::data);
            CHECK(std::string(e.what()) == "in.ndjson:2: invalid JSON: x");
        }
        CHECK(h.op.seen.size() == 1);
        CHECK(h.counters.rejected(Channel::dead_letter, Reason::invalid_json) == 1);
    }
    SUBCASE("an operator's reject") {
        Harness h({rec("{\"reject\":1}", 7)});
        h.settings.strict = true;
        try {
            h.run();
            FAIL("no exception");
        } catch (const Error& e) {
            CHECK(e.code() == Exit::data);
            CHECK(std::string(e.what()) == "in.ndjson:7: field 'reject': present");
        }
    }
}

TEST_CASE("run_loop: barriers are forwarded in order, after the records before them") {
    Harness h({rec("{\"a\":1}"), rec("{\"a\":2}"), barrier(1), rec("{\"a\":3}"), watermark(50),
               barrier(2)});
    h.op.emit_on_finish = "{\"final\":1}";
    CHECK(h.run() == Exit::ok);
    CHECK(h.out.without_flushes() ==
          std::vector<std::string>{"rec {\"a\":1}", "rec {\"a\":2}", "barrier 1", "rec {\"a\":3}",
                                   "watermark 50", "barrier 2", "rec {\"final\":1}", "end"});
    // Each barrier is followed by a flush before the next record.
    std::vector<std::string> log = h.out.log;
    auto b1 = std::find(log.begin(), log.end(), "barrier 1");
    REQUIRE(b1 != log.end());
    CHECK(std::find(b1, log.end(), "flush") < std::find(b1, log.end(), "rec {\"a\":3}"));
    CHECK(h.counters.last_barrier == 2);
    CHECK(h.counters.batches == 2);
    CHECK(h.counters.epoch == 0); // nothing committed without a checkpoint
    CHECK(h.op.finished == 1);
    CHECK(h.counters.records_out == 4); // the finish() record counts as written
}

TEST_CASE("run_loop: watermarks reach the operator and the writer") {
    Harness h({rec("{\"a\":1}"), watermark(1000), rec("{\"a\":2}"), watermark(2000)});
    CHECK(h.run() == Exit::ok);
    CHECK(h.op.watermarks == std::vector<Timestamp>{1000, 2000});
    CHECK(h.out.without_flushes() == std::vector<std::string>{"rec {\"a\":1}", "watermark 1000",
                                                              "rec {\"a\":2}", "watermark 2000",
                                                              "end"});
    CHECK(h.counters.watermark == 2000);
}

TEST_CASE("run_loop: an idle input flushes the outputs") {
    TempDir dir;
    std::string path = dir / "out";
    auto file = OutputFile::open(path, OutputFile::Mode::truncate);
    Harness h({rec("{\"a\":1}"), rec("{\"a\":2}"), idle(), rec("{\"a\":3}")});
    h.out.file = file.get();
    std::vector<std::uint64_t> sizes; // on disk, as each step is asked for
    h.in.on_next = [&](std::size_t) {
        sizes.push_back(disk_size(path));
    };
    CHECK(h.run([&](RunLoop& loop) { loop.add_output(file.get()); }) == Exit::ok);
    REQUIRE(sizes.size() == 5);   // 4 steps and the end
    CHECK(sizes[2] == 0);         // still buffered when the input goes idle
    CHECK(sizes[3] == 16);        // flushed before the loop reads on
    CHECK(disk_size(path) == 24); // the end flushes too
    CHECK(read_file(path) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    CHECK(h.out.log[2] == "flush"); // the writer's own buffer goes first
}

TEST_CASE("run_loop: the operator sees the record the reader parsed") {
    Harness h({rec("{\"a\":1}"), rec("{\"a\":2}")});
    SUBCASE("a parsing reader") {
        h.in.parse = true;
        CHECK(h.run() == Exit::ok);
        CHECK(h.op.dom_a == std::vector<std::int64_t>{1, 2});
    }
    SUBCASE("a reader that does not parse") {
        CHECK(h.run() == Exit::ok);
        CHECK(h.op.dom_a == std::vector<std::int64_t>{-1, -1});
    }
}

TEST_CASE("run_loop: finish is called once, also when the operator stops early") {
    Harness h({rec("{\"a\":1}"), rec("{\"a\":2}"), rec("{\"a\":3}")});
    h.op.stop_after = 2;
    CHECK(h.run() == Exit::ok);
    CHECK(h.op.seen.size() == 2);
    CHECK(h.op.finished == 1);
    CHECK(h.out.without_flushes().back() == "end");
    CHECK(h.in.end_calls == 0); // no more input was read
}

TEST_CASE("run_loop: a barrier writes a snapshot with the state and file lengths") {
    TempDir dir;
    std::string ck_dir = dir / "ck";
    std::string out_path = dir / "out";
    auto file = OutputFile::open(out_path, OutputFile::Mode::truncate);
    auto dlq_file = OutputFile::open(dir / "dlq", OutputFile::Mode::truncate);
    DeadLetterWriter dlq(*dlq_file, "weir-test");

    std::vector<Step> steps = {rec("{\"a\":1}"), rec("{\"reject\":2}"), barrier(5)};
    bool records_after = false;
    SUBCASE("nothing after the last barrier: the end commits nothing more") {}
    SUBCASE("records after the last barrier: the end commits the next epoch") {
        records_after = true;
        steps.push_back(rec("{\"a\":3}"));
    }
    SUBCASE("only an invalid line after the last barrier still ends an epoch") {
        records_after = true;
        steps.push_back(bad("{", Reason::invalid_json, "invalid JSON: x"));
    }

    Harness h(steps);
    h.out.file = file.get();
    std::uint64_t out_len_at_barrier = 0;
    std::uint64_t disk_at_barrier = 0;
    h.in.on_next = [&](std::size_t i) {
        if (i == 3) { // the step after the barrier
            out_len_at_barrier = file->length();
            disk_at_barrier = disk_size(out_path);
        }
    };
    {
        StageCheckpoint ck = StageCheckpoint::open(ck_dir, "test");
        CHECK(h.run([&](RunLoop& loop) {
            loop.set_dead_letters(&dlq);
            loop.add_checkpointed_output("out", file.get());
            loop.add_checkpointed_output("dlq", dlq_file.get());
            loop.set_checkpoint(CheckpointPlan{&ck, base_snapshot(), 1});
        }) == Exit::ok);
        CHECK(ck.committed_epoch() == (records_after ? 6u : 5u));
        CHECK(h.counters.epoch == (records_after ? 6u : 5u));
    }
    CHECK(disk_at_barrier == out_len_at_barrier); // flushed before the snapshot
    CHECK(out_len_at_barrier == 8);

    StageCheckpoint ck = StageCheckpoint::open(ck_dir, "test");
    std::optional<Snapshot> s = ck.restore_point();
    REQUIRE(s.has_value());
    CHECK(s->tool == "weir-test");
    CHECK(s->op_name == "recording");
    CHECK(s->state_version == 3);
    CHECK(s->meaning_flags == base_snapshot().meaning_flags);
    CHECK(s->source_state.empty()); // the reader is not checkpointed
    StateReader r(s->op_state);
    if (!records_after) {
        CHECK(s->epoch == 5);
        CHECK(file_length(*s, "out") == 8u);
        CHECK(r.u64("seen") == 2);
        CHECK(r.str("last") == "{\"reject\":2}");
    } else {
        CHECK(s->epoch == 6);
        CHECK(file_length(*s, "out") == file->length());
        CHECK(r.u64("seen") == h.op.seen.size());
        CHECK(r.str("last") == h.op.seen.back());
    }
    CHECK(file_length(*s, "dlq") == dlq_file->length());
    CHECK(dlq_file->length() > 0);
    CHECK(r.at_end());
}

TEST_CASE("run_loop: without barriers the end of input commits the planned epoch") {
    TempDir dir;
    Harness h({rec("{\"a\":1}"), rec("{\"a\":2}")});
    {
        StageCheckpoint ck = StageCheckpoint::open(dir / "ck", "test");
        CHECK(h.run([&](RunLoop& loop) {
            loop.set_checkpoint(CheckpointPlan{&ck, base_snapshot(), 3});
        }) == Exit::ok);
    }
    StageCheckpoint ck = StageCheckpoint::open(dir / "ck", "test");
    CHECK(ck.committed_epoch() == 3);
    std::optional<Snapshot> s = ck.restore_point();
    REQUIRE(s.has_value());
    CHECK(s->epoch == 3);
    StateReader r(s->op_state);
    CHECK(r.u64("seen") == 2);
}

TEST_CASE("run_loop: no commit at the end of an input that did not end cleanly") {
    TempDir dir;
    Harness h({rec("{\"a\":1}"), barrier(1), rec("{\"a\":2}")});
    h.in.clean = false; // a frames upstream died without its end frame
    {
        StageCheckpoint ck = StageCheckpoint::open(dir / "ck", "test");
        CHECK(h.run([&](RunLoop& loop) {
            loop.set_checkpoint(CheckpointPlan{&ck, base_snapshot(), 1});
        }) == Exit::ok);
    }
    StageCheckpoint ck = StageCheckpoint::open(dir / "ck", "test");
    CHECK(ck.committed_epoch() == 1); // the barrier's epoch, not the cut one
    std::optional<Snapshot> s = ck.restore_point();
    REQUIRE(s.has_value());
    StateReader r(s->op_state);
    CHECK(r.u64("seen") == 1);
}

TEST_CASE("run_loop: no commit at the end when the operator stopped early") {
    TempDir dir;
    Harness h({rec("{\"a\":1}"), rec("{\"a\":2}")});
    h.op.stop_after = 1;
    {
        StageCheckpoint ck = StageCheckpoint::open(dir / "ck", "test");
        CHECK(h.run([&](RunLoop& loop) {
            loop.set_checkpoint(CheckpointPlan{&ck, base_snapshot(), 1});
        }) == Exit::ok);
    }
    StageCheckpoint ck = StageCheckpoint::open(dir / "ck", "test");
    CHECK(ck.committed_epoch() == 0);
    CHECK_FALSE(ck.restore_point().has_value());
}

TEST_CASE("run_loop: --time reads the event time of records without one") {
    Harness h({rec("{\"event_time\":\"2024-01-01T00:00:00Z\"}", 1), rec("{\"x\":1}", 2),
               rec("{\"event_time\":\"yesterday\"}", 3), rec("{\"event_time\":1704067200}", 4),
               rec("{\"event_time\":null}", 5),
               rec("{\"event_time\":\"2024-01-01T00:00:01Z\"}", 6)});
    h.settings.time_field = FieldPath::from("event_time");
    h.settings.time_unit = TimeUnit::auto_;
    CHECK(h.run() == Exit::ok);
    const Timestamp t0 = 1704067200LL * 1000000;
    REQUIRE(h.op.times.size() == 6);
    CHECK(h.op.times[0] == t0);
    CHECK(h.op.problems[0].empty());
    CHECK(h.op.times[1] == no_timestamp);
    CHECK(h.op.problems[1] == "field 'event_time': missing");
    CHECK(h.op.times[2] == no_timestamp);
    CHECK(h.op.problems[2] == "field 'event_time': \"yesterday\" is not a timestamp");
    CHECK(h.op.times[3] == t0);
    CHECK(h.op.problems[3].empty());
    CHECK(h.op.times[4] == no_timestamp);
    CHECK(h.op.problems[4] == "field 'event_time': null is not a timestamp");
    // A problem does not stick to the next record.
    CHECK(h.op.times[5] == t0 + 1000000);
    CHECK(h.op.problems[5].empty());
}

TEST_CASE("run_loop: --time on a nested field and in other units") {
    Harness h({rec("{\"t\":{\"ms\":1704067200123}}")});
    h.settings.time_field = FieldPath::from("t.ms");
    h.settings.time_unit = TimeUnit::ms;
    CHECK(h.run() == Exit::ok);
    CHECK(h.op.times == std::vector<Timestamp>{1704067200123000});
}

TEST_CASE("run_loop: a carried event time is trusted unless --time was explicit") {
    const Timestamp carried = 42;
    const Timestamp t0 = 1704067200LL * 1000000;
    Harness h({rec("{\"event_time\":\"2024-01-01T00:00:00Z\"}", 1, carried)});
    h.settings.time_field = FieldPath::from("event_time");
    SUBCASE("trusted") {
        h.settings.trust_carried_time = true;
        CHECK(h.run() == Exit::ok);
        CHECK(h.op.times == std::vector<Timestamp>{carried});
    }
    SUBCASE("read again") {
        h.settings.trust_carried_time = false;
        CHECK(h.run() == Exit::ok);
        CHECK(h.op.times == std::vector<Timestamp>{t0});
    }
    SUBCASE("without --time nothing is read") {
        h.settings.time_field.reset();
        Harness g({rec("{\"event_time\":\"2024-01-01T00:00:00Z\"}", 1)});
        CHECK(g.run() == Exit::ok);
        CHECK(g.op.times == std::vector<Timestamp>{no_timestamp});
        CHECK(g.op.problems == std::vector<std::string>{""});
    }
}

TEST_CASE("run_loop: a stop request ends the run cleanly") {
    // The stop flag is process-global and sticky, so each case runs in a child that
    // reports through its exit status (see stop_signal_test.cpp).
    auto in_child = [](const std::function<int()>& body) {
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0)
            ::_exit(body());
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFEXITED(status));
        return WEXITSTATUS(status);
    };
    TempDir dir;
    SUBCASE("at the next barrier, after committing it") {
        std::string ck_dir = dir / "ck";
        CHECK(in_child([&] {
                  install_stop_handlers();
                  std::raise(SIGTERM);
                  Harness h({rec("{\"a\":1}"), barrier(1), rec("{\"a\":2}")});
                  StageCheckpoint ck = StageCheckpoint::open(ck_dir, "test");
                  Exit e = h.run([&](RunLoop& loop) {
                      loop.set_checkpoint(CheckpointPlan{&ck, base_snapshot(), 1});
                  });
                  if (e != Exit::sigterm)
                      return 10;
                  if (h.op.seen.size() != 1)
                      return 11;
                  if (ck.committed_epoch() != 1)
                      return 12;
                  if (h.op.finished != 0)
                      return 13;
                  return 0;
              }) == 0);
    }
    SUBCASE("without barriers, at an idle input, committing nothing") {
        std::string ck_dir = dir / "ck";
        CHECK(in_child([&] {
                  install_stop_handlers();
                  std::raise(SIGINT);
                  Harness h({rec("{\"a\":1}"), idle(), rec("{\"a\":2}")});
                  StageCheckpoint ck = StageCheckpoint::open(ck_dir, "test");
                  Exit e = h.run([&](RunLoop& loop) {
                      loop.set_checkpoint(CheckpointPlan{&ck, base_snapshot(), 1});
                  });
                  if (e != Exit::sigint)
                      return 10;
                  if (h.op.seen.size() != 1)
                      return 11;
                  if (ck.committed_epoch() != 0)
                      return 12;
                  return 0;
              }) == 0);
    }
}
