#include "io/memory_source.hpp"
#include "io/output_file.hpp"
#include "wire/ndjson_reader.hpp"
#include "wire/ndjson_writer.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

namespace {

// A scratch file under /tmp, removed on scope exit.
class TempFile {
public:
    TempFile() {
        char tmpl[] = "/tmp/weir-ndjson-writer-XXXXXX";
        int fd = ::mkstemp(tmpl);
        REQUIRE(fd >= 0);
        ::close(fd);
        path_ = tmpl;
    }

    ~TempFile() { std::filesystem::remove(path_); }

    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }

    std::string contents() const {
        std::ifstream in(path_, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

private:
    std::string path_;
};

weir::Record record(std::string_view json) {
    weir::Record r;
    r.json = json;
    r.event_time = 1'700'000'000'000'000;
    r.line = 42;
    return r;
}

} // namespace

TEST_CASE("ndjson_writer: writes each record's bytes and a newline") {
    TempFile f;
    auto out = weir::OutputFile::open(f.path(), weir::OutputFile::Mode::truncate);
    weir::NdjsonWriter w(*out);
    w.write(record(R"({"a":1})"));
    w.write(record(R"({ "b" : [1, 2] })")); // exact bytes, not re-serialised
    CHECK(f.contents().empty());            // buffered: no system call per record

    SUBCASE("flush writes everything buffered") {
        w.flush();
        CHECK(f.contents() == "{\"a\":1}\n{ \"b\" : [1, 2] }\n");
    }
    SUBCASE("barrier and watermark add nothing; end flushes") {
        w.barrier(7);
        w.watermark(123);
        CHECK(out->length() == 25);
        w.end();
        CHECK(f.contents() == "{\"a\":1}\n{ \"b\" : [1, 2] }\n");
    }
}

TEST_CASE("ndjson_writer: records larger than the output buffer") {
    TempFile f;
    std::string big = "{\"p\":\"" + std::string(3 << 20, 'x') + "\"}";
    {
        auto out = weir::OutputFile::open(f.path(), weir::OutputFile::Mode::truncate);
        weir::NdjsonWriter w(*out);
        for (int i = 0; i < 3; ++i) {
            w.write(record(big));
            w.write(record("{}"));
        }
        w.end();
    }
    std::string want;
    for (int i = 0; i < 3; ++i)
        want += big + "\n{}\n";
    CHECK(f.contents() == want);
}

TEST_CASE("ndjson_writer: reader to writer reproduces clean input byte for byte") {
    std::string data;
    for (int i = 0; i < 5000; ++i)
        data += R"({"event_id":"e)" + std::to_string(i) +
                R"(","device":{"os":"ios","v":[1,2.5,null]},"amount":)" + std::to_string(i * 7) +
                "}\n";
    TempFile f;
    {
        auto out = weir::OutputFile::open(f.path(), weir::OutputFile::Mode::truncate);
        weir::NdjsonWriter w(*out);
        weir::NdjsonReader r(std::make_unique<weir::MemorySource>(data, 4093));
        weir::InputEvent ev;
        while (r.next(ev) != weir::InputKind::end) {
            REQUIRE(ev.kind == weir::InputKind::record);
            w.write(ev.record);
        }
        w.end();
    }
    CHECK(f.contents() == data);
}
