#include "../error_of.hpp"
#include "../io/temp_dir.hpp"
#include "json/document.hpp"
#include "validate/json_schema.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::Exit;
using weir::JsonSchema;
using weir::test::error_of;

namespace {

JsonSchema compile(const std::string& json) {
    return JsonSchema::compile(json, "schema.json");
}

// The names of the checks `schema` fails on `record`, in the order check() gives them.
std::vector<std::string> failures(const JsonSchema& schema, const std::string& record) {
    std::string padded = record + std::string(weir::record_padding, '\0');
    weir::JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), record.size())));
    std::vector<std::uint32_t> failed;
    schema.check(doc.root(), failed);
    std::vector<std::string> names;
    for (std::uint32_t i : failed)
        names.push_back(schema.check_names().at(i));
    return names;
}

using Names = std::vector<std::string>;

// Whether `schema` accepts `record`.
bool ok(const JsonSchema& schema, const std::string& record) {
    return failures(schema, record).empty();
}

std::string error(const std::string& json) {
    weir::Error e = error_of([&] { compile(json); });
    CHECK(e.code() == Exit::usage);
    return e.what();
}

const char* const event_schema = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.com/event.json",
  "title": "event",
  "description": "a click or a purchase",
  "$comment": "annotations are ignored",
  "type": "object",
  "required": ["event_id", "event_time"],
  "properties": {
    "event_id": {"type": "string", "minLength": 8},
    "event_time": {"type": "string", "format": "date-time"},
    "amount": {"type": "number", "minimum": 0, "exclusiveMaximum": 10000},
    "device": {
      "type": "object",
      "required": ["os"],
      "properties": {
        "os": {"enum": ["ios", "android"]},
        "a.b": {"type": "integer"}
      },
      "additionalProperties": false
    },
    "items": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["sku"],
        "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d+$"},
                       "qty": {"type": "integer", "minimum": 1}}
      }
    },
    "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}}
  },
  "examples": [{"event_id": "x"}],
  "default": {}
})";

} // namespace

TEST_CASE("json_schema: names every check in schema order") {
    JsonSchema s = compile(event_schema);
    CHECK(s.check_names() == Names{
                                 "schema:$:type",
                                 "schema:required:event_id",
                                 "schema:required:event_time",
                                 "schema:event_id:type",
                                 "schema:event_id:minLength",
                                 "schema:event_time:type",
                                 "schema:event_time:format",
                                 "schema:amount:type",
                                 "schema:amount:minimum",
                                 "schema:amount:exclusiveMaximum",
                                 "schema:device:type",
                                 "schema:required:device.os",
                                 "schema:device.os:enum",
                                 "schema:device.a\\.b:type",
                                 "schema:device:additionalProperties",
                                 "schema:items:type",
                                 "schema:items[]:type",
                                 "schema:required:items[].sku",
                                 "schema:items[].sku:type",
                                 "schema:items[].sku:pattern",
                                 "schema:items[].qty:type",
                                 "schema:items[].qty:minimum",
                                 "schema:tags:type",
                                 "schema:tags[]:type",
                                 "schema:tags[]:maxLength",
                             });
}

TEST_CASE("json_schema: nested objects and arrays of objects") {
    JsonSchema s = compile(event_schema);
    CHECK(ok(s, R"({"event_id":"abcdefgh","event_time":"2024-03-01T12:00:00Z","amount":9999.5,
                   "device":{"os":"ios","a.b":3.0},
                   "items":[{"sku":"ABC-1","qty":2},{"sku":"XYZ-22"}],"tags":["a","bcd"]})"));
    // Only required fields: absent properties are not checked.
    CHECK(ok(s, R"({"event_id":"abcdefgh","event_time":"2024-03-01 12:00:00+02:00"})"));

    CHECK(failures(s, R"({"event_time":"2024-03-01T12:00:00Z"})") ==
          Names{"schema:required:event_id"});
    CHECK(failures(s, R"({"event_id":"abc","event_time":"yesterday","amount":10000})") ==
          Names{"schema:event_id:minLength", "schema:event_time:format",
                "schema:amount:exclusiveMaximum"});
    CHECK(failures(s, R"({"event_id":"abcdefgh","event_time":"2024-03-01T12:00:00Z",
                         "device":{"os":"windows","a.b":1.5,"extra":1}})") ==
          Names{"schema:device.os:enum", "schema:device.a\\.b:type",
                "schema:device:additionalProperties"});
    CHECK(failures(s, R"({"event_id":"abcdefgh","event_time":"2024-03-01T12:00:00Z",
                         "device":{}})") == Names{"schema:required:device.os"});
    CHECK(failures(s, R"({"event_id":"abcdefgh","event_time":"2024-03-01T12:00:00Z",
                         "items":[{"sku":"abc","qty":0},{"qty":1.5},7,{"sku":5}]})") ==
          Names{"schema:items[]:type", "schema:required:items[].sku", "schema:items[].sku:type",
                "schema:items[].sku:pattern", "schema:items[].qty:type",
                "schema:items[].qty:minimum"});
    CHECK(failures(s, R"({"event_id":"abcdefgh","event_time":"2024-03-01T12:00:00Z",
                         "items":{"sku":"ABC-1"},"tags":["abcd",1,"ok"]})") ==
          Names{"schema:items:type", "schema:tags[]:type", "schema:tags[]:maxLength"});
}

