// Group keys of weir-window (window/group_key.hpp): which values make one group, how a
// key is written back as output fields (nested paths merge into one object), the order
// of groups in output, and the paths that cannot be keys together.

#include "../error_of.hpp"
#include "json/document.hpp"
#include "json/field_path.hpp"
#include "window/group_key.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using weir::FieldPath;
using weir::FieldValue;
using weir::GroupKeys;

namespace {

std::vector<FieldPath> paths_of(const std::vector<const char*>& texts) {
    std::vector<FieldPath> paths;
    for (const char* t : texts)
        paths.push_back(FieldPath::from(t));
    return paths;
}

// The encoded key of `json` (an object) for the key fields `by`.
std::string key_of(const GroupKeys& keys, const std::string& json) {
    std::string padded = json + std::string(weir::record_padding, ' ');
    weir::JsonDoc doc;
    REQUIRE(doc.parse(std::string_view(padded.data(), json.size())));
    std::vector<FieldValue> parts;
    for (const FieldPath& p : keys.paths())
        parts.push_back(weir::lookup(doc.root(), p));
    std::string out = "stale";
    keys.encode(parts.data(), out);
    return out;
}

// The output members of the group `json` falls in.
std::string fields_of(const GroupKeys& keys, const std::string& json) {
    std::string out;
    keys.append_fields(out, key_of(keys, json));
    return out;
}

// One key field `k`: the key of {"k": VALUE}.
std::string k1(const std::string& value) {
    GroupKeys keys(paths_of({"k"}), "--by");
    return key_of(keys, R"({"k":)" + value + "}");
}

int sign(int v) {
    return v < 0 ? -1 : v > 0 ? 1 : 0;
}

} // namespace

TEST_CASE("group key: nested paths write one object, in first-seen order") {
    GroupKeys keys(paths_of({"device.os", "device.type"}), "--by");
    CHECK(fields_of(keys, R"({"device":{"type":"phone","os":"ios","v":3},"x":1})") ==
          R"("device":{"os":"ios","type":"phone"})");

    SUBCASE("another key in between") {
        GroupKeys mixed(paths_of({"device.os", "user_id", "device.type"}), "--by");
        CHECK(fields_of(mixed, R"({"user_id":7,"device":{"os":"ios","type":"phone"}})") ==
              R"("device":{"os":"ios","type":"phone"},"user_id":7)");
    }
    SUBCASE("a missing nested member is null; so is a missing object") {
        CHECK(fields_of(keys, R"({"device":{"os":"ios"}})") ==
              R"("device":{"os":"ios","type":null})");
        CHECK(fields_of(keys, R"({"x":1})") == R"("device":{"os":null,"type":null})");
    }
    SUBCASE("deeper paths") {
        GroupKeys deep(paths_of({"a.b.c", "a.b.d", "a.e"}), "--by");
        CHECK(fields_of(deep, R"({"a":{"e":false,"b":{"d":"y","c":1.5}}})") ==
              R"("a":{"b":{"c":1.5,"d":"y"},"e":false})");
    }
    SUBCASE("escaped member names") {
        GroupKeys odd(paths_of({R"(a\.b)", "q\""}), "--by");
        CHECK(fields_of(odd, R"({"a.b":"x","q\"":1})") == R"("a.b":"x","q\"":1)");
    }
}

TEST_CASE("group key: no key fields is one group that writes nothing") {
    GroupKeys none({}, "--by");
    CHECK(none.size() == 0);
    CHECK(key_of(none, R"({"a":1})").empty());
    CHECK(key_of(none, R"({"a":1})") == key_of(none, R"({"b":"x"})"));
    CHECK(fields_of(none, R"({"a":1})").empty());
}

TEST_CASE("group key: null and missing are one group, written as null") {
    CHECK(k1("null") == key_of(GroupKeys(paths_of({"k"}), "--by"), R"({"other":1})"));
    GroupKeys keys(paths_of({"k"}), "--by");
    CHECK(fields_of(keys, R"({"k":null})") == R"("k":null)");
    CHECK(fields_of(keys, "{}") == R"("k":null)");
    // Null is not the string "null" nor false.
    CHECK(k1("null") != k1(R"("null")"));
    CHECK(k1("null") != k1("false"));
    CHECK(k1("null") != k1(R"("")"));
}

