#include "cli/error.hpp"
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

using weir::StateReader;
using weir::StateWriter;

namespace {

// Runs f and returns the message of the weir::Error it throws ("" if none), checking
// the exit code is temp_fail.
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::temp_fail);
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("state_io: values round trip in order") {
    StateWriter w;
    w.u64("offset", 0);
    w.u64("max", std::numeric_limits<std::uint64_t>::max());
    w.i64("neg", -1);
    w.i64("min", std::numeric_limits<std::int64_t>::min());
    w.i64("big", std::numeric_limits<std::int64_t>::max());
    w.f64("pi", 3.25);
    w.f64("nan", std::nan(""));
    w.boolean("yes", true);
    w.boolean("no", false);
    w.str("path", "logs/a b.ndjson");
    w.str("empty", "");
    std::string blob("\0\x01\xff", 3);
    w.bytes("blob", blob);
    w.begin_list("sources", 2);
    w.str("path", "a");
    w.u64("offset", 10);
    w.str("path", "b");
    w.u64("offset", 20);
    w.end_list();
    w.begin_object("wm");
    w.i64("ts", 1700000000000000);
    w.end_object();

    std::string data = w.take();
    StateReader r(data);
    CHECK(r.u64("offset") == 0);
    CHECK(r.u64("max") == std::numeric_limits<std::uint64_t>::max());
    CHECK(r.i64("neg") == -1);
    CHECK(r.i64("min") == std::numeric_limits<std::int64_t>::min());
    CHECK(r.i64("big") == std::numeric_limits<std::int64_t>::max());
    CHECK(r.f64("pi") == 3.25);
    CHECK(std::isnan(r.f64("nan")));
    CHECK(r.boolean("yes"));
    CHECK_FALSE(r.boolean("no"));
    CHECK(r.str("path") == "logs/a b.ndjson");
    CHECK(r.str("empty").empty());
    std::string_view b = r.bytes("blob");
    CHECK(b == blob);
    CHECK(b.data() >= data.data()); // a view into the data, not a copy
    CHECK(r.begin_list("sources") == 2);
    CHECK(r.str("path") == "a");
    CHECK(r.u64("offset") == 10);
    CHECK(r.str("path") == "b");
    CHECK(r.u64("offset") == 20);
    r.end_list();
    r.begin_object("wm");
    CHECK(r.i64("ts") == 1700000000000000);
    r.end_object();
    CHECK(r.at_end());
}

TEST_CASE("state_io: reader names the field it expected") {
    StateWriter w;
    w.u64("offset", 7);
    w.str("path", "x");
    std::string data = w.take();

    SUBCASE("name mismatch") {
        StateReader r(data);
        CHECK(error_of([&] { r.u64("position"); }) ==
              "state: expected u64 'position', found u64 'offset'");
        CHECK(r.u64("offset") == 7); // a failed read consumes nothing
    }
    SUBCASE("tag mismatch") {
        StateReader r(data);
        CHECK(error_of([&] { r.str("offset"); }) ==
              "state: expected str 'offset', found u64 'offset'");
    }
    SUBCASE("end of list where a value is") {
        StateReader r(data);
        CHECK(error_of([&] { r.end_list(); }) == "state: expected end of list, found u64 'offset'");
    }
    SUBCASE("reading past the end") {
        StateReader r(data);
        r.u64("offset");
        r.str("path");
        CHECK(r.at_end());
        CHECK(error_of([&] { r.u64("more"); }) == "state: truncated data reading u64 'more'");
    }
}

TEST_CASE("state_io: truncated data is an error at every cut") {
    StateWriter w;
    w.str("path", "some/file");
    w.u64("offset", 1u << 30);
    w.f64("rate", 0.5);
    w.bytes("table", std::string(100, 'x'));
    std::string data = w.take();
    for (std::size_t cut = 1; cut < data.size(); ++cut) {
        CAPTURE(cut);
        StateReader r(std::string_view(data).substr(0, cut));
        std::string msg = error_of([&] {
            r.str("path");
            r.u64("offset");
            r.f64("rate");
            r.bytes("table");
        });
        CHECK(msg.find("truncated") != std::string::npos);
    }
}

