#include "../error_of.hpp"
#include "state/base64.hpp"
#include "window/accumulator.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::Accumulator;
using weir::AddStatus;
using weir::AggReader;
using weir::AggSpec;
using weir::parse_agg_spec;

namespace {

// Feeds records to one aggregate, as weir-window will: read once, add to an accumulator.
struct Feeder {
    explicit Feeder(std::string_view agg, std::uint64_t collect_max = 100)
        : spec(parse_agg_spec(agg))
        , reader(spec)
        , acc(spec, collect_max) {}

    AddStatus add(std::string_view json, weir::Timestamp t = 0) { return add_to(acc, json, t); }

    AddStatus add_to(Accumulator& a, std::string_view json, weir::Timestamp t = 0) {
        buf.assign(json);
        buf.append(weir::record_padding, '\0');
        REQUIRE(doc.parse(std::string_view(buf.data(), json.size())));
        return a.add(reader.read(doc.root(), t));
    }

    // Adds {"x": V} for each V.
    void add_x(const std::vector<std::string>& values) {
        for (const std::string& v : values)
            CHECK(add("{\"x\":" + v + "}") == AddStatus::ok);
    }

    // Adds {"x": V} for each V, whatever add() says (non-numbers are rejected by some).
    void add_all(const std::vector<std::string>& values) {
        for (const std::string& v : values)
            add("{\"x\":" + v + "}");
    }

    Accumulator fresh() const { return Accumulator(spec, 100); }

    std::string result() const { return json_of(acc); }

    static std::string json_of(const Accumulator& a) {
        std::string out;
        a.append_json(out);
        return out;
    }

    AggSpec spec;
    AggReader reader;
    Accumulator acc;
    weir::JsonDoc doc;
    std::string buf;
};

std::string of(std::string_view agg, const std::vector<std::string>& values) {
    Feeder f(agg);
    f.add_x(values);
    return f.result();
}

// snapshot -> restore into a fresh accumulator: same output, same bytes again.
void check_round_trip(const Feeder& f) {
    weir::StateWriter w;
    f.acc.snapshot(w);
    Accumulator back = f.fresh();
    weir::StateReader r(w.data());
    back.restore(r);
    CHECK(r.at_end());
    CHECK(Feeder::json_of(back) == f.result());
    weir::StateWriter again;
    back.snapshot(again);
    CHECK(again.data() == w.data());
}

} // namespace

TEST_CASE("accumulator: count, count:FIELD and count_if") {
    Feeder count("count");
    count.add("{}");
    count.add("{\"x\":null}");
    CHECK(count.result() == "2");

    Feeder by_field("count:x");
    CHECK(by_field.add("{}") == AddStatus::skipped);
    CHECK(by_field.add("{\"x\":null}") == AddStatus::skipped);
    CHECK(by_field.add("{\"x\":0}") == AddStatus::ok);
    CHECK(by_field.result() == "1");

    Feeder errors("count_if:status >= 500");
    errors.add("{\"status\":500}");
    errors.add("{\"status\":200}");
    errors.add("{\"status\":\"oops\"}");
    errors.add("{}");
    errors.add("{\"status\":503}");
    CHECK(errors.result() == "2");
    check_round_trip(errors);

    weir::Error e = weir::test::error_of([] { AggReader r(parse_agg_spec("count_if:a >")); });
    CHECK(e.code() == weir::Exit::usage);
    CHECK(std::string(e.what()).find("--agg 'count_if:a >'") != std::string::npos);
}

TEST_CASE("accumulator: sum stays an exact integer until it cannot") {
    CHECK(of("sum:x", {}) == "0");
    CHECK(of("sum:x", {"1", "2", "3"}) == "6");
    CHECK(of("sum:x", {"9007199254740993", "1"}) == "9007199254740994"); // beyond 2^53
    CHECK(of("sum:x", {"-9223372036854775808", "9223372036854775807"}) == "-1");
    SUBCASE("any float makes a double") {
        CHECK(of("sum:x", {"1", "2.5"}) == "3.5");
        CHECK(of("sum:x", {"1", "2.0"}) == "3.0");
        CHECK(of("sum:x", {"0.5", "1"}) == "1.5");
    }
    SUBCASE("overflow turns it into a double") {
        CHECK(of("sum:x", {"9223372036854775807", "1"}) == "9223372036854775808.0");
        CHECK(of("sum:x", {"18446744073709551615"}) == "18446744073709551616.0");
    }
    SUBCASE("non-numbers are reported, missing and null skipped") {
        Feeder f("sum:x");
        CHECK(f.add("{\"x\":\"12\"}") == AddStatus::not_a_number);
        CHECK(f.add("{\"x\":true}") == AddStatus::not_a_number);
        CHECK(f.add("{\"x\":[1]}") == AddStatus::not_a_number);
        CHECK(f.add("{\"x\":null}") == AddStatus::skipped);
        CHECK(f.add("{\"y\":1}") == AddStatus::skipped);
        CHECK(f.add("{\"x\":4}") == AddStatus::ok);
        CHECK(f.result() == "4");
    }
}

