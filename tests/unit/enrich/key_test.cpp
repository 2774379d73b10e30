#include "enrich/key.hpp"
#include "json/document.hpp"
#include "json/field_path.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::encode_key;
using weir::FieldValue;
using weir::KeyResult;

namespace {

// Parses `json` (an object) and keeps it for lookups; FieldValues live as long as this.
struct Doc {
    explicit Doc(const std::string& json) : padded(json + std::string(weir::record_padding, ' ')) {
        REQUIRE(doc.parse(std::string_view(padded.data(), json.size())));
    }

    FieldValue operator[](const char* path) const {
        return weir::lookup(doc.root(), weir::FieldPath::from(path));
    }

    std::string padded;
    weir::JsonDoc doc;
};

// The key of the members `paths` of `json`.
std::string key_of(const std::string& json, const std::vector<const char*>& paths,
                   bool loose = false) {
    Doc d(json);
    std::vector<FieldValue> parts;
    for (const char* p : paths)
        parts.push_back(d[p]);
    std::string out = "stale";
    KeyResult r = encode_key(parts.data(), parts.size(), loose, out);
    REQUIRE(r == KeyResult::ok);
    return out;
}

std::string key1(const std::string& value, bool loose = false) {
    return key_of(R"({"k":)" + value + "}", {"k"}, loose);
}

KeyResult result_of(const std::string& json, const std::vector<const char*>& paths) {
    Doc d(json);
    std::vector<FieldValue> parts;
    for (const char* p : paths)
        parts.push_back(d[p]);
    std::string out;
    return encode_key(parts.data(), parts.size(), false, out);
}

} // namespace

TEST_CASE("key: one part is a kind tag and a canonical text") {
    CHECK(key1(R"("abc")") == "sabc");
    CHECK(key1("42") == "n42");
    CHECK(key1("-7") == "n-7");
    CHECK(key1("true") == "btrue");
    CHECK(key1("false") == "bfalse");
    CHECK(key1(R"("")") == "s");
    CHECK(key1(R"("caf\u00e9")") == key1("\"caf\xc3\xa9\"")); // unescaped bytes
}

TEST_CASE("key: kinds differ unless loose") {
    CHECK(key1(R"("42")") != key1("42"));
    CHECK(key1(R"("true")") != key1("true"));
    CHECK(key1(R"("42")", true) == key1("42", true));
    CHECK(key1(R"("true")", true) == key1("true", true));
    CHECK(key1("3.0", true) == key1(R"("3")", true)); // the canonical text of the number
    CHECK(key1(R"("3.0")", true) != key1("3.0", true));
    CHECK(key1(R"("abc")", true) == key1(R"("abc")"));
}

TEST_CASE("key: numbers are canonical, so equal values are equal keys") {
    CHECK(key1("3") == key1("3.0"));
    CHECK(key1("3") == key1("3e0"));
    CHECK(key1("300") == key1("3e2"));
    CHECK(key1("3.0") == "n3");
    CHECK(key1("-0.0") == key1("0"));
    CHECK(key1("0.1") == "n0.1");
    CHECK(key1("1.5") != key1("1"));
    CHECK(key1("1e300") == "n1e+300");
    CHECK(key1("2.5e-3") == key1("0.0025"));

    SUBCASE("big integers") {
        CHECK(key1("9223372036854775807") == "n9223372036854775807");
        CHECK(key1("-9223372036854775808") == "n-9223372036854775808");
        CHECK(key1("18446744073709551615") == "n18446744073709551615");
        CHECK(key1("-9223372036854775808.0") == key1("-9223372036854775808"));
        // 1e19 is an integral double above INT64_MAX, equal to this uint64.
        CHECK(key1("1e19") == key1("10000000000000000000"));
        // 2^53 + 1 has no double: the int64 and the nearest double differ.
        CHECK(key1("9007199254740993") != key1("9007199254740992.0"));
        CHECK(key1("9007199254740992") == key1("9007199254740992.0"));
        // Beyond 64 bits a double stays in float form.
        CHECK(key1("1e20") == "n1e+20");
    }
}

