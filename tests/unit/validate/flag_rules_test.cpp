// Rules written as flags (validate/flag_rules.hpp): each flag's shape, the names the
// rules get, how enum values are encoded, and the usage errors.

#include "../error_of.hpp"
#include "validate/flag_rules.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::Exit;
using weir::RuleKind;
using weir::RuleSpec;
using weir::test::error_of;

namespace {

using Strings = std::vector<std::string>;

std::vector<RuleSpec> rules(std::string_view flag, std::string_view value) {
    return weir::rules_from_flag(flag, value);
}

RuleSpec one(std::string_view flag, std::string_view value) {
    std::vector<RuleSpec> r = rules(flag, value);
    REQUIRE(r.size() == 1);
    return r[0];
}

std::string error(std::string_view flag, std::string_view value, Exit code = Exit::usage) {
    weir::Error e = error_of([&] { rules(flag, value); });
    CHECK(e.code() == code);
    return e.what();
}

} // namespace

TEST_CASE("flag rules: --require makes one rule per field") {
    std::vector<RuleSpec> r = rules("--require", "event_id, user_id ,device.os");
    REQUIRE(r.size() == 3);
    CHECK(r[0].kind == RuleKind::require);
    CHECK(r[0].name == "require:event_id");
    CHECK(r[0].field == "event_id");
    CHECK(r[0].arg.empty());
    CHECK(r[0].values.empty());
    CHECK(r[0].origin == "--require event_id, user_id ,device.os");
    CHECK(r[1].name == "require:user_id");
    CHECK(r[1].field == "user_id");
    CHECK(r[2].name == "require:device.os");
    CHECK(r[2].field == "device.os");

    RuleSpec s = one("--require", "user_id");
    CHECK(s.name == "require:user_id");
    CHECK(s.origin == "--require user_id");

    // The field is the whole text: a ':' is part of the name, not a separator.
    CHECK(one("--require", "a:b").field == "a:b");
    // Escapes are kept for the field-path parser.
    CHECK(one("--require", "a\\.b").field == "a\\.b");
}

TEST_CASE("flag rules: --type") {
    RuleSpec s = one("--type", "amount:number");
    CHECK(s.kind == RuleKind::type);
    CHECK(s.name == "type:amount");
    CHECK(s.field == "amount");
    CHECK(s.arg == "number");
    CHECK(s.origin == "--type amount:number");

    s = one("--type", " amount : integer ");
    CHECK(s.field == "amount");
    CHECK(s.arg == "integer");
    CHECK(s.name == "type:amount");

    // Type names are checked when the rule is compiled (rule_set), not here.
    CHECK(one("--type", "amount:decimal").arg == "decimal");
}

TEST_CASE("flag rules: --range") {
    RuleSpec s = one("--range", "amount:0..1000");
    CHECK(s.kind == RuleKind::range);
    CHECK(s.name == "range:amount");
    CHECK(s.field == "amount");
    CHECK(s.arg == "0..1000");

    // The field ends at the first ':', so a timestamp's colons stay in the range.
    s = one("--range", "event_time:2024-01-01T00:00:00Z..2024-02-01T00:00:00Z");
    CHECK(s.field == "event_time");
    CHECK(s.arg == "2024-01-01T00:00:00Z..2024-02-01T00:00:00Z");
    CHECK(s.name == "range:event_time");

    CHECK(one("--range", "x: ..5 ").arg == "..5");
}

TEST_CASE("flag rules: --match keeps the pattern as written") {
    RuleSpec s = one("--match", "device.os:^(ios|android)$");
    CHECK(s.kind == RuleKind::match);
    CHECK(s.name == "match:device.os");
    CHECK(s.field == "device.os");
    CHECK(s.arg == "^(ios|android)$");

    // Blanks and colons belong to the pattern.
    s = one("--match", "msg: a:b ");
    CHECK(s.field == "msg");
    CHECK(s.arg == " a:b ");
}

TEST_CASE("flag rules: --not-future, with or without a skew") {
    RuleSpec s = one("--not-future", "event_time");
    CHECK(s.kind == RuleKind::not_future);
    CHECK(s.name == "not_future:event_time");
    CHECK(s.field == "event_time");
    CHECK(s.arg.empty());
    CHECK(s.origin == "--not-future event_time");

    s = one("--not-future", "event_time:5m");
    CHECK(s.name == "not_future:event_time");
    CHECK(s.arg == "5m");

    s = one("--not-future", " ts : 90s ");
    CHECK(s.field == "ts");
    CHECK(s.arg == "90s");

    CHECK(one("--not-future", "ts:").arg.empty());
}