TEST_CASE("json_schema: failures come once each, in check order, after what was there") {
    JsonSchema s = compile(event_schema);
    std::string record = R"({"tags":["long1","long2","long3",4,5],"amount":-1})";
    CHECK(failures(s, record) == Names{"schema:required:event_id", "schema:required:event_time",
                                       "schema:amount:minimum", "schema:tags[]:type",
                                       "schema:tags[]:maxLength"});

    std::string padded = record + std::string(weir::record_padding, '\0');
    weir::JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), record.size())));
    std::vector<std::uint32_t> failed{99, 7};
    s.check(doc.root(), failed);
    CHECK(failed == std::vector<std::uint32_t>{99, 7, 1, 2, 8, 23, 24});

    SUBCASE("no allocation once failed has room for every check") {
        std::vector<std::uint32_t> f;
        f.reserve(s.check_names().size());
        const std::uint32_t* data = f.data();
        for (int i = 0; i < 3; ++i) {
            f.clear();
            s.check(doc.root(), f);
        }
        CHECK(f.data() == data);
        CHECK(f.size() == 5);
    }
}

TEST_CASE("json_schema: type") {
    JsonSchema s = compile(R"({"properties":{
        "s":{"type":"string"}, "n":{"type":"number"}, "i":{"type":"integer"},
        "b":{"type":"boolean"}, "o":{"type":"object"}, "a":{"type":"array"},
        "z":{"type":"null"}, "m":{"type":["string","null"]}}})");
    CHECK(ok(s, R"({"s":"x","n":1.5,"i":3,"b":false,"o":{},"a":[],"z":null,"m":null})"));
    CHECK(ok(s, R"({"n":-2,"i":3.0,"m":"x"})"));
    CHECK(ok(s, R"({"n":18446744073709551615,"i":18446744073709551615})"));
    CHECK(ok(s, R"({"i":1e300})"));
    CHECK(failures(s, R"({"s":1,"n":"1","i":1.5,"b":0,"o":[],"a":{},"z":false,"m":3})") ==
          Names{"schema:s:type", "schema:n:type", "schema:i:type", "schema:b:type", "schema:o:type",
                "schema:a:type", "schema:z:type", "schema:m:type"});
    SUBCASE("the root") {
        JsonSchema root = compile(R"({"type":"array"})");
        CHECK(failures(root, "{}") == Names{"schema:$:type"});
    }
}

TEST_CASE("json_schema: enum and const compare JSON values") {
    JsonSchema s = compile(R"({"properties":{
        "e":{"enum":["view", 3, null, true, [1,{"a":2}], {"x":1,"y":[2]}]},
        "c":{"const":1.0}, "big":{"const":9007199254740993}}})");
    for (const char* v :
         {R"("view")", "3", "3.0", "null", "true", R"([1,{"a":2.0}])", R"({"y":[2],"x":1})"})
        CHECK_MESSAGE(ok(s, std::string(R"({"e":)") + v + "}"), v);
    for (const char* v : {R"("View")", "4", "false", "\"3\"", "[1]", R"([{"a":2},1])", R"({"x":1})",
                          R"({"x":1,"y":[2],"z":0})", R"({"x":1,"z":[2]})", "[]"})
        CHECK_MESSAGE(failures(s, std::string(R"({"e":)") + v + "}") == Names{"schema:e:enum"}, v);
    CHECK(ok(s, R"({"c":1})"));
    CHECK(failures(s, R"({"c":1.5})") == Names{"schema:c:const"});
    // Exact: 2^53 + 1 is not the double 2^53.
    CHECK(ok(s, R"({"big":9007199254740993})"));
    CHECK(failures(s, R"({"big":9007199254740992.0})") == Names{"schema:big:const"});
}

