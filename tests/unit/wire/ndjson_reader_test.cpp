#include "cli/error.hpp"
#include "io/memory_source.hpp"
#include "wire/ndjson_reader.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

using weir::InputEvent;
using weir::InputKind;
using weir::MemorySource;
using weir::NdjsonReader;
using weir::NdjsonReaderOptions;
using weir::Reason;

// One event, copied out of the reader's buffer.
struct Ev {
    InputKind kind = InputKind::end;
    std::string json;
    Reason reason = Reason::invalid_json;
    std::string detail;
    std::uint64_t line = 0;
    std::uint64_t offset = 0;

    bool operator==(const Ev&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Ev& e) {
    return os << "{kind " << int(e.kind) << ", line " << e.line << ", offset " << e.offset
              << ", json '" << e.json << "', reason " << weir::reason_name(e.reason) << ", detail '"
              << e.detail << "'}";
}

Ev copy(const InputEvent& ev) {
    Ev e;
    e.kind = ev.kind;
    e.json = std::string(ev.record.json);
    e.line = ev.record.line;
    e.offset = ev.record.offset;
    if (ev.kind == InputKind::invalid) {
        e.reason = ev.reason;
        e.detail = std::string(ev.detail);
    }
    return e;
}

std::unique_ptr<NdjsonReader> make_reader(const std::string& data, std::size_t chunk,
                                          NdjsonReaderOptions opts = {}) {
    return std::make_unique<NdjsonReader>(std::make_unique<MemorySource>(data, chunk, "t.ndjson"),
                                          std::move(opts));
}

// Every record and invalid line until the end (idle events are not expected here).
std::vector<Ev> read_all(NdjsonReader& r) {
    std::vector<Ev> out;
    InputEvent ev;
    for (;;) {
        InputKind k = r.next(ev);
        REQUIRE(k == ev.kind);
        REQUIRE(k != InputKind::idle);
        if (k == InputKind::end)
            break;
        if (k == InputKind::record) {
            // The padding invariant of wire/record.hpp: touch the last padding byte (ASan
            // catches a violation), and check the root is an object we can read.
            volatile char last = ev.record.json.data()[ev.record.json.size() + 63];
            (void)last;
            CHECK(ev.record.json.front() == '{');
            CHECK(ev.record.json.back() == '}');
            CHECK(r.parsed_root().is_object());
            simdjson::dom::element root;
            CHECK(static_cast<const weir::RecordReader&>(r).parsed_root(root));
            CHECK(root.is_object());
            CHECK(ev.record.event_time == weir::no_timestamp);
            CHECK(ev.record.source == 0);
        }
        if (k == InputKind::invalid) {
            simdjson::dom::element root;
            CHECK_FALSE(r.parsed_root(root));
        }
        out.push_back(copy(ev));
    }
    InputEvent again;
    CHECK(r.next(again) == InputKind::end);
    return out;
}

std::vector<Ev> read_all(const std::string& data, std::size_t chunk,
                         NdjsonReaderOptions opts = {}) {
    auto r = make_reader(data, chunk, std::move(opts));
    return read_all(*r);
}

Ev rec(std::uint64_t line, std::uint64_t offset, std::string json) {
    return Ev{InputKind::record, std::move(json), Reason::invalid_json, "", line, offset};
}

Ev bad(std::uint64_t line, std::uint64_t offset, std::string json, Reason why, std::string detail) {
    return Ev{InputKind::invalid, std::move(json), why, std::move(detail), line, offset};
}

constexpr std::size_t chunk_sizes[] = {1, 7, 4096, SIZE_MAX};

// Reads `data` at every chunk size and checks each run gives `want`.
void check_all_chunks(const std::string& data, const std::vector<Ev>& want,
                      NdjsonReaderOptions opts = {}) {
    for (std::size_t chunk : chunk_sizes) {
        CAPTURE(chunk);
        CHECK(read_all(data, chunk, opts) == want);
    }
}

} // namespace

