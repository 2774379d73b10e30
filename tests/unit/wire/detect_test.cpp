#include "../io/temp_dir.hpp"
#include "cli/error.hpp"
#include "io/memory_source.hpp"
#include "io/output_file.hpp"
#include "wire/csv_reader.hpp"
#include "wire/detect.hpp"
#include "wire/frame_reader.hpp"
#include "wire/frame_writer.hpp"
#include "wire/ndjson_reader.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace weir;

namespace {

// A frames stream holding `jsons` from one source named `source`, with its end frame.
std::string frames_of(const std::vector<std::string>& jsons, const std::string& source) {
    test::TempDir dir;
    std::string path = dir / "frames";
    {
        auto out = OutputFile::open(path, OutputFile::Mode::truncate);
        SourceTable sources;
        sources.intern(source);
        FrameWriter w(*out, sources);
        std::uint64_t line = 0;
        for (const std::string& j : jsons) {
            std::string padded = j + std::string(record_padding, '\0');
            Record r;
            r.json = std::string_view(padded).substr(0, j.size());
            r.line = ++line;
            w.write(r);
        }
        w.end();
    }
    return test::read_file(path);
}

// Every record's JSON until the end.
std::vector<std::string> drain(RecordReader& r) {
    std::vector<std::string> out;
    InputEvent ev;
    for (InputKind k; (k = r.next(ev)) != InputKind::end;)
        if (k == InputKind::record)
            out.emplace_back(ev.record.json);
    return out;
}

std::unique_ptr<RecordReader> reader_for(std::string data, InputFormat format,
                                         std::size_t chunk = SIZE_MAX) {
    ReaderOptions opts;
    opts.format = format;
    return make_reader(std::make_unique<MemorySource>(std::move(data), chunk, "in"), opts);
}

std::string usage_error(std::string data, InputFormat format) {
    try {
        reader_for(std::move(data), format);
    } catch (const Error& e) {
        CHECK(e.code() == Exit::usage);
        return e.what();
    }
    FAIL("no exception");
    return {};
}

} // namespace

TEST_CASE("detect: input format names") {
    CHECK(parse_input_format("auto") == InputFormat::auto_);
    CHECK(parse_input_format("ndjson") == InputFormat::ndjson);
    CHECK(parse_input_format("frames") == InputFormat::frames);
    CHECK(parse_input_format("csv") == InputFormat::csv);
    try {
        parse_input_format("json");
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.code() == Exit::usage);
        CHECK(std::string(e.what()) ==
              "unknown input format 'json' (expected auto, ndjson, frames or csv)");
    }
}

TEST_CASE("detect: the frames magic selects the frame reader") {
    std::string data = frames_of({"{\"a\":1}", "{\"a\":2}"}, "up.ndjson");
    REQUIRE(static_cast<unsigned char>(data[0]) == 0xFF);
    for (InputFormat f : {InputFormat::auto_, InputFormat::frames}) {
        auto r = reader_for(data, f);
        CHECK(dynamic_cast<FrameReader*>(r.get()) != nullptr);
        CHECK(drain(*r) == std::vector<std::string>{"{\"a\":1}", "{\"a\":2}"});
        CHECK(r->sources().name(0) == "up.ndjson");
        CHECK(r->ended_cleanly());
    }
}