TEST_CASE("json_schema: numeric bounds") {
    JsonSchema s = compile(R"({"properties":{
        "min":{"minimum":0}, "max":{"maximum":10.5},
        "xmin":{"exclusiveMinimum":0}, "xmax":{"exclusiveMaximum":-1},
        "u":{"minimum":18446744073709551615}}})");
    CHECK(ok(s, R"({"min":0,"max":10.5,"xmin":0.001,"xmax":-2,"u":18446744073709551615})"));
    CHECK(ok(s, R"({"min":"-5","max":"abc","xmin":null,"xmax":[]})")); // not numbers: skipped
    CHECK(failures(s, R"({"min":-0.5,"max":11,"xmin":0,"xmax":-1,"u":-1})") ==
          Names{"schema:min:minimum", "schema:max:maximum", "schema:xmin:exclusiveMinimum",
                "schema:xmax:exclusiveMaximum", "schema:u:minimum"});
    CHECK(failures(s, R"({"min":-9223372036854775808,"u":1.8446744073709550e19})") ==
          Names{"schema:min:minimum", "schema:u:minimum"});
}

TEST_CASE("json_schema: string keywords") {
    JsonSchema s = compile(R"({"properties":{
        "len":{"minLength":2,"maxLength":3.0},
        "p":{"pattern":"ab+"}, "t":{"format":"date-time"}}})");
    CHECK(ok(s, R"({"len":"ab","p":"xxabbby","t":"2024-02-29T23:59:60.5-01:00"})"));
    CHECK(ok(s, R"({"len":"été","p":"ab"})")); // 3 code points, 5 bytes
    CHECK(ok(s, R"({"len":5,"p":5,"t":5})"));  // not strings: skipped
    CHECK(failures(s, R"({"len":"a","p":"ba","t":"2023-02-29T00:00:00Z"})") ==
          Names{"schema:len:minLength", "schema:p:pattern", "schema:t:format"});
    CHECK(failures(s, R"({"len":"abcd","t":"2024-03-01"})") ==
          Names{"schema:len:maxLength", "schema:t:format"});
}

TEST_CASE("json_schema: object keywords apply to objects only") {
    JsonSchema s = compile(R"({"properties":{"o":{"required":["a"],
        "additionalProperties":false, "properties":{"a":true,"b":{}}}}})");
    CHECK(ok(s, R"({"o":{"a":null,"b":1}})"));
    CHECK(ok(s, R"({"o":"not an object"})"));
    CHECK(failures(s, R"({"o":{"b":1,"c":2}})") ==
          Names{"schema:required:o.a", "schema:o:additionalProperties"});
    SUBCASE("additionalProperties true is the default") {
        JsonSchema t = compile(R"({"additionalProperties":true})");
        CHECK(t.check_names().empty());
        CHECK(ok(t, R"({"x":1})"));
    }
    SUBCASE("no properties: no members at all") {
        JsonSchema t = compile(R"({"additionalProperties":false})");
        CHECK(ok(t, "{}"));
        CHECK(failures(t, R"({"x":1})") == Names{"schema:$:additionalProperties"});
    }
    SUBCASE("names that need escapes") {
        JsonSchema t = compile(R"({"required":["a.b","$x","c\\d"],
                                   "properties":{"$x":{"properties":{"$y":{"type":"null"}}}}})");
        CHECK(t.check_names() == Names{"schema:required:a\\.b", "schema:required:\\$x",
                                       "schema:required:c\\\\d", "schema:\\$x.$y:type"});
        CHECK(failures(t, R"({"a.b":1,"$x":{"$y":1}})") ==
              Names{"schema:required:c\\\\d", "schema:\\$x.$y:type"});
        CHECK(failures(t, R"({"c\\d":1})") ==
              Names{"schema:required:a\\.b", "schema:required:\\$x"});
    }
    SUBCASE("the last of duplicate members is checked") {
        JsonSchema t = compile(R"({"properties":{"a":{"type":"string"}}})");
        CHECK(ok(t, R"({"a":1,"a":"x"})"));
        CHECK(failures(t, R"({"a":"x","a":1})") == Names{"schema:a:type"});
    }
}

TEST_CASE("json_schema: an empty schema accepts everything") {
    CHECK(compile("{}").check_names().empty());
    JsonSchema none;
    CHECK(none.check_names().empty());
    CHECK(ok(none, R"({"a":1})"));
}

