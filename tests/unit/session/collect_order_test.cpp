// Accumulator's collect in event-time order (CollectOrder::event_time), which
// weir-sessionize uses: out-of-order adds, the cap keeping the earliest values, merge()
// interleaving by time, and snapshot/restore with the times. Arrival order, weir-window's,
// is checked in tests/unit/window/accumulator_test.cpp.

#include "json/document.hpp"
#include "state/state_io.hpp"
#include "window/accumulator.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::Accumulator;
using weir::CollectOrder;

namespace {

struct Feeder {
    Feeder() : spec(weir::parse_agg_spec("collect:x")), reader(spec) {}

    Accumulator make(std::uint64_t cap) const {
        return Accumulator(spec, cap, CollectOrder::event_time);
    }

    void add(Accumulator& a, const std::string& x, weir::Timestamp t) {
        std::string json = "{\"x\":" + x + "}";
        buf = json + std::string(weir::record_padding, '\0');
        REQUIRE(doc.parse(std::string_view(buf.data(), json.size())));
        CHECK(a.add(reader.read(doc.root(), t)) == weir::AddStatus::ok);
    }

    static std::string json_of(const Accumulator& a) {
        std::string out;
        a.append_json(out);
        return out;
    }

    weir::AggSpec spec;
    weir::AggReader reader;
    weir::JsonDoc doc;
    std::string buf;
};

} // namespace

TEST_CASE("collect by event time: values come out in time order, ties in arrival order") {
    Feeder f;
    Accumulator a = f.make(100);
    f.add(a, "\"c\"", 30);
    f.add(a, "\"a\"", 10);
    f.add(a, "\"b1\"", 20);
    f.add(a, "\"b2\"", 20);
    f.add(a, "null", 5);
    CHECK(Feeder::json_of(a) == R"([null,"a","b1","b2","c"])");
}

TEST_CASE("collect by event time: the cap keeps the earliest values, counting the rest") {
    Feeder f;
    Accumulator a = f.make(3);
    f.add(a, "4", 40);
    f.add(a, "3", 30);
    f.add(a, "2", 20);
    f.add(a, "5", 50); // later than all kept: dropped
    f.add(a, "1", 10); // displaces 4
    CHECK(Feeder::json_of(a) == "[1,2,3]");
    CHECK(a.dropped() == 2);
}

TEST_CASE("collect by event time: merge interleaves, this one's values first on ties") {
    Feeder f;
    Accumulator a = f.make(4);
    Accumulator b = f.make(4);
    f.add(a, "\"a10\"", 10);
    f.add(a, "\"a30\"", 30);
    f.add(b, "\"b20\"", 20);
    f.add(b, "\"b30\"", 30);
    f.add(b, "\"b40\"", 40);
    CHECK(a.merge(b));
    CHECK(Feeder::json_of(a) == R"(["a10","b20","a30","b30"])");
    CHECK(a.dropped() == 1);
    SUBCASE("an arrival-order collect does not merge with it") {
        Accumulator arrival(f.spec, 4);
        CHECK_FALSE(arrival.merge(b));
        CHECK(Feeder::json_of(arrival) == "[]");
    }
}

TEST_CASE("collect by event time: snapshot and restore keep the times") {
    Feeder f;
    Accumulator a = f.make(3);
    f.add(a, "2", 20);
    f.add(a, "1", 10);
    weir::StateWriter w;
    a.snapshot(w);
    std::string bytes = w.take();
    Accumulator b = f.make(3);
    weir::StateReader r(bytes);
    b.restore(r);
    CHECK(r.at_end());
    f.add(b, "0", 5); // ordered against the restored times
    f.add(b, "3", 30);
    CHECK(Feeder::json_of(b) == "[0,1,2]");
    CHECK(b.dropped() == 1);
    CHECK(b.memory_bytes() > a.memory_bytes() - 1);
}
