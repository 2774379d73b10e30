#include "expr/program.hpp"
#include "expr_helpers.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::test::compile_error;
using weir::test::ev;

TEST_CASE("expr parser: precedence, lowest to highest") {
    CHECK(ev("1 + 2 * 3") == "integer 7");
    CHECK(ev("(1 + 2) * 3") == "integer 9");
    CHECK(ev("10 - 4 % 3") == "integer 9");
    CHECK(ev("-2 * 3") == "integer -6");
    CHECK(ev("- -2") == "integer 2");
    CHECK(ev("!false && false") == "bool false"); // (!false) && false
    CHECK(ev("true || false && false") == "bool true");
    CHECK(ev("(true || false) && false") == "bool false");
    CHECK(ev("1 + 1 == 2") == "bool true");
    CHECK(ev("1 < 2 == true") == "bool true");   // relations bind tighter than ==
    CHECK(ev("1 + 1 in [2, 3]") == "bool true"); // in binds like <
    CHECK(ev("2 > 1 && 3 > 2") == "bool true");
    CHECK(ev("!(1 in [1])") == "bool false");
}

TEST_CASE("expr parser: left associativity") {
    CHECK(ev("10 - 4 - 3") == "integer 3");
    CHECK(ev("16 / 4 / 2") == "number 2.0");
    CHECK(ev("100 % 7 % 3") == "integer 2");
}

TEST_CASE("expr parser: calls, lists, whitespace") {
    CHECK(ev(" len( 'abc' ) ") == "integer 3");
    CHECK(ev("coalesce(a, b, 'c')") == R"(string "c")");
    CHECK(ev("now()") == R"(timestamp "2024-01-01T00:00:00Z")");
    CHECK(ev("x in []", R"({"x":1})") == "bool false");
    CHECK(ev("x in [-1, -2.5, -5m]", R"({"x":-1})") == "bool true");
    CHECK(ev("len\n(\t'ab'\r\n)") == "integer 2");
    // A name followed by '(' is a call; otherwise a field of that name.
    CHECK(ev("len", R"({"len":5})") == "integer 5");
    CHECK(ev("len(len)", R"({"len":"abcde"})") == "integer 5");
}

TEST_CASE("expr parser: each distinct field path is one slot") {
    auto e = weir::expr::Expr::compile(R"(a.b > 1 && a.b < 9 || `a`.b == c && a\.b == c)", "w");
    REQUIRE(e.fields().size() == 3);
    CHECK(e.fields()[0].text() == "a.b");
    CHECK(e.fields()[1].text() == "c");
    CHECK(e.fields()[2].segments() == std::vector<std::string>{"a.b"});
    CHECK(e.source() == R"(a.b > 1 && a.b < 9 || `a`.b == c && a\.b == c)");
}

