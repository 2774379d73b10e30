// The NDJSON reader over a mapped regular file (MappedWindow) must give exactly the events
// of the read(2) path on the same bytes: same records, invalid lines, line numbers,
// offsets and bytes_read() after each event. Small windows make lines cross window ends.

#include "../io/temp_dir.hpp"
#include "io/file_source.hpp"
#include "io/mapped_window.hpp"
#include "wire/ndjson_reader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using weir::InputEvent;
using weir::InputKind;
using weir::NdjsonReader;
using weir::NdjsonReaderOptions;

struct Ev {
    InputKind kind = InputKind::end;
    std::string json;
    weir::Reason reason = weir::Reason::invalid_json;
    std::string detail;
    std::uint64_t line = 0;
    std::uint64_t offset = 0;
    std::uint64_t bytes_read = 0;

    bool operator==(const Ev&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Ev& e) {
    return os << "{kind " << int(e.kind) << ", line " << e.line << ", offset " << e.offset
              << ", bytes_read " << e.bytes_read << ", json '" << e.json.substr(0, 40) << "' ("
              << e.json.size() << " bytes), detail '" << e.detail << "'}";
}

struct Run {
    std::vector<Ev> events;
    bool mapped = false;
    std::uint64_t lines_read = 0;
    std::uint64_t bytes_read = 0; // at the end
};

// Reads `path` through an FdSource, optionally peeked (format detection) and skipped
// (resume), with the mapping on or off.
Run read_file(const std::string& path, NdjsonReaderOptions opts, bool map, std::uint64_t skip = 0,
              std::size_t peek = 0) {
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    auto src = std::make_unique<weir::FdSource>(fd, "f.ndjson", true);
    if (peek > 0)
        (void)src->peek(peek);
    if (skip > 0)
        src->skip(skip);
    opts.start_offset = skip;
    opts.map = map;
    NdjsonReader r(std::move(src), opts);
    Run run;
    InputEvent ev;
    for (;;) {
        InputKind k = r.next(ev);
        REQUIRE(k != InputKind::idle); // regular files are always ready
        if (k == InputKind::end)
            break;
        if (k == InputKind::record) {
            // wire/record.hpp: record_padding readable bytes follow every record.
            volatile char last = ev.record.json.data()[ev.record.json.size() + 63];
            (void)last;
        }
        Ev e;
        e.kind = k;
        e.json = std::string(ev.record.json);
        e.line = ev.record.line;
        e.offset = ev.record.offset;
        e.bytes_read = r.bytes_read();
        if (k == InputKind::invalid) {
            e.reason = ev.reason;
            e.detail = std::string(ev.detail);
        }
        run.events.push_back(std::move(e));
    }
    InputEvent again;
    CHECK(r.next(again) == InputKind::end);
    run.mapped = r.mapped();
    run.lines_read = r.lines_read();
    run.bytes_read = r.bytes_read();
    return run;
}

// Mapped and read runs of `data` agree, and the mapped one did map.
std::vector<Ev> check_same(const std::string& data, NdjsonReaderOptions opts = {},
                           std::uint64_t skip = 0, std::size_t peek = 0) {
    weir::test::TempDir dir;
    weir::test::write_file(dir / "f.ndjson", data);
    Run mapped = read_file(dir / "f.ndjson", opts, true, skip, peek);
    Run read = read_file(dir / "f.ndjson", opts, false, skip, peek);
    CHECK(mapped.mapped);
    CHECK_FALSE(read.mapped);
    CHECK(mapped.lines_read == read.lines_read);
    CHECK(mapped.bytes_read == read.bytes_read);
    CHECK(read.bytes_read == std::max<std::uint64_t>(data.size(), skip));
    REQUIRE(mapped.events.size() == read.events.size());
    for (std::size_t i = 0; i < read.events.size(); ++i) {
        CAPTURE(i);
        CHECK(mapped.events[i] == read.events[i]);
    }
    return read.events;
}

// Deterministic lines of varied lengths: records, blank lines, CRLF, bad JSON.
std::string mixed_lines(std::size_t n, std::size_t max_pad, std::uint64_t seed = 1) {
    std::string out;
    std::uint64_t x = seed;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        std::size_t pad = static_cast<std::size_t>((x >> 33) % (max_pad + 1));
        switch ((x >> 20) % 8) {
        case 0:
            out += "\n";
            break;
        case 1:
            out += "{\"i\":" + std::to_string(i) + ",\"s\":\"" + std::string(pad, 'x') + "\"}\r\n";
            break;
        case 2:
            out += "{\"i\":" + std::to_string(i) + ",\"bad\":" + std::string(pad, 'y') + "}\n";
            break;
        default:
            out += "  {\"i\":" + std::to_string(i) + ",\"s\":\"" + std::string(pad, 'z') + "\"} \n";
        }
    }
    return out;
}

