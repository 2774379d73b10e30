#include "../io/temp_dir.hpp"
#include "io/memory_source.hpp"
#include "io/output_file.hpp"
#include "wire/concat_reader.hpp"
#include "wire/detect.hpp"
#include "wire/frame_writer.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace weir;

namespace {

struct FrameRec {
    std::string json;
    std::string source;
};

// A frames stream of `recs`, naming their sources; `end`: with the end frame (a writer
// killed before it leaves none).
std::string frames_of(const std::vector<FrameRec>& recs, bool end, bool barrier_after = false) {
    test::TempDir dir;
    std::string path = dir / "frames";
    {
        auto out = OutputFile::open(path, OutputFile::Mode::truncate);
        SourceTable sources;
        FrameWriter w(*out, sources);
        std::uint64_t line = 0;
        for (const FrameRec& fr : recs) {
            std::string padded = fr.json + std::string(record_padding, '\0');
            Record r;
            r.json = std::string_view(padded).substr(0, fr.json.size());
            r.source = sources.intern(fr.source);
            r.line = ++line;
            w.write(r);
        }
        if (barrier_after)
            w.barrier(7);
        if (end)
            w.end();
        else
            w.flush();
    }
    return test::read_file(path);
}

// Inputs by path; the opener records the order it is called in.
struct Inputs {
    std::map<std::string, std::string> files;
    std::vector<std::string> opened;

    ConcatReader::Opener opener() {
        return [this](const std::string& path) {
            opened.push_back(path);
            return make_reader(std::make_unique<MemorySource>(files.at(path), SIZE_MAX, path),
                               ReaderOptions{});
        };
    }
};

struct Seen {
    InputKind kind;
    std::string json;
    std::string source;
    std::uint64_t line;

    bool operator==(const Seen&) const = default;
};

std::vector<Seen> drain(ConcatReader& r) {
    std::vector<Seen> out;
    InputEvent ev;
    for (InputKind k; (k = r.next(ev)) != InputKind::end;) {
        if (k == InputKind::record || k == InputKind::invalid)
            out.push_back({k, std::string(ev.record.json),
                           std::string(r.sources().name(ev.record.source)), ev.record.line});
        else if (k == InputKind::barrier)
            out.push_back({k, "barrier " + std::to_string(ev.epoch), "", 0});
    }
    return out;
}

constexpr InputKind R = InputKind::record;

} // namespace

TEST_CASE("concat_reader: inputs are read in order, each opened when needed") {
    Inputs in;
    in.files["a.ndjson"] = "{\"a\":1}\n{\"a\":2}\n";
    in.files["b.ndjson"] = "{\"b\":1}\n";
    ConcatReader r({"a.ndjson", "b.ndjson"}, in.opener());
    CHECK(in.opened.empty()); // nothing before the first next()
    InputEvent ev;
    REQUIRE(r.next(ev) == InputKind::record);
    CHECK(in.opened == std::vector<std::string>{"a.ndjson"});
    CHECK(r.bytes_read() == 8);
    simdjson::dom::element root;
    CHECK(r.parsed_root(root)); // the NDJSON reader's DOM is passed through
    CHECK(drain(r) ==
          std::vector<Seen>{{R, "{\"a\":2}", "a.ndjson", 2}, {R, "{\"b\":1}", "b.ndjson", 1}});
    CHECK(in.opened == std::vector<std::string>{"a.ndjson", "b.ndjson"});
    CHECK(r.next(ev) == InputKind::end); // and stays there
    CHECK(in.opened.size() == 2);
    CHECK(r.ended_cleanly());
}

