#include "../io/temp_dir.hpp"
#include "cli/error.hpp"
#include "io/output_file.hpp"
#include "wire/frame_format.hpp"
#include "wire/frame_writer.hpp"

#include <doctest/doctest.h>
#include <zstd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace weir;

using weir::test::read_file;

namespace {

// An OutputFile on a temporary file, and the bytes that reached it.
struct TempOutput {
    std::string path;
    std::unique_ptr<OutputFile> out;

    TempOutput() {
        char tmpl[] = "/tmp/weir-frame-writer-XXXXXX";
        int fd = ::mkstemp(tmpl);
        REQUIRE(fd >= 0);
        ::close(fd);
        path = tmpl;
        out = OutputFile::open(path, OutputFile::Mode::truncate);
    }

    ~TempOutput() {
        out.reset();
        ::unlink(path.c_str());
    }

    std::string bytes() {
        out->flush();
        return read_file(path);
    }
};

struct Frame {
    std::uint8_t kind;
    std::uint8_t flags;
    std::string payload; // as stored
};

// Splits a stream into frames, checking the stream header and every checksum.
std::vector<Frame> split(const std::string& s, bool with_header = true) {
    std::vector<Frame> frames;
    std::size_t pos = 0;
    if (with_header) {
        REQUIRE(s.size() >= stream_header_size);
        REQUIRE(is_frame_stream(s.substr(0, stream_header_size)));
        pos = stream_header_size;
    }
    while (pos < s.size()) {
        REQUIRE(s.size() - pos >= frame_header_size);
        FrameHeader h = load_frame_header(s.data() + pos);
        REQUIRE(s.size() - pos - frame_header_size >= h.length);
        std::string payload = s.substr(pos + frame_header_size, h.length);
        CHECK(frame_checksum(payload.data(), payload.size()) == h.checksum);
        frames.push_back({h.kind, h.flags, payload});
        pos += frame_header_size + h.length;
    }
    return frames;
}

std::vector<int> kinds(const std::vector<Frame>& frames) {
    std::vector<int> k;
    for (const Frame& f : frames)
        k.push_back(f.kind);
    return k;
}

constexpr int data = 1, source = 2, barrier = 3, watermark = 4, end = 5;

} // namespace

TEST_CASE("frame_writer: flush of an empty stream writes just the stream header") {
    TempOutput t;
    SourceTable sources;
    FrameWriter w(*t.out, sources);
    CHECK(t.bytes().empty()); // nothing before the first frame or flush
    w.flush();
    std::string s = t.bytes();
    REQUIRE(s.size() == stream_header_size);
    CHECK(s.substr(0, 8) == std::string("\xFF"
                                        "WEIR\r\n\x1A",
                                        8));
    CHECK(s[8] == 1);
}

TEST_CASE("frame_writer: one record, byte for byte") {
    TempOutput t;
    SourceTable sources;
    sources.intern("events.ndjson");
    FrameWriter w(*t.out, sources);
    w.write({R"({"a":1})", 1700000000123456, 0, 42, 4096});
    w.end();

    std::vector<Frame> f = split(t.bytes());
    REQUIRE(kinds(f) == std::vector<int>{source, data, end});

    const std::string& src = f[0].payload;
    REQUIRE(src.size() == 8 + 13);
    CHECK(load_u32(src.data()) == 0);
    CHECK(load_u32(src.data() + 4) == 13);
    CHECK(src.substr(8) == "events.ndjson");

    const std::string& d = f[1].payload;
    CHECK(f[1].flags == 0);
    REQUIRE(d.size() == record_header_size + 7);
    CHECK(load_u32(d.data()) == 7);
    CHECK(load_i64(d.data() + 4) == 1700000000123456);
    CHECK(load_u32(d.data() + 12) == 0);
    CHECK(load_u64(d.data() + 16) == 42);
    CHECK(load_u64(d.data() + 24) == 4096);
    CHECK(d.substr(32) == R"({"a":1})");

    CHECK(f[2].payload.empty());
    CHECK(w.records_written() == 1);
    CHECK(w.frames_written() == 3);
}

TEST_CASE("frame_writer: batches leave when they reach batch_bytes") {
    TempOutput t;
    SourceTable sources;
    sources.intern("a");
    FrameWriter w(*t.out, sources, {.batch_bytes = 1000});
    std::string json = "{\"k\":\"" + std::string(100, 'x') + "\"}"; // 108 + 32 per record
    for (int i = 0; i < 20; ++i)
        w.write({json, no_timestamp, 0, static_cast<std::uint64_t>(i + 1), 0});
    // 8 records make 1120 >= 1000 bytes: two full batches, four records pending.
    std::vector<Frame> f = split(t.bytes());
    REQUIRE(kinds(f) == std::vector<int>{source, data, data});
    CHECK(f[1].payload.size() == 8 * 140);
    w.flush();
    f = split(t.bytes());
    REQUIRE(kinds(f) == std::vector<int>{source, data, data, data});
    CHECK(f[3].payload.size() == 4 * 140);
    CHECK(load_u64(f[3].payload.data() + 16) == 17); // first line of the last batch
}