TEST_CASE("accumulator: avg") {
    CHECK(of("avg:x", {}) == "null");
    CHECK(of("avg:x", {"1", "2"}) == "1.5");
    CHECK(of("avg:x", {"2", "4"}) == "3.0");
    Feeder f("avg:x");
    f.add_x({"1", "2"});
    CHECK(f.add("{\"x\":\"a\"}") == AddStatus::not_a_number);
    CHECK(f.result() == "1.5"); // the rejected value is not in the count
}

TEST_CASE("accumulator: min and max compare exactly and keep the kind") {
    CHECK(of("min:x", {}) == "null");
    CHECK(of("max:x", {"3", "2.5"}) == "3");
    CHECK(of("min:x", {"3", "2.5"}) == "2.5");
    CHECK(of("max:x", {"9007199254740993", "9007199254740992.0"}) == "9007199254740993");
    CHECK(of("min:x", {"9007199254740993", "9007199254740992.0"}) == "9007199254740992.0");
    CHECK(of("max:x", {"18446744073709551615", "1e19", "-5"}) == "18446744073709551615");
    CHECK(of("min:x", {"18446744073709551615", "1e19"}) == "1e+19");
    CHECK(of("max:x", {"-1", "-9223372036854775808"}) == "-1");
    CHECK(of("max:x", {"3", "3.0"}) == "3"); // the first of equals wins
    CHECK(of("max:x", {"3.0", "3"}) == "3.0");
    Feeder f("min:x");
    CHECK(f.add("{\"x\":\"a\"}") == AddStatus::not_a_number); // strings are not ordered
}

TEST_CASE("accumulator: first and last by event time, ties by arrival") {
    Feeder first("first:x");
    Feeder last("last:x");
    for (Feeder* f : {&first, &last}) {
        f->add("{\"x\":\"b\"}", 20);
        f->add("{\"x\":\"a1\"}", 10);
        f->add("{\"x\":\"a2\"}", 10);
        f->add("{\"x\":\"c1\"}", 30);
        f->add("{\"x\":\"c2\"}", 30);
        CHECK(f->add("{}", 5) == AddStatus::skipped);
    }
    CHECK(first.result() == "\"a1\"");
    CHECK(last.result() == "\"c2\"");
    CHECK(of("first:x", {}) == "null");
    CHECK(of("last:x", {"{\"a\":[1,2.0]}"}) == "{\"a\":[1,2.0]}");
    CHECK(of("last:x", {"1", "null"}) == "null"); // null is a value here
    check_round_trip(first);
}

TEST_CASE("accumulator: distinct counts canonical values exactly") {
    CHECK(of("distinct:x", {}) == "0");
    CHECK(of("distinct:x", {"3", "3.0", "\"3\"", "3.5", "true", "\"a\"", "\"a\""}) == "5");
    CHECK(of("distinct:x", {"[1]", "[1]", "{\"a\":1}", "[1.0]"}) == "3");
    CHECK(of("distinct:x", {"-0.0", "0"}) == "1");
    Feeder f("distinct:x");
    CHECK(f.add("{\"x\":null}") == AddStatus::skipped);
    f.add_x({"1", "\"1\"", "2"});
    check_round_trip(f);
}

TEST_CASE("accumulator: approx_distinct") {
    Feeder f("approx_distinct:x");
    for (int i = 0; i < 1000; ++i)
        f.add("{\"x\":" + std::to_string(i % 500) + "}");
    f.add("{\"x\":1.0}"); // the same value as 1
    std::int64_t n = std::stoll(f.result());
    CHECK(n >= 490);
    CHECK(n <= 510);
    check_round_trip(f);
    CHECK(of("approx_distinct:x", {}) == "0");
    CHECK(of("approx_distinct:x", {"3", "3.0", "\"3\""}) == "2");
}

