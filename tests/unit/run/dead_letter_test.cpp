#include "../io/temp_dir.hpp"
#include "io/output_file.hpp"
#include "run/dead_letter.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

using weir::format_dead_letter;
using weir::Position;
using weir::Reason;

namespace {

// A dead-letter line parsed back, to check values rather than spellings.
struct Parsed {
    std::string tool, reason, detail, source, record, record_base64;
    std::uint64_t line = 0, offset = 0;
    bool has_record = false, has_base64 = false;
    std::size_t fields = 0;
};

Parsed parse_line(const std::string& line) {
    REQUIRE(!line.empty());
    REQUIRE(line.back() == '\n');
    REQUIRE(line.find('\n') == line.size() - 1); // one line
    simdjson::dom::parser parser;
    simdjson::padded_string padded(line);
    simdjson::dom::element root;
    REQUIRE(parser.parse(padded).get(root) == simdjson::SUCCESS);
    simdjson::dom::object obj;
    REQUIRE(root.get(obj) == simdjson::SUCCESS);
    Parsed p;
    for (auto [key, value] : obj) {
        ++p.fields;
        std::string_view s;
        if (key == "tool" && value.get(s) == simdjson::SUCCESS)
            p.tool = s;
        else if (key == "reason" && value.get(s) == simdjson::SUCCESS)
            p.reason = s;
        else if (key == "detail" && value.get(s) == simdjson::SUCCESS)
            p.detail = s;
        else if (key == "source" && value.get(s) == simdjson::SUCCESS)
            p.source = s;
        else if (key == "record" && value.get(s) == simdjson::SUCCESS) {
            p.record = s;
            p.has_record = true;
        } else if (key == "record_base64" && value.get(s) == simdjson::SUCCESS) {
            p.record_base64 = s;
            p.has_base64 = true;
        } else if (key == "line")
            REQUIRE(value.get(p.line) == simdjson::SUCCESS);
        else if (key == "offset")
            REQUIRE(value.get(p.offset) == simdjson::SUCCESS);
        else
            FAIL("unexpected field " << key);
    }
    return p;
}

// Strict RFC 4648 decoding: padding required, no whitespace.
std::string base64_decode(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    REQUIRE(in.size() % 4 == 0);
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            char c = in[i + static_cast<std::size_t>(k)];
            if (c == '=') {
                REQUIRE(i + 4 == in.size());
                REQUIRE(k >= 2);
                v[k] = 0;
                ++pad;
            } else {
                REQUIRE(pad == 0);
                v[k] = value(c);
                REQUIRE(v[k] >= 0);
            }
        }
        std::uint32_t n = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        out += static_cast<char>(n >> 16);
        if (pad < 2)
            out += static_cast<char>((n >> 8) & 0xFF);
        if (pad < 1)
            out += static_cast<char>(n & 0xFF);
    }
    return out;
}

} // namespace

TEST_CASE("dead_letter: one line with every field") {
    std::string out;
    format_dead_letter(out, "weir-ingest", Reason::invalid_json, "invalid JSON: unclosed string",
                       Position{"events.ndjson", 42, 8190}, "{\"a\":");
    CHECK(out == "{\"tool\":\"weir-ingest\",\"reason\":\"invalid_json\","
                 "\"detail\":\"invalid JSON: unclosed string\",\"source\":\"events.ndjson\","
                 "\"line\":42,\"offset\":8190,\"record\":\"{\\\"a\\\":\"}\n");
    Parsed p = parse_line(out);
    CHECK(p.fields == 7);
    CHECK(p.record == "{\"a\":");
}

TEST_CASE("dead_letter: appends to the buffer") {
    std::string out = "previous\n";
    format_dead_letter(out, "t", Reason::too_long, "d", Position{"s", 1, 0}, "x");
    CHECK(out.rfind("previous\n{\"tool\":\"t\"", 0) == 0);
    CHECK(out.back() == '\n');
}