TEST_CASE("ndjson_reader: reads records with lines, offsets and source") {
    std::string data = "{\"a\":1}\n{\"b\":[1,2]}\n{}\n";
    auto r = make_reader(data, SIZE_MAX);
    CHECK(r->sources().size() == 1);
    CHECK(r->sources().name(0) == "t.ndjson");
    CHECK(r->bytes_total() == data.size());
    CHECK(r->bytes_read() == 0);

    InputEvent ev;
    REQUIRE(r->next(ev) == InputKind::record);
    CHECK(ev.record.json == "{\"a\":1}");
    CHECK(r->parsed_root()["a"].get_int64().value() == 1);
    CHECK(r->bytes_read() == 8);
    CHECK(r->lines_read() == 1);
    REQUIRE(r->next(ev) == InputKind::record);
    CHECK(ev.record.line == 2);
    CHECK(ev.record.offset == 8);
    CHECK(r->parsed_root()["b"].get_array().size() == 2);
    REQUIRE(r->next(ev) == InputKind::record);
    CHECK(ev.record.json == "{}");
    CHECK(r->next(ev) == InputKind::end);
    CHECK(r->bytes_read() == data.size());
    CHECK(r->lines_read() == 3);

    SUBCASE("source_name overrides the source's own name") {
        NdjsonReaderOptions opts;
        opts.source_name = "label";
        auto r2 = make_reader(data, SIZE_MAX, opts);
        CHECK(r2->sources().name(0) == "label");
    }
}

TEST_CASE("ndjson_reader: line endings, blank lines and byte order mark") {
    SUBCASE("CRLF") {
        check_all_chunks("{\"a\":1}\r\n{\"b\":2}\r\n",
                         {rec(1, 0, "{\"a\":1}"), rec(2, 9, "{\"b\":2}")});
    }
    SUBCASE("no final newline") {
        check_all_chunks("{\"a\":1}\n{\"b\":2}", {rec(1, 0, "{\"a\":1}"), rec(2, 8, "{\"b\":2}")});
        check_all_chunks("{\"a\":1}\r", {rec(1, 0, "{\"a\":1}")});
    }
    SUBCASE("empty and whitespace-only lines are skipped but counted") {
        check_all_chunks("\n\n{\"a\":1}\n  \t\n\r\n{\"b\":2}\n\n",
                         {rec(3, 2, "{\"a\":1}"), rec(6, 16, "{\"b\":2}")});
        check_all_chunks("", {});
        check_all_chunks("\n \n\r\n", {});
    }
    SUBCASE("whitespace around a record is trimmed, the offset stays the line's") {
        check_all_chunks(" \t{\"a\":1} \n", {rec(1, 0, "{\"a\":1}")});
    }
    SUBCASE("byte order mark at the start is skipped") {
        check_all_chunks("\xEF\xBB\xBF{\"a\":1}\n{}\n", {rec(1, 3, "{\"a\":1}"), rec(2, 11, "{}")});
        check_all_chunks("\xEF\xBB\xBF", {});
        auto r = make_reader("\xEF\xBB\xBF{}", 1);
        read_all(*r);
        CHECK(r->bytes_read() == 5);
    }
    SUBCASE("a byte order mark elsewhere is bad data") {
        std::vector<Ev> got = read_all("{}\n\xEF\xBB\xBF{}\n", SIZE_MAX);
        REQUIRE(got.size() == 2);
        CHECK(got[1].kind == InputKind::invalid);
        CHECK(got[1].json == "\xEF\xBB\xBF{}");
    }
    SUBCASE("a partial byte order mark is bad data") {
        std::vector<Ev> got = read_all("\xEF\xBB{}\n", 1);
        REQUIRE(got.size() == 1);
        CHECK(got[0].kind == InputKind::invalid);
        CHECK(got[0].offset == 0);
    }
}

