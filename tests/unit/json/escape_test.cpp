#include "json/escape.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

std::string quoted(std::string_view s) {
    std::string out = "x"; // appends, never overwrites
    weir::append_json_string(out, s);
    return out.substr(1);
}

std::string unescaped(std::string_view body) {
    std::string out;
    weir::append_unescaped_json(out, body);
    return out;
}

} // namespace

TEST_CASE("escape: plain text is copied between quotes") {
    CHECK(quoted("") == "\"\"");
    CHECK(quoted("hello world") == "\"hello world\"");
    CHECK(quoted("a/b") == "\"a/b\"");
}

TEST_CASE("escape: quotes, backslashes and control characters") {
    CHECK(quoted("say \"hi\"") == "\"say \\\"hi\\\"\"");
    CHECK(quoted("C:\\dir") == "\"C:\\\\dir\"");
    CHECK(quoted("a\nb\tc\rd\be\ff") == "\"a\\nb\\tc\\rd\\be\\ff\"");
    CHECK(quoted(std::string_view("\x00\x01\x1f", 3)) == "\"\\u0000\\u0001\\u001f\"");
    CHECK(quoted("\x7f") == "\"\x7f\""); // DEL needs no escape
    CHECK(quoted("\n") == "\"\\n\"");
    CHECK(quoted("end\\") == "\"end\\\\\"");
}

TEST_CASE("escape: UTF-8 is left as it is") {
    CHECK(quoted("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
    CHECK(quoted("\xE2\x82\xAC 5") == "\"\xE2\x82\xAC 5\"");
    CHECK(quoted("\xF0\x9F\x98\x80\n") == "\"\xF0\x9F\x98\x80\\n\"");
}

TEST_CASE("escape: unescaping a JSON string body") {
    CHECK(unescaped("plain") == "plain");
    CHECK(unescaped("a\\\"b\\\\c\\/d") == "a\"b\\c/d");
    CHECK(unescaped("\\n\\t\\r\\b\\f") == "\n\t\r\b\f");
    CHECK(unescaped("\\u0041\\u00e9") == "A\xC3\xA9");
    CHECK(unescaped("\\u20AC") == "\xE2\x82\xAC");
    CHECK(unescaped("\\ud83d\\ude00") == "\xF0\x9F\x98\x80");
    SUBCASE("round trip through append_json_string") {
        std::string s = std::string("x\"\\\n\x01\xC3\xA9", 7);
        std::string q = quoted(s);
        CHECK(unescaped(std::string_view(q).substr(1, q.size() - 2)) == s);
    }
}
