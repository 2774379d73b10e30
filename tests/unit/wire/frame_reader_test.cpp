#include "../io/temp_dir.hpp"
#include "cli/error.hpp"
#include "io/memory_source.hpp"
#include "io/output_file.hpp"
#include "wire/frame_format.hpp"
#include "wire/frame_reader.hpp"
#include "wire/frame_writer.hpp"

#include <doctest/doctest.h>
#include <zstd.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace weir;

using weir::test::read_file;

namespace {

struct Rec {
    std::string json;
    Timestamp time;
    std::string source;
    std::uint64_t line;
    std::uint64_t offset;

    bool operator==(const Rec&) const = default;
};

std::uint64_t next_random(std::uint64_t& x) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
}

// Records of varied sizes, sources, times and positions; sources appear as they go.
std::vector<Rec> make_records(std::size_t n, std::uint64_t seed) {
    std::vector<Rec> recs;
    std::uint64_t x = seed;
    const char* names[] = {"a.ndjson", "<stdin>", "logs/b.ndjson.zst", "c"};
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t len = next_random(x) % 7 == 0 ? next_random(x) % 5000 : next_random(x) % 200;
        std::string json =
            "{\"i\":" + std::to_string(i) + ",\"p\":\"" + std::string(len, 'p') + "\"}";
        Timestamp t = i % 11 == 0   ? no_timestamp
                      : i % 13 == 0 ? std::numeric_limits<std::int64_t>::max()
                                    : static_cast<Timestamp>(next_random(x)) / 2;
        std::size_t used = std::min<std::size_t>(4, 1 + i / (n / 4 + 1)); // more over time
        recs.push_back({json, t, names[next_random(x) % used], i + 1, next_random(x)});
    }
    return recs;
}

// Writes recs through a FrameWriter into a temporary file and returns the bytes; a
// barrier every `barrier_every` records (0: none), then an end frame unless `no_end`.
std::string write_stream(const std::vector<Rec>& recs, FrameWriterOptions opts,
                         std::size_t barrier_every = 0, bool no_end = false) {
    char tmpl[] = "/tmp/weir-frame-reader-XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    ::close(fd);
    {
        auto out = OutputFile::open(tmpl, OutputFile::Mode::truncate);
        SourceTable sources;
        FrameWriter w(*out, sources, opts);
        std::uint64_t epoch = 0;
        for (std::size_t i = 0; i < recs.size(); ++i) {
            const Rec& r = recs[i];
            w.write({r.json, r.time, sources.intern(r.source), r.line, r.offset});
            if (barrier_every != 0 && (i + 1) % barrier_every == 0)
                w.barrier(++epoch);
        }
        if (no_end)
            w.flush();
        else
            w.end();
    }
    std::string s = read_file(tmpl);
    ::unlink(tmpl);
    return s;
}

std::unique_ptr<FrameReader> reader_over(std::string bytes, std::size_t chunk = SIZE_MAX,
                                         std::size_t block = 1 << 20) {
    return std::make_unique<FrameReader>(
        std::make_unique<MemorySource>(std::move(bytes), chunk, "in.frames"), block);
}

// Touches the record_padding bytes after a record's JSON: ASan flags any that are not
// part of a live allocation.
unsigned touch_padding(std::string_view json) {
    unsigned sum = 0;
    const volatile char* p = json.data() + json.size();
    for (std::size_t i = 0; i < record_padding; ++i)
        sum += static_cast<unsigned char>(p[i]);
    return sum;
}

// Reads every event; records become Recs, other kinds go into `events` as letters.
std::vector<Rec> read_all(FrameReader& r, std::string* events = nullptr) {
    std::vector<Rec> recs;
    InputEvent ev;
    unsigned sink = 0;
    for (;;) {
        InputKind k = r.next(ev);
        CHECK(k == ev.kind);
        switch (k) {
        case InputKind::record:
            sink += touch_padding(ev.record.json);
            recs.push_back({std::string(ev.record.json), ev.record.event_time,
                            std::string(r.sources().name(ev.record.source)), ev.record.line,
                            ev.record.offset});
            if (events)
                *events += 'r';
            break;
        case InputKind::barrier:
            if (events)
                *events += "b" + std::to_string(ev.epoch);
            break;
        case InputKind::watermark:
            if (events)
                *events += "w" + std::to_string(ev.watermark);
            break;
        case InputKind::idle:
            if (events)
                *events += 'i';
            break;
        case InputKind::invalid:
            FAIL("frames never yield invalid");
            break;
        case InputKind::end:
            CHECK(r.next(ev) == InputKind::end); // and stays there
            (void)sink;
            return recs;
        }
    }
}

