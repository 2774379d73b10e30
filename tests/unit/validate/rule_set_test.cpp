// The compiled rules of weir-validate (validate/rule_set.hpp): every rule kind's pass and
// fail, missing and null, wrong kinds, timestamps, time rules against a fixed now, shared
// names, rule order, expression rules, schemas mixed in, and compile errors.

#include "../error_of.hpp"
#include "json/document.hpp"
#include "time/rfc3339.hpp"
#include "validate/flag_rules.hpp"
#include "validate/json_schema.hpp"
#include "validate/rule_set.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::Exit;
using weir::RuleKind;
using weir::RuleSet;
using weir::RuleSpec;
using weir::Timestamp;
using weir::test::error_of;

namespace {

using Names = std::vector<std::string>;

Timestamp at(std::string_view rfc3339) {
    std::optional<Timestamp> t = weir::parse_rfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

// "Now" for the time rules, unless a test says otherwise: 2024-03-01T12:00:00Z (not
// parsed with at(), whose REQUIRE must not run before doctest starts).
constexpr Timestamp noon = 1'709'294'400'000'000;

// The names of the rules `rules` fails on `record`, in the order check() reports them.
Names failures(RuleSet& rules, const std::string& record, Timestamp now = noon) {
    std::string padded = record + std::string(weir::record_padding, '\0');
    weir::JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), record.size())));
    std::vector<std::uint32_t> failed;
    rules.check(doc.root(), now, failed);
    Names names;
    for (std::uint32_t i : failed)
        names.push_back(rules.names().at(i));
    return names;
}

bool ok(RuleSet& rules, const std::string& record, Timestamp now = noon) {
    INFO(record);
    return failures(rules, record, now).empty();
}

// A RuleSet of the rules one flag makes.
RuleSet from_flag(std::string_view flag, std::string_view value,
                  weir::TimeUnit unit = weir::TimeUnit::auto_) {
    RuleSet rules(unit);
    for (const RuleSpec& s : weir::rules_from_flag(flag, value))
        rules.add(s);
    return rules;
}

RuleSpec spec(RuleKind kind, std::string name, std::string field, std::string arg = {},
              std::string origin = "rules.toml [r]") {
    RuleSpec s;
    s.kind = kind;
    s.name = std::move(name);
    s.field = std::move(field);
    s.arg = std::move(arg);
    s.origin = std::move(origin);
    return s;
}

// The usage error adding `s` gives.
std::string error(const RuleSpec& s) {
    RuleSet rules;
    weir::Error e = error_of([&] { rules.add(s); });
    CHECK(e.code() == Exit::usage);
    return e.what();
}

std::string flag_error(std::string_view flag, std::string_view value) {
    weir::Error e = error_of([&] { from_flag(flag, value); });
    CHECK(e.code() == Exit::usage);
    return e.what();
}

} // namespace

TEST_CASE("rule set: empty, and names in rule order") {
    RuleSet rules;
    CHECK(rules.empty());
    CHECK(rules.names().empty());
    CHECK(ok(rules, R"({"a":1})"));

    rules.add(spec(RuleKind::require, "zeta", "a"));
    rules.add(spec(RuleKind::require, "alpha", "b"));
    rules.add(spec(RuleKind::require, "zeta", "c")); // a name shared with the first
    CHECK_FALSE(rules.empty());
    CHECK(rules.names() == Names{"zeta", "alpha"});
}