TEST_CASE("group key: values group as distinct counts them") {
    CHECK(k1("3") == k1("3.0"));
    CHECK(k1("3") == k1("3e0"));
    CHECK(k1("-0.0") == k1("0"));
    CHECK(k1("3") != k1(R"("3")"));
    CHECK(k1("true") != k1(R"("true")"));
    CHECK(k1("1.5") != k1("1"));
    GroupKeys keys(paths_of({"k"}), "--by");
    // The group is written in its canonical form: 3.0 and 3 print the same.
    CHECK(fields_of(keys, R"({"k":3.0})") == R"("k":3)");
    CHECK(fields_of(keys, R"({"k":0.1})") == R"("k":0.1)");
    CHECK(fields_of(keys, R"({"k":"3"})") == R"("k":"3")");
    CHECK(fields_of(keys, R"({"k":true})") == R"("k":true)");

    SUBCASE("strings are written back escaped") {
        CHECK(fields_of(keys, R"({"k":"a\"b\\c\n"})") == R"("k":"a\"b\\c\n")");
        CHECK(fields_of(keys, R"({"k":"caf\u00e9"})") == "\"k\":\"caf\xc3\xa9\"");
        CHECK(k1(R"("caf\u00e9")") == k1("\"caf\xc3\xa9\""));
    }
    SUBCASE("objects and arrays group by their minified text") {
        CHECK(k1(R"({"a": 1, "b": [1, 2]})") == k1(R"({"a":1,"b":[1,2]})"));
        CHECK(k1("[1,2]") != k1("[2,1]"));
        CHECK(fields_of(keys, R"({"k":{"a": 1, "b": [true]}})") == R"("k":{"a":1,"b":[true]})");
        CHECK(fields_of(keys, R"({"k":[]})") == R"("k":[])");
    }
}

TEST_CASE("group key: parts cannot run into each other") {
    GroupKeys keys(paths_of({"a", "b"}), "--by");
    CHECK(key_of(keys, R"({"a":"a","b":"bc"})") != key_of(keys, R"({"a":"ab","b":"c"})"));
    CHECK(key_of(keys, R"({"a":null,"b":"x"})") != key_of(keys, R"({"a":"x","b":null})"));
    CHECK(key_of(keys, R"({"a":1,"b":23})") != key_of(keys, R"({"a":12,"b":3})"));

    SUBCASE("parts longer than 127 bytes round-trip") {
        std::string long_a(300, 'x');
        std::string json = R"({"a":")" + long_a + R"(","b":[1,2]})";
        std::string out;
        keys.append_fields(out, key_of(keys, json));
        CHECK(out == R"("a":")" + long_a + R"(","b":[1,2])");
        CHECK(key_of(keys, json) != key_of(keys, R"({"a":")" + long_a + R"(x","b":[1,2]})"));
    }
}

TEST_CASE("group key: order is null < false < true < numbers < strings < JSON") {
    // Listed in their order; every pair must compare accordingly.
    std::vector<std::string> in_order = {
        "null",   "false",  "true",    "-1e300",       "-20",   "-1.5",      "0",       "0.25",
        "2",      "10",     "100.5",   "1e300",        R"("")", R"("0")",    R"("10")", R"("2")",
        R"("A")", R"("a")", R"("ab")", "\"\xc3\xa9\"", "[1]",   R"({"a":1})"};
    std::vector<std::string> keys;
    for (const std::string& v : in_order)
        keys.push_back(k1(v));
    for (std::size_t i = 0; i < keys.size(); ++i) {
        for (std::size_t j = 0; j < keys.size(); ++j) {
            CAPTURE(in_order[i]);
            CAPTURE(in_order[j]);
            int want = i < j ? -1 : i > j ? 1 : 0;
            CHECK(sign(GroupKeys::compare(keys[i], keys[j])) == want);
        }
    }
    // Missing sorts as null, and equal numbers are equal.
    GroupKeys one(paths_of({"k"}), "--by");
    CHECK(GroupKeys::compare(key_of(one, "{}"), k1("null")) == 0);
    CHECK(GroupKeys::compare(k1("3"), k1("3.0")) == 0);

    SUBCASE("sorting a shuffled list gives the order back") {
        std::vector<std::string> shuffled = keys;
        std::reverse(shuffled.begin(), shuffled.end());
        std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
        std::sort(shuffled.begin(), shuffled.end(), [](const std::string& a, const std::string& b) {
            return GroupKeys::compare(a, b) < 0;
        });
        CHECK(shuffled == keys);
    }
}