TEST_CASE("concat_reader: source ids are remapped so names stay right") {
    Inputs in;
    in.files["a.ndjson"] = "{\"a\":1}\nnot json\n";
    // A frames input whose own ids 0 and 1 are "x" and "a.ndjson": 0 and 1 here mean
    // other names than in the first input.
    in.files["b.frames"] = frames_of(
        {{"{\"x\":1}", "x"}, {"{\"y\":1}", "a.ndjson"}, {"{\"x\":2}", "x"}, {"{\"z\":1}", "z"}},
        true, true);
    in.files["c.ndjson"] = "{\"c\":1}\n";
    ConcatReader r({"a.ndjson", "b.frames", "c.ndjson"}, in.opener());
    std::vector<Seen> seen = drain(r);
    CHECK(seen == std::vector<Seen>{{R, "{\"a\":1}", "a.ndjson", 1},
                                    {InputKind::invalid, "not json", "a.ndjson", 2},
                                    {R, "{\"x\":1}", "x", 1},
                                    {R, "{\"y\":1}", "a.ndjson", 2},
                                    {R, "{\"x\":2}", "x", 3},
                                    {R, "{\"z\":1}", "z", 4},
                                    {InputKind::barrier, "barrier 7", "", 0},
                                    {R, "{\"c\":1}", "c.ndjson", 1}});
    // One table, each name once.
    CHECK(r.sources().size() == 4);
    CHECK(r.sources().name(0) == "a.ndjson");
    CHECK(r.sources().name(1) == "x");
    CHECK(r.sources().name(2) == "z");
    CHECK(r.sources().name(3) == "c.ndjson");
    CHECK(r.ended_cleanly());
}

TEST_CASE("concat_reader: a frames input without its end frame makes the stream unclean") {
    Inputs in;
    in.files["cut.frames"] = frames_of({{"{\"a\":1}", "s"}}, false);
    in.files["whole.frames"] = frames_of({{"{\"b\":1}", "s"}}, true);
    in.files["c.ndjson"] = "{\"c\":1}\n";
    SUBCASE("first input cut") {
        ConcatReader r({"cut.frames", "whole.frames", "c.ndjson"}, in.opener());
        CHECK(drain(r).size() == 3); // the records still come through
        CHECK_FALSE(r.ended_cleanly());
    }
    SUBCASE("last input cut") {
        ConcatReader r({"c.ndjson", "cut.frames"}, in.opener());
        CHECK(drain(r).size() == 2);
        CHECK_FALSE(r.ended_cleanly());
    }
    SUBCASE("all whole") {
        ConcatReader r({"whole.frames", "c.ndjson"}, in.opener());
        CHECK(drain(r).size() == 2);
        CHECK(r.ended_cleanly());
    }
}

TEST_CASE("concat_reader: bytes_read sums the inputs") {
    Inputs in;
    in.files["a.ndjson"] = "{\"a\":1}\n{\"a\":2}\n";
    in.files["b.frames"] = frames_of({{"{\"b\":1}", "s"}}, true);
    in.files["c.ndjson"] = "{\"c\":1}\n";
    ConcatReader r({"a.ndjson", "b.frames", "c.ndjson"}, in.opener());
    CHECK(r.bytes_read() == 0);
    drain(r);
    CHECK(r.bytes_read() ==
          in.files["a.ndjson"].size() + in.files["b.frames"].size() + in.files["c.ndjson"].size());
}

TEST_CASE("concat_reader: no inputs is an empty stream") {
    Inputs in;
    ConcatReader r({}, in.opener());
    InputEvent ev;
    CHECK(r.next(ev) == InputKind::end);
    CHECK(r.ended_cleanly());
    CHECK(r.bytes_read() == 0);
    CHECK(in.opened.empty());
}

TEST_CASE("concat_reader: an empty input in the middle is skipped") {
    Inputs in;
    in.files["a"] = "{\"a\":1}\n";
    in.files["empty"] = "";
    in.files["c"] = "{\"c\":1}\n";
    ConcatReader r({"a", "empty", "c"}, in.opener());
    CHECK(drain(r) == std::vector<Seen>{{R, "{\"a\":1}", "a", 1}, {R, "{\"c\":1}", "c", 1}});
    CHECK(in.opened == std::vector<std::string>{"a", "empty", "c"});
}