TEST_CASE("rule set: require") {
    RuleSet rules = from_flag("--require", "user_id,device.os");
    CHECK(rules.names() == Names{"require:user_id", "require:device.os"});
    CHECK(ok(rules, R"({"user_id":"u1","device":{"os":"ios"}})"));
    // Any present non-null value passes, empty or false or zero included.
    CHECK(ok(rules, R"({"user_id":"","device":{"os":false}})"));
    CHECK(ok(rules, R"({"user_id":0,"device":{"os":[]}})"));
    CHECK(ok(rules, R"({"user_id":{},"device":{"os":{}}})"));
    // Missing and null both fail.
    CHECK(failures(rules, R"({"device":{"os":"ios"}})") == Names{"require:user_id"});
    CHECK(failures(rules, R"({"user_id":null,"device":{"os":"ios"}})") == Names{"require:user_id"});
    CHECK(failures(rules, R"({"user_id":"u","device":{"os":null}})") == Names{"require:device.os"});
    // A path through a non-object is missing.
    CHECK(failures(rules, R"({"user_id":"u","device":"ios"})") == Names{"require:device.os"});
    CHECK(failures(rules, R"({"user_id":"u","device":null})") == Names{"require:device.os"});
    CHECK(failures(rules, "{}") == Names{"require:user_id", "require:device.os"});
    // A repeated member: the last one counts.
    CHECK(failures(rules, R"({"user_id":"u","user_id":null,"device":{"os":1}})") ==
          Names{"require:user_id"});
    // Escaped paths name a member with a dot.
    RuleSet dotted = from_flag("--require", "a\\.b");
    CHECK(ok(dotted, R"({"a.b":1})"));
    CHECK_FALSE(ok(dotted, R"({"a":{"b":1}})"));
}

TEST_CASE("rule set: every field rule but require passes a missing field") {
    RuleSet rules;
    for (auto [flag, value] :
         std::vector<std::pair<const char*, const char*>>{{"--type", "x:string"},
                                                          {"--range", "x:0..1"},
                                                          {"--range", "x:2024-01-01T00:00:00Z.."},
                                                          {"--enum", "x:a"},
                                                          {"--match", "x:^a$"},
                                                          {"--not-future", "x"},
                                                          {"--max-age", "x:1s"}})
        for (const RuleSpec& s : weir::rules_from_flag(flag, value))
            rules.add(s);
    CHECK(ok(rules, "{}"));
    CHECK(ok(rules, R"({"y":1})"));
    CHECK(ok(rules, R"({"x2":1})"));
    // ...and every one of them fails a null.
    CHECK(failures(rules, R"({"x":null})") ==
          Names{"type:x", "range:x", "enum:x", "match:x", "not_future:x", "max_age:x"});
}

TEST_CASE("rule set: type") {
    auto passes = [](std::string_view type, const std::string& value) {
        RuleSet rules = from_flag("--type", std::string("f:") + std::string(type));
        CHECK(rules.names() == Names{"type:f"});
        return ok(rules, R"({"f":)" + value + "}");
    };
    SUBCASE("string") {
        CHECK(passes("string", R"("x")"));
        CHECK(passes("string", R"("")"));
        CHECK_FALSE(passes("string", "1"));
        CHECK_FALSE(passes("string", "null"));
        CHECK_FALSE(passes("string", "[\"x\"]"));
    }
    SUBCASE("number: any number") {
        for (const char* v : {"0", "-1", "1.5", "1e300", "18446744073709551615", "3.0"})
            CHECK(passes("number", v));
        for (const char* v : {"\"1\"", "true", "null", "{}", "[1]"})
            CHECK_FALSE(passes("number", v));
    }
    SUBCASE("integer: a number with no fraction") {
        for (const char* v : {"0", "-7", "3.0", "1e3", "18446744073709551615", "-0.0"})
            CHECK(passes("integer", v));
        for (const char* v : {"3.5", "1e-3", "\"3\"", "true", "null"})
            CHECK_FALSE(passes("integer", v));
    }
    SUBCASE("bool") {
        CHECK(passes("bool", "true"));
        CHECK(passes("bool", "false"));
        for (const char* v : {"0", "1", "\"true\"", "null"})
            CHECK_FALSE(passes("bool", v));
    }
    SUBCASE("object and array") {
        CHECK(passes("object", "{}"));
        CHECK(passes("object", R"({"a":[1]})"));
        CHECK_FALSE(passes("object", "[]"));
        CHECK_FALSE(passes("object", "null"));
        CHECK(passes("array", "[]"));
        CHECK(passes("array", "[1,\"a\",null]"));
        CHECK_FALSE(passes("array", "{}"));
        CHECK_FALSE(passes("array", "\"[]\""));
    }
    SUBCASE("timestamp: RFC 3339 or an epoch number") {
        for (const char* v :
             {R"("2024-03-01T12:00:00Z")", R"("2024-03-01T12:00:00.123456+05:30")", "1709294400",
              "1709294400000", "1709294400000000", "1709294400.5", "0"})
            CHECK(passes("timestamp", v));
        for (const char* v : {R"("1709294400")", R"("yesterday")", R"("2024-03-01")",
                              R"("2024-03-01T12:00:00")", "true", "null", "{}", "[]", "1e300"})
            CHECK_FALSE(passes("timestamp", v));
    }
}

