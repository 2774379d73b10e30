#include "cli/error.hpp"
#include "io/memory_source.hpp"
#include "json/document.hpp"
#include "wire/csv_reader.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using weir::CsvOptions;
using weir::CsvReader;
using weir::InputEvent;
using weir::InputKind;
using weir::Reason;

namespace {

struct Got {
    InputKind kind;
    std::string json;
    Reason reason;
    std::string detail;
    std::uint64_t line;
    std::uint64_t offset;
};

std::unique_ptr<weir::MemorySource> source(std::string text, std::size_t chunk = SIZE_MAX) {
    return std::make_unique<weir::MemorySource>(std::move(text), chunk);
}

// Every record and invalid row of `text`, read `chunk` bytes at a time.
std::vector<Got> read_all(std::string text, CsvOptions opts = {}, std::size_t chunk = SIZE_MAX) {
    CsvReader reader(source(std::move(text), chunk), "t.csv", opts);
    std::vector<Got> got;
    InputEvent ev;
    weir::JsonDoc doc;
    for (;;) {
        InputKind k = reader.next(ev);
        if (k == InputKind::end)
            break;
        if (k == InputKind::idle)
            continue;
        if (k == InputKind::record) {
            // Each record is a valid object, parsed in place from its padding.
            CHECK_MESSAGE(doc.parse(ev.record.json), ev.record.json);
        }
        got.push_back({k, std::string(ev.record.json), ev.reason, std::string(ev.detail),
                       ev.record.line, ev.record.offset});
        CHECK(ev.record.source == 0);
    }
    CHECK(reader.next(ev) == InputKind::end); // end stays end
    return got;
}

std::vector<std::string> records(std::string text, CsvOptions opts = {}) {
    std::vector<std::string> out;
    for (const Got& g : read_all(std::move(text), opts)) {
        CHECK(g.kind == InputKind::record);
        out.push_back(g.json);
    }
    return out;
}

using Strings = std::vector<std::string>;

} // namespace

TEST_CASE("csv_reader: header gives keys, rows become objects") {
    CHECK(records("id,name,score\n1,ann,9.5\n2,bob,7\n") ==
          Strings{R"({"id":1,"name":"ann","score":9.5})", R"({"id":2,"name":"bob","score":7})"});
    SUBCASE("no final newline") {
        CHECK(records("a,b\nx,y") == Strings{R"({"a":"x","b":"y"})"});
    }
    SUBCASE("empty input and header only") {
        CHECK(records("").empty());
        CHECK(records("a,b\n").empty());
    }
    SUBCASE("columns()") {
        CsvReader r(source("k,\"v w\"\n1,2\n"), "t.csv");
        InputEvent ev;
        REQUIRE(r.next(ev) == InputKind::record);
        CHECK(r.columns() == Strings{"k", "v w"});
        CHECK(r.sources().name(0) == "t.csv");
    }
}

TEST_CASE("csv_reader: number detection") {
    auto value = [](std::string cell) {
        std::vector<std::string> r = records("v\n" + cell + "\n");
        REQUIRE(r.size() == 1);
        return r[0].substr(5, r[0].size() - 6);
    };
    SUBCASE("numbers") {
        CHECK(value("0") == "0");
        CHECK(value("-12") == "-12");
        CHECK(value("3.25") == "3.25");
        CHECK(value("1e6") == "1e6");
        CHECK(value("-2.5E-3") == "-2.5E-3");
        CHECK(value("0.5") == "0.5");
        CHECK(value("18446744073709551615") == "18446744073709551615");
        CHECK(value("-9223372036854775808") == "-9223372036854775808");
    }
    SUBCASE("not numbers") {
        CHECK(value("007") == "\"007\"");
        CHECK(value("+1") == "\"+1\"");
        CHECK(value("NaN") == "\"NaN\"");
        CHECK(value(".5") == "\".5\"");
        CHECK(value("5.") == "\"5.\"");
        CHECK(value("1e") == "\"1e\"");
        CHECK(value("-") == "\"-\"");
        CHECK(value("1 ") == "\"1 \"");
        CHECK(value("0x10") == "\"0x10\"");
        CHECK(value("true") == "\"true\"");
        CHECK(value("null") == "\"null\"");
        CHECK(value("18446744073709551616") == "\"18446744073709551616\"");
        CHECK(value("-9223372036854775809") == "\"-9223372036854775809\"");
        CHECK(value("1e400") == "\"1e400\"");
    }
    SUBCASE("quoted cells stay strings") {
        CHECK(value("\"42\"") == "\"42\"");
    }
}

