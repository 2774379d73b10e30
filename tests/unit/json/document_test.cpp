#include "json/document.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <type_traits>

using weir::FieldKind;
using weir::FieldPath;
using weir::FieldValue;
using weir::JsonDoc;
using weir::Reason;

namespace {

// A record's bytes followed by the padding every Record carries.
struct Padded {
    explicit Padded(std::string_view s) : buf(s), size(s.size()) {
        buf.append(weir::record_padding, '\0');
    }

    std::string_view view() const { return {buf.data(), size}; }

    std::string buf;
    std::size_t size;
};

bool parse(JsonDoc& doc, Padded& p) {
    return doc.parse(p.view());
}

FieldValue get(JsonDoc& doc, std::string_view path) {
    return weir::lookup(doc.root(), FieldPath::from(path));
}

std::string minify(JsonDoc& doc, std::string_view path) {
    std::string out;
    weir::append_json_value(out, get(doc, path).element());
    return out;
}

} // namespace

static_assert(std::is_nothrow_move_constructible_v<JsonDoc>);
static_assert(!std::is_copy_constructible_v<JsonDoc>);

TEST_CASE("document: parses an object and reuses the parser") {
    JsonDoc doc;
    Padded a(R"({"a":1})");
    Padded b(R"({"b":"two"})");
    REQUIRE(parse(doc, a));
    CHECK(get(doc, "a").as_int64() == 1);
    REQUIRE(parse(doc, b));
    CHECK(get(doc, "a").is_missing());
    CHECK(get(doc, "b").as_string() == "two");
}

TEST_CASE("document: rejects bad records with a reason") {
    JsonDoc doc;
    auto rejected = [&](std::string_view text, Reason r, std::string_view detail) {
        Padded p(text);
        CHECK_FALSE(doc.parse(p.view()));
        CHECK(doc.reason() == r);
        CHECK(doc.detail() == detail);
    };
    SUBCASE("unclosed string") {
        rejected(R"({"a":"x})", Reason::invalid_json, "invalid JSON: unclosed string");
    }
    SUBCASE("trailing comma") {
        rejected(R"({"a":1,})", Reason::invalid_json,
                 "invalid JSON: bad structure (commas, colons, braces or brackets)");
    }
    SUBCASE("bad literal") {
        rejected(R"({"a":tru})", Reason::invalid_json, "invalid JSON: bad literal (expected true)");
    }
    SUBCASE("empty") {
        rejected("", Reason::invalid_json, "invalid JSON: empty");
    }
    SUBCASE("control character in a string") {
        rejected("{\"a\":\"\x01\"}", Reason::invalid_json,
                 "invalid JSON: control character in string");
    }
    SUBCASE("invalid UTF-8") {
        rejected("{\"a\":\"\xff\"}", Reason::invalid_utf8, "invalid UTF-8");
        rejected("{\"a\":\"\xC3\"}", Reason::invalid_utf8, "invalid UTF-8");
    }
    SUBCASE("not an object") {
        rejected("[1,2]", Reason::not_object, "not a JSON object");
        rejected("42", Reason::not_object, "not a JSON object");
        rejected("\"s\"", Reason::not_object, "not a JSON object");
    }
    SUBCASE("two documents on one line") {
        Padded p(R"({"a":1}{"b":2})");
        CHECK_FALSE(doc.parse(p.view()));
        CHECK(doc.reason() == Reason::invalid_json);
    }
}

TEST_CASE("document: finds errors after the fields a tool reads") {
    // The reason DESIGN.md demands full validation: a lazy parser reading only
    // "event_time" would accept these lines.
    JsonDoc doc;
    const char* lines[] = {
        R"({"event_time":"2024-01-01T00:00:00Z","user":"ann","amount":12,"tags":["a",})",
        R"({"event_time":1,"x":{"y":[1,2,3]},"z":nul})",
        R"({"event_time":1,"ok":true,"s":"abc\q"})",
        R"({"event_time":1,"n":1.2.3})",
        R"({"event_time":1,"late":"x"} trailing)",
        "{\"event_time\":1,\"bad\":\"\xe2\x82\"}",
    };
    for (const char* line : lines) {
        Padded p(line);
        CHECK_MESSAGE(!doc.parse(p.view()), line);
    }
}