TEST_CASE("rule set: range over numbers") {
    RuleSet rules = from_flag("--range", "amount:0..1000");
    CHECK(rules.names() == Names{"range:amount"});
    // Inclusive at both ends.
    for (const char* v : {"0", "1000", "500", "0.0", "999.999", "1e3", "-0"})
        CHECK(ok(rules, std::string(R"({"amount":)") + v + "}"));
    for (const char* v : {"-1", "1000.0001", "-0.0001", "1e4", "18446744073709551615"})
        CHECK_FALSE(ok(rules, std::string(R"({"amount":)") + v + "}"));
    // Not a number: fails, even when it reads like one.
    for (const char* v : {R"("5")", "true", "null", "[5]", R"({"v":5})"})
        CHECK_FALSE(ok(rules, std::string(R"({"amount":)") + v + "}"));
    CHECK(ok(rules, "{}"));

    RuleSet lower = from_flag("--range", "x:-2.5..");
    CHECK(ok(lower, R"({"x":-2.5})"));
    CHECK(ok(lower, R"({"x":1e300})"));
    CHECK_FALSE(ok(lower, R"({"x":-2.6})"));
    RuleSet upper = from_flag("--range", "x:..10");
    CHECK(ok(upper, R"({"x":-1e300})"));
    CHECK(ok(upper, R"({"x":10})"));
    CHECK_FALSE(ok(upper, R"({"x":10.5})"));
}

TEST_CASE("rule set: range over timestamps") {
    RuleSet rules = from_flag("--range", "t:2024-01-01T00:00:00Z..2024-12-31T23:59:59Z");
    CHECK(ok(rules, R"({"t":"2024-01-01T00:00:00Z"})"));
    CHECK(ok(rules, R"({"t":"2024-12-31T23:59:59Z"})"));
    CHECK(ok(rules, R"({"t":"2024-06-01T02:00:00+02:00"})"));
    CHECK_FALSE(ok(rules, R"({"t":"2023-12-31T23:59:59.999999Z"})"));
    // 00:30 at +01:00 is 23:30 UTC the day before: outside.
    CHECK_FALSE(ok(rules, R"({"t":"2024-01-01T00:30:00+01:00"})"));
    CHECK_FALSE(ok(rules, R"({"t":"2025-01-01T00:00:00Z"})"));
    // Epoch numbers, unit by magnitude.
    CHECK(ok(rules, R"({"t":1709294400})"));       // 2024-03-01, seconds
    CHECK(ok(rules, R"({"t":1709294400000})"));    // milliseconds
    CHECK(ok(rules, R"({"t":1709294400000000})")); // microseconds
    CHECK_FALSE(ok(rules, R"({"t":1672531200})")); // 2023-01-01
    // Not a timestamp at all.
    for (const char* v : {R"("1709294400")", R"("soon")", "true", "null", "[]"})
        CHECK_FALSE(ok(rules, std::string(R"({"t":)") + v + "}"));

    SUBCASE("an explicit time unit") {
        RuleSet ms = from_flag("--range", "t:2024-01-01T00:00:00Z..", weir::TimeUnit::ms);
        CHECK(ok(ms, R"({"t":1709294400000})"));
        CHECK_FALSE(ok(ms, R"({"t":1709294400})")); // 1970 in milliseconds
        RuleSet s = from_flag("--range", "t:..2024-01-01T00:00:00Z", weir::TimeUnit::s);
        CHECK(ok(s, R"({"t":1672531200})"));
        CHECK_FALSE(ok(s, R"({"t":1709294400})"));
    }
}

