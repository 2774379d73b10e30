#include "json/document.hpp"
#include "json/splice.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::SpliceMode;
using weir::Splicer;

namespace {

bool parses(std::string_view rec) {
    weir::JsonDoc doc;
    return doc.parse(rec); // the splicer's output carries the padding itself
}

} // namespace

TEST_CASE("splice: adds fields before the closing brace") {
    Splicer s;
    s.begin(R"({"a":1,"b":"x"})");
    s.add_string("c", "y");
    s.add_int("d", -7);
    std::string_view out = s.finish();
    CHECK(out == R"({"a":1,"b":"x","c":"y","d":-7})");
    CHECK(parses(out));
}

TEST_CASE("splice: every value type") {
    Splicer s;
    s.begin("{}");
    s.add_string("s", "q\"\n");
    s.add_int("i", INT64_MIN);
    s.add_uint("u", UINT64_MAX);
    s.add_double("d", 0.1);
    s.add_double("w", 3.0);
    s.add_double("nan", std::numeric_limits<double>::quiet_NaN());
    s.add_bool("t", true);
    s.add_bool("f", false);
    s.add_null("n");
    s.add_raw("r", R"([1,{"x":2}])");
    std::string_view out = s.finish();
    CHECK(out == R"({"s":"q\"\n","i":-9223372036854775808,"u":18446744073709551615,)"
                 R"("d":0.1,"w":3.0,"nan":null,"t":true,"f":false,"n":null,"r":[1,{"x":2}]})");
    CHECK(parses(out));
}

TEST_CASE("splice: empty objects and whitespace") {
    Splicer s;
    SUBCASE("{}") {
        s.begin("{}");
        s.add_int("a", 1);
        CHECK(s.finish() == R"({"a":1})");
    }
    SUBCASE("{ }") {
        s.begin("{ }");
        s.add_int("a", 1);
        s.add_int("b", 2);
        CHECK(s.finish() == R"({ "a":1,"b":2})");
    }
    SUBCASE("whitespace before the brace and after the record") {
        s.begin("  {\"a\" : 1 \n}  ");
        s.add_bool("b", true);
        CHECK(s.finish() == "  {\"a\" : 1 \n,\"b\":true}  ");
    }
    SUBCASE("nothing added") {
        s.begin(R"({"a":[1,2]})");
        CHECK(s.finish() == R"({"a":[1,2]})");
    }
    SUBCASE("names are escaped") {
        s.begin("{}");
        s.add_null("a\"b");
        CHECK(s.finish() == R"({"a\"b":null})");
    }
}

TEST_CASE("splice: the rest of the record stays byte-identical") {
    std::string rec = R"({ "z" : 1.50, "u":"\u00e9", "nested": {"k": [1, 2 ]}})";
    Splicer s;
    s.begin(rec);
    s.add_int("n", 3);
    std::string_view out = s.finish();
    CHECK(out.substr(0, rec.size() - 1) == std::string_view(rec).substr(0, rec.size() - 1));
    CHECK(out.substr(rec.size() - 1) == R"(,"n":3})");
}

TEST_CASE("splice: replace mode removes an existing member of the same name") {
    Splicer s; // replace is the default
    SUBCASE("first member") {
        s.begin(R"({"a":1,"b":2})");
        s.add_int("a", 9);
        CHECK(s.finish() == R"({"b":2,"a":9})");
    }
    SUBCASE("middle member with whitespace") {
        s.begin(R"({"a":1, "b" : {"x":"}"} , "c":3})");
        s.add_int("b", 9);
        CHECK(s.finish() == R"({"a":1, "c":3,"b":9})");
    }
    SUBCASE("last member") {
        s.begin(R"({"a":1,"b":[1,[2]]})");
        s.add_int("b", 9);
        CHECK(s.finish() == R"({"a":1,"b":9})");
    }
    SUBCASE("only member") {
        s.begin(R"({"a":"x"})");
        s.add_int("a", 9);
        CHECK(s.finish() == R"({"a":9})");
    }
    SUBCASE("every duplicate") {
        s.begin(R"({"a":1,"b":2,"a":3})");
        s.add_int("a", 9);
        CHECK(s.finish() == R"({"b":2,"a":9})");
    }
    SUBCASE("a name written with escapes") {
        s.begin(R"({"\u0061":1,"b":"\"a\""})");
        s.add_int("a", 9);
        CHECK(s.finish() == R"({"b":"\"a\"","a":9})");
    }
    SUBCASE("the name only as a value or nested key is kept") {
        s.begin(R"({"x":"a","o":{"a":1}})");
        s.add_int("a", 9);
        CHECK(s.finish() == R"({"x":"a","o":{"a":1},"a":9})");
    }
    SUBCASE("adding a name twice keeps the last") {
        s.begin("{}");
        s.add_int("a", 1);
        s.add_int("a", 2);
        CHECK(s.finish() == R"({"a":2})");
    }
    SUBCASE("output parses, and lookups see the new value") {
        s.begin(R"({"a":1, "b":true ,"c":null})");
        s.add_string("b", "new");
        std::string out(s.finish());
        out.append(weir::record_padding, '\0');
        weir::JsonDoc doc;
        REQUIRE(doc.parse(std::string_view(out.data(), out.size() - weir::record_padding)));
        CHECK(weir::lookup_member(doc.root(), "b").as_string() == "new");
        CHECK(weir::lookup_member(doc.root(), "a").as_int64() == 1);
    }
}

TEST_CASE("splice: append mode keeps duplicates, and readers take the last") {
    Splicer s(SpliceMode::append);
    s.begin(R"({"a":1})");
    s.add_int("a", 2);
    std::string_view out = s.finish();
    CHECK(out == R"({"a":1,"a":2})");
    weir::JsonDoc doc;
    REQUIRE(doc.parse(out));
    CHECK(weir::lookup_member(doc.root(), "a").as_int64() == 2);
}

TEST_CASE("splice: the buffer is reused across records") {
    Splicer s;
    s.begin(R"({"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})");
    s.add_int("n", 1);
    const char* first = s.finish().data();
    s.begin(R"({"b":2})");
    s.add_int("n", 2);
    std::string_view out = s.finish();
    CHECK(out == R"({"b":2,"n":2})");
    CHECK(out.data() == first); // same storage: no reallocation for a smaller record
}