TEST_CASE("ndjson_reader: invalid lines carry reason, detail and raw bytes") {
    SUBCASE("unclosed string") {
        check_all_chunks("{\"a\":\"x}\n", {bad(1, 0, "{\"a\":\"x}", Reason::invalid_json,
                                               "invalid JSON: unclosed string")});
    }
    SUBCASE("invalid UTF-8") {
        std::vector<Ev> got = read_all("{\"a\":\"\xC3\x28\"}\n", SIZE_MAX);
        REQUIRE(got.size() == 1);
        CHECK(got[0].kind == InputKind::invalid);
        CHECK(got[0].reason == Reason::invalid_utf8);
        CHECK(got[0].json == "{\"a\":\"\xC3\x28\"}");
    }
    SUBCASE("not an object") {
        for (std::string line : {"[1,2]", "\"x\"", "3", "null", "true"}) {
            CAPTURE(line);
            std::vector<Ev> got = read_all(line + "\n{}\n", 7);
            REQUIRE(got.size() == 2);
            CHECK(got[0].kind == InputKind::invalid);
            CHECK(got[0].reason == Reason::not_object);
            CHECK(got[0].json == line);
            CHECK_FALSE(got[0].detail.empty());
            CHECK(got[1] == rec(2, line.size() + 1, "{}"));
        }
    }
    SUBCASE("the raw bytes keep surrounding spaces but not the CR") {
        check_all_chunks(" {\"a\": } \r\n",
                         {bad(1, 0, " {\"a\": } ", Reason::invalid_json,
                              read_all(" {\"a\": } \n", SIZE_MAX).at(0).detail)});
    }
    SUBCASE("every detail names the problem") {
        for (std::string line : {"{\"a\":tru}", "{\"a\":1.}", "{\"a\" 1}", "{\"a\":1,}",
                                 "{\"a\":[1,2}", "{\"a\":\"\\q\"}", "{", "}"}) {
            CAPTURE(line);
            std::vector<Ev> got = read_all(line + "\n", SIZE_MAX);
            REQUIRE(got.size() == 1);
            CHECK(got[0].kind == InputKind::invalid);
            CHECK(got[0].reason == Reason::invalid_json);
            CHECK(got[0].detail.rfind("invalid JSON", 0) == 0);
        }
    }
}

// DESIGN.md: On Demand let lines through when the error lay after the fields a tool
// reads. Full validation must catch every one of these.
TEST_CASE("ndjson_reader: malformed after the fields read is still invalid") {
    std::string head = R"({"event_id":"e1","event_time":"2024-05-01T10:00:00Z")";
    for (std::string tail :
         {R"(,"amount":12.5,"device":{"os":"ios",}})", R"(,"amount":12.5,"device":{"os":"ios"})",
          R"(,"amount":1e,"x":2})", R"(,"tags":["a" "b"]})", R"(} trailing)", R"(}{"second":true})",
          R"(,"s":"\u12"})", "}\x01", R"(,"s":"tab	in string"})", R"(,"note":"caf\xE9"})"}) {
        CAPTURE(tail);
        std::string line = head + tail;
        std::vector<Ev> got = read_all(line + "\n" + head + "}\n", SIZE_MAX);
        REQUIRE(got.size() == 2);
        CHECK(got[0].kind == InputKind::invalid);
        CHECK(got[0].json == line);
        CHECK(got[1].kind == InputKind::record);
        CHECK(got[1].line == 2);
    }
}

TEST_CASE("ndjson_reader: lines longer than max_record") {
    NdjsonReaderOptions opts;
    opts.max_record = 16;
    std::string ok16 = R"({"a":"12345678"})"; // exactly 16 bytes
    REQUIRE(ok16.size() == 16);
    std::string long17 = R"({"a":"123456789"})";
    std::string huge = "{\"a\":\"" + std::string(5000, 'x') + "\"}";
    std::string detail = "line longer than 16 bytes (--max-record)";

    SUBCASE("the limit counts the line without newline and CR") {
        check_all_chunks(ok16 + "\n" + ok16 + "\r\n" + long17 + "\n{}\n",
                         {rec(1, 0, ok16), rec(2, 17, ok16),
                          bad(3, 35, long17, Reason::too_long, detail), rec(4, 53, "{}")},
                         opts);
    }
    SUBCASE("only a prefix is kept, the rest is skipped") {
        std::string data = "{}\n" + huge + "\n" + huge + "\r\n{}\n" + huge;
        std::uint64_t second = 3 + huge.size() + 1;
        std::uint64_t third = second + huge.size() + 2;
        check_all_chunks(data,
                         {rec(1, 0, "{}"), bad(2, 3, huge.substr(0, 17), Reason::too_long, detail),
                          bad(3, second, huge.substr(0, 17), Reason::too_long, detail),
                          rec(4, third, "{}"),
                          bad(5, third + 3, huge.substr(0, 17), Reason::too_long, detail)},
                         opts);
        auto r = make_reader(data, 7, opts);
        read_all(*r);
        CHECK(r->bytes_read() == data.size());
        CHECK(r->lines_read() == 5);
    }
    SUBCASE("the prefix is at most 1 KiB and ends on a character boundary") {
        opts.max_record = 2000;
        std::string wide = "{\"ab\":\"";
        for (int i = 0; i < 1500; ++i)
            wide += "\xC3\xA9"; // é: two bytes
        wide += "\"}";
        for (std::size_t chunk : chunk_sizes) {
            CAPTURE(chunk);
            std::vector<Ev> got = read_all(huge + "\n" + wide + "\n", chunk, opts);
            REQUIRE(got.size() == 2);
            CHECK(got[0].json == huge.substr(0, 1024));
            CHECK(got[1].reason == Reason::too_long);
            CHECK(got[1].json.size() == 1023); // 7 ASCII bytes, then whole 2-byte chars
            CHECK(simdjson::validate_utf8(got[1].json.data(), got[1].json.size()));
        }
    }
}