TEST_CASE("rule set: enum") {
    SUBCASE("strings by their text") {
        RuleSet rules = from_flag("--enum", "event_type:view,purchase");
        CHECK(rules.names() == Names{"enum:event_type"});
        CHECK(ok(rules, R"({"event_type":"view"})"));
        CHECK(ok(rules, R"({"event_type":"purchase"})"));
        CHECK(ok(rules, R"({"event_type":"\u0076iew"})")); // escapes are decoded
        CHECK_FALSE(ok(rules, R"({"event_type":"View"})"));
        CHECK_FALSE(ok(rules, R"({"event_type":"view "})"));
        CHECK_FALSE(ok(rules, R"({"event_type":["view"]})"));
        CHECK_FALSE(ok(rules, R"({"event_type":{"a":"view"}})"));
        CHECK_FALSE(ok(rules, R"({"event_type":null})"));
        CHECK(ok(rules, "{}"));
    }
    SUBCASE("numbers by value, and their text as a string") {
        RuleSet rules = from_flag("--enum", "code:1,2.5");
        CHECK(ok(rules, R"({"code":1})"));
        CHECK(ok(rules, R"({"code":1.0})"));
        CHECK(ok(rules, R"({"code":1e0})"));
        CHECK(ok(rules, R"({"code":2.5})"));
        CHECK(ok(rules, R"({"code":"1"})"));
        CHECK(ok(rules, R"({"code":"2.5"})"));
        CHECK_FALSE(ok(rules, R"({"code":"1.0"})"));
        CHECK_FALSE(ok(rules, R"({"code":3})"));
        CHECK_FALSE(ok(rules, R"({"code":true})"));
    }
    SUBCASE("true, false and null as themselves") {
        RuleSet rules = from_flag("--enum", "f:true,null");
        CHECK(ok(rules, R"({"f":true})"));
        CHECK(ok(rules, R"({"f":null})"));
        CHECK(ok(rules, R"({"f":"true"})"));
        CHECK(ok(rules, R"({"f":"null"})"));
        CHECK_FALSE(ok(rules, R"({"f":false})"));
        CHECK_FALSE(ok(rules, R"({"f":1})"));
        CHECK_FALSE(ok(rules, R"({"f":0})"));
    }
    SUBCASE("a rules file's typed values: 3 is not \"3\"") {
        RuleSpec s = spec(RuleKind::enum_of, "kind", "k");
        s.values = {"\"view\"", "3", "false"};
        RuleSet rules;
        rules.add(s);
        CHECK(ok(rules, R"({"k":"view"})"));
        CHECK(ok(rules, R"({"k":3})"));
        CHECK(ok(rules, R"({"k":3.0})"));
        CHECK(ok(rules, R"({"k":false})"));
        CHECK_FALSE(ok(rules, R"({"k":"3"})"));
        CHECK_FALSE(ok(rules, R"({"k":"false"})"));
        CHECK_FALSE(ok(rules, R"({"k":true})"));
        CHECK_FALSE(ok(rules, R"({"k":null})"));
    }
}