TEST_CASE("detect: anything else is NDJSON") {
    SUBCASE("records") {
        auto r = reader_for("{\"a\":1}\n{\"a\":2}\n", InputFormat::auto_);
        CHECK(dynamic_cast<NdjsonReader*>(r.get()) != nullptr);
        CHECK(drain(*r) == std::vector<std::string>{"{\"a\":1}", "{\"a\":2}"});
        CHECK(r->sources().name(0) == "in");
    }
    SUBCASE("explicit ndjson") {
        auto r = reader_for("{\"a\":1}\n", InputFormat::ndjson);
        CHECK(dynamic_cast<NdjsonReader*>(r.get()) != nullptr);
    }
    SUBCASE("garbage is NDJSON too, and becomes invalid lines") {
        auto r = reader_for("not json\n", InputFormat::auto_);
        CHECK(dynamic_cast<NdjsonReader*>(r.get()) != nullptr);
        InputEvent ev;
        CHECK(r->next(ev) == InputKind::invalid);
    }
    SUBCASE("an empty input") {
        auto r = reader_for("", InputFormat::auto_);
        CHECK(dynamic_cast<NdjsonReader*>(r.get()) != nullptr);
        CHECK(drain(*r).empty());
    }
    SUBCASE("a custom source name and resume position") {
        ReaderOptions opts;
        opts.source_name = "label";
        opts.start_offset = 100;
        opts.start_line = 9;
        auto r = make_reader(std::make_unique<MemorySource>("{\"a\":1}\n"), opts);
        InputEvent ev;
        REQUIRE(r->next(ev) == InputKind::record);
        CHECK(r->sources().name(ev.record.source) == "label");
        CHECK(ev.record.line == 10);
        CHECK(ev.record.offset == 100);
    }
}

TEST_CASE("detect: --format csv reads CSV") {
    auto r = reader_for("id,name\n1,ann\n", InputFormat::csv);
    CHECK(dynamic_cast<CsvReader*>(r.get()) != nullptr);
    CHECK(drain(*r) == std::vector<std::string>{"{\"id\":1,\"name\":\"ann\"}"});
    SUBCASE("auto does not guess CSV") {
        auto a = reader_for("id,name\n1,ann\n", InputFormat::auto_);
        CHECK(dynamic_cast<NdjsonReader*>(a.get()) != nullptr);
    }
    SUBCASE("csv keeps the source name option") {
        ReaderOptions opts;
        opts.format = InputFormat::csv;
        opts.source_name = "refs.csv";
        auto c = make_reader(std::make_unique<MemorySource>("id\n1\n"), opts);
        CHECK(c->sources().name(0) == "refs.csv");
    }
}

TEST_CASE("detect: a format that contradicts the input is a usage error") {
    std::string frames = frames_of({"{\"a\":1}"}, "x");
    CHECK(usage_error(frames, InputFormat::ndjson) == "'in' is a weir frames stream, not NDJSON");
    CHECK(usage_error(frames, InputFormat::csv) == "'in' is a weir frames stream, not CSV");
    CHECK(usage_error("{\"a\":1}\n", InputFormat::frames) == "'in' is not a weir frames stream");
}

TEST_CASE("detect: detection peeks one byte and loses nothing") {
    // chunk = 1: each read_some returns one byte, like a pipe holding one byte so far; a
    // detector that wanted more would block there.
    SUBCASE("NDJSON") {
        auto src = std::make_unique<MemorySource>("{\"a\":1}\n{\"b\":2}\n", 1, "in");
        MemorySource* raw = src.get();
        auto r = make_reader(std::move(src), ReaderOptions{});
        CHECK(raw->consumed() == 1);
        CHECK(raw->read_some_calls() == 1);
        CHECK(drain(*r) == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
    }
    SUBCASE("frames") {
        auto src = std::make_unique<MemorySource>(frames_of({"{\"a\":1}"}, "x"), 1, "in");
        MemorySource* raw = src.get();
        auto r = make_reader(std::move(src), ReaderOptions{});
        CHECK(raw->consumed() == 1);
        CHECK(dynamic_cast<FrameReader*>(r.get()) != nullptr);
        CHECK(drain(*r) == std::vector<std::string>{"{\"a\":1}"});
    }
    SUBCASE("one byte only") {
        auto src = std::make_unique<MemorySource>("{", 1, "in");
        auto r = make_reader(std::move(src), ReaderOptions{});
        InputEvent ev;
        CHECK(r->next(ev) == InputKind::invalid);
        CHECK(ev.record.json == "{");
    }
}