TEST_CASE("group key: composite keys order by their parts in turn") {
    GroupKeys keys(paths_of({"a", "b"}), "--by");
    std::string x1 = key_of(keys, R"({"a":"x","b":1})");
    std::string x9 = key_of(keys, R"({"a":"x","b":9})");
    std::string x10 = key_of(keys, R"({"a":"x","b":10})");
    std::string xnull = key_of(keys, R"({"a":"x"})");
    std::string y0 = key_of(keys, R"({"a":"y","b":0})");
    std::string null5 = key_of(keys, R"({"b":5})");
    CHECK(GroupKeys::compare(x1, x9) < 0);
    CHECK(GroupKeys::compare(x9, x10) < 0); // by value, not by text
    CHECK(GroupKeys::compare(xnull, x1) < 0);
    CHECK(GroupKeys::compare(x10, y0) < 0); // the first part decides
    CHECK(GroupKeys::compare(y0, x10) > 0);
    CHECK(GroupKeys::compare(null5, xnull) < 0);
    CHECK(GroupKeys::compare(x9, x9) == 0);
}

TEST_CASE("group key: a path that is a prefix of another, or given twice, is refused") {
    auto refused = [](const std::vector<const char*>& by) {
        return weir::test::error_of([&] { GroupKeys keys(paths_of(by), "--by"); });
    };
    weir::Error e = refused({"device", "device.os"});
    CHECK(e.code() == weir::Exit::usage);
    CHECK(std::string(e.what()) ==
          "--by: 'device' and 'device.os' cannot both be keys ('device' would be a value and "
          "an object in the output)");
    // Either order, any depth, with other keys between.
    CHECK(refused({"device.os", "x", "device"}).code() == weir::Exit::usage);
    CHECK(refused({"a.b.c", "a"}).code() == weir::Exit::usage);
    CHECK(std::string(refused({"a", "b", "a"}).what()) == "--by: 'a' is given twice");
    CHECK(std::string(refused({"a.b", "a.b"}).what()) == "--by: 'a.b' is given twice");

    SUBCASE("the flag is named as given") {
        weir::Error k = weir::test::error_of([] { GroupKeys keys(paths_of({"x", "x"}), "--key"); });
        CHECK(std::string(k.what()) == "--key: 'x' is given twice");
    }
    SUBCASE("siblings and shared prefixes of names are fine") {
        GroupKeys ok(paths_of({"device.os", "device.osx", "dev", "devices.os"}), "--by");
        CHECK(ok.size() == 4);
        CHECK(fields_of(ok, R"({"device":{"os":1,"osx":2},"dev":3})") ==
              R"("device":{"os":1,"osx":2},"dev":3,"devices":{"os":null})");
    }
}

// Integers beyond 2^53 round to shared doubles: they must still order by value.
TEST_CASE("group key: integers beyond 2^53 order by value") {
    CHECK(GroupKeys::compare(k1("9999999999999999999"), k1("10000000000000000001")) < 0);
    CHECK(GroupKeys::compare(k1("-9007199254740993"), k1("-9007199254740992")) < 0);
    CHECK(GroupKeys::compare(k1("9007199254740993"), k1("9007199254740992.0")) > 0);
}