TEST_CASE("accumulator: quantiles") {
    Feeder f("p50:x");
    for (int i = 1; i <= 99; ++i)
        f.add("{\"x\":" + std::to_string(i) + "}");
    CHECK(f.result() == "50.0");
    CHECK(of("quantile(1):x", {"1", "7", "3"}) == "7.0");
    CHECK(of("p90:x", {}) == "null");
    CHECK(f.add("{\"x\":\"slow\"}") == AddStatus::not_a_number);
    check_round_trip(f);
}

TEST_CASE("accumulator: collect keeps arrival order up to the cap") {
    Feeder f("collect:x", 3);
    f.add_x({"1", "\"two\"", "null", "4", "5"});
    CHECK(f.result() == "[1,\"two\",null]");
    CHECK(f.acc.dropped() == 2);
    CHECK(of("collect:x", {}) == "[]");
    check_round_trip(f);
}

TEST_CASE("accumulator: merge equals adding everything to one") {
    struct Case {
        const char* agg;
        std::vector<std::string> a, b;
    };

    std::vector<Case> cases{
        {"count", {"1", "2"}, {"3"}},
        {"sum:x", {"1", "2"}, {"3"}},
        {"sum:x", {"9223372036854775807"}, {"1"}},
        {"avg:x", {"1"}, {"2", "6"}},
        {"min:x", {"5", "2.5"}, {"3"}},
        {"max:x", {"5"}, {"18446744073709551615"}},
        {"max:x", {}, {"1"}},
        {"distinct:x", {"1", "2"}, {"2.0", "\"2\""}},
        {"approx_distinct:x", {"1", "2"}, {"2", "3"}},
        {"p50:x", {"1", "2", "3"}, {"4", "5"}},
        {"collect:x", {"1", "2"}, {"3", "4"}},
    };
    for (const Case& c : cases) {
        CAPTURE(std::string(c.agg));
        Feeder whole(c.agg, 3);
        whole.add_x(c.a);
        whole.add_x(c.b);
        Feeder left(c.agg, 3);
        left.add_x(c.a);
        Feeder right(c.agg, 3);
        right.add_x(c.b);
        CHECK(left.acc.merge(right.acc));
        CHECK(left.result() == whole.result());
        CHECK(left.acc.dropped() == whole.acc.dropped());
    }
    SUBCASE("first/last: the merged-in side arrives later") {
        Feeder a("last:x");
        Feeder b("last:x");
        a.add("{\"x\":\"a\"}", 10);
        b.add("{\"x\":\"b\"}", 10);
        Accumulator l = a.acc;
        CHECK(l.merge(b.acc));
        CHECK(Feeder::json_of(l) == "\"b\"");
        Feeder fa("first:x");
        Feeder fb("first:x");
        fa.add("{\"x\":\"a\"}", 10);
        fb.add("{\"x\":\"b\"}", 10);
        fb.add("{\"x\":\"early\"}", 9);
        Accumulator f = fa.acc;
        CHECK(f.merge(fb.acc));
        CHECK(Feeder::json_of(f) == "\"early\"");
    }
    SUBCASE("different aggregates do not merge") {
        Feeder s("sum:x");
        Feeder m("min:x");
        Feeder p50("p50:x");
        Feeder p90("p90:x");
        s.add_x({"1"});
        m.add_x({"0"});
        CHECK_FALSE(s.acc.merge(m.acc));
        CHECK(s.result() == "1");
        CHECK_FALSE(p50.acc.merge(p90.acc));
    }
}