TEST_CASE("expr parser: errors name the column and mark the text") {
    CHECK(compile_error("") == "--rule r: empty expression at column 1\n"
                               "  \n"
                               "  ^");
    CHECK(compile_error("  ") == "--rule r: empty expression at column 1\n"
                                 "    \n"
                                 "  ^^");
    CHECK(compile_error("amount >") ==
          "--rule r: expected a value, found end of expression at column 9\n"
          "  amount >\n"
          "          ^");
    CHECK(compile_error("(a + 1") == "--rule r: expected ')', found end of expression at column 7\n"
                                     "  (a + 1\n"
                                     "        ^");
    CHECK(compile_error("a b") == "--rule r: unexpected 'b' at column 3\n"
                                  "  a b\n"
                                  "    ^");
    CHECK(compile_error("a)") == "--rule r: unexpected ')' at column 2\n"
                                 "  a)\n"
                                 "   ^");
    CHECK(compile_error("* 2") == "--rule r: expected a value, found '*' at column 1\n"
                                  "  * 2\n"
                                  "  ^");
    CHECK(compile_error("a == b == c") ==
          "--rule r: '==' cannot follow another comparison (add parentheses) at column 8\n"
          "  a == b == c\n"
          "         ^^");
    CHECK(compile_error("1 < a < 3") ==
          "--rule r: '<' cannot follow another comparison (add parentheses) at column 7\n"
          "  1 < a < 3\n"
          "        ^");
    CHECK(compile_error("x in 1") == "--rule r: expected '[' (a list of literals), found '1' at "
                                     "column 6\n"
                                     "  x in 1\n"
                                     "       ^");
    CHECK(compile_error("x in [1, y]") ==
          "--rule r: expected a literal in the list, found 'y' at column 10\n"
          "  x in [1, y]\n"
          "           ^");
    CHECK(compile_error("x in [-'a']") ==
          "--rule r: expected a literal in the list, found ''a'' at column 8\n"
          "  x in [-'a']\n"
          "         ^^^");
    CHECK(compile_error("x in [1 2]") == "--rule r: expected ',' or ']', found '2' at column 9\n"
                                         "  x in [1 2]\n"
                                         "          ^");
    CHECK(compile_error("len(a b)") == "--rule r: expected ',' or ')', found 'b' at column 7\n"
                                       "  len(a b)\n"
                                       "        ^");
    CHECK(ev("`a..b`", R"({"a..b":1})") == "integer 1"); // one literal segment
    CHECK(compile_error("a..b") == "--rule r: unexpected character '.' at column 2\n"
                                   "  a..b\n"
                                   "   ^");
    CHECK(compile_error("`` == 1") == "--rule r: field path '': empty path at column 1\n"
                                      "  `` == 1\n"
                                      "  ^^");
    CHECK(compile_error("$x") == "--rule r: unexpected character '$' at column 1\n"
                                 "  $x\n"
                                 "  ^");
}

TEST_CASE("expr parser: unknown functions and argument counts") {
    CHECK(compile_error("lenn(name) > 3") == "--rule r: unknown function 'lenn' at column 1\n"
                                             "  lenn(name) > 3\n"
                                             "  ^^^^");
    CHECK(compile_error("x && len(a, b)") ==
          "--rule r: function 'len' takes 1 argument, given 2 at column 6\n"
          "  x && len(a, b)\n"
          "       ^^^");
    CHECK(compile_error("starts_with(a)") ==
          "--rule r: function 'starts_with' takes 2 arguments, given 1 at column 1\n"
          "  starts_with(a)\n"
          "  ^^^^^^^^^^^");
    CHECK(compile_error("now(1)") == "--rule r: function 'now' takes 0 arguments, given 1 at "
                                     "column 1\n"
                                     "  now(1)\n"
                                     "  ^^^");
    CHECK(compile_error("coalesce()") ==
          "--rule r: function 'coalesce' takes at least 1 argument, given 0 at column 1\n"
          "  coalesce()\n"
          "  ^^^^^^^^");
    // A dotted path is never a call.
    CHECK(compile_error("a.len(x)") == "--rule r: unexpected '(' at column 6\n"
                                       "  a.len(x)\n"
                                       "       ^");
}

TEST_CASE("expr parser: matches takes a literal pattern, compiled at once") {
    CHECK(compile_error("matches(s, p)") ==
          "--rule r: the pattern of 'matches' must be a string literal at column 12\n"
          "  matches(s, p)\n"
          "             ^");
    CHECK(compile_error("matches(s, 'a(')") ==
          "--rule r: invalid regular expression: missing ): a( at column 12\n"
          "  matches(s, 'a(')\n"
          "             ^^^^");
}

TEST_CASE("expr parser: nesting is bounded") {
    std::string deep(300, '(');
    deep += "1";
    deep += std::string(300, ')');
    std::string msg = compile_error(deep);
    CHECK(msg.find("--rule r: expression is nested too deeply at column ") == 0);

    std::string chain = "1";
    for (int i = 0; i < 300; ++i)
        chain += " + 1";
    CHECK(compile_error(chain).find("expression is nested too deeply") != std::string::npos);

    std::string unary(300, '-');
    unary += "1";
    CHECK(compile_error(unary).find("expression is nested too deeply") != std::string::npos);

    std::string fine = "1";
    for (int i = 0; i < 200; ++i)
        fine += " + 1";
    CHECK(ev(fine) == "integer 201");
}