TEST_CASE("ndjson_reader: records and too-long lines across buffer boundaries") {
    // The buffer is 1 MiB: put long records and a too-long line around the first
    // refill, shifted by a few bytes each time, and lines longer than the buffer.
    NdjsonReaderOptions opts;
    opts.max_record = (3 << 20) / 2; // 1.5 MiB: the buffer must grow for a long record
    auto record_of = [](std::size_t n) {
        return "{\"p\":\"" + std::string(n - 8, 'y') + "\"}";
    };
    std::string big = record_of(opts.max_record); // longest accepted, > buffer
    std::string too_big = record_of(opts.max_record + 1);
    for (std::size_t shift : {0, 1, 2, 63, 64, 65}) {
        CAPTURE(shift);
        std::string data = record_of((1 << 20) - 20 - shift) + "\n" + too_big + "\n" +
                           record_of(100) + "\n" + big + "\r\n" + too_big + "\r\n" + big;
        std::vector<Ev> want = read_all(data, SIZE_MAX, opts);
        REQUIRE(want.size() == 6);
        CHECK(want[0].kind == InputKind::record);
        CHECK(want[1].reason == Reason::too_long);
        CHECK(want[1].json == too_big.substr(0, 1024));
        CHECK(want[2].kind == InputKind::record);
        CHECK(want[3].kind == InputKind::record);
        CHECK(want[3].json == big);
        CHECK(want[4].reason == Reason::too_long);
        CHECK(want[5].json == big);
        CHECK(want[5].line == 6);
        for (std::size_t chunk : {std::size_t{4096}, std::size_t{65536 + 7}}) {
            CAPTURE(chunk);
            CHECK(read_all(data, chunk, opts) == want);
        }
    }
}

TEST_CASE("ndjson_reader: every chunk size gives the same events") {
    std::string data = "\xEF\xBB\xBF{\"event_id\":\"a\",\"device\":{\"os\":\"ios\"}}\r\n"
                       "\n"
                       "   \n"
                       "{\"event_id\":\"b\",\"amount\":12.5}\n"
                       "{\"event_id\":\"c\",\"amount\":}\n"
                       "[1]\n"
                       "{\"s\":\"\xFF\"}\n"
                       "{\"event_id\":\"" +
                       std::string(300, 'z') +
                       "\"}\n"
                       "{\"event_id\":\"d\"}";
    NdjsonReaderOptions opts;
    opts.max_record = 200;
    std::vector<Ev> want = read_all(data, SIZE_MAX, opts);
    REQUIRE(want.size() == 7);
    CHECK(want[0] == rec(1, 3, "{\"event_id\":\"a\",\"device\":{\"os\":\"ios\"}}"));
    CHECK(want[1] == rec(4, 48, "{\"event_id\":\"b\",\"amount\":12.5}"));
    CHECK(want[2].reason == Reason::invalid_json);
    CHECK(want[3].reason == Reason::not_object);
    CHECK(want[4].reason == Reason::invalid_utf8);
    CHECK(want[5].reason == Reason::too_long);
    CHECK(want[5].json.size() == 201);
    CHECK(want[6].line == 9);
    check_all_chunks(data, want, opts);
}

