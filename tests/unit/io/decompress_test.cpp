#include "../compress.hpp"
#include "cli/error.hpp"
#include "io/decompress.hpp"
#include "io/memory_source.hpp"

#include <doctest/doctest.h>
#include <zlib.h>
#include <zstd.h>

#include <memory>
#include <random>
#include <stdexcept>
#include <string>

using weir::test::gzip;
using weir::test::zstd;

namespace {

// Mixed text and noise, so the compressed form spans several input blocks.
std::string sample(std::size_t n, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::string s;
    while (s.size() < n) {
        s += "{\"user\":" + std::to_string(rng() % 1000) + ",\"noise\":\"";
        for (int i = 0; i < 20; ++i)
            s.push_back(static_cast<char>('a' + rng() % 26));
        s += "\"}\n";
    }
    s.resize(n);
    return s;
}

// Reads everything; stops at an Error, which it stores in `err`.
std::string drain(weir::ByteSource& src, std::size_t block, std::string* err = nullptr,
                  weir::Exit* code = nullptr) {
    std::string out;
    std::string buf(block, '\0');
    try {
        while (std::size_t got = src.read(buf.data(), buf.size()))
            out.append(buf.data(), got);
    } catch (const weir::Error& e) {
        if (err == nullptr)
            throw;
        *err = e.what();
        if (code != nullptr)
            *code = e.code();
    }
    return out;
}

template <typename Source>
std::unique_ptr<Source> over(std::string compressed, std::size_t chunk, std::string name) {
    return std::make_unique<Source>(
        std::make_unique<weir::MemorySource>(std::move(compressed), chunk, std::move(name)));
}

} // namespace

TEST_CASE("decompress: magic numbers") {
    CHECK(weir::is_gzip_magic("\x1f\x8b\x08"));
    CHECK_FALSE(weir::is_gzip_magic("\x1f"));
    CHECK_FALSE(weir::is_gzip_magic("{\"a\""));
    CHECK(weir::is_zstd_magic(std::string("\x28\xb5\x2f\xfd", 4)));
    CHECK_FALSE(weir::is_zstd_magic(std::string("\x28\xb5\x2f", 3)));
}

TEST_CASE("decompress: gzip round trip in any chunking") {
    std::string data = sample(1 << 20);
    std::string gz = gzip(data);
    std::size_t in_chunk = 1, out_block = 1;
    SUBCASE("big reads") {
        in_chunk = SIZE_MAX;
        out_block = 1 << 20;
    }
    SUBCASE("trickled input") {
        in_chunk = 7;
        out_block = 1 << 16;
    }
    SUBCASE("tiny output blocks") {
        in_chunk = 4096;
        out_block = 3;
    }
    auto src = over<weir::GzipSource>(gz, in_chunk, "x.gz");
    CHECK(src->name() == "x.gz");
    CHECK(drain(*src, out_block) == data);
    CHECK(src->decompressed() == data.size());
}

TEST_CASE("decompress: gzip reads every member, as gzip(1) does") {
    std::string a = sample(100000, 1), b = sample(5000, 2), c = "last\n";
    std::string gz = gzip(a) + gzip(b) + gzip("") + gzip(c);
    SUBCASE("whole") {
        CHECK(drain(*over<weir::GzipSource>(gz, SIZE_MAX, "m.gz"), 4096) == a + b + c);
    }
    SUBCASE("one byte at a time") {
        CHECK(drain(*over<weir::GzipSource>(gz, 1, "m.gz"), 4096) == a + b + c);
    }
    SUBCASE("trailing garbage is ignored") {
        CHECK(drain(*over<weir::GzipSource>(gz + "\0\0\0junk", 5, "m.gz"), 4096) == a + b + c);
    }
}