TEST_CASE("rule set: match") {
    RuleSet rules = from_flag("--match", "device.os:^(ios|android)$");
    CHECK(rules.names() == Names{"match:device.os"});
    CHECK(ok(rules, R"({"device":{"os":"ios"}})"));
    CHECK(ok(rules, R"({"device":{"os":"android"}})"));
    CHECK_FALSE(ok(rules, R"({"device":{"os":"ios9"}})"));
    CHECK_FALSE(ok(rules, R"({"device":{"os":"IOS"}})"));
    CHECK(ok(rules, R"({"device":{}})"));
    CHECK(ok(rules, R"({"device":1})")); // a path through a non-object: missing

    // Searched, not anchored.
    RuleSet search = from_flag("--match", "email:@example\\.com");
    CHECK(ok(search, R"({"email":"a@example.com"})"));
    CHECK(ok(search, R"({"email":"a@example.com.evil"})"));
    CHECK_FALSE(ok(search, R"({"email":"a@exampleXcom"})"));
    // Only strings match: a number is not read as its text.
    RuleSet digits = from_flag("--match", "zip:^[0-9]+$");
    CHECK(ok(digits, R"({"zip":"12345"})"));
    CHECK_FALSE(ok(digits, R"({"zip":12345})"));
    CHECK_FALSE(ok(digits, R"({"zip":null})"));
    CHECK_FALSE(ok(digits, R"({"zip":["1"]})"));
    // RE2 syntax; '.' is one code point in UTF-8.
    RuleSet one_char = from_flag("--match", "c:(?i)^.$");
    CHECK(ok(one_char, R"({"c":"é"})"));
    CHECK(ok(one_char, R"({"c":"X"})"));
    CHECK_FALSE(ok(one_char, R"({"c":"ab"})"));
}

TEST_CASE("rule set: not_future against a fixed now") {
    RuleSet rules = from_flag("--not-future", "event_time");
    CHECK(rules.names() == Names{"not_future:event_time"});
    CHECK(ok(rules, R"({"event_time":"2024-03-01T12:00:00Z"})")); // now itself
    CHECK(ok(rules, R"({"event_time":"2024-03-01T11:59:59Z"})"));
    CHECK(ok(rules, R"({"event_time":"1999-01-01T00:00:00Z"})"));
    CHECK_FALSE(ok(rules, R"({"event_time":"2024-03-01T12:00:00.000001Z"})"));
    CHECK_FALSE(ok(rules, R"({"event_time":"2024-03-01T13:00:01+01:00"})"));
    CHECK(ok(rules, R"({"event_time":"2024-03-01T13:00:00+01:00"})"));
    // Epoch numbers: 1709294400 is noon.
    CHECK(ok(rules, R"({"event_time":1709294400})"));
    CHECK_FALSE(ok(rules, R"({"event_time":1709294401})"));
    CHECK(ok(rules, R"({"event_time":1709294400000})"));
    CHECK_FALSE(ok(rules, R"({"event_time":1709294400001})"));
    // Not a timestamp.
    for (const char* v : {R"("1709294400")", R"("now")", "null", "true", "{}"})
        CHECK_FALSE(ok(rules, std::string(R"({"event_time":)") + v + "}"));
    CHECK(ok(rules, "{}"));
    // "Now" is the caller's.
    CHECK(ok(rules, R"({"event_time":"2024-03-01T12:00:01Z"})", at("2024-03-01T12:00:01Z")));

    SUBCASE("with a skew") {
        RuleSet skew = from_flag("--not-future", "event_time:5m");
        CHECK(ok(skew, R"({"event_time":"2024-03-01T12:05:00Z"})"));
        CHECK_FALSE(ok(skew, R"({"event_time":"2024-03-01T12:05:00.000001Z"})"));
        CHECK(ok(skew, R"({"event_time":1709294700})"));
        CHECK_FALSE(ok(skew, R"({"event_time":1709294701})"));
    }
    SUBCASE("a rules file's empty skew is none") {
        RuleSet none;
        none.add(spec(RuleKind::not_future, "fresh", "t", ""));
        CHECK(ok(none, R"({"t":"2024-03-01T12:00:00Z"})"));
        CHECK_FALSE(ok(none, R"({"t":"2024-03-01T12:00:01Z"})"));
    }
}

