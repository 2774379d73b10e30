#include "state/base64.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::append_base64;
using weir::decode_base64;

namespace {

std::string encode(std::string_view in) {
    std::string out;
    append_base64(out, in);
    return out;
}

} // namespace

TEST_CASE("base64: encodes the RFC 4648 test vectors") {
    CHECK(encode("") == "");
    CHECK(encode("f") == "Zg==");
    CHECK(encode("fo") == "Zm8=");
    CHECK(encode("foo") == "Zm9v");
    CHECK(encode("foob") == "Zm9vYg==");
    CHECK(encode("fooba") == "Zm9vYmE=");
    CHECK(encode("foobar") == "Zm9vYmFy");
    std::string out = "x";
    append_base64(out, "fo");
    CHECK(out == "xZm8="); // appends
}

TEST_CASE("base64: decodes what it encodes, for every byte and length") {
    std::string all;
    for (int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    for (std::size_t n = 0; n <= all.size(); n += 1) {
        std::string in = all.substr(all.size() - n);
        auto back = decode_base64(encode(in));
        REQUIRE(back);
        CHECK(*back == in);
    }
    CHECK(decode_base64("Zm9vYmFy") == std::optional<std::string>("foobar"));
    CHECK(decode_base64("+/+/") == std::optional<std::string>("\xfb\xff\xbf"));
}

TEST_CASE("base64: rejects anything but canonical base64") {
    SUBCASE("length not a multiple of 4") {
        CHECK_FALSE(decode_base64("Zg"));
        CHECK_FALSE(decode_base64("Zm9vY"));
    }
    SUBCASE("characters outside the alphabet") {
        CHECK_FALSE(decode_base64("Zm9 "));
        CHECK_FALSE(decode_base64("Zm9-")); // URL-safe alphabet
        CHECK_FALSE(decode_base64("Zm\n9"));
    }
    SUBCASE("padding anywhere but the end") {
        CHECK_FALSE(decode_base64("Zg==Zm9v"));
        CHECK_FALSE(decode_base64("Z=g="));
        CHECK_FALSE(decode_base64("===="));
        CHECK_FALSE(decode_base64("Z==="));
    }
    SUBCASE("non-zero unused bits") {
        CHECK_FALSE(decode_base64("Zh==")); // "Zg==" with a stray low bit
        CHECK_FALSE(decode_base64("Zm9="));
        CHECK(decode_base64("Zm8="));
    }
}