TEST_CASE("json_schema: unsupported keywords stop start-up") {
    CHECK(error(R"({"oneOf":[]})") == "schema.json: unsupported keyword 'oneOf' at /");
    CHECK(error(R"({"properties":{"x":{"anyOf":[]}}})") ==
          "schema.json: unsupported keyword 'anyOf' at /properties/x");
    CHECK(error(R"({"properties":{"a/b~":{"items":{"$ref":"#"}}}})") ==
          "schema.json: unsupported keyword '$ref' at /properties/a~1b~0/items");
    for (const char* k : {"allOf", "not", "if", "patternProperties", "definitions", "$defs",
                          "minItems", "uniqueItems", "dependencies", "propertyNames"})
        CHECK(error(std::string(R"({")") + k + R"(":{}})") ==
              std::string("schema.json: unsupported keyword '") + k + "' at /");
    CHECK(error(R"({"format":"email"})") ==
          "schema.json: unsupported format 'email' (only 'date-time' is supported) at /");
    CHECK(error(R"({"items":[{}]})") ==
          "schema.json: unsupported 'items' array form (give one schema for every element) at /");
    CHECK(error(R"({"additionalProperties":{"type":"string"}})") ==
          "schema.json: unsupported 'additionalProperties' schema (only false is supported) at /");
    CHECK(error(R"({"properties":{"x":false}})") ==
          "schema.json: the schema 'false' is not supported at /properties/x");
}

TEST_CASE("json_schema: bad keyword values stop start-up") {
    CHECK(error(R"({"type":"str"})") == "schema.json: unknown type 'str' (known: string, number, "
                                        "integer, boolean, object, array, null) at /");
    CHECK(error(R"({"type":3})") ==
          "schema.json: 'type' must be a type name or an array of them at /");
    CHECK(error(R"({"type":[]})") == "schema.json: 'type' is an empty array at /");
    CHECK(error(R"({"required":"a"})") ==
          "schema.json: 'required' must be an array of property names at /");
    CHECK(error(R"({"required":[1]})") ==
          "schema.json: 'required' must be an array of property names at /");
    CHECK(error(R"({"required":["a","a"]})") == "schema.json: 'required' names 'a' twice at /");
    CHECK(error(R"({"properties":[]})") == "schema.json: 'properties' must be an object at /");
    CHECK(error(R"({"properties":{"a":{},"a":{}}})") ==
          "schema.json: duplicate property 'a' at /properties");
    CHECK(error(R"({"properties":{"a":3}})") ==
          "schema.json: a schema must be an object at /properties/a");
    CHECK(error(R"({"type":"string","type":"number"})") ==
          "schema.json: duplicate keyword 'type' at /");
    CHECK(error(R"({"enum":1})") == "schema.json: 'enum' must be an array at /");
    CHECK(error(R"({"enum":[]})") == "schema.json: 'enum' is an empty array at /");
    CHECK(error(R"({"minimum":"0"})") == "schema.json: 'minimum' must be a number at /");
    CHECK(error(R"({"exclusiveMinimum":true})") ==
          "schema.json: 'exclusiveMinimum' must be a number (the draft 4 boolean form is not "
          "supported) at /");
    CHECK(error(R"({"minLength":-1})") ==
          "schema.json: 'minLength' must be a non-negative integer at /");
    CHECK(error(R"({"maxLength":1.5})") ==
          "schema.json: 'maxLength' must be a non-negative integer at /");
    CHECK(error(R"({"pattern":1})") == "schema.json: 'pattern' must be a string at /");
    CHECK(error(R"({"pattern":"(a"})") == "schema.json: invalid pattern '(a': missing ): (a at /");
    CHECK(error(R"({"format":1})") == "schema.json: 'format' must be a string at /");
}

TEST_CASE("json_schema: bad JSON stops start-up") {
    CHECK(error(R"({"type":"string")") ==
          "schema.json: invalid JSON: bad structure (commas, colons, braces or brackets)");
    CHECK(error(R"({"type":"str)") == "schema.json: invalid JSON: unclosed string");
    CHECK(error("") == "schema.json: invalid JSON: empty");
    CHECK(error("[]") == "schema.json: a schema must be a JSON object");
    CHECK(error("true") == "schema.json: a schema must be a JSON object");
}

TEST_CASE("json_schema: loads a file") {
    weir::test::TempDir dir;
    std::string path = dir / "schema.json";
    weir::test::write_file(path, R"({"required":["id"]})");
    JsonSchema s = JsonSchema::load(path);
    CHECK(s.check_names() == Names{"schema:required:id"});
    CHECK(failures(s, "{}") == Names{"schema:required:id"});

    SUBCASE("errors name the path") {
        weir::test::write_file(path, R"({"oneOf":[]})");
        weir::Error e = error_of([&] { JsonSchema::load(path); });
        CHECK(e.code() == Exit::usage);
        CHECK(std::string(e.what()) == path + ": unsupported keyword 'oneOf' at /");
    }
    SUBCASE("a missing file") {
        weir::Error e = error_of([&] { JsonSchema::load(dir / "none.json"); });
        CHECK(e.code() == Exit::no_input);
        CHECK(std::string(e.what()) ==
              "cannot open '" + (dir / "none.json") + "': No such file or directory");
    }
    SUBCASE("copies share the compiled schema") {
        JsonSchema copy = s;
        CHECK(failures(copy, "{}") == Names{"schema:required:id"});
    }
}
