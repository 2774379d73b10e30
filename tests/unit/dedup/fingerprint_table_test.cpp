// The fingerprint table (dedup/fingerprint_table.hpp) and the global set built on it
// (dedup/fingerprint_set.hpp): growth, load, bytes per key, erasure, collisions of
// equal fingerprints, and the snapshot round trip.

#include "../error_of.hpp"
#include "dedup/fingerprint_set.hpp"
#include "dedup/fingerprint_table.hpp"
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using weir::Fingerprint;
using weir::FingerprintSet;
using weir::FingerprintTable;

namespace {

Fingerprint fp_of(std::uint64_t i) {
    return weir::fingerprint(std::to_string(i));
}

} // namespace

TEST_CASE("dedup fingerprint: XXH3-128 of the bytes, never empty") {
    Fingerprint a = weir::fingerprint("user-1");
    CHECK_FALSE(a.empty());
    CHECK(a == weir::fingerprint("user-1"));
    CHECK_FALSE(a == weir::fingerprint("user-2"));
    CHECK_FALSE(weir::fingerprint("").empty());
}

TEST_CASE("dedup fingerprint table: finds what was inserted, through many growths") {
    FingerprintTable<std::uint32_t> t;
    CHECK(t.find(fp_of(1)) == nullptr); // empty
    for (std::uint32_t i = 0; i < 50'000; ++i)
        t.insert(fp_of(i), i);
    CHECK(t.size() == 50'000);
    bool all = true;
    for (std::uint32_t i = 0; i < 50'000; ++i) {
        const std::uint32_t* v = t.find(fp_of(i));
        all = all && v != nullptr && *v == i;
    }
    CHECK(all);
    bool none = true;
    for (std::uint32_t i = 50'000; i < 60'000; ++i)
        none = none && !t.contains(fp_of(i));
    CHECK(none);
}

TEST_CASE("dedup fingerprint table: load stays within 68-85%, so a key costs at most 24 bytes") {
    FingerprintSet s;
    double worst = 0;
    for (std::uint64_t i = 0; i < 200'000; ++i) {
        CHECK(s.insert(fp_of(i)));
        if (i >= 1000) {
            double per_key = static_cast<double>(s.bytes()) / static_cast<double>(s.size());
            worst = std::max(worst, per_key);
        }
        double load = static_cast<double>(s.size()) / static_cast<double>(s.capacity());
        if (load > 0.85)
            FAIL("load " << load << " at " << i);
    }
    CHECK(worst <= 24.0);
    CHECK(s.size() == 200'000);
    CHECK_FALSE(s.insert(fp_of(12345))); // a repeat
}

TEST_CASE("dedup fingerprint table: erase keeps the other entries findable") {
    FingerprintTable<std::uint32_t> t;
    for (std::uint32_t i = 0; i < 20'000; ++i)
        t.insert(fp_of(i), i);
    auto any = [](std::uint32_t) {
        return true;
    };
    for (std::uint32_t i = 0; i < 20'000; i += 2)
        CHECK(t.erase(fp_of(i), any));
    CHECK_FALSE(t.erase(fp_of(0), any));
    CHECK(t.size() == 10'000);
    bool ok = true;
    for (std::uint32_t i = 0; i < 20'000; ++i)
        ok = ok && (t.find(fp_of(i)) != nullptr) == (i % 2 == 1);
    CHECK(ok);
    // Erased slots are reused.
    for (std::uint32_t i = 0; i < 20'000; i += 2)
        t.insert(fp_of(i), i);
    CHECK(t.size() == 20'000);
    CHECK(*t.find(fp_of(4)) == 4);
}

TEST_CASE("dedup fingerprint table: equal fingerprints are told apart by the predicate") {
    FingerprintTable<std::uint32_t> t;
    Fingerprint same{7, 42};
    for (std::uint32_t v = 0; v < 5; ++v)
        t.insert(same, v);
    for (std::uint32_t i = 0; i < 1000; ++i) // neighbours around them
        t.insert(fp_of(i), 100 + i);
    for (std::uint32_t v = 0; v < 5; ++v) {
        auto is_v = [v](std::uint32_t x) {
            return x == v;
        };
        REQUIRE(t.find(same, is_v) != nullptr);
        CHECK(*t.find(same, is_v) == v);
    }
    auto is_9 = [](std::uint32_t x) {
        return x == 9;
    };
    CHECK(t.find(same, is_9) == nullptr);
    CHECK(t.erase(same, [](std::uint32_t x) { return x == 2; }));
    CHECK(t.find(same, [](std::uint32_t x) { return x == 2; }) == nullptr);
    CHECK(t.find(same, [](std::uint32_t x) { return x == 3; }) != nullptr);
}

TEST_CASE("dedup fingerprint table: fingerprints crowded on one home slot") {
    // Equal high words share a home: a long run that wraps past the end of the array.
    FingerprintTable<std::uint32_t> t;
    for (std::uint32_t i = 0; i < 12; ++i)
        t.insert(Fingerprint{i + 1, ~std::uint64_t{0}}, i);
    for (std::uint32_t i = 0; i < 12; ++i)
        CHECK(t.find(Fingerprint{i + 1, ~std::uint64_t{0}}) != nullptr);
    auto any = [](std::uint32_t) {
        return true;
    };
    CHECK(t.erase(Fingerprint{1, ~std::uint64_t{0}}, any));
    for (std::uint32_t i = 1; i < 12; ++i)
        CHECK(t.find(Fingerprint{i + 1, ~std::uint64_t{0}}) != nullptr);
}

TEST_CASE("dedup fingerprint set: snapshot round trip") {
    FingerprintSet s;
    for (std::uint64_t i = 0; i < 30'000; ++i)
        s.insert(fp_of(i));
    weir::StateWriter w;
    s.snapshot(w);
    std::string bytes = w.take();

    FingerprintSet back;
    back.insert(fp_of(999'999)); // replaced by the restore
    weir::StateReader r(bytes);
    back.restore(r);
    CHECK(r.at_end());
    CHECK(back.size() == 30'000);
    CHECK(back.capacity() == s.capacity());
    bool all = true;
    for (std::uint64_t i = 0; i < 30'000; ++i)
        all = all && back.contains(fp_of(i));
    CHECK(all);
    CHECK_FALSE(back.contains(fp_of(999'999)));
    CHECK_FALSE(back.insert(fp_of(7)));
    CHECK(back.insert(fp_of(30'000)));

    SUBCASE("an empty set") {
        FingerprintSet empty;
        weir::StateWriter w2;
        empty.snapshot(w2);
        std::string b2 = w2.take();
        weir::StateReader r2(b2);
        FingerprintSet e2;
        e2.restore(r2);
        CHECK(e2.size() == 0);
        CHECK(e2.insert(fp_of(1)));
    }
    SUBCASE("damaged data is refused") {
        weir::StateWriter w3;
        w3.u64("keys", 5);
        w3.u64("capacity", 16);
        w3.bytes("slots", std::string(16 * 16, '\0'));
        std::string b3 = w3.take();
        weir::StateReader r3(b3);
        FingerprintSet e3;
        CHECK(weir::test::error_of([&] { e3.restore(r3); }).code() == weir::Exit::temp_fail);
    }
}

TEST_CASE("dedup fingerprint table: insert_new looks up and inserts in one probe") {
    FingerprintTable<std::uint32_t> t;
    auto any = [](std::uint32_t) {
        return true;
    };
    CHECK(t.insert_new(fp_of(1), 1, any));
    CHECK_FALSE(t.insert_new(fp_of(1), 2, any));
    CHECK(*t.find(fp_of(1)) == 1);
    // Emptied by erasure, the table keeps its slots and still inserts in place.
    CHECK(t.erase(fp_of(1), any));
    CHECK(t.size() == 0);
    std::size_t cap = t.capacity();
    CHECK(t.insert_new(fp_of(2), 2, any));
    CHECK(t.capacity() == cap);
    CHECK(t.find(fp_of(2)) != nullptr);
    CHECK(t.find(fp_of(1)) == nullptr);
}