TEST_CASE("accumulator: snapshot/restore round trip for every function") {
    for (const char* agg : {"count", "count:x", "sum:x", "avg:x", "min:x", "max:x", "first:x",
                            "last:x", "distinct:x", "approx_distinct:x", "p99:x", "collect:x"}) {
        CAPTURE(std::string(agg));
        Feeder empty(agg);
        check_round_trip(empty);
        Feeder f(agg);
        f.add_x({"1", "18446744073709551615", "2.5", "-7"});
        check_round_trip(f);
    }
    SUBCASE("sum that overflowed stays a double after restore") {
        Feeder f("sum:x");
        f.add_x({"9223372036854775807", "1"});
        weir::StateWriter w;
        f.acc.snapshot(w);
        Accumulator back = f.fresh();
        weir::StateReader r(w.data());
        back.restore(r);
        Feeder g("sum:x");
        g.add_to(back, "{\"x\":1}");
        f.add("{\"x\":1}");
        CHECK(Feeder::json_of(back) == f.result());
    }
    SUBCASE("state of another function is refused") {
        Feeder f("sum:x");
        weir::StateWriter w;
        f.acc.snapshot(w);
        Feeder m("min:x");
        weir::StateReader r(w.data());
        weir::Error e = weir::test::error_of([&] { m.acc.restore(r); });
        CHECK(e.code() == weir::Exit::temp_fail);
        CHECK(std::string(e.what()) ==
              "checkpoint: accumulator state is for 'sum', expected 'min'");
    }
    SUBCASE("a damaged sketch is refused") {
        weir::StateWriter w;
        w.begin_object("accumulator");
        w.str("func", "approx_distinct");
        w.bytes("hll", "junk");
        w.end_object();
        Feeder f("approx_distinct:x");
        weir::StateReader r(w.data());
        CHECK(weir::test::error_of([&] { f.acc.restore(r); }).code() == weir::Exit::temp_fail);
    }
}

TEST_CASE("accumulator: memory_bytes grows with held values") {
    Feeder count("count");
    CHECK(count.acc.memory_bytes() == sizeof(Accumulator));
    Feeder d("distinct:x");
    std::size_t before = d.acc.memory_bytes();
    d.add_x({"\"a long string value that does not fit inline\"", "2"});
    CHECK(d.acc.memory_bytes() > before + 2 * sizeof(std::string));
    Feeder q("p50:x");
    CHECK(q.acc.memory_bytes() >= sizeof(Accumulator));
}

TEST_CASE("accumulator: state_bytes/merge_state carry state through a record") {
    for (const char* agg : {"count", "sum:x", "avg:x", "min:x", "first:x", "distinct:x",
                            "approx_distinct:x", "p95:x", "collect:x"}) {
        CAPTURE(std::string(agg));
        Feeder minute1(agg);
        minute1.add_all({"1", "2", "\"a\"", "2.5"});
        Feeder minute2(agg);
        minute2.add_all({"7", "-1"});
        Feeder whole(agg);
        whole.add_all({"1", "2", "\"a\"", "2.5", "7", "-1"});

        // --sketches writes base64 into the minute records; --merge decodes it.
        std::string b64;
        weir::append_base64(b64, minute2.acc.state_bytes());
        auto bytes = weir::decode_base64(b64);
        REQUIRE(bytes);
        Accumulator hour = minute1.acc;
        CHECK(hour.merge_state(*bytes));
        CHECK(Feeder::json_of(hour) == whole.result());
    }
    SUBCASE("untrusted bytes are refused without a throw or a change") {
        Feeder f("collect:x");
        f.add_x({"1"});
        CHECK_FALSE(f.acc.merge_state(""));
        CHECK_FALSE(f.acc.merge_state("garbage \x01\x02\xff"));
        Feeder other("sum:x");
        CHECK_FALSE(f.acc.merge_state(other.acc.state_bytes())); // another function
        std::string good = f.acc.state_bytes();
        CHECK_FALSE(f.acc.merge_state(good + "x")); // trailing bytes
        CHECK_FALSE(f.acc.merge_state(good.substr(0, good.size() - 1)));
        CHECK(f.result() == "[1]");

        weir::StateWriter w; // a collect item that is not JSON must not reach output
        w.begin_object("accumulator");
        w.str("func", "collect");
        w.begin_list("items", 1);
        w.str("item", "1,\"injected\":2");
        w.end_list();
        w.u64("dropped", 0);
        w.end_object();
        CHECK_FALSE(f.acc.merge_state(w.data()));
        CHECK(f.result() == "[1]");

        for (int cut = 0; cut < 64; ++cut) { // every truncation of a sketch's state
            Feeder q("p50:x");
            q.add_x({"1", "2", "3"});
            std::string s = q.acc.state_bytes();
            CHECK_FALSE(q.acc.merge_state(std::string_view(s).substr(0, s.size() * cut / 64)));
        }
    }
}