TEST_CASE("frame_writer: sources are declared before their first record") {
    TempOutput t;
    SourceTable sources;
    sources.intern("a.ndjson");
    FrameWriter w(*t.out, sources);
    w.write({"{}", 1, 0, 1, 0});
    // A source added while writing is declared when first used, without cutting the batch.
    std::uint32_t b = sources.intern("b.ndjson");
    w.write({"{}", 2, 0, 2, 3});
    w.write({"{}", 3, b, 1, 0});
    w.write({"{}", 4, b, 2, 3});
    w.flush();
    std::vector<Frame> f = split(t.bytes());
    REQUIRE(kinds(f) == std::vector<int>{source, source, data});
    CHECK(load_u32(f[1].payload.data()) == 1);
    CHECK(f[1].payload.substr(8) == "b.ndjson");
    CHECK(f[2].payload.size() == 4 * (record_header_size + 2));

    SUBCASE("an id missing from the table is written undeclared") {
        w.write({"{}", 5, 7, 1, 0});
        w.flush();
        CHECK(kinds(split(t.bytes())) == std::vector<int>{source, source, data, data});
    }
}

TEST_CASE("frame_writer: control frames follow the records written before them") {
    TempOutput t;
    SourceTable sources;
    sources.intern("a");
    FrameWriter w(*t.out, sources);
    w.write({"{}", 1, 0, 1, 0});
    w.barrier(7);
    w.write({"{}", 2, 0, 2, 3});
    w.watermark(1000);
    w.watermark(1000); // says nothing new: dropped
    w.watermark(2000);
    w.end();
    w.end(); // once only
    std::vector<Frame> f = split(t.bytes());
    REQUIRE(kinds(f) == std::vector<int>{source, data, barrier, data, watermark, watermark, end});
    CHECK(load_u64(f[2].payload.data()) == 7);
    CHECK(f[2].payload.size() == 8);
    CHECK(load_i64(f[4].payload.data()) == 1000);
    CHECK(load_i64(f[5].payload.data()) == 2000);
    CHECK_THROWS_AS(w.write({"{}", 3, 0, 3, 6}), Error);
}

TEST_CASE("frame_writer: compressed batches") {
    TempOutput t;
    SourceTable sources;
    sources.intern("a");
    FrameWriter w(*t.out, sources, {.batch_bytes = 1 << 20, .zstd_level = 3});
    std::string json = R"({"user":"alice","action":"click","page":"/home"})";
    for (int i = 0; i < 1000; ++i)
        w.write({json, i, 0, static_cast<std::uint64_t>(i + 1), 0});
    w.flush();
    std::vector<Frame> f = split(t.bytes());
    REQUIRE(kinds(f) == std::vector<int>{source, data});
    CHECK(f[1].flags == frame_compressed);
    std::size_t raw = 1000 * (record_header_size + json.size());
    CHECK(f[1].payload.size() < raw / 4);
    CHECK(ZSTD_getFrameContentSize(f[1].payload.data(), f[1].payload.size()) == raw);
    std::string back(raw, '\0');
    CHECK(ZSTD_decompress(back.data(), back.size(), f[1].payload.data(), f[1].payload.size()) ==
          raw);
    CHECK(back.substr(record_header_size, json.size()) == json);

    SUBCASE("an incompressible batch is stored as it is") {
        std::string noise;
        std::uint64_t x = 88172645463325252ull;
        for (int i = 0; i < 4000; ++i) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            noise.push_back(static_cast<char>(x));
        }
        w.write({noise, 0, 0, 1, 0});
        w.flush();
        f = split(t.bytes());
        REQUIRE(kinds(f) == std::vector<int>{source, data, data});
        CHECK(f[2].flags == 0);
        CHECK(f[2].payload.substr(record_header_size) == noise);
    }
}

TEST_CASE("frame_writer: a resumed output gets no second stream header") {
    TempOutput t;
    t.out->append("0123456789"); // stands for the committed part of a capture
    SourceTable sources;
    sources.intern("a");
    FrameWriter w(*t.out, sources);
    w.write({"{}", 1, 0, 1, 0});
    w.flush();
    std::string s = t.bytes();
    CHECK(s.substr(0, 10) == "0123456789");
    CHECK(kinds(split(s.substr(10), false)) == std::vector<int>{source, data});
}

TEST_CASE("frame_writer: refuses what would break the stream") {
    TempOutput t;
    SourceTable sources;
    SUBCASE("a zstd level out of range") {
        CHECK_THROWS_AS(FrameWriter(*t.out, sources, {.zstd_level = 1000}), Error);
        try {
            FrameWriter bad(*t.out, sources, {.zstd_level = 1000});
        } catch (const Error& e) {
            CHECK(e.code() == Exit::usage);
        }
    }
    SUBCASE("a record longer than max_record_bytes") {
        FrameWriter w(*t.out, sources);
        std::string big(max_record_bytes + 1, ' ');
        try {
            w.write({big, 0, 0, 1, 0});
            FAIL("no exception");
        } catch (const Error& e) {
            CHECK(e.code() == Exit::internal);
        }
    }
}

TEST_CASE("frame_writer: a huge batch_bytes still keeps frames within the payload limit") {
    TempOutput t;
    SourceTable sources;
    FrameWriter w(*t.out, sources, {.batch_bytes = std::size_t{1} << 40});
    std::string big(12 << 20, 'x');
    for (int i = 0; i < 3; ++i)
        w.write({big, 0, 0, 1, 0});
    w.flush();
    std::vector<Frame> f = split(t.bytes());
    REQUIRE(f.size() == 2); // two records fit in one frame, the third in the next
    CHECK(f[0].payload.size() == 2 * (record_header_size + big.size()));
    for (const Frame& fr : f)
        CHECK(fr.payload.size() <= max_frame_payload);
}