NdjsonReaderOptions small_window(std::size_t window) {
    NdjsonReaderOptions o;
    o.map_window = window;
    o.buffer_size = 4096;
    return o;
}

} // namespace

TEST_CASE("ndjson_reader map: a file larger than the window, lines crossing window ends") {
    const std::size_t page = weir::MappedWindow::page_size();
    std::string data = mixed_lines(3000, 700);
    REQUIRE(data.size() > 50 * page);
    SUBCASE("one page windows") {
        check_same(data, small_window(page));
    }
    SUBCASE("odd window size, rounded to pages") {
        check_same(data, small_window(3 * page - 5));
    }
    SUBCASE("the default window") {
        check_same(data);
    }
    SUBCASE("without a final newline") {
        data += "{\"last\":true}";
        auto evs = check_same(data, small_window(page));
        CHECK(evs.back().json == "{\"last\":true}");
    }
}

TEST_CASE("ndjson_reader map: the last line ends exactly at a page boundary") {
    const std::size_t page = weir::MappedWindow::page_size();
    std::string head = "{\"a\":1}\n";
    std::string filler(2 * page - head.size() - 8, 'q');
    SUBCASE("without a newline") {
        std::string data = head + "{\"s\":\"" + filler + "\"}";
        REQUIRE(data.size() == 2 * page);
        auto evs = check_same(data, small_window(page));
        REQUIRE(evs.size() == 2);
        CHECK(evs[1].kind == InputKind::record);
        CHECK(evs[1].json.size() == 2 * page - head.size());
        check_same(data); // one window covers the file
    }
    SUBCASE("with a newline") {
        std::string data = head + "{\"s\":\"" + filler.substr(1) + "\"}\n";
        REQUIRE(data.size() == 2 * page);
        auto evs = check_same(data, small_window(page));
        REQUIRE(evs.size() == 2);
        CHECK(evs[1].kind == InputKind::record);
    }
    SUBCASE("a blank last line") {
        std::string data = head + std::string(2 * page - head.size() - 1, ' ') + "\n";
        auto evs = check_same(data, small_window(page));
        CHECK(evs.size() == 1);
    }
}

TEST_CASE("ndjson_reader map: resume from an offset") {
    const std::size_t page = weir::MappedWindow::page_size();
    std::string data = mixed_lines(2000, 300, 7);
    // Offsets of some line starts, page aligned or not.
    std::vector<std::uint64_t> starts;
    for (std::size_t at = 0; at < data.size(); at = data.find('\n', at) + 1) {
        starts.push_back(at);
        if (data.find('\n', at) == std::string::npos)
            break;
    }
    for (std::size_t k : {std::size_t{1}, std::size_t{17}, starts.size() / 2, starts.size() - 1}) {
        CAPTURE(k);
        NdjsonReaderOptions o = small_window(2 * page);
        o.start_line = k;
        auto evs = check_same(data, o, starts[k]);
        if (!evs.empty())
            CHECK(evs.front().line > k);
    }
    SUBCASE("at and past the end") {
        NdjsonReaderOptions o = small_window(page);
        CHECK(check_same(data, o, data.size()).empty());
        CHECK(check_same(data, o, data.size() + 100).empty());
    }
}

TEST_CASE("ndjson_reader map: bytes peeked for format detection are not lost") {
    const std::size_t page = weir::MappedWindow::page_size();
    std::string data = "\xEF\xBB\xBF" + mixed_lines(500, 200, 3);
    for (std::size_t peek : {std::size_t{1}, std::size_t{4}, page + 10}) {
        CAPTURE(peek);
        auto evs = check_same(data, small_window(page), 0, peek);
        REQUIRE(!evs.empty());
        CHECK(evs.front().offset >= 3); // after the byte order mark
    }
    SUBCASE("peeked, then skipped") {
        std::uint64_t at = data.find('\n', 1000) + 1;
        NdjsonReaderOptions o = small_window(page);
        o.start_line = 1; // not checked against the data; only carried
        check_same(data, o, at, 2 * page);
    }
}