// Builds frames by hand, for what FrameWriter never writes.
std::string stream_header(std::uint8_t version = frame_version) {
    std::string h(stream_header_size, '\0');
    store_stream_header(h.data());
    h[8] = static_cast<char>(version);
    return h;
}

std::string frame(std::uint8_t kind, std::uint8_t flags, std::string_view payload) {
    std::string f(frame_header_size, '\0');
    store_frame_header(f.data(), {kind, flags, static_cast<std::uint32_t>(payload.size()),
                                  frame_checksum(payload.data(), payload.size())});
    f.append(payload);
    return f;
}

std::string u64_payload(std::uint64_t v) {
    std::string p(8, '\0');
    store_u64(p.data(), v);
    return p;
}

std::string source_payload(std::uint32_t id, std::string_view name) {
    std::string p(8, '\0');
    store_u32(p.data(), id);
    store_u32(p.data() + 4, static_cast<std::uint32_t>(name.size()));
    p.append(name);
    return p;
}

std::string record_payload(std::string_view json, std::uint32_t source = 0) {
    std::string p(record_header_size, '\0');
    store_u32(p.data(), static_cast<std::uint32_t>(json.size()));
    store_i64(p.data() + 4, 5);
    store_u32(p.data() + 12, source);
    store_u64(p.data() + 16, 1);
    store_u64(p.data() + 24, 0);
    p.append(json);
    return p;
}

std::string end_frame() {
    return frame(5, 0, "");
}

