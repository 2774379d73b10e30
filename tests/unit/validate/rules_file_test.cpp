#include "../error_of.hpp"
#include "../io/temp_dir.hpp"
#include "validate/rules_file.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::Exit;
using weir::RuleKind;
using weir::RuleSpec;
using weir::test::error_of;

namespace {

std::vector<RuleSpec> parse(const std::string& toml) {
    return weir::parse_rules_text(toml, "rules.toml");
}

// The usage error message parsing `toml` gives.
std::string error(const std::string& toml) {
    weir::Error e = error_of([&] { parse(toml); });
    CHECK(e.code() == Exit::usage);
    return e.what();
}

} // namespace

TEST_CASE("rules_file: every rule kind, in file order") {
    std::vector<RuleSpec> r = parse(R"TOML([ids]
require = ["event_id", "user_id"]

[amount_sane]
field = "amount"
range = "0..10000"

[kind]
field = "event_type"
enum = ["view", "purchase", 3, 2.5, true, "q\"uote"]

[os]
field = "device.os"
match = "^(ios|android)$"

[typed]
field = "amount"
type = "number"

[fresh]
field = "event_time"
not_future = "5m"

[recent]
field = "event_time"
max_age = "7d"

[purchase_has_customer]
expr = "event_type != 'purchase' || exists(customer_id)"
description = "optional free text, allowed on any rule"
)TOML");
    REQUIRE(r.size() == 9);

    CHECK(r[0].name == "ids");
    CHECK(r[0].kind == RuleKind::require);
    CHECK(r[0].field == "event_id");
    CHECK(r[0].origin == "rules.toml [ids]");
    CHECK(r[1].name == "ids");
    CHECK(r[1].field == "user_id");

    CHECK(r[2].name == "amount_sane");
    CHECK(r[2].kind == RuleKind::range);
    CHECK(r[2].field == "amount");
    CHECK(r[2].arg == "0..10000");
    CHECK(r[2].origin == "rules.toml [amount_sane]");

    CHECK(r[3].kind == RuleKind::enum_of);
    CHECK(r[3].field == "event_type");
    CHECK(r[3].values ==
          std::vector<std::string>{"\"view\"", "\"purchase\"", "3", "2.5", "true", R"("q\"uote")"});

    CHECK(r[4].kind == RuleKind::match);
    CHECK(r[4].field == "device.os");
    CHECK(r[4].arg == "^(ios|android)$");

    CHECK(r[5].kind == RuleKind::type);
    CHECK(r[5].arg == "number");

    CHECK(r[6].kind == RuleKind::not_future);
    CHECK(r[6].field == "event_time");
    CHECK(r[6].arg == "5m");

    CHECK(r[7].kind == RuleKind::max_age);
    CHECK(r[7].arg == "7d");

    CHECK(r[8].name == "purchase_has_customer");
    CHECK(r[8].kind == RuleKind::expr);
    CHECK(r[8].field.empty());
    CHECK(r[8].arg == "event_type != 'purchase' || exists(customer_id)");
}

TEST_CASE("rules_file: keeps file order, not name order") {
    std::vector<RuleSpec> r = parse("[zeta]\nrequire = [\"a\"]\n"
                                    "[alpha]\nrequire = [\"b\"]\n"
                                    "[mid]\nfield = \"c\"\ntype = \"string\"\n");
    REQUIRE(r.size() == 3);
    CHECK(r[0].name == "zeta");
    CHECK(r[1].name == "alpha");
    CHECK(r[2].name == "mid");
    SUBCASE("inline tables too") {
        r = parse("b = { require = [\"x\"] }\na = { field = \"y\", type = \"bool\" }\n");
        REQUIRE(r.size() == 2);
        CHECK(r[0].name == "b");
        CHECK(r[1].name == "a");
    }
}

TEST_CASE("rules_file: min and max build a range") {
    SUBCASE("both") {
        std::vector<RuleSpec> r = parse("[a]\nfield = \"x\"\nmin = 0\nmax = 10000\n");
        REQUIRE(r.size() == 1);
        CHECK(r[0].kind == RuleKind::range);
        CHECK(r[0].arg == "0..10000");
    }
    SUBCASE("min alone, a float") {
        std::vector<RuleSpec> r = parse("[a]\nfield = \"x\"\nmin = -1.5\n");
        CHECK(r[0].arg == "-1.5..");
    }
    SUBCASE("max alone, before field") {
        std::vector<RuleSpec> r = parse("[a]\nmax = 2.0\nfield = \"x\"\n");
        CHECK(r[0].arg == "..2.0");
    }
}

TEST_CASE("rules_file: accepted variants") {
    SUBCASE("require as one string") {
        std::vector<RuleSpec> r = parse("[a]\nrequire = \"event_id\"\n");
        REQUIRE(r.size() == 1);
        CHECK(r[0].field == "event_id");
    }
    SUBCASE("escaped field paths") {
        std::vector<RuleSpec> r = parse("[a]\nrequire = ['a\\.b', 'c.d']\n");
        CHECK(r[0].field == "a\\.b");
        CHECK(r[1].field == "c.d");
    }
    SUBCASE("not_future without skew") {
        CHECK(parse("[a]\nfield = \"t\"\nnot_future = \"\"\n")[0].arg.empty());
        CHECK(parse("[a]\nfield = \"t\"\nnot_future = \"0s\"\n")[0].arg == "0s");
    }
    SUBCASE("open ranges") {
        CHECK(parse("[a]\nfield = \"x\"\nrange = \"..5\"\n")[0].arg == "..5");
        CHECK(parse("[a]\nfield = \"x\"\nrange = \"-2.5..\"\n")[0].arg == "-2.5..");
        CHECK(parse("[a]\nfield = \"x\"\nrange = \"1e3..1e4\"\n")[0].arg == "1e3..1e4");
    }
    SUBCASE("every type name") {
        for (const char* t :
             {"string", "number", "integer", "bool", "object", "array", "timestamp"})
            CHECK(parse(std::string("[a]\nfield = \"x\"\ntype = \"") + t + "\"\n")[0].arg == t);
    }
    SUBCASE("an empty file has no rules") {
        CHECK(parse("# nothing\n").empty());
    }
}

TEST_CASE("rules_file: errors name the file, line and table") {
    CHECK(error("[a]\nfield = \"x\"\ntype = \"number\"\nfield2 = 1\n") ==
          "rules.toml:4: [a] unknown key 'field2' (known: field, description, require, type, "
          "range, min, max, enum, match, not_future, max_age, expr)");
    CHECK(error("[a]\nfield = \"x\"\ntype = \"number\"\nrange = \"0..1\"\n") ==
          "rules.toml:4: [a] two rule kinds in one table: 'type' and 'range'");
    CHECK(error("[a]\nfield = \"x\"\nmin = 1\nrange = \"0..1\"\n") ==
          "rules.toml:4: [a] two rule kinds in one table: 'min' and 'range'");
    CHECK(error("x = 1\n") ==
          "rules.toml:1: 'x' is an integer outside any rule table (each rule is a [name] table)");
    CHECK(error("[[a]]\nrequire = [\"x\"]\n") ==
          "rules.toml:1: 'a' is an array outside any rule table (each rule is a [name] table)");
    CHECK(error("\n\n[a]\ndescription = \"d\"\n") ==
          "rules.toml:3: [a] no rule kind (give one of require, type, range (or min/max), enum, "
          "match, not_future, max_age, expr)");
    CHECK(error("[a]\ntype = \"number\"\n") == "rules.toml:1: [a] missing 'field' for 'type'");
    CHECK(error("[a]\nfield = \"x\"\nrequire = [\"y\"]\n") ==
          "rules.toml:2: [a] 'field' is not used with 'require'");
    CHECK(error("[a]\nfield = \"x\"\nexpr = \"1\"\n") ==
          "rules.toml:2: [a] 'field' is not used with 'expr'");
    CHECK(error("[\"\"]\nrequire = [\"y\"]\n") == "rules.toml:1: [] empty rule name");
}

TEST_CASE("rules_file: wrong value types") {
    CHECK(error("[a]\nfield = 3\ntype = \"number\"\n") ==
          "rules.toml:2: [a] 'field' must be a string, not an integer");
    CHECK(error("[a]\nfield = \"x\"\ntype = [\"number\"]\n") ==
          "rules.toml:3: [a] 'type' must be a string, not an array");
    CHECK(error("[a]\nrequire = 1\n") ==
          "rules.toml:2: [a] 'require' must be an array of field paths, not an integer");
    CHECK(error("[a]\nrequire = [\"x\",\n  2]\n") ==
          "rules.toml:3: [a] 'require' must be a string, not an integer");
    CHECK(error("[a]\nrequire = []\n") == "rules.toml:2: [a] 'require' is empty");
    CHECK(error("[a]\nfield = \"x\"\nenum = \"view\"\n") ==
          "rules.toml:3: [a] 'enum' must be an array, not a string");
    CHECK(error("[a]\nfield = \"x\"\nenum = []\n") == "rules.toml:3: [a] 'enum' is empty");
    CHECK(error("[a]\nfield = \"x\"\nenum = [\"v\", [1]]\n") ==
          "rules.toml:3: [a] 'enum' values must be strings, numbers or booleans, not an array");
    CHECK(error("[a]\nfield = \"x\"\nenum = [nan]\n") ==
          "rules.toml:3: [a] 'enum' values must be finite numbers");
    CHECK(error("[a]\nfield = \"x\"\nmin = \"0\"\n") ==
          "rules.toml:3: [a] 'min' must be a number, not a string");
    CHECK(error("[a]\nfield = \"x\"\nmax = inf\n") ==
          "rules.toml:3: [a] 'max' must be a finite number");
    CHECK(error("[a]\nfield = \"x\"\nmin = 5\nmax = 1\n") ==
          "rules.toml:4: [a] 'min' (5) is greater than 'max' (1)");
    CHECK(error("[a]\nfield = \"x\"\nnot_future = 5\n") ==
          "rules.toml:3: [a] 'not_future' must be a string, not an integer");
    CHECK(error("[a]\nfield = \"x\"\nmax_age = 1979-05-27\n") ==
          "rules.toml:3: [a] 'max_age' must be a string, not a date");
    CHECK(error("[a]\nfield = \"x\"\ntype = \"string\"\ndescription = 1.5\n") ==
          "rules.toml:4: [a] 'description' must be a string, not a float");
    CHECK(error("[a]\nexpr = true\n") ==
          "rules.toml:2: [a] 'expr' must be a string, not a boolean");
    CHECK(error("[a]\nexpr = \"  \"\n") == "rules.toml:2: [a] 'expr' is empty");
    CHECK(error("[a]\nfield = \"x\"\nmatch = 1\n") ==
          "rules.toml:3: [a] 'match' must be a string, not an integer");
    CHECK(error("[a.b]\nrequire = [\"x\"]\n") ==
          "rules.toml:1: [a] unknown key 'b' (known: field, description, require, type, range, "
          "min, max, enum, match, not_future, max_age, expr)");
}

TEST_CASE("rules_file: values are checked at load") {
    CHECK(error("[a]\nfield = \"a..b\"\ntype = \"number\"\n") ==
          "rules.toml:2: [a] field path 'a..b': empty segment");
    CHECK(error("[a]\nrequire = [\"ok\", \"$x\"]\n") ==
          "rules.toml:2: [a] field path '$x': a leading '$' is reserved; write '\\$' for a "
          "literal '$'");
    CHECK(error("[a]\nfield = \"x\"\ntype = \"str\"\n") ==
          "rules.toml:3: [a] unknown type 'str' (known: string, number, integer, bool, object, "
          "array, timestamp)");
    CHECK(error("[a]\nfield = \"x\"\nrange = \"5\"\n") ==
          "rules.toml:3: [a] range '5' is not MIN..MAX (e.g. 0..100, 0.., ..100)");
    CHECK(error("[a]\nfield = \"x\"\nrange = \"a..5\"\n") ==
          "rules.toml:3: [a] range 'a..5': 'a' is not a number or an RFC 3339 time");
    CHECK(error("[a]\nfield = \"x\"\nrange = \"1..inf\"\n") ==
          "rules.toml:3: [a] range '1..inf': 'inf' is not a number or an RFC 3339 time");
    CHECK(error("[a]\nfield = \"x\"\nrange = \"..\"\n") ==
          "rules.toml:3: [a] range '..' has no bound");
    CHECK(error("[a]\nfield = \"x\"\nrange = \"9..1\"\n") ==
          "rules.toml:3: [a] range '9..1' is empty: 9 is greater than 1");
    CHECK(error("[a]\nfield = \"x\"\nmatch = \"(ios\"\n") ==
          "rules.toml:3: [a] invalid pattern '(ios': missing ): (ios");
    CHECK(error("[a]\nfield = \"x\"\nnot_future = \"5 min\"\n") ==
          "rules.toml:3: [a] '5 min' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)");
    CHECK(error("[a]\nfield = \"x\"\nmax_age = \"\"\n") ==
          "rules.toml:3: [a] '' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)");
}

TEST_CASE("rules_file: TOML syntax errors carry line and column") {
    std::string msg = error("[a]\nrequire = [\"x\"\n");
    CHECK(msg.rfind("rules.toml:", 0) == 0);
    CHECK(msg == "rules.toml:2:16: error while parsing array: encountered end-of-file");
    SUBCASE("a table defined twice") {
        msg = error("[a]\nrequire = [\"x\"]\n[a]\nrequire = [\"y\"]\n");
        CHECK(msg == "rules.toml:3:1: error while parsing table header: cannot redefine "
                     "existing table 'a'");
    }
}

TEST_CASE("rules_file: reads a file") {
    weir::test::TempDir dir;
    std::string path = dir / "rules.toml";
    weir::test::write_file(path, "[ids]\nrequire = [\"event_id\"]\n");
    std::vector<RuleSpec> r = weir::read_rules_file(path);
    REQUIRE(r.size() == 1);
    CHECK(r[0].origin == path + " [ids]");

    SUBCASE("errors name the path") {
        weir::test::write_file(path, "[ids]\nrequire = 1\n");
        weir::Error e = error_of([&] { weir::read_rules_file(path); });
        CHECK(e.code() == Exit::usage);
        CHECK(std::string(e.what()) ==
              path + ":2: [ids] 'require' must be an array of field paths, not an integer");
    }
    SUBCASE("a missing file") {
        weir::Error e = error_of([&] { weir::read_rules_file(dir / "nope.toml"); });
        CHECK(e.code() == Exit::no_input);
        CHECK(std::string(e.what()) ==
              "cannot open '" + (dir / "nope.toml") + "': No such file or directory");
    }
    SUBCASE("a directory") {
        weir::Error e = error_of([&] { weir::read_rules_file(dir.path()); });
        CHECK(e.code() == Exit::no_input);
        CHECK(std::string(e.what()) == "cannot read '" + dir.path() + "': Is a directory");
    }
}
