#include "expr/syntax_error.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::expr::detail::first_invalid_utf8;
using weir::expr::detail::format_syntax_error;
using weir::expr::detail::SyntaxError;

TEST_CASE("expr syntax_error: three lines, caret under the offending text") {
    SyntaxError e{4, 2, "unknown operator '~='"};
    CHECK(format_syntax_error("--rule r", "a && ~= b", e) ==
          "--rule r: unknown operator '~=' at column 5\n"
          "  a && ~= b\n"
          "      ^^");
}

TEST_CASE("expr syntax_error: columns count code points, not bytes") {
    // "é" is two bytes: the error at byte 5 is at column 5.
    SyntaxError e{5, 1, "unexpected '?'"};
    CHECK(format_syntax_error("w", "'é' ?", e) == "w: unexpected '?' at column 5\n"
                                                  "  'é' ?\n"
                                                  "      ^");
}

TEST_CASE("expr syntax_error: at the end, one caret past the last character") {
    SyntaxError e{3, 0, "expected a value, found end of expression"};
    CHECK(format_syntax_error("w", "a +", e) ==
          "w: expected a value, found end of expression at column 4\n"
          "  a +\n"
          "     ^");
}

TEST_CASE("expr syntax_error: control characters shown as blanks keep the caret aligned") {
    SyntaxError e{2, 1, "x"};
    CHECK(format_syntax_error("w", "a\tb\nc", e) == "w: x at column 3\n"
                                                    "  a b c\n"
                                                    "    ^");
}

TEST_CASE("expr syntax_error: first_invalid_utf8") {
    CHECK(first_invalid_utf8("plain") == std::string::npos);
    CHECK(first_invalid_utf8("h\xc3\xa9") == std::string::npos);
    CHECK(first_invalid_utf8("ab\xff") == 2);
    CHECK(first_invalid_utf8("\xc3") == 0);             // truncated
    CHECK(first_invalid_utf8("x\xc0\x80") == 1);        // overlong
    CHECK(first_invalid_utf8("\xed\xa0\x80") == 0);     // a surrogate
    CHECK(first_invalid_utf8("\xf4\x90\x80\x80") == 0); // past U+10FFFF
}