TEST_CASE("dead_letter: every reason is named as in metrics") {
    for (std::size_t i = 0; i < weir::reason_count; ++i) {
        auto why = static_cast<Reason>(i);
        std::string out;
        format_dead_letter(out, "t", why, "", Position{}, "{}");
        CHECK(parse_line(out).reason == weir::reason_name(why));
    }
}

TEST_CASE("dead_letter: strings are escaped and survive a round trip") {
    std::string detail = "field 'x': \"q\" \\ back\tslash\nnew\x01line";
    std::string source = "dir/\"odd\" name\\.ndjson";
    std::string raw = "{\"k\":\"v\\u0041\"}\t\r\x1f \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    raw += std::string("nul\0byte", 8); // valid UTF-8 too
    std::string out;
    format_dead_letter(out, "weir-x", Reason::not_object, detail, Position{source, 7, UINT64_MAX},
                       raw);
    Parsed p = parse_line(out);
    CHECK(p.tool == "weir-x");
    CHECK(p.reason == "not_object");
    CHECK(p.detail == detail);
    CHECK(p.source == source);
    CHECK(p.line == 7);
    CHECK(p.offset == UINT64_MAX);
    CHECK(p.has_record);
    CHECK_FALSE(p.has_base64);
    CHECK(p.record == raw);
}

TEST_CASE("dead_letter: an empty record is an empty string") {
    std::string out;
    format_dead_letter(out, "t", Reason::invalid_json, "empty", Position{"<stdin>", 3, 10}, "");
    Parsed p = parse_line(out);
    CHECK(p.has_record);
    CHECK(p.record.empty());
    CHECK(p.source == "<stdin>");
}

TEST_CASE("dead_letter: invalid UTF-8 goes as base64, decoding to the exact bytes") {
    // Lengths 1..7 cover every padding case; invalid bytes at the start, middle and end.
    std::string samples[] = {
        "\xff",
        "\xfe"
        "a",
        "ab\xc3",
        "{\"a\":\"\xc0\xaf\"}",
        std::string("\x80\x00\x01", 3),
        "hello\xed\xa0\x80", // a UTF-16 surrogate encoded as UTF-8
        "\xf8\x88\x80\x80\x80zz",
    };
    for (const std::string& raw : samples) {
        CAPTURE(raw.size());
        std::string out;
        format_dead_letter(out, "weir-x", Reason::invalid_utf8, "invalid UTF-8",
                           Position{"f", 1, 0}, raw);
        Parsed p = parse_line(out);
        CHECK(p.has_base64);
        CHECK_FALSE(p.has_record);
        CHECK(p.reason == "invalid_utf8");
        CHECK(base64_decode(p.record_base64) == raw);
    }
    SUBCASE("known encoding") {
        std::string out;
        format_dead_letter(out, "t", Reason::invalid_utf8, "", Position{}, "\xff\xfe\xfd\xfc");
        CHECK(parse_line(out).record_base64 == "//79/A==");
    }
}

TEST_CASE("dead_letter: the writer appends one line per record to its file") {
    weir::test::TempDir dir;
    std::string path = dir / "dlq.ndjson";
    auto file = weir::OutputFile::open(path, weir::OutputFile::Mode::truncate);
    weir::DeadLetterWriter dlq(*file, "weir-test");
    dlq.write(Reason::invalid_json, "invalid JSON: x", Position{"a", 1, 0}, "{");
    dlq.write(Reason::bad_time, "field 'event_time': missing", Position{"a", 2, 2}, "{}");
    file->flush();
    std::string text = weir::test::read_file(path);
    std::size_t nl = text.find('\n');
    REQUIRE(nl != std::string::npos);
    Parsed first = parse_line(text.substr(0, nl + 1));
    Parsed second = parse_line(text.substr(nl + 1));
    CHECK(first.tool == "weir-test");
    CHECK(first.record == "{");
    CHECK(first.line == 1);
    CHECK(second.reason == "bad_time");
    CHECK(second.detail == "field 'event_time': missing");
    CHECK(second.offset == 2);
    CHECK(file->length() == text.size());
}