TEST_CASE("flag rules: --max-age") {
    RuleSpec s = one("--max-age", "event_time:7d");
    CHECK(s.kind == RuleKind::max_age);
    CHECK(s.name == "max_age:event_time");
    CHECK(s.field == "event_time");
    CHECK(s.arg == "7d");
    // Durations are checked when compiled.
    CHECK(one("--max-age", "t:soon").arg == "soon");
}

TEST_CASE("flag rules: --enum values as JSON scalars' text") {
    RuleSpec s = one("--enum", "event_type:view,purchase");
    CHECK(s.kind == RuleKind::enum_of);
    CHECK(s.name == "enum:event_type");
    CHECK(s.field == "event_type");
    CHECK(s.arg.empty());
    CHECK(s.values == Strings{"\"view\"", "\"purchase\""});

    SUBCASE("blanks around values are trimmed") {
        CHECK(one("--enum", "k: view , add to cart ").values ==
              Strings{"\"view\"", "\"add to cart\""});
    }
    SUBCASE("a number is the string and the number") {
        CHECK(one("--enum", "code:1,2").values == Strings{"\"1\"", "1", "\"2\"", "2"});
        CHECK(one("--enum", "x:-2.5,1e3").values == Strings{"\"-2.5\"", "-2.5", "\"1e3\"", "1e3"});
    }
    SUBCASE("true, false and null are the string and the literal") {
        CHECK(one("--enum", "f:true,false,null").values ==
              Strings{"\"true\"", "true", "\"false\"", "false", "\"null\"", "null"});
    }
    SUBCASE("only exact literals and JSON numbers get a second form") {
        CHECK(one("--enum", "f:True,NULL,+1,inf,nan,0x1").values ==
              Strings{"\"True\"", "\"NULL\"", "\"+1\"", "\"inf\"", "\"nan\"", "\"0x1\""});
    }
    SUBCASE("strings are JSON-escaped") {
        CHECK(one("--enum", "f:a\"b,c\\d").values == Strings{R"("a\"b")", R"("c\\d")"});
    }
    SUBCASE("colons after the first belong to the values") {
        CHECK(one("--enum", "t:12:00,13:00").values == Strings{"\"12:00\"", "\"13:00\""});
    }
    SUBCASE("an empty value is the empty string") {
        CHECK(one("--enum", "f:a,,b").values == Strings{"\"a\"", "\"\"", "\"b\""});
        CHECK(one("--enum", "f:").values == Strings{"\"\""});
    }
}

TEST_CASE("flag rules: --rule 'NAME: EXPR'") {
    RuleSpec s = one("--rule", "big_spend: amount > 100");
    CHECK(s.kind == RuleKind::expr);
    CHECK(s.name == "big_spend");
    CHECK(s.field.empty());
    CHECK(s.arg == "amount > 100");
    CHECK(s.origin == "--rule big_spend");

    // The name ends at the first ':'; the expression may hold more.
    s = one("--rule", "  t :  ts(event_time) > t\"2024-01-01T00:00:00Z\"  ");
    CHECK(s.name == "t");
    CHECK(s.arg == "ts(event_time) > t\"2024-01-01T00:00:00Z\"");
    CHECK(s.origin == "--rule t");
}

TEST_CASE("flag rules: usage errors") {
    CHECK(error("--type", "amount") == "--type 'amount': expected FIELD:TYPE");
    CHECK(error("--range", "amount") == "--range 'amount': expected FIELD:MIN..MAX");
    CHECK(error("--enum", "kind") == "--enum 'kind': expected FIELD:A,B,...");
    CHECK(error("--match", "os") == "--match 'os': expected FIELD:REGEX");
    CHECK(error("--max-age", "event_time") == "--max-age 'event_time': expected FIELD:DURATION");

    CHECK(error("--require", "") == "--require '': no field named");
    CHECK(error("--require", "a,,b") == "--require 'a,,b': no field named");
    CHECK(error("--require", "a,") == "--require 'a,': no field named");
    CHECK(error("--type", ":number") == "--type ':number': no field named");
    CHECK(error("--range", " :0..1") == "--range ' :0..1': no field named");
    CHECK(error("--not-future", "") == "--not-future '': no field named");
    CHECK(error("--not-future", ":5m") == "--not-future ':5m': no field named");

    CHECK(error("--rule", "amount > 100") == "--rule 'amount > 100': expected 'NAME: EXPR'");
    CHECK(error("--rule", ": amount > 100") == "--rule ': amount > 100': expected 'NAME: EXPR'");
    CHECK(error("--rule", "name:  ") == "--rule 'name:  ': expected 'NAME: EXPR'");

    // Not a rule flag at all: a bug in the caller.
    CHECK(error("--bogus", "f:x", Exit::internal) == "no rule flag --bogus");
}