TEST_CASE("rule set: max_age against a fixed now") {
    RuleSet rules = from_flag("--max-age", "event_time:7d");
    CHECK(rules.names() == Names{"max_age:event_time"});
    CHECK(ok(rules, R"({"event_time":"2024-02-23T12:00:00Z"})")); // exactly 7 days old
    CHECK(ok(rules, R"({"event_time":"2024-03-01T11:00:00Z"})"));
    CHECK(ok(rules, R"({"event_time":"2030-01-01T00:00:00Z"})")); // the future is not old
    CHECK_FALSE(ok(rules, R"({"event_time":"2024-02-23T11:59:59.999999Z"})"));
    CHECK_FALSE(ok(rules, R"({"event_time":"1970-01-01T00:00:00Z"})"));
    CHECK(ok(rules, R"({"event_time":1708689600})")); // 2024-02-23T12:00:00Z
    CHECK_FALSE(ok(rules, R"({"event_time":1708689599})"));
    for (const char* v : {R"("last week")", "null", "false", "[]"})
        CHECK_FALSE(ok(rules, std::string(R"({"event_time":)") + v + "}"));
    CHECK(ok(rules, "{}"));
    // The same record, judged later, is too old.
    CHECK_FALSE(ok(rules, R"({"event_time":"2024-03-01T11:00:00Z"})", at("2024-03-08T11:00:01Z")));
}

TEST_CASE("rule set: expression rules") {
    RuleSet rules;
    for (const RuleSpec& s : weir::rules_from_flag("--rule", "big_spend: amount > 100"))
        rules.add(s);
    CHECK(rules.names() == Names{"big_spend"});
    CHECK(ok(rules, R"({"amount":101})"));
    CHECK(failures(rules, R"({"amount":100})") == Names{"big_spend"});
    // Valid only when true: a missing field makes the comparison null, which fails.
    CHECK(failures(rules, "{}") == Names{"big_spend"});
    CHECK(failures(rules, R"({"amount":"500"})") == Names{"big_spend"});

    SUBCASE("exists() makes a rule pass on missing fields") {
        RuleSet r;
        for (const RuleSpec& s : weir::rules_from_flag(
                 "--rule", "customer: event_type != 'purchase' || exists(customer_id)"))
            r.add(s);
        CHECK(ok(r, R"({"event_type":"view"})"));
        CHECK(ok(r, "{}"));
        CHECK(ok(r, R"({"event_type":"purchase","customer_id":null})"));
        CHECK_FALSE(ok(r, R"({"event_type":"purchase"})"));
    }
    SUBCASE("now() is the time given to check()") {
        RuleSet r;
        for (const RuleSpec& s :
             weir::rules_from_flag("--rule", "fresh: ts(event_time) > now() - 1h"))
            r.add(s);
        CHECK(ok(r, R"({"event_time":"2024-03-01T11:30:00Z"})"));
        CHECK_FALSE(ok(r, R"({"event_time":"2024-03-01T11:00:00Z"})"));
        CHECK(ok(r, R"({"event_time":"2024-03-01T11:00:00Z"})", at("2024-03-01T11:59:59Z")));
        CHECK_FALSE(ok(r, R"({"event_time":"2024-03-01T11:30:00Z"})", at("2024-03-01T12:31:00Z")));
    }
}

TEST_CASE("rule set: a shared name is reported once") {
    RuleSet rules;
    rules.add(spec(RuleKind::require, "ids", "event_id"));
    rules.add(spec(RuleKind::require, "ids", "user_id"));
    rules.add(spec(RuleKind::type, "ids", "user_id", "string"));
    CHECK(rules.names() == Names{"ids"});
    CHECK(failures(rules, "{}") == Names{"ids"});
    CHECK(failures(rules, R"({"event_id":1,"user_id":2})") == Names{"ids"});
    CHECK(ok(rules, R"({"event_id":1,"user_id":"u"})"));
    // ...once per record: the next record reports it again.
    CHECK(failures(rules, "{}") == Names{"ids"});
}

TEST_CASE("rule set: failures come in rule order, whatever the names") {
    RuleSet rules;
    rules.add(spec(RuleKind::require, "zz", "a"));
    rules.add(spec(RuleKind::range, "mm", "n", "0..1"));
    rules.add(spec(RuleKind::require, "aa", "b"));
    rules.add(spec(RuleKind::type, "zz", "n", "string")); // shares the first name
    CHECK(failures(rules, R"({"n":5})") == Names{"zz", "mm", "aa"});
    CHECK(failures(rules, R"({"a":1,"n":5})") == Names{"mm", "aa", "zz"});
    CHECK(failures(rules, R"({"a":1,"b":1,"n":5})") == Names{"mm", "zz"});
    CHECK(failures(rules, R"({"a":1,"b":1,"n":"x"})") == Names{"mm"});
}

