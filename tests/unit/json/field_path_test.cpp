#include "cli/error.hpp"
#include "json/field_path.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::FieldPath;

namespace {

std::vector<std::string> segs(std::string_view text) {
    std::string error;
    auto p = FieldPath::parse(text, &error);
    REQUIRE_MESSAGE(p.has_value(), error);
    return p->segments();
}

std::string parse_error(std::string_view text) {
    std::string error;
    auto p = FieldPath::parse(text, &error);
    CHECK_FALSE(p.has_value());
    return error;
}

} // namespace

TEST_CASE("field_path: splits dotted paths into segments") {
    CHECK(segs("event_time") == std::vector<std::string>{"event_time"});
    CHECK(segs("device.os") == std::vector<std::string>{"device", "os"});
    CHECK(segs("a.b.c") == std::vector<std::string>{"a", "b", "c"});
    CHECK(FieldPath::from("device.os").text() == "device.os");
    CHECK(FieldPath::from("a.b").size() == 2);
    CHECK(FieldPath::from("a.b")[1] == "b");
}

TEST_CASE("field_path: resolves escapes") {
    SUBCASE("escaped dot") {
        CHECK(segs("a\\.b") == std::vector<std::string>{"a.b"});
        CHECK(segs("x.a\\.b.y") == std::vector<std::string>{"x", "a.b", "y"});
    }
    SUBCASE("escaped backslash") {
        CHECK(segs("a\\\\b") == std::vector<std::string>{"a\\b"});
        CHECK(segs("a\\\\.b") == std::vector<std::string>{"a\\", "b"});
    }
    SUBCASE("escaped dollar") {
        CHECK(segs("\\$ref") == std::vector<std::string>{"$ref"});
        CHECK(segs("a.\\$b") == std::vector<std::string>{"a", "$b"});
    }
    SUBCASE("dollar inside is plain") {
        CHECK(segs("a.$b") == std::vector<std::string>{"a", "$b"});
    }
    SUBCASE("text keeps the escapes") {
        CHECK(FieldPath::from("a\\.b").text() == "a\\.b");
    }
    SUBCASE("equality is by segments") {
        CHECK(FieldPath::from("a.b") == FieldPath::from("a.b"));
        CHECK_FALSE(FieldPath::from("a.b") == FieldPath::from("a\\.b"));
    }
}

TEST_CASE("field_path: rejects malformed paths") {
    CHECK(parse_error("a..b") == "empty segment");
    CHECK(parse_error(".a") == "empty segment");
    CHECK(parse_error("a.") == "empty segment");
    CHECK(parse_error("") == "empty path");
    CHECK(parse_error("a\\") == "trailing backslash");
    CHECK(parse_error("a\\x") == "unknown escape '\\x'");
    CHECK(parse_error("$.a").find("reserved") != std::string::npos);
    CHECK(parse_error("$").find("'\\$'") != std::string::npos);
    SUBCASE("a null error pointer is allowed") {
        CHECK_FALSE(FieldPath::parse("a..b", nullptr));
    }
}

TEST_CASE("field_path: from() throws a usage error") {
    try {
        FieldPath::from("a..b");
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        CHECK(std::string(e.what()) == "field path 'a..b': empty segment");
    }
}

TEST_CASE("field_path: of_member takes a name literally") {
    weir::FieldPath p = weir::FieldPath::of_member("a.b\\c$d");
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "a.b\\c$d");
    CHECK(weir::FieldPath::of_member("$x")[0] == "$x");
}
