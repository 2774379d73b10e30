// Global dedup with --exact (dedup/exact_key_set.hpp): keys kept as bytes, so keys whose
// fingerprints collide stay distinct; the arena is the snapshot.

#include "../error_of.hpp"
#include "dedup/exact_key_set.hpp"
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::ExactKeySet;
using weir::Fingerprint;

TEST_CASE("dedup exact key set: inserts, repeats and growth") {
    ExactKeySet s;
    CHECK(s.insert("sa"));
    CHECK(s.insert("sb"));
    CHECK_FALSE(s.insert("sa"));
    CHECK(s.insert(std::string_view("sa\0", 3)));
    CHECK(s.insert(""));
    CHECK_FALSE(s.insert(""));
    for (int i = 0; i < 10'000; ++i)
        CHECK(s.insert("k-" + std::to_string(i)));
    CHECK(s.size() == 10'004);
    CHECK_FALSE(s.insert("k-9999"));
}

TEST_CASE("dedup exact key set: keys with colliding fingerprints stay distinct") {
    ExactKeySet s;
    Fingerprint same{1, 2};
    CHECK(s.insert("first", same));
    CHECK(s.insert("second", same)); // same fingerprint, other bytes: a new key
    CHECK_FALSE(s.insert("first", same));
    CHECK_FALSE(s.insert("second", same));
    CHECK(s.contains("first", same));
    CHECK_FALSE(s.contains("third", same));
    CHECK(s.size() == 2);
}

TEST_CASE("dedup exact key set: snapshot round trip, long keys included") {
    ExactKeySet s;
    std::string long_key(300, 'x'); // a two-byte length
    s.insert(long_key);
    for (int i = 0; i < 2000; ++i)
        s.insert("k-" + std::to_string(i));
    weir::StateWriter w;
    s.snapshot(w);
    std::string bytes = w.take();

    ExactKeySet back;
    weir::StateReader r(bytes);
    back.restore(r);
    CHECK(r.at_end());
    CHECK(back.size() == 2001);
    CHECK_FALSE(back.insert(long_key));
    CHECK_FALSE(back.insert("k-1999"));
    CHECK(back.insert("k-2000"));

    SUBCASE("a cut arena is refused") {
        weir::StateWriter w2;
        w2.u64("keys", 1);
        w2.bytes("arena", std::string("\x05"
                                      "ab",
                                      3));
        std::string b2 = w2.take();
        weir::StateReader r2(b2);
        ExactKeySet e;
        CHECK(weir::test::error_of([&] { e.restore(r2); }).code() == weir::Exit::temp_fail);
    }
}