TEST_CASE("decompress: truncated gzip keeps what was read, then fails") {
    std::string data = sample(300000);
    std::string gz = gzip(data);
    std::size_t cut = gz.size() / 2;
    SUBCASE("mid-stream") {}
    SUBCASE("inside the trailer") {
        cut = gz.size() - 3;
    }
    SUBCASE("after one whole member, inside the next") {
        gz = gzip("first\n") + gz;
        data = "first\n" + data;
        cut = gz.size() - 100;
    }
    auto src = over<weir::GzipSource>(gz.substr(0, cut), 1000, "x.gz");
    std::string err;
    weir::Exit code{};
    std::string got = drain(*src, 4096, &err, &code);
    REQUIRE_FALSE(err.empty());
    CHECK(code == weir::Exit::data);
    CHECK(got.size() > 0);
    CHECK(data.compare(0, got.size(), got) == 0); // a true prefix
    CHECK(err == "'x.gz': compressed data truncated after " + std::to_string(got.size()) +
                     " bytes (kept what was read)");
    SUBCASE("and keeps failing") {
        char c;
        CHECK_THROWS_AS(src->read(&c, 1), weir::Error);
    }
}

TEST_CASE("decompress: corrupt gzip fails with Exit::data") {
    std::string data = sample(200000);
    std::string gz = gzip(data);
    for (std::size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i)
        gz[i] = static_cast<char>(gz[i] ^ 0x5a);
    std::string err;
    weir::Exit code{};
    std::string got = drain(*over<weir::GzipSource>(gz, SIZE_MAX, "c.gz"), 4096, &err, &code);
    CHECK(code == weir::Exit::data);
    CHECK(err.rfind("'c.gz': compressed data corrupt after ", 0) == 0);
    // Deflate has no checksum before the trailer's CRC, so bytes before the detection
    // point may already be wrong; only the count is promised.
    CHECK(err.find(" " + std::to_string(got.size()) + " bytes") != std::string::npos);
}

TEST_CASE("decompress: zstd round trip and multiple frames") {
    std::string a = sample(1 << 20, 3), b = sample(1000, 4);
    SUBCASE("one frame, big reads") {
        CHECK(drain(*over<weir::ZstdSource>(zstd(a), SIZE_MAX, "x.zst"), 1 << 20) == a);
    }
    SUBCASE("one frame, trickled") {
        CHECK(drain(*over<weir::ZstdSource>(zstd(a), 11, "x.zst"), 777) == a);
    }
    SUBCASE("frames back to back, an empty one among them") {
        std::string z = zstd(a) + zstd("") + zstd(b);
        auto src = over<weir::ZstdSource>(z, 4096, "x.zst");
        CHECK(drain(*src, 5000) == a + b);
        CHECK(src->decompressed() == a.size() + b.size());
    }
}

TEST_CASE("decompress: truncated zstd keeps what was read, then fails") {
    std::string a = sample(400000, 5);
    std::string z = zstd("head\n") + zstd(a);
    std::string data = "head\n" + a;
    std::size_t cut = z.size() - 1;
    SUBCASE("missing last byte") {}
    SUBCASE("mid-frame") {
        cut = z.size() / 2;
    }
    auto src = over<weir::ZstdSource>(z.substr(0, cut), 999, "x.zst");
    std::string err;
    weir::Exit code{};
    std::string got = drain(*src, 4096, &err, &code);
    REQUIRE_FALSE(err.empty());
    CHECK(code == weir::Exit::data);
    CHECK(got.size() >= 5);
    CHECK(data.compare(0, got.size(), got) == 0);
    CHECK(err == "'x.zst': compressed data truncated after " + std::to_string(got.size()) +
                     " bytes (kept what was read)");
}

TEST_CASE("decompress: garbage after a zstd frame is corrupt") {
    std::string z = zstd("ok\n") + "not zstd at all";
    std::string err;
    weir::Exit code{};
    std::string got = drain(*over<weir::ZstdSource>(z, SIZE_MAX, "g.zst"), 4096, &err, &code);
    CHECK(got == "ok\n");
    CHECK(code == weir::Exit::data);
    CHECK(err == "'g.zst': compressed data corrupt after 3 bytes (kept what was read)");
}

TEST_CASE("decompress: readiness follows the inner source") {
    auto mem = std::make_unique<weir::MemorySource>(gzip("abc\n"));
    weir::MemorySource* inner = mem.get();
    weir::GzipSource src(std::move(mem));
    inner->set_ready(false);
    CHECK_FALSE(src.ready());
    inner->set_ready(true);
    CHECK(src.ready());
}
