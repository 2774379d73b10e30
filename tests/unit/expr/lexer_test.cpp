#include "expr/lexer.hpp"
#include "expr/syntax_error.hpp"
#include "expr_helpers.hpp"

#include <doctest/doctest.h>

using weir::expr::detail::Tok;
using weir::expr::detail::tokenize;
using weir::test::compile_error;
using weir::test::ev;

TEST_CASE("expr lexer: token kinds and positions") {
    auto t = tokenize("a.b >= 10 && !x");
    REQUIRE(t.size() == 7);
    CHECK(t[0].kind == Tok::path);
    CHECK(t[0].text == "a.b");
    CHECK_FALSE(t[0].name);
    CHECK(t[1].kind == Tok::ge);
    CHECK(t[1].pos == 4);
    CHECK(t[2].kind == Tok::integer);
    CHECK(t[2].i == 10);
    CHECK(t[3].kind == Tok::and_);
    CHECK(t[4].kind == Tok::not_);
    CHECK(t[5].kind == Tok::path);
    CHECK(t[5].name);
    CHECK(t[6].kind == Tok::end);
    CHECK(t[6].pos == 15);
}

TEST_CASE("expr lexer: strings in either quotes with JSON escapes") {
    CHECK(ev(R"("a\"b")") == R"(string "a\"b")");
    CHECK(ev(R"('it\'s')") == R"(string "it's")");
    CHECK(ev(R"('say "hi"')") == R"(string "say \"hi\"")");
    CHECK(ev(R"("\\ \/ \b\f\n\r\t")") == R"(string "\\ / \b\f\n\r\t")");
    CHECK(ev(R"("\u00e9")") == "string \"\xc3\xa9\"");
    CHECK(ev(R"("\ud83d\ude00")") == "string \"\xf0\x9f\x98\x80\"");
    CHECK(ev(R"('')") == R"(string "")");
}

TEST_CASE("expr lexer: numbers, durations, timestamps, keywords") {
    CHECK(ev("42") == "integer 42");
    CHECK(ev("1.5") == "number 1.5");
    CHECK(ev("2e3") == "number 2000.0");
    CHECK(ev("2.5E-1") == "number 0.25");
    CHECK(ev("9223372036854775807") == "integer 9223372036854775807");
    CHECK(ev("5m") == R"(duration "5m")");
    CHECK(ev("1h30m") == R"(duration "1h30m")");
    CHECK(ev("250ms") == R"(duration "250ms")");
    CHECK(ev("1.5h") == R"(duration "1h30m")");
    CHECK(ev(R"(t"2024-01-01T00:00:00Z")") == R"(timestamp "2024-01-01T00:00:00Z")");
    CHECK(ev(R"(t'2024-03-01T12:00:00.25+01:00')") == R"(timestamp "2024-03-01T11:00:00.250Z")");
    CHECK(ev("true") == "bool true");
    CHECK(ev("false") == "bool false");
    CHECK(ev("null") == "null null");
}

TEST_CASE("expr lexer: field paths, escapes and backticks") {
    std::string rec = R"({"a":{"b":1},"a.b":2,"odd name":3,"true":4,"$x":5,"we`ird":6,"t":7})";
    CHECK(ev("a.b", rec) == "integer 1");
    CHECK(ev(R"(a\.b)", rec) == "integer 2");
    CHECK(ev("`a.b`", rec) == "integer 2");
    CHECK(ev("`a`.b", rec) == "integer 1");
    CHECK(ev("`odd name`", rec) == "integer 3");
    CHECK(ev("`true`", rec) == "integer 4");
    CHECK(ev(R"(\$x)", rec) == "integer 5");
    CHECK(ev("`$x`", rec) == "integer 5");
    CHECK(ev(R"(`we\`ird`)", rec) == "integer 6");
    CHECK(ev("t", rec) == "integer 7"); // t alone is a field, t"..." a timestamp
    CHECK(ev("a_1.B2", R"({"a_1":{"B2":true}})") == "bool true");
}

TEST_CASE("expr lexer: errors") {
    CHECK(compile_error("'abc") == "--rule r: unterminated string at column 1\n"
                                   "  'abc\n"
                                   "  ^");
    CHECK(compile_error(R"(x == "a\qb")") ==
          "--rule r: invalid escape '\\q' in a string at column 8\n"
          "  x == \"a\\qb\"\n"
          "         ^^");
    CHECK(compile_error(R"("\u12")") ==
          "--rule r: invalid escape: '\\u' needs four hex digits at column 2\n"
          "  \"\\u12\"\n"
          "   ^^^^^");
    CHECK(compile_error(R"("\ud800")") ==
          "--rule r: invalid escape: a high surrogate without a low one at column 2\n"
          "  \"\\ud800\"\n"
          "   ^^^^^^");
    CHECK(compile_error("5x") ==
          "--rule r: '5x' is not a number or a duration (e.g. 250ms, 90s, 5m, 1h30m) at column 1\n"
          "  5x\n"
          "  ^^");
    CHECK(compile_error("99999999999999999999") ==
          "--rule r: number '99999999999999999999' is out of range at column 1\n"
          "  99999999999999999999\n"
          "  ^^^^^^^^^^^^^^^^^^^^");
    CHECK(compile_error(R"(t"yesterday")") ==
          "--rule r: 'yesterday' is not an RFC 3339 timestamp (e.g. 2024-01-01T00:00:00Z) at "
          "column 1\n"
          "  t\"yesterday\"\n"
          "  ^^^^^^^^^^^^");
    CHECK(compile_error("a = 1") == "--rule r: unknown operator '=' (use '==') at column 3\n"
                                    "  a = 1\n"
                                    "    ^");
    CHECK(compile_error("a & b") == "--rule r: unknown operator '&' (use '&&') at column 3\n"
                                    "  a & b\n"
                                    "    ^");
    CHECK(compile_error("kind ~= 'x'") == "--rule r: unknown operator '~=' at column 6\n"
                                          "  kind ~= 'x'\n"
                                          "       ^^");
    CHECK(compile_error("a # b") == "--rule r: unexpected character '#' at column 3\n"
                                    "  a # b\n"
                                    "    ^");
    CHECK(compile_error("`abc") == "--rule r: unterminated quoted field name at column 1\n"
                                   "  `abc\n"
                                   "  ^");
    CHECK(compile_error("a\\") == "--rule r: field path 'a\\': trailing backslash at column 1\n"
                                  "  a\\\n"
                                  "  ^^");
    CHECK(compile_error("'\x01'") ==
          "--rule r: control character in a string (write it as an escape) at column 2\n"
          "  ' '\n"
          "   ^");
    CHECK(compile_error("'\xff'") == "--rule r: invalid UTF-8 at column 2\n"
                                     "  '?'\n"
                                     "   ^");
}
