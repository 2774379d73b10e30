#include "cli/error.hpp"
#include "cli/size.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using weir::parse_size;
using weir::try_parse_size;

TEST_CASE("size: a bare number is bytes") {
    CHECK(try_parse_size("0") == 0u);
    CHECK(try_parse_size("4096") == 4096u);
    CHECK(try_parse_size("5B") == 5u);
    CHECK(try_parse_size("5b") == 5u);
    CHECK(try_parse_size("18446744073709551615") == UINT64_MAX);
}

TEST_CASE("size: K M G T are powers of 1024, with or without iB") {
    SUBCASE("K") {
        CHECK(try_parse_size("64K") == 64u << 10);
        CHECK(try_parse_size("64k") == 64u << 10);
        CHECK(try_parse_size("64KB") == 64u << 10);
        CHECK(try_parse_size("64KiB") == 64u << 10);
    }
    SUBCASE("M") {
        CHECK(try_parse_size("16M") == std::uint64_t{16} << 20);
        CHECK(try_parse_size("16m") == std::uint64_t{16} << 20);
        CHECK(try_parse_size("16MiB") == std::uint64_t{16} << 20);
        CHECK(try_parse_size("500MB") == std::uint64_t{500} << 20);
    }
    SUBCASE("G") {
        CHECK(try_parse_size("1G") == std::uint64_t{1} << 30);
        CHECK(try_parse_size("3GiB") == std::uint64_t{3} << 30);
    }
    SUBCASE("T") {
        CHECK(try_parse_size("2T") == std::uint64_t{2} << 40);
        CHECK(try_parse_size("2TiB") == std::uint64_t{2} << 40);
    }
}

TEST_CASE("size: rejects malformed text") {
    for (const char* bad : {"", "K", "MiB", "12X", "1.5M", "-1", "+1", " 1", "1 K", "1Ki", "1KiBx",
                            "1BB", "1Bi", "0x10", "1MM"}) {
        CAPTURE(std::string(bad));
        CHECK_FALSE(try_parse_size(bad).has_value());
    }
}

TEST_CASE("size: rejects values beyond 64 bits") {
    CHECK_FALSE(try_parse_size("18446744073709551616").has_value());
    CHECK_FALSE(try_parse_size("99999999999999999999999K").has_value());
    // 2^24 TiB is 2^64 bytes, one past the largest; 2^24 - 1 TiB still fits.
    CHECK_FALSE(try_parse_size("16777216T").has_value());
    CHECK(try_parse_size("16777215T") == (std::uint64_t{16777215} << 40));
    CHECK_FALSE(try_parse_size("17179869184G").has_value()); // 2^34 GiB = 2^64
    CHECK(try_parse_size("17179869183G") == (std::uint64_t{17179869183} << 30));
}

TEST_CASE("size: parse_size returns the value or throws a usage error") {
    CHECK(parse_size("16MiB") == std::uint64_t{16} << 20);
    try {
        parse_size("lots");
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        CHECK(weir::code(e.code()) == 2);
        CHECK(std::string(e.what()) == "'lots' is not a size (e.g. 4096, 64K, 16MiB, 1G)");
    }
    CHECK_THROWS_AS(parse_size("16777216T"), weir::Error);
}