// The message of the Error(Exit::data) reading `bytes` throws ("" if none).
std::string read_error(std::string bytes, std::size_t chunk = SIZE_MAX) {
    auto r = reader_over(std::move(bytes), chunk);
    try {
        read_all(*r);
    } catch (const Error& e) {
        CHECK(e.code() == Exit::data);
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("frame_reader: round trip of many records") {
    std::vector<Rec> recs = make_records(3000, 12345);
    FrameWriterOptions opts;
    SUBCASE("default batches") {}
    SUBCASE("small batches") {
        opts.batch_bytes = 3000;
    }
    SUBCASE("one record per batch") {
        opts.batch_bytes = 1;
    }
    SUBCASE("compressed") {
        opts.batch_bytes = 20000;
        opts.zstd_level = 3;
    }
    std::string bytes = write_stream(recs, opts);
    for (std::size_t chunk : {std::size_t{4093}, std::size_t{65536}, SIZE_MAX}) {
        for (std::size_t block : {std::size_t{16}, std::size_t{5000}, std::size_t{1} << 20}) {
            CAPTURE(chunk);
            CAPTURE(block);
            auto r = reader_over(bytes, chunk, block);
            std::vector<Rec> back = read_all(*r);
            REQUIRE(back.size() == recs.size());
            CHECK(back == recs);
            CHECK(r->saw_end_frame());
            CHECK(r->ended_cleanly());
            CHECK(r->bytes_read() == bytes.size());
            CHECK(r->bytes_total() == bytes.size());
            CHECK(r->sources().size() == 4);
        }
    }
}

TEST_CASE("frame_reader: tiny reads") {
    std::vector<Rec> recs = make_records(150, 99);
    std::string bytes = write_stream(recs, {.batch_bytes = 700});
    for (std::size_t chunk : {1, 3, 10}) {
        CAPTURE(chunk);
        auto r = reader_over(bytes, chunk, 64);
        CHECK(read_all(*r) == recs);
    }
}

TEST_CASE("frame_reader: control frames arrive in order") {
    SourceTable unused;
    std::vector<Rec> recs = make_records(10, 7);
    std::string bytes = write_stream(recs, {}, 4);
    std::string events;
    auto r = reader_over(bytes);
    CHECK(read_all(*r, &events) == recs);
    CHECK(events == "rrrrb1rrrrb2rr");

    SUBCASE("watermarks, by hand") {
        std::string s = stream_header() + frame(2, 0, source_payload(0, "x")) +
                        frame(1, 0, record_payload("{}")) +
                        frame(4, 0, u64_payload(static_cast<std::uint64_t>(-5))) +
                        frame(3, 0, u64_payload(9)) + frame(1, 0, "") + end_frame();
        events.clear();
        auto r2 = reader_over(s);
        read_all(*r2, &events);
        CHECK(events == "rw-5b9");
    }
}

TEST_CASE("frame_reader: a checksum mismatch is an error naming the frame") {
    std::vector<Rec> recs = make_records(20, 3);
    std::string bytes = write_stream(recs, {});
    // The first frame (at byte 16) declares source 0; damage its name.
    bytes[stream_header_size + frame_header_size + 8] ^= 0x20;
    CHECK(read_error(bytes) == "in.frames: frame at byte 16: checksum mismatch");

    SUBCASE("in a compressed frame") {
        std::string z = write_stream(make_records(500, 4), {.zstd_level = 1});
        z[z.size() - frame_header_size - 20] ^= 1; // inside the data frame before the end
        CHECK(read_error(z).find("checksum mismatch") != std::string::npos);
    }
}

TEST_CASE("frame_reader: a stream cut anywhere is an error or, between frames, an end") {
    std::vector<Rec> recs = make_records(6, 5);
    std::string bytes = write_stream(recs, {.batch_bytes = 100});
    // Frame boundaries, found by walking the headers.
    std::vector<std::size_t> boundaries;
    for (std::size_t pos = stream_header_size; pos < bytes.size();
         pos += frame_header_size + load_frame_header(bytes.data() + pos).length)
        boundaries.push_back(pos);
    boundaries.push_back(bytes.size());

    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        CAPTURE(cut);
        auto r = reader_over(bytes.substr(0, cut), 7);
        bool boundary = std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
        try {
            read_all(*r);
            CHECK(boundary);
            CHECK_FALSE(r->saw_end_frame());
            CHECK_FALSE(r->ended_cleanly());
            CHECK(r->bytes_read() == cut);
        } catch (const Error& e) {
            CHECK_FALSE(boundary);
            CHECK(e.code() == Exit::data);
            CHECK(std::string(e.what()).find("cut short") != std::string::npos);
        }
    }
    SUBCASE("the message says where") {
        std::size_t cut = boundaries[1] + 4; // inside the header of the second frame
        CHECK(read_error(bytes.substr(0, cut)) ==
              fmt::format("in.frames: frame at byte {}: frame header cut short: the input ends "
                          "after 4 of 10 bytes",
                          boundaries[1]));
        cut = boundaries[1] + frame_header_size + 3; // inside its payload
        CHECK(read_error(bytes.substr(0, cut))
                  .find(fmt::format(
                      "frame at byte {}: data frame cut short: the input ends after 3 of",
                      boundaries[1])) != std::string::npos);
    }
}

TEST_CASE("frame_reader: an empty input ends without an end frame") {
    auto r = reader_over("");
    CHECK(read_all(*r).empty());
    CHECK_FALSE(r->saw_end_frame());
}

TEST_CASE("frame_reader: unknown frame kinds") {
    std::string head = stream_header() + frame(2, 0, source_payload(0, "x"));
    std::string tail = frame(1, 0, record_payload("{\"a\":1}")) + end_frame();
    SUBCASE("with the may-skip flag they are skipped") {
        std::string s = head + frame(42, frame_may_skip, "future stuff") +
                        frame(200, frame_may_skip | frame_compressed | 0x80, "") + tail;
        auto r = reader_over(s);
        std::vector<Rec> back = read_all(*r);
        REQUIRE(back.size() == 1);
        CHECK(back[0].json == "{\"a\":1}");
        CHECK(r->saw_end_frame());
    }
    SUBCASE("without it they are an error naming the kind") {
        std::string s = head + frame(42, 0, "future stuff") + tail;
        CHECK(read_error(s) == fmt::format("in.frames: frame at byte {}: unknown frame kind 42 "
                                           "(written by a newer weir?)",
                                           head.size()));
    }
    SUBCASE("kind 0 is not a kind") {
        CHECK(read_error(head + frame(0, 0, "") + tail).find("unknown frame kind 0") !=
              std::string::npos);
    }
    SUBCASE("reserved flags on a known kind are an error") {
        CHECK(read_error(head + frame(3, 0x04, u64_payload(1)) + tail)
                  .find("barrier frame has unknown flags 0x04") != std::string::npos);
    }
}

TEST_CASE("frame_reader: version and magic") {
    SUBCASE("another version is refused clearly") {
        CHECK(read_error(stream_header(2) + end_frame()) ==
              "in.frames: frame stream version 2 is not supported (this weir reads version 1)");
    }
    SUBCASE("text is not a frame stream") {
        CHECK(read_error("{\"a\":1}\n{\"a\":2}\n") == "'in.frames' is not a weir frame stream");
    }
    SUBCASE("a cut stream header") {
        CHECK(read_error(stream_header().substr(0, 9)).find("stream header cut short") !=
              std::string::npos);
    }
    SUBCASE("reserved header bytes are ignored") {
        std::string h = stream_header();
        h[15] = 'z';
        auto r = reader_over(h + end_frame());
        CHECK(read_all(*r).empty());
        CHECK(r->saw_end_frame());
    }
}

TEST_CASE("frame_reader: malformed payloads with valid checksums") {
    std::string head = stream_header() + frame(2, 0, source_payload(0, "x"));
    SUBCASE("record longer than its frame") {
        std::string p = record_payload("{}");
        store_u32(p.data(), 3);
        CHECK(read_error(head + frame(1, 0, p) + end_frame())
                  .find("record of 3 bytes overruns the frame") != std::string::npos);
    }
    SUBCASE("record header cut short") {
        std::string p = record_payload("{}") + "abc";
        CHECK(read_error(head + frame(1, 0, p) + end_frame()).find("record header cut short") !=
              std::string::npos);
    }
    SUBCASE("short control payload") {
        CHECK(read_error(head + frame(4, 0, "1234") + end_frame())
                  .find("watermark frame payload of 4 bytes is too short") != std::string::npos);
    }
    SUBCASE("longer control payloads carry fields of later versions") {
        std::string events;
        auto r = reader_over(head + frame(3, 0, u64_payload(4) + "more") + end_frame());
        read_all(*r, &events);
        CHECK(events == "b4");
    }
    SUBCASE("source name overruns") {
        std::string p = source_payload(1, "abc");
        store_u32(p.data() + 4, 10);
        CHECK(read_error(head + frame(2, 0, p)).find("source name of 10 bytes overruns") !=
              std::string::npos);
    }
    SUBCASE("source ids out of order") {
        CHECK(read_error(head + frame(2, 0, source_payload(5, "y")))
                  .find("source id 5 declared before id 1") != std::string::npos);
    }
    SUBCASE("a frame length past the limit") {
        std::string f(frame_header_size, '\0');
        store_frame_header(f.data(), {1, 0, static_cast<std::uint32_t>(max_frame_payload + 1), 0});
        CHECK(read_error(head + f).find("exceeds the limit") != std::string::npos);
    }
    SUBCASE("compressed payload that is not zstd") {
        CHECK(read_error(head + frame(1, frame_compressed, "not zstd at all")).find("zstd") !=
              std::string::npos);
    }
    SUBCASE("zstd frame without a content size") {
        std::string raw = record_payload("{\"a\":1}");
        ZSTD_CCtx* c = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
        std::string z(ZSTD_compressBound(raw.size()), '\0');
        std::size_t n = ZSTD_compress2(c, z.data(), z.size(), raw.data(), raw.size());
        ZSTD_freeCCtx(c);
        REQUIRE_FALSE(ZSTD_isError(n));
        z.resize(n);
        CHECK(read_error(head + frame(1, frame_compressed, z)).find("does not state its size") !=
              std::string::npos);
    }
}

TEST_CASE("frame_reader: source frames") {
    SUBCASE("a resumed writer declares its ids again") {
        std::string s = stream_header() + frame(2, 0, source_payload(0, "old")) +
                        frame(1, 0, record_payload("{}")) + frame(2, 0, source_payload(0, "new")) +
                        frame(1, 0, record_payload("{}")) + end_frame();
        auto r = reader_over(s);
        std::vector<Rec> back = read_all(*r);
        REQUIRE(back.size() == 2);
        CHECK(back[0].source == "old");
        CHECK(back[1].source == "new");
    }
    SUBCASE("an undeclared id reads as unknown") {
        std::string s = stream_header() + frame(1, 0, record_payload("{}", 3)) + end_frame();
        auto r = reader_over(s);
        std::vector<Rec> back = read_all(*r);
        REQUIRE(back.size() == 1);
        CHECK(back[0].source == "<unknown>");
    }
}

TEST_CASE("frame_reader: idle comes once before a read that would block") {
    std::vector<Rec> recs = make_records(40, 11);
    std::string bytes = write_stream(recs, {.batch_bytes = 500}, 10);
    SUBCASE("never ready: one idle before each wait, never two in a row") {
        auto src = std::make_unique<MemorySource>(bytes, 97);
        src->set_ready(false);
        MemorySource* raw = src.get();
        FrameReader r(std::move(src), 4096);
        std::string events;
        CHECK(read_all(r, &events) == recs);
        CHECK(events.find("ii") == std::string::npos);
        CHECK(events.front() == 'i');
        // Reads are short (97 bytes), so most waits take several reads.
        auto idles = static_cast<std::size_t>(std::count(events.begin(), events.end(), 'i'));
        CHECK(idles > 5);
        CHECK(idles < raw->read_some_calls());
    }
    SUBCASE("always ready: never idle") {
        auto r = reader_over(bytes, 97, 4096);
        std::string events;
        CHECK(read_all(*r, &events) == recs);
        CHECK(events.find('i') == std::string::npos);
    }
    SUBCASE("nothing buffered is the only time it asks") {
        // Everything arrives in one read: one idle at the start, then none.
        auto src = std::make_unique<MemorySource>(bytes);
        src->set_ready(false);
        FrameReader r(std::move(src));
        std::string events;
        CHECK(read_all(r, &events) == recs);
        CHECK(std::count(events.begin(), events.end(), 'i') == 1);
        CHECK(events.front() == 'i');
    }
}

TEST_CASE("frame_reader: records keep record_padding readable bytes, even at buffer ends") {
    // Blocks sized so the last record ends exactly at the end of the read buffer.
    std::vector<Rec> recs = make_records(30, 21);
    for (int level : {0, 1}) {
        std::string bytes = write_stream(recs, {.batch_bytes = 400, .zstd_level = level});
        for (std::size_t block :
             {bytes.size(), bytes.size() - frame_header_size, std::size_t{64}}) {
            CAPTURE(block);
            auto r = reader_over(bytes, SIZE_MAX, block);
            CHECK(read_all(*r) == recs); // read_all touches the padding of each record
        }
    }
}

TEST_CASE("frame_reader: a record larger than the read block grows the buffer") {
    std::vector<Rec> recs = make_records(3, 1);
    recs[1].json = "{\"big\":\"" + std::string(3 << 20, 'b') + "\"}";
    std::string bytes = write_stream(recs, {});
    auto r = reader_over(bytes, 100000, 1 << 20);
    CHECK(read_all(*r) == recs);
}

TEST_CASE("frame_reader: a stream without an end frame ends, but not cleanly") {
    std::vector<Rec> recs = make_records(50, 8);
    std::string bytes = write_stream(recs, {.batch_bytes = 1000}, 0, true);
    auto r = reader_over(bytes, 333);
    CHECK(read_all(*r) == recs);
    CHECK_FALSE(r->saw_end_frame());
    CHECK(r->bytes_read() == bytes.size());
}

TEST_CASE("frame_reader: nothing after the end frame is read") {
    std::string s = stream_header() + end_frame() + "garbage that is never looked at";
    auto r = reader_over(s);
    CHECK(read_all(*r).empty());
    CHECK(r->saw_end_frame());
    CHECK(r->bytes_read() == stream_header_size + frame_header_size);
}