TEST_CASE("ndjson_reader: idle before a read that would block") {
    std::string data = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n";

    SUBCASE("never idle while the source is ready") {
        for (std::size_t chunk : chunk_sizes) {
            auto src = std::make_unique<MemorySource>(data, chunk);
            NdjsonReader r(std::move(src));
            InputEvent ev;
            int records = 0;
            while (r.next(ev) != InputKind::end) {
                REQUIRE(ev.kind == InputKind::record);
                ++records;
            }
            CHECK(records == 3);
        }
    }
    SUBCASE("idle once, then block; not while complete lines are buffered") {
        auto src = std::make_unique<MemorySource>(data);
        src->set_ready(false);
        NdjsonReader r(std::move(src));
        std::vector<InputKind> kinds;
        InputEvent ev;
        while (r.next(ev) != InputKind::end)
            kinds.push_back(ev.kind);
        CHECK(kinds == std::vector<InputKind>{InputKind::idle, InputKind::record, InputKind::record,
                                              InputKind::record, InputKind::idle});
    }
    SUBCASE("a partial line waits with idle too") {
        auto src = std::make_unique<MemorySource>(data, 5);
        auto* raw = src.get();
        src->set_ready(false);
        NdjsonReader r(std::move(src));
        InputEvent ev;
        std::vector<InputKind> kinds;
        while (r.next(ev) != InputKind::end)
            kinds.push_back(ev.kind);
        // Each of the 5-byte reads (and the final one returning 0) is preceded by exactly
        // one idle: two idles in a row only with a read that completed no line between.
        std::size_t reads = (data.size() + 4) / 5 + 1;
        CHECK(raw->read_some_calls() == reads);
        CHECK(std::count(kinds.begin(), kinds.end(), InputKind::idle) == long(reads));
        CHECK(std::count(kinds.begin(), kinds.end(), InputKind::record) == 3);
    }
    SUBCASE("readiness that comes and goes changes nothing but idles") {
        std::vector<Ev> want = read_all(data, SIZE_MAX);
        for (std::uint64_t every : {2, 3}) {
            auto src = std::make_unique<MemorySource>(data, 3);
            src->set_ready_every(every);
            NdjsonReader r(std::move(src));
            std::vector<Ev> got;
            InputEvent ev;
            while (r.next(ev) != InputKind::end)
                if (ev.kind != InputKind::idle)
                    got.push_back(copy(ev));
            CHECK(got == want);
        }
    }
}

TEST_CASE("ndjson_reader: resumes at a checkpointed offset and line") {
    std::string data = "{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":\n{\"a\":4}\n{\"a\":5}";
    std::vector<Ev> all = read_all(data, SIZE_MAX);
    REQUIRE(all.size() == 5);
    for (std::size_t stop = 1; stop < all.size(); ++stop) {
        CAPTURE(stop);
        // Read `stop` events, take the position the run loop would checkpoint.
        auto first = make_reader(data, 7);
        InputEvent ev;
        for (std::size_t i = 0; i < stop; ++i)
            REQUIRE(first->next(ev) != InputKind::end);
        NdjsonReaderOptions opts;
        opts.start_offset = first->bytes_read();
        opts.start_line = first->lines_read();

        auto src = std::make_unique<MemorySource>(data, 7, "t.ndjson");
        src->skip(opts.start_offset);
        NdjsonReader second(std::move(src), opts);
        std::vector<Ev> rest = read_all(second);
        CHECK(rest == std::vector<Ev>(all.begin() + long(stop), all.end()));
        CHECK(second.bytes_read() == data.size());
    }
}

TEST_CASE("ndjson_reader: errors") {
    SUBCASE("max_record 0 is a usage error") {
        NdjsonReaderOptions opts;
        opts.max_record = 0;
        try {
            make_reader("{}", 1, opts);
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::usage);
        }
    }
    SUBCASE("a read error propagates") {
        struct Broken final : weir::ByteSource {
            std::string name_ = "broken";

            bool ready() override { return true; }

            const std::string& name() const override { return name_; }

        protected:
            std::size_t read_some(char*, std::size_t) override {
                throw weir::Error(weir::Exit::io, "cannot read 'broken': Input/output error");
            }
        };

        NdjsonReader r(std::make_unique<Broken>());
        InputEvent ev;
        try {
            r.next(ev);
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::io);
        }
    }
}