TEST_CASE("key: composite parts cannot run into each other") {
    CHECK(key_of(R"({"a":"a","b":"bc"})", {"a", "b"}) !=
          key_of(R"({"a":"ab","b":"c"})", {"a", "b"}));
    CHECK(key_of(R"({"a":"","b":"x"})", {"a", "b"}) != key_of(R"({"a":"x","b":""})", {"a", "b"}));
    CHECK(key_of(R"({"a":1,"b":23})", {"a", "b"}) != key_of(R"({"a":12,"b":3})", {"a", "b"}));
    CHECK(key_of(R"({"a":"1","b":2})", {"a", "b"}) != key_of(R"({"a":1,"b":"2"})", {"a", "b"}));
    CHECK(key_of(R"({"a":"1","b":2})", {"a", "b"}, true) ==
          key_of(R"({"a":1,"b":"2"})", {"a", "b"}, true));
    // Order matters; equal parts give equal keys.
    CHECK(key_of(R"({"a":"x","b":"y"})", {"a", "b"}) != key_of(R"({"a":"x","b":"y"})", {"b", "a"}));
    CHECK(key_of(R"({"a":"x","b":"y"})", {"a", "b"}) == key_of(R"({"b":"y","a":"x"})", {"a", "b"}));
    CHECK(key_of(R"({"a":"x","b":7})", {"a", "b"}) == std::string("s\x01xn7"));

    SUBCASE("a part longer than 127 bytes") {
        std::string long_a(300, 'a');
        std::string k1 = key_of(R"({"a":")" + long_a + R"(","b":"b"})", {"a", "b"});
        std::string k2 = key_of(R"({"a":")" + long_a + R"(b","b":""})", {"a", "b"});
        CHECK(k1 != k2);
        CHECK(k1.size() == 1 + 2 + 300 + 1 + 1); // tag, two length bytes, text, tag, text
    }
}

TEST_CASE("key: strings may hold NUL bytes") {
    std::string k = key1(R"("a\u0000b")");
    CHECK(k == std::string("sa\0b", 4));
    CHECK(k != key1(R"("a")"));
    CHECK(key_of(R"({"a":"a\u0000","b":"b"})", {"a", "b"}) !=
          key_of(R"({"a":"a","b":"\u0000b"})", {"a", "b"}));
}

TEST_CASE("key: missing, null, objects and arrays are not keys") {
    CHECK(result_of(R"({"a":1})", {"b"}) == KeyResult::missing);
    CHECK(result_of(R"({"a":null})", {"a"}) == KeyResult::null);
    CHECK(result_of(R"({"a":{"x":1}})", {"a"}) == KeyResult::not_scalar);
    CHECK(result_of(R"({"a":[1]})", {"a"}) == KeyResult::not_scalar);
    CHECK(result_of(R"({"a":1,"b":null})", {"a", "b"}) == KeyResult::null);
    CHECK(result_of(R"({"a":1})", {"a", "zz"}) == KeyResult::missing);
    CHECK(result_of(R"({"a":{"b":1}})", {"a.b"}) == KeyResult::ok); // a nested scalar
}

TEST_CASE("key: no allocation once the buffer has grown") {
    Doc d(R"({"a":"some string","b":12345.5})");
    FieldValue parts[2] = {d["a"], d["b"]};
    std::string out;
    REQUIRE(encode_key(parts, 2, false, out) == KeyResult::ok);
    const char* data = out.data();
    std::size_t cap = out.capacity();
    for (int i = 0; i < 10; ++i) {
        REQUIRE(encode_key(parts, 2, i % 2 == 0, out) == KeyResult::ok);
        CHECK(out.data() == data);
        CHECK(out.capacity() == cap);
    }
}
