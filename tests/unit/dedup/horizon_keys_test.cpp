// Bounded dedup's state (dedup/horizon_keys.hpp): lookups, expiry order, held records
// and the snapshot round trip.

#include "dedup/horizon_keys.hpp"
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using weir::fingerprint;
using weir::HorizonEntry;
using weir::HorizonKeys;

namespace {

std::vector<std::string> expire(HorizonKeys& h, weir::Timestamp wm) {
    std::vector<std::string> closed;
    h.expire(wm, [&](const HorizonEntry& e) {
        closed.push_back(e.held.empty() ? std::to_string(e.first) : e.held);
    });
    return closed;
}

} // namespace

TEST_CASE("dedup horizon keys: a key is found until the watermark reaches its expiry") {
    HorizonKeys h(false);
    h.insert("a", fingerprint("a"), 100, 110);
    h.insert("b", fingerprint("b"), 105, 115);
    CHECK(h.find("a", fingerprint("a")) != nullptr);
    CHECK(h.find("c", fingerprint("c")) == nullptr);
    CHECK(expire(h, 109).empty());
    CHECK(expire(h, 110) == std::vector<std::string>{"100"}); // expires <= watermark
    CHECK(h.find("a", fingerprint("a")) == nullptr);
    CHECK(h.find("b", fingerprint("b")) != nullptr);
    CHECK(h.size() == 1);
}

TEST_CASE("dedup horizon keys: expiry in (expires, first occurrence) order") {
    HorizonKeys h(false);
    h.insert("late", fingerprint("late"), 300, 310);
    h.insert("x", fingerprint("x"), 150, 160);
    h.insert("y", fingerprint("y"), 140, 160); // same expiry as x, came after it
    h.insert("early", fingerprint("early"), 100, 110);
    std::vector<std::string> closed;
    h.expire(200, [&](const HorizonEntry& e) { closed.push_back(std::to_string(e.first)); });
    CHECK(closed == std::vector<std::string>{"100", "150", "140"});
    closed.clear();
    h.expire_all([&](const HorizonEntry& e) { closed.push_back(std::to_string(e.first)); });
    CHECK(closed == std::vector<std::string>{"300"});
    CHECK(h.size() == 0);
}

TEST_CASE("dedup horizon keys: --exact tells colliding keys apart") {
    HorizonKeys h(true);
    weir::Fingerprint same{3, 4};
    h.insert("one", same, 1, 10);
    CHECK(h.find("one", same) != nullptr);
    CHECK(h.find("two", same) == nullptr);
    h.insert("two", same, 2, 10);
    CHECK(h.find("two", same)->first == 2);
    CHECK(h.find("one", same)->first == 1);
}

TEST_CASE("dedup horizon keys: held records, reuse of entries, snapshot round trip") {
    HorizonKeys h(true);
    std::string pad(weir::record_padding, ' ');
    for (int i = 0; i < 100; ++i) {
        std::string k = "k" + std::to_string(i);
        HorizonEntry& e = h.insert(k, fingerprint(k), i, i + 50);
        weir::Record r;
        r.json = k;
        r.line = static_cast<std::uint64_t>(i) + 1;
        h.hold(e, r);
    }
    CHECK(expire(h, 59).size() == 10); // k0..k9
    std::uint64_t bytes = h.bytes();
    CHECK(bytes > 0);

    weir::StateWriter w;
    h.snapshot(w);
    std::string data = w.take();
    HorizonKeys back(true);
    weir::StateReader r(data);
    back.restore(r);
    CHECK(r.at_end());
    CHECK(back.size() == 90);
    HorizonEntry* e = back.find("k42", fingerprint("k42"));
    REQUIRE(e != nullptr);
    CHECK(e->first == 42);
    CHECK(e->expires == 92);
    CHECK(e->held == "k42");
    CHECK(e->held_meta.line == 43);
    // The restored heap closes in the same order, and sequence numbers go on.
    std::vector<std::string> a = expire(h, 70), b = expire(back, 70);
    CHECK(a == b);
    CHECK(a.front() == "k10");
    h.insert("new", fingerprint("new"), 200, 210);
    back.insert("new", fingerprint("new"), 200, 210);
    CHECK(h.find("new", fingerprint("new"))->seq == back.find("new", fingerprint("new"))->seq);
}

TEST_CASE("dedup horizon keys: out-of-order expiries close in exact order") {
    // Mostly ordered times with some disorder: the queue and the heap take turns.
    HorizonKeys h(false);
    std::vector<std::pair<weir::Timestamp, std::uint64_t>> want; // (expires, seq)
    std::uint64_t x = 12345;
    for (std::uint64_t i = 0; i < 5000; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        auto t = static_cast<weir::Timestamp>(i * 10 - (x >> 60) * 7); // up to 105 back
        std::string k = "k" + std::to_string(i);
        h.insert(k, fingerprint(k), t, t + 1000);
        want.emplace_back(t + 1000, i);
    }
    std::sort(want.begin(), want.end());
    std::vector<std::pair<weir::Timestamp, std::uint64_t>> got;
    auto collect = [&](const HorizonEntry& e) {
        got.emplace_back(e.expires, e.seq);
    };
    h.expire(20'000, collect); // part now, the rest at the end
    CHECK(got.size() > 100);
    h.expire_all(collect);
    CHECK(got == want);
    CHECK(h.size() == 0);
}