TEST_CASE("csv_reader: empty cells") {
    CHECK(records("a,b,c\n,\"\",x\n") == Strings{R"({"a":"","b":"","c":"x"})"});
    CsvOptions opts;
    opts.empty_as_null = true;
    CHECK(records("a,b,c\n,\"\",\n", opts) == Strings{R"({"a":null,"b":"","c":null})"});
}

TEST_CASE("csv_reader: quoting") {
    SUBCASE("delimiter and doubled quotes inside quotes") {
        CHECK(records("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n") ==
              Strings{R"({"a":"x,y","b":"say \"hi\""})"});
    }
    SUBCASE("a quote inside an unquoted cell is text") {
        CHECK(records("a\nab\"c\n") == Strings{R"({"a":"ab\"c"})"});
    }
    SUBCASE("embedded newlines and line numbers") {
        std::vector<Got> got = read_all("a,b\n\"line1\nline2\",x\n3,\"p\r\nq\"\nz,w\n");
        REQUIRE(got.size() == 3);
        CHECK(got[0].json == R"({"a":"line1\nline2","b":"x"})");
        CHECK(got[0].line == 2);
        CHECK(got[1].json == R"({"a":3,"b":"p\r\nq"})");
        CHECK(got[1].line == 4);
        CHECK(got[2].json == R"({"a":"z","b":"w"})");
        CHECK(got[2].line == 6);
    }
    SUBCASE("quoted header names and escaping of keys") {
        CHECK(records("\"a\"\"b\",\"c\nd\"\n1,2\n") == Strings{R"({"a\"b":1,"c\nd":2})"});
    }
    SUBCASE("control characters are escaped") {
        CHECK(records("a\nx\ty\n") == Strings{R"({"a":"x\ty"})"});
    }
    SUBCASE("UTF-8 and a byte order mark") {
        CHECK(records("\xEF\xBB\xBFname\ncaf\xC3\xA9\n") == Strings{"{\"name\":\"caf\xC3\xA9\"}"});
    }
    SUBCASE("another delimiter") {
        CsvOptions opts;
        opts.delimiter = ';';
        CHECK(records("a;b\n1,5;\"x;y\"\n", opts) == Strings{R"({"a":"1,5","b":"x;y"})"});
    }
}

TEST_CASE("csv_reader: CRLF line endings and positions") {
    std::string text = "a,b\r\n1,2\r\n\r\n\"x\",y\r\n";
    std::vector<Got> got = read_all(text);
    REQUIRE(got.size() == 2);
    CHECK(got[0].json == R"({"a":1,"b":2})");
    CHECK(got[0].line == 2);
    CHECK(got[0].offset == 5);
    CHECK(got[1].json == R"({"a":"x","b":"y"})");
    CHECK(got[1].line == 4); // the empty line is skipped but counted
    CHECK(got[1].offset == 12);
}