TEST_CASE("ndjson_reader map: long lines grow the window") {
    const std::size_t page = weir::MappedWindow::page_size();
    std::string data = "{\"a\":1}\n";
    data += "{\"long\":\"" + std::string(10 * page, 'L') + "\"}\n";
    data += "{\"b\":2}\n";
    data += "{\"longer\":\"" + std::string(37 * page + 11, 'M') + "\"}";
    auto evs = check_same(data, small_window(page));
    REQUIRE(evs.size() == 4);
    CHECK(evs[1].json.size() == 10 * page + 11);
    CHECK(evs[3].kind == InputKind::record);
}

TEST_CASE("ndjson_reader map: too-long lines are reported as with read(2)") {
    const std::size_t page = weir::MappedWindow::page_size();
    NdjsonReaderOptions o = small_window(page);
    o.max_record = 3 * page + 5;
    std::string fits = "{\"s\":\"" + std::string(o.max_record - 8, 'a') + "\"}";
    REQUIRE(fits.size() == o.max_record);
    std::string data = "{\"a\":1}\n" + fits + "\n" + fits + "\r\n" + // exactly max_record
                       "{\"s\":\"" + std::string(o.max_record, 'b') + "\"}\n" + // too long
                       "{\"b\":2}\n" + "{\"s\":\"" + std::string(20 * page, 'c') +
                       "\"}\n" + // much too long
                       "{\"c\":3}\n" + "{\"s\":\"" + std::string(9 * page, 'd') + "\"}"; // last
    auto evs = check_same(data, o);
    REQUIRE(evs.size() == 8);
    CHECK(evs[1].kind == InputKind::record);
    CHECK(evs[2].kind == InputKind::record);
    CHECK(evs[3].reason == weir::Reason::too_long);
    CHECK(evs[3].detail ==
          "line longer than " + std::to_string(o.max_record) + " bytes (--max-record)");
    CHECK(evs[4].json == "{\"b\":2}");
    CHECK(evs[5].reason == weir::Reason::too_long);
    CHECK(evs[6].json == "{\"c\":3}");
    CHECK(evs[7].reason == weir::Reason::too_long);
    SUBCASE("a small max_record with the default window") {
        NdjsonReaderOptions d;
        d.max_record = 100;
        check_same(mixed_lines(2000, 150, 11), d);
    }
}

TEST_CASE("ndjson_reader map: empty and blank files") {
    for (std::string data : {std::string(), std::string("\n"), std::string("\xEF\xBB\xBF"),
                             std::string("\xEF\xBB"), std::string("  \r\n\n")}) {
        CAPTURE(data);
        weir::test::TempDir dir;
        weir::test::write_file(dir / "f.ndjson", data);
        Run mapped = read_file(dir / "f.ndjson", {}, true);
        Run read = read_file(dir / "f.ndjson", {}, false);
        CHECK(mapped.events == read.events);
        CHECK(mapped.lines_read == read.lines_read);
        CHECK(mapped.bytes_read == read.bytes_read);
    }
}

TEST_CASE("ndjson_reader map: stdin redirected from a file maps from its position") {
    weir::test::TempDir dir;
    std::string data = mixed_lines(300, 100, 5);
    weir::test::write_file(dir / "f.ndjson", data);
    int fd = ::open((dir / "f.ndjson").c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    std::uint64_t at = data.find('\n', 500) + 1;
    // Someone read part of the file before us (a shell `read`, a previous tool).
    REQUIRE(::lseek(fd, static_cast<off_t>(at), SEEK_SET) == static_cast<off_t>(at));
    NdjsonReader r(std::make_unique<weir::FdSource>(fd, "<stdin>", true), small_window(4096));
    InputEvent ev;
    while (r.next(ev) != InputKind::end) {
        CHECK(ev.kind != InputKind::idle);
        CHECK(ev.record.offset + at < data.size());
    }
    CHECK(r.mapped());
    CHECK(r.bytes_read() == data.size() - at);
}