TEST_CASE("state_io: state_to_json renders nested lists and objects") {
    SUBCASE("scalars and an object") {
        StateWriter w;
        w.u64("n", 3);
        w.i64("t", -5);
        w.f64("x", 1.5);
        w.boolean("ok", true);
        w.str("s", "a\"b\\c\n\x01");
        w.begin_object("inner");
        w.u64("k", 1);
        w.end_object();
        CHECK(weir::state_to_json(w.data()) ==
              R"({"n":3,"t":-5,"x":1.5,"ok":true,"s":"a\"b\\c\n\u0001","inner":{"k":1}})");
    }
    SUBCASE("a list of records becomes an array of objects") {
        StateWriter w;
        w.begin_list("sources", 2);
        w.str("path", "a");
        w.u64("offset", 1);
        w.str("path", "b");
        w.u64("offset", 2);
        w.end_list();
        CHECK(weir::state_to_json(w.data()) ==
              R"({"sources":[{"path":"a","offset":1},{"path":"b","offset":2}]})");
    }
    SUBCASE("a list of single values becomes an array of values") {
        StateWriter w;
        w.begin_list("keys", 3);
        w.str("key", "x");
        w.str("key", "y");
        w.str("key", "z");
        w.end_list();
        CHECK(weir::state_to_json(w.data()) == R"({"keys":["x","y","z"]})");
    }
    SUBCASE("lists within lists within objects") {
        StateWriter w;
        w.begin_object("windows");
        w.begin_list("open", 2);
        w.i64("start", 0);
        w.begin_list("aggs", 1);
        w.u64("count", 4);
        w.end_list();
        w.i64("start", 60);
        w.begin_list("aggs", 0);
        w.end_list();
        w.end_list();
        w.end_object();
        CHECK(weir::state_to_json(w.data()) ==
              R"({"windows":{"open":[{"start":0,"aggs":[4]},{"start":60,"aggs":[]}]}})");
    }
    SUBCASE("elements of different shapes print one value an object") {
        StateWriter w;
        w.begin_list("mixed", 2);
        w.u64("a", 1);
        w.str("b", "x");
        w.u64("a", 2);
        w.end_list();
        CHECK(weir::state_to_json(w.data()) == R"({"mixed":[{"a":1},{"b":"x"},{"a":2}]})");
    }
    SUBCASE("bytes show their length and hash, not their contents") {
        StateWriter w;
        w.bytes("table", "");
        // XXH64 of the empty input with seed 0.
        CHECK(weir::state_to_json(w.data()) ==
              R"({"table":{"bytes":0,"xxh64":"ef46db3751d8e999"}})");
    }
    SUBCASE("invalid UTF-8 and non-finite numbers still give valid JSON") {
        StateWriter w;
        w.str("s", "ok\xff\xc3\xa9");
        w.f64("inf", std::numeric_limits<double>::infinity());
        CHECK(weir::state_to_json(w.data()) ==
              "{\"s\":\"ok\\ufffd\xc3\xa9\",\"inf\":\"Infinity\"}");
    }
    SUBCASE("empty state is an empty object") {
        CHECK(weir::state_to_json("") == "{}");
    }
}

TEST_CASE("state_io: state_to_json rejects malformed data") {
    StateWriter w;
    w.begin_list("l", 1);
    w.u64("x", 1);
    std::string open_list = w.data(); // no end_list
    CHECK(error_of([&] { weir::state_to_json(open_list); }).find("missing end of list") !=
          std::string::npos);
    CHECK(error_of([&] { weir::state_to_json(std::string(1, '\x63')); }).find("unknown tag 99") !=
          std::string::npos);
    CHECK(error_of([&] {
              weir::state_to_json(std::string(1, '\x08'));
          }).find("unexpected end of list") != std::string::npos);
    // Deep nesting is refused, not a stack overflow.
    std::string deep;
    for (int i = 0; i < 100000; ++i)
        deep += std::string("\x09\x01o", 3);
    CHECK(error_of([&] { weir::state_to_json(deep); }).find("too deep") != std::string::npos);
}