TEST_CASE("csv_reader: bad rows are invalid events, not errors") {
    SUBCASE("wrong number of fields") {
        std::vector<Got> got = read_all("a,b,c,d\n1,2,3\n1,2,3,4\n1,2,3,4,5\n");
        REQUIRE(got.size() == 3);
        CHECK(got[0].kind == InputKind::invalid);
        CHECK(got[0].reason == Reason::bad_csv);
        CHECK(got[0].detail == "row has 3 fields, header has 4");
        CHECK(got[0].json == "1,2,3");
        CHECK(got[0].line == 2);
        CHECK(got[0].offset == 8);
        CHECK(got[1].kind == InputKind::record);
        CHECK(got[2].detail == "row has 5 fields, header has 4");
    }
    SUBCASE("one field") {
        std::vector<Got> got = read_all("a,b\nx\n");
        REQUIRE(got.size() == 1);
        CHECK(got[0].detail == "row has 1 field, header has 2");
    }
    SUBCASE("text after a closing quote") {
        std::vector<Got> got = read_all("a,b\n1,\"x\"y\n");
        REQUIRE(got.size() == 1);
        CHECK(got[0].reason == Reason::bad_csv);
        CHECK(got[0].detail == "field 2: text after a closing quote");
    }
    SUBCASE("unclosed quote at end of input") {
        std::vector<Got> got = read_all("a,b\n1,2\n3,\"open\nmore\n");
        REQUIRE(got.size() == 2);
        CHECK(got[1].kind == InputKind::invalid);
        CHECK(got[1].detail == "field 2: unclosed quote");
        CHECK(got[1].json == "3,\"open\nmore\n");
        CHECK(got[1].line == 3);
    }
    SUBCASE("invalid UTF-8") {
        std::vector<Got> got = read_all("a\n\xff\xfe\nok\n");
        REQUIRE(got.size() == 2);
        CHECK(got[0].kind == InputKind::invalid);
        CHECK(got[0].reason == Reason::invalid_utf8);
        CHECK(got[1].json == R"({"a":"ok"})");
    }
    SUBCASE("a row longer than max_record") {
        CsvOptions opts;
        opts.max_record = 8;
        std::vector<Got> got =
            read_all("a\nshort\n\"" + std::string(50, 'x') + "\n\"\nafter\n", opts, 7);
        REQUIRE(got.size() == 3);
        CHECK(got[0].json == R"({"a":"short"})");
        CHECK(got[1].kind == InputKind::invalid);
        CHECK(got[1].reason == Reason::too_long);
        CHECK(got[1].detail == "row longer than 8 bytes");
        CHECK(got[1].json == "\"xxxxxxx");
        CHECK(got[1].line == 3);
        CHECK(got[2].json == R"({"a":"after"})");
        CHECK(got[2].line == 5);
    }
}

TEST_CASE("csv_reader: an unusable header is fatal") {
    auto header_error = [](std::string text) -> std::string {
        CsvReader r(source(std::move(text)), "t.csv");
        InputEvent ev;
        try {
            r.next(ev);
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::data);
            return e.what();
        }
        return "no error";
    };
    CHECK(header_error("a,b,a\n1,2,3\n") == "'t.csv': CSV header names column 'a' twice");
    CHECK(header_error("a,\"b\n") == "'t.csv': CSV header: unclosed quote");
    CHECK(header_error("\xff\n") == "'t.csv': CSV header is not valid UTF-8");
}

TEST_CASE("csv_reader: results do not depend on read sizes") {
    std::string text = "id,text,n\r\n";
    for (int i = 0; i < 50; ++i)
        text += std::to_string(i) + ",\"a,\"\"b\"\"\nc\"," + std::to_string(i * 1.5) + "\r\n";
    text += "1,2\n";
    std::vector<Got> whole = read_all(text);
    REQUIRE(whole.size() == 51);
    for (std::size_t chunk : {1, 2, 3, 7, 64}) {
        CAPTURE(chunk);
        std::vector<Got> pieces = read_all(text, {}, chunk);
        REQUIRE(pieces.size() == whole.size());
        for (std::size_t i = 0; i < whole.size(); ++i) {
            CHECK(pieces[i].json == whole[i].json);
            CHECK(pieces[i].line == whole[i].line);
            CHECK(pieces[i].offset == whole[i].offset);
        }
    }
    CHECK(whole[50].kind == InputKind::invalid);
    CHECK(whole[50].line == 102);
}

TEST_CASE("csv_reader: idle once before a read that would block") {
    auto src = source("a\n1\n2\n", 2);
    weir::MemorySource* mem = src.get();
    mem->set_ready(false);
    CsvReader r(std::move(src), "<stdin>");
    InputEvent ev;
    CHECK(r.next(ev) == InputKind::idle);
    std::vector<std::string> seen;
    int idles = 0;
    for (InputKind k = r.next(ev); k != InputKind::end; k = r.next(ev)) {
        if (k == InputKind::idle)
            ++idles;
        else
            seen.push_back(std::string(ev.record.json));
    }
    CHECK(seen == Strings{R"({"a":1})", R"({"a":2})"});
    CHECK(idles > 0);
    CHECK(r.bytes_read() == 6);
    CHECK(r.bytes_total() == 6);
}

TEST_CASE("csv_reader: a quote or line break cannot be the delimiter") {
    for (char d : {'"', '\n', '\r'}) {
        CsvOptions opts;
        opts.delimiter = d;
        CHECK_THROWS_AS(CsvReader(source("a\n"), "t.csv", opts), weir::Error);
    }
}
