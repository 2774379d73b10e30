#include "cli/error.hpp"
#include "io/decompress.hpp"
#include "io/open_input.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <zlib.h>
#include <zstd.h>

#include <string>

namespace {

std::string drain(weir::ByteSource& src) {
    std::string out;
    char buf[4096];
    while (std::size_t got = src.read(buf, sizeof buf))
        out.append(buf, got);
    return out;
}

// Writes `data` as a gzip file with zlib's gz* functions (what gzip(1) produces).
void write_gz(const std::string& path, const std::string& data) {
    gzFile f = gzopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    REQUIRE(gzwrite(f, data.data(), static_cast<unsigned>(data.size())) ==
            static_cast<int>(data.size()));
    REQUIRE(gzclose(f) == Z_OK);
}

void write_zst(const std::string& path, const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 1);
    REQUIRE_FALSE(ZSTD_isError(n));
    out.resize(n);
    weir::test::write_file(path, out);
}

std::string error_of(const std::string& path, weir::Exit* code) {
    try {
        weir::open_input(path);
    } catch (const weir::Error& e) {
        *code = e.code();
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("open_input: detects compression by magic bytes, not by name") {
    weir::test::TempDir dir;
    std::string data = "{\"a\":1}\n{\"a\":2}\n";
    SUBCASE("plain") {
        weir::test::write_file(dir / "plain.gz", data); // misleading name
        auto src = weir::open_input(dir / "plain.gz");
        CHECK(src->size() == data.size());
        CHECK(drain(*src) == data);
    }
    SUBCASE("gzip") {
        write_gz(dir / "events", data);
        auto src = weir::open_input(dir / "events");
        CHECK(dynamic_cast<weir::GzipSource*>(src.get()) != nullptr);
        CHECK(src->name() == dir / "events");
        CHECK(drain(*src) == data);
    }
    SUBCASE("zstd") {
        write_zst(dir / "events.zst", data);
        auto src = weir::open_input(dir / "events.zst");
        CHECK(dynamic_cast<weir::ZstdSource*>(src.get()) != nullptr);
        CHECK(drain(*src) == data);
    }
    SUBCASE("decompression off") {
        write_gz(dir / "events.gz", data);
        weir::OpenOptions opts;
        opts.decompress = false;
        auto src = weir::open_input(dir / "events.gz", opts);
        std::string raw = drain(*src);
        CHECK(raw == weir::test::read_file(dir / "events.gz"));
    }
    SUBCASE("files shorter than a magic number") {
        weir::test::write_file(dir / "one", "\x1f");
        CHECK(drain(*weir::open_input(dir / "one")) == "\x1f");
        weir::test::write_file(dir / "two", "\x28\xb5\n");
        CHECK(drain(*weir::open_input(dir / "two")) == "\x28\xb5\n");
        weir::test::write_file(dir / "empty", "");
        CHECK(drain(*weir::open_input(dir / "empty")).empty());
    }
}

TEST_CASE("open_input: errors name the path and exit 66") {
    weir::test::TempDir dir;
    weir::Exit code{};
    SUBCASE("missing") {
        std::string path = dir / "nope.ndjson";
        CHECK(error_of(path, &code) == "cannot open '" + path + "': No such file or directory");
        CHECK(code == weir::Exit::no_input);
    }
    SUBCASE("directory") {
        CHECK(error_of(dir.path(), &code) == "'" + dir.path() + "' is a directory");
        CHECK(code == weir::Exit::no_input);
    }
}

TEST_CASE("open_input: '-' is stdin") {
    weir::OpenOptions opts;
    opts.decompress = false; // detection would wait for input on a terminal
    auto src = weir::open_input("-", opts);
    CHECK(src->name() == "<stdin>");
}

TEST_CASE("open_input: follow gives a FollowSource, even for a missing path") {
    weir::test::TempDir dir;
    weir::OpenOptions opts;
    opts.follow = true;
    auto src = weir::open_input(dir / "later.log", opts);
    CHECK(dynamic_cast<weir::FollowSource*>(src.get()) != nullptr);
    CHECK_FALSE(src->ready());
}