TEST_CASE("rule set: check() appends and keeps what `failed` holds") {
    RuleSet rules = from_flag("--require", "a,b");
    std::string record = R"({"c":1})";
    std::string padded = record + std::string(weir::record_padding, '\0');
    weir::JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), record.size())));
    std::vector<std::uint32_t> failed{7};
    rules.check(doc.root(), noon, failed);
    CHECK(failed == std::vector<std::uint32_t>{7, 0, 1});
}

TEST_CASE("rule set: schemas mixed with other rules") {
    RuleSet rules;
    rules.add(spec(RuleKind::require, "require:event_id", "event_id"));
    rules.add_schema(weir::JsonSchema::compile(
        R"({"required":["user_id"],"properties":{"amount":{"type":"number","minimum":0}}})",
        "schema.json"));
    rules.add(spec(RuleKind::range, "range:amount", "amount", "..100"));
    rules.add_schema(
        weir::JsonSchema::compile(R"({"properties":{"amount":{"maximum":50}}})", "s2.json"));
    CHECK(rules.names() == Names{"require:event_id", "schema:required:user_id",
                                 "schema:amount:type", "schema:amount:minimum", "range:amount",
                                 "schema:amount:maximum"});
    CHECK(ok(rules, R"({"event_id":1,"user_id":2,"amount":10})"));
    CHECK(failures(rules, R"({"amount":-1})") ==
          Names{"require:event_id", "schema:required:user_id", "schema:amount:minimum"});
    CHECK(failures(rules, R"({"event_id":1,"user_id":2,"amount":101})") ==
          Names{"range:amount", "schema:amount:maximum"});
    CHECK(failures(rules, R"({"event_id":1,"user_id":2,"amount":"x"})") ==
          Names{"schema:amount:type", "range:amount"});

    SUBCASE("the same schema twice shares its names and reports each once") {
        RuleSet twice;
        auto schema = weir::JsonSchema::compile(R"({"required":["a"]})", "s.json");
        twice.add_schema(schema);
        twice.add_schema(schema);
        CHECK(twice.names() == Names{"schema:required:a"});
        CHECK(failures(twice, "{}") == Names{"schema:required:a"});
    }
    SUBCASE("a rule named like a schema check shares its name") {
        RuleSet shared;
        shared.add_schema(weir::JsonSchema::compile(R"({"required":["a"]})", "s.json"));
        shared.add(spec(RuleKind::require, "schema:required:a", "a"));
        CHECK(shared.names() == Names{"schema:required:a"});
        CHECK(failures(shared, "{}") == Names{"schema:required:a"});
    }
}