TEST_CASE("document: field values of every kind") {
    JsonDoc doc;
    Padded p(R"({"s":"x\ty","i":-42,"u":18446744073709551615,"d":2.5,"t":true,"f":false,)"
             R"("n":null,"o":{"k":1},"a":[1,"two"],"big":9223372036854775807})");
    REQUIRE(parse(doc, p));

    CHECK(get(doc, "s").kind() == FieldKind::string);
    CHECK(get(doc, "s").as_string() == "x\ty");
    CHECK(get(doc, "i").kind() == FieldKind::int64);
    CHECK(get(doc, "i").as_int64() == -42);
    CHECK(get(doc, "big").as_int64() == INT64_MAX);
    CHECK(get(doc, "u").kind() == FieldKind::uint64);
    CHECK(get(doc, "u").as_uint64() == UINT64_MAX);
    CHECK(get(doc, "d").kind() == FieldKind::float64);
    CHECK(get(doc, "d").as_double() == 2.5);
    CHECK(get(doc, "t").kind() == FieldKind::boolean);
    CHECK(get(doc, "t").as_bool());
    CHECK_FALSE(get(doc, "f").as_bool());
    CHECK(get(doc, "n").kind() == FieldKind::null);
    CHECK(get(doc, "n").is_null());
    CHECK_FALSE(get(doc, "n").is_missing());
    CHECK(get(doc, "o").kind() == FieldKind::object);
    CHECK(get(doc, "a").kind() == FieldKind::array);
    CHECK(get(doc, "nope").kind() == FieldKind::missing);
    CHECK(get(doc, "nope").is_missing());
    CHECK(FieldValue().is_missing());

    SUBCASE("checked conversions") {
        CHECK(get(doc, "i").to_int64() == -42);
        CHECK_FALSE(get(doc, "u").to_int64());
        CHECK_FALSE(get(doc, "d").to_int64());
        CHECK(get(doc, "i").to_double() == -42.0);
        CHECK(get(doc, "u").to_double() == doctest::Approx(1.8446744073709552e19));
        CHECK_FALSE(get(doc, "s").to_double());
        CHECK(get(doc, "s").to_string() == std::string_view("x\ty"));
        CHECK_FALSE(get(doc, "n").to_string());
        CHECK_FALSE(get(doc, "nope").to_string());
    }
    SUBCASE("kind names") {
        CHECK(weir::field_kind_name(FieldKind::float64) == "float64");
        CHECK(weir::field_kind_name(FieldKind::missing) == "missing");
    }
}

TEST_CASE("document: lookup into nested objects") {
    JsonDoc doc;
    Padded p(R"({"device":{"os":"linux","ver":{"major":6}},"a.b":1,"$ref":"r",)"
             R"("list":[{"x":1}],"s":"str","dup":1,"dup":2})");
    REQUIRE(parse(doc, p));
    CHECK(get(doc, "device.os").as_string() == "linux");
    CHECK(get(doc, "device.ver.major").as_int64() == 6);
    CHECK(get(doc, "device.ver").kind() == FieldKind::object);
    CHECK(get(doc, "device.nope").is_missing());
    CHECK(get(doc, "device.os.x").is_missing()); // through a string
    CHECK(get(doc, "s.x").is_missing());
    CHECK(get(doc, "a\\.b").as_int64() == 1);
    CHECK(get(doc, "a.b").is_missing());
    CHECK(get(doc, "\\$ref").as_string() == "r");
    SUBCASE("arrays are not indexed") {
        CHECK(get(doc, "list.0").is_missing());
        CHECK(get(doc, "list.x").is_missing());
    }
    SUBCASE("the last of duplicate names wins") {
        CHECK(get(doc, "dup").as_int64() == 2);
    }
    SUBCASE("lookup_member") {
        CHECK(weir::lookup_member(doc.root(), "s").as_string() == "str");
        CHECK(weir::lookup_member(get(doc, "s").element(), "x").is_missing());
    }
}

TEST_CASE("document: minified JSON of values") {
    JsonDoc doc;
    Padded p(R"({ "o" : { "a" : [ 1 , -2 , 3.5 , true , null , "q\"\n" ] , "b" : { } } ,)"
             R"( "one":1.0, "tiny":1e-7, "big":1.5e300, "u":18446744073709551615,)"
             R"( "e":"caf\u00e9", "arr":[] })");
    REQUIRE(parse(doc, p));
    CHECK(minify(doc, "o") == R"({"a":[1,-2,3.5,true,null,"q\"\n"],"b":{}})");
    CHECK(minify(doc, "one") == "1.0");
    CHECK(minify(doc, "tiny") == "1e-07");
    CHECK(minify(doc, "big") == "1.5e+300");
    CHECK(minify(doc, "u") == "18446744073709551615");
    CHECK(minify(doc, "e") == "\"caf\xC3\xA9\"");
    CHECK(minify(doc, "arr") == "[]");

    SUBCASE("output reparses to the same values") {
        std::string out;
        weir::append_json_value(out, doc.root());
        Padded again(out);
        JsonDoc doc2;
        REQUIRE(doc2.parse(again.view()));
        std::string out2;
        weir::append_json_value(out2, doc2.root());
        CHECK(out == out2);
    }
    SUBCASE("non-finite doubles become null") {
        std::string out;
        weir::append_json_double(out, std::nan(""));
        weir::append_json_double(out, -HUGE_VAL);
        CHECK(out == "nullnull");
    }
}
