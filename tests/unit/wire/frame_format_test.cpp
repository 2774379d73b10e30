#include "wire/frame_format.hpp"

#include <doctest/doctest.h>
#include <xxhash.h>

#include <cstdint>
#include <limits>
#include <string>

using namespace weir;

TEST_CASE("frame_format: little-endian helpers store the low byte first") {
    char b[8];
    store_u32(b, 0x11223344u);
    CHECK(static_cast<unsigned char>(b[0]) == 0x44);
    CHECK(static_cast<unsigned char>(b[3]) == 0x11);
    CHECK(load_u32(b) == 0x11223344u);

    store_u64(b, 0x0102030405060708ull);
    CHECK(static_cast<unsigned char>(b[0]) == 0x08);
    CHECK(static_cast<unsigned char>(b[7]) == 0x01);
    CHECK(load_u64(b) == 0x0102030405060708ull);

    SUBCASE("signed values round trip, INT64_MIN included") {
        for (std::int64_t v :
             {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1700000000000000},
              std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
            store_i64(b, v);
            CHECK(load_i64(b) == v);
        }
        store_i64(b, -2);
        CHECK(static_cast<unsigned char>(b[0]) == 0xFE);
        CHECK(static_cast<unsigned char>(b[7]) == 0xFF);
    }
    SUBCASE("unaligned addresses work") {
        char buf[17] = {};
        store_u64(buf + 3, 0xDEADBEEFCAFEF00Dull);
        CHECK(load_u64(buf + 3) == 0xDEADBEEFCAFEF00Dull);
    }
}

TEST_CASE("frame_format: frame header layout") {
    char b[frame_header_size];
    store_frame_header(b, {3, frame_compressed, 0x00010203u, 0xA0B0C0D0u});
    CHECK(b[0] == 3);
    CHECK(b[1] == frame_compressed);
    CHECK(static_cast<unsigned char>(b[2]) == 0x03);
    CHECK(static_cast<unsigned char>(b[5]) == 0x00);
    CHECK(static_cast<unsigned char>(b[6]) == 0xD0);
    CHECK(static_cast<unsigned char>(b[9]) == 0xA0);
    FrameHeader h = load_frame_header(b);
    CHECK(h.kind == 3);
    CHECK(h.flags == frame_compressed);
    CHECK(h.length == 0x00010203u);
    CHECK(h.checksum == 0xA0B0C0D0u);
}

TEST_CASE("frame_format: stream header holds magic, version and zeroed reserved bytes") {
    char b[stream_header_size];
    std::memset(b, 'x', sizeof b);
    store_stream_header(b);
    CHECK(std::string(b, 8) == std::string("\xFF"
                                           "WEIR\r\n\x1A",
                                           8));
    CHECK(b[8] == 1);
    for (std::size_t i = 9; i < stream_header_size; ++i)
        CHECK(b[i] == 0);
}

TEST_CASE("frame_format: checksum is the low 32 bits of XXH3_64bits") {
    std::string s = "{\"a\":1}";
    CHECK(frame_checksum(s.data(), s.size()) ==
          static_cast<std::uint32_t>(XXH3_64bits(s.data(), s.size())));
    CHECK(frame_checksum("", 0) == static_cast<std::uint32_t>(XXH3_64bits("", 0)));
    CHECK(frame_checksum("a", 1) != frame_checksum("b", 1));
}

TEST_CASE("frame_format: is_frame_stream tells frames from text") {
    char h[stream_header_size];
    store_stream_header(h);
    CHECK(is_frame_stream({h, sizeof h}));
    SUBCASE("a prefix of the magic still counts") {
        CHECK(is_frame_stream("\xFF"));
        CHECK(is_frame_stream("\xFFWEI"));
    }
    SUBCASE("text does not") {
        CHECK_FALSE(is_frame_stream(""));
        CHECK_FALSE(is_frame_stream("{\"event_time\":1}\n"));
        CHECK_FALSE(is_frame_stream("id,name\n1,x\n"));
        CHECK_FALSE(is_frame_stream("\xEF\xBB\xBF{}")); // UTF-8 byte order mark
        CHECK_FALSE(is_frame_stream("\xFF\xFE{\0"));    // UTF-16 LE byte order mark
        CHECK_FALSE(is_frame_stream("\xFFWEIRD"));
    }
}

TEST_CASE("frame_format: kind names") {
    CHECK(frame_kind_name(1) == "data");
    CHECK(frame_kind_name(2) == "source");
    CHECK(frame_kind_name(3) == "barrier");
    CHECK(frame_kind_name(4) == "watermark");
    CHECK(frame_kind_name(5) == "end");
    CHECK(frame_kind_name(0) == "unknown");
    CHECK(frame_kind_name(200) == "unknown");
}