TEST_CASE("rule set: compile errors name the origin") {
    CHECK(flag_error("--require", "a..b") == "--require a..b: field path 'a..b': empty segment");
    CHECK(flag_error("--type", "amount:decimal") ==
          "--type amount:decimal: unknown type 'decimal' (string, number, integer, bool, "
          "object, array, timestamp)");
    CHECK(flag_error("--type", "amount:boolean") ==
          "--type amount:boolean: unknown type 'boolean' (string, number, integer, bool, "
          "object, array, timestamp)");
    CHECK(flag_error("--range", "amount:9..1") ==
          "--range amount:9..1: range '9..1' is empty: 9 is greater than 1");
    CHECK(flag_error("--range", "amount:x") ==
          "--range amount:x: range 'x' is not MIN..MAX (e.g. 0..100, 0.., ..100)");
    CHECK(flag_error("--match", "os:(ios") == "--match os:(ios: regex '(ios': missing ): (ios");
    CHECK(flag_error("--not-future", "t:soon") ==
          "--not-future t:soon: 'soon' is not a duration (e.g. 90s, 5m, 1h30m, 7d)");
    CHECK(flag_error("--max-age", "t:-5m") ==
          "--max-age t:-5m: '-5m' is not a duration (e.g. 90s, 5m, 1h30m, 7d)");
    CHECK(flag_error("--max-age", "t:") ==
          "--max-age t:: '' is not a duration (e.g. 90s, 5m, 1h30m, 7d)");

    std::string e = flag_error("--rule", "big: lenn(name) > 3");
    CHECK(e.rfind("--rule big: unknown function 'lenn' at column 1", 0) == 0);

    RuleSpec bad_enum = spec(RuleKind::enum_of, "kind", "k");
    bad_enum.values = {"\"a\"", "[1]"};
    CHECK(error(bad_enum) == "rules.toml [r]: enum value [1] is not a JSON scalar");
    bad_enum.values = {"nope"};
    CHECK(error(bad_enum) == "rules.toml [r]: enum value nope is not a JSON scalar");
    bad_enum.values.clear();
    CHECK(error(bad_enum) == "rules.toml [r]: enum needs at least one value");

    CHECK(error(spec(RuleKind::type, "t", "", "string")) ==
          "rules.toml [r]: field path '': empty path");
}

TEST_CASE("rule set: a failed add leaves the set as it was") {
    RuleSet rules = from_flag("--require", "a");
    CHECK_THROWS_AS(rules.add(spec(RuleKind::type, "t", "x", "nope")), weir::Error);
    CHECK(rules.names() == Names{"require:a"});
    CHECK(failures(rules, "{}") == Names{"require:a"});
}

TEST_CASE("rule set: moves keep the compiled rules") {
    RuleSet a = from_flag("--range", "n:0..1");
    RuleSet b(std::move(a));
    CHECK(failures(b, R"({"n":2})") == Names{"range:n"});
    RuleSet c;
    c = std::move(b);
    CHECK(failures(c, R"({"n":2})") == Names{"range:n"});
    CHECK(ok(c, R"({"n":1})"));
}

TEST_CASE("rule set: the longest durations do not overflow now +- the window") {
    // 15250284w is within a week of the largest duration (int64 microseconds).
    RuleSet future = from_flag("--not-future", "t:15250284w");
    CHECK(ok(future, R"({"t":"9999-12-31T23:59:59Z"})"));
    CHECK(ok(future, R"({"t":"0000-01-01T00:00:00Z"})", at("0001-01-01T00:00:00Z")));
    RuleSet age = from_flag("--max-age", "t:15250284w");
    CHECK(ok(age, R"({"t":"0000-01-01T00:00:00Z"})"));
    CHECK(ok(age, R"({"t":"0000-01-01T00:00:00Z"})", at("1900-03-01T00:00:00Z")));
    CHECK(ok(age, R"({"t":"9999-12-31T23:59:59Z"})", at("0000-01-01T00:00:00Z")));
}

TEST_CASE("rule set: enum numbers compare exactly, beyond a double's 53 bits") {
    RuleSet rules = from_flag("--enum", "id:9007199254740993,18446744073709551615,2.5");
    CHECK(ok(rules, R"({"id":9007199254740993})"));
    CHECK_FALSE(ok(rules, R"({"id":9007199254740992})"));
    CHECK(ok(rules, R"({"id":18446744073709551615})"));
    CHECK_FALSE(ok(rules, R"({"id":18446744073709551614})"));
    CHECK(ok(rules, R"({"id":2.5})"));
    CHECK(ok(rules, R"({"id":"9007199254740993"})")); // and the string form of a flag value
}

TEST_CASE("rule set: enum texts that are no JSON number match only as strings") {
    RuleSet rules = from_flag("--enum", "zip:01,.5,1.");
    CHECK(ok(rules, R"({"zip":"01"})"));
    CHECK(ok(rules, R"({"zip":".5"})"));
    CHECK(ok(rules, R"({"zip":"1."})"));
    CHECK_FALSE(ok(rules, R"({"zip":1})"));
    CHECK_FALSE(ok(rules, R"({"zip":0.5})"));
}
