#include "cli/error.hpp"
#include "sketch/quantile_sketch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using weir::QuantileSketch;

namespace {

constexpr std::array<double, 4> checked_qs{0.01, 0.5, 0.9, 0.99};
constexpr double rank_tolerance = 0.015;

// Test data: `sorted` holds the distinct values in ascending order and the stream visits
// them in a scrambled order, so true ranks come from a binary search with no 1M-value sort
// (which is slow under the sanitizers).
struct Data {
    std::vector<double> sorted;
    std::vector<double> stream;
};

// i -> i * 7919 + offset mod n is a permutation when gcd(7919, n) = 1 (n is 10^x here).
Data make_data(std::size_t n, bool skewed) {
    Data d;
    d.sorted.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        double u = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
        // Heavy-tailed (Pareto, alpha 1.2) has the shape of latencies: most small, a few huge.
        d.sorted[i] = skewed ? 1.0 / std::pow(1.0 - u, 1.0 / 1.2) : u;
    }
    d.stream.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        d.stream[i] = d.sorted[(i * 7919 + 12345) % n];
    return d;
}

// Random doubles from a fixed seed (for the byte-level tests), built from raw bits so the
// data is the same with every standard library.
std::vector<double> random_values(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::vector<double> out(n);
    for (auto& v : out)
        v = static_cast<double>(gen() >> 11) * 0x1.0p-53 * 1000.0;
    return out;
}

QuantileSketch sketch_of(const std::vector<double>& values, std::size_t from = 0,
                         std::size_t to = SIZE_MAX) {
    QuantileSketch s;
    to = std::min(to, values.size());
    for (std::size_t i = from; i < to; ++i)
        s.update(values[i]);
    return s;
}

// Checks |true normalized rank of quantile(q) - q| <= tolerance for each checked q.
void check_rank_error(const QuantileSketch& s, const std::vector<double>& sorted) {
    for (double q : checked_qs) {
        double v = s.quantile(q);
        auto rank = std::upper_bound(sorted.begin(), sorted.end(), v) - sorted.begin();
        double err = std::abs(static_cast<double>(rank) / static_cast<double>(sorted.size()) - q);
        INFO("q = " << q << " value = " << v << " rank error = " << err);
        CHECK(err <= rank_tolerance);
    }
}

std::string bytes_of(const QuantileSketch& s) {
    std::string out;
    s.serialize(out);
    return out;
}

} // namespace

TEST_CASE("quantile sketch: empty sketch answers NaN") {
    QuantileSketch s;
    CHECK(s.count() == 0);
    CHECK(std::isnan(s.quantile(0.5)));
    CHECK(std::isnan(s.quantile(0.0)));
    CHECK(std::isnan(s.min()));
    CHECK(std::isnan(s.max()));
    CHECK(s.k() == QuantileSketch::default_k);
    CHECK(s.memory_bytes() > 0);
}

TEST_CASE("quantile sketch: k out of range is a usage error") {
    CHECK_THROWS_AS(QuantileSketch(7), weir::Error);
    CHECK_THROWS_AS(QuantileSketch(70000), weir::Error);
    CHECK_NOTHROW(QuantileSketch(8));
}

TEST_CASE("quantile sketch: exact nearest rank with at most k values") {
    QuantileSketch s;
    // 1..200 in a scrambled order.
    for (int i = 0; i < 200; ++i)
        s.update(static_cast<double>((i * 37) % 200 + 1));
    CHECK(s.count() == 200);
    CHECK(s.quantile(0.5) == 100);
    CHECK(s.quantile(0.01) == 2);
    CHECK(s.quantile(0.001) == 1);
    CHECK(s.quantile(0.9) == 180);
    CHECK(s.quantile(0.995) == 199);
    CHECK(s.quantile(0.0) == 1);
    CHECK(s.quantile(1.0) == 200);
    CHECK(std::isnan(s.quantile(-0.1)));
    CHECK(std::isnan(s.quantile(1.5)));
    CHECK(std::isnan(s.quantile(std::nan(""))));

    std::array<double, 3> qs{0.25, 0.75, 2.0};
    std::array<double, 3> out{};
    s.quantiles(qs, out);
    CHECK(out[0] == 50);
    CHECK(out[1] == 150);
    CHECK(std::isnan(out[2]));
}

TEST_CASE("quantile sketch: NaN is dropped, infinities are values") {
    QuantileSketch s;
    s.update(std::nan(""));
    CHECK(s.count() == 0);
    s.update(1.0);
    s.update(-INFINITY);
    s.update(INFINITY);
    CHECK(s.count() == 3);
    CHECK(s.min() == -INFINITY);
    CHECK(s.max() == INFINITY);
    CHECK(s.quantile(0.5) == 1.0);
}

TEST_CASE("quantile sketch: rank error within 1.5% on 1M uniform values") {
    auto d = make_data(1'000'000, false);
    auto s = sketch_of(d.stream);
    CHECK(s.count() == d.stream.size());
    CHECK(s.min() == d.sorted.front());
    CHECK(s.max() == d.sorted.back());
    check_rank_error(s, d.sorted);
    // Bounded memory: about 3k retained values, far below the 8 MB input.
    CHECK(s.memory_bytes() < 8 * 1024);
}

TEST_CASE("quantile sketch: rank error within 1.5% on 1M skewed values") {
    auto d = make_data(1'000'000, true);
    auto s = sketch_of(d.stream);
    CHECK(s.min() == d.sorted.front());
    CHECK(s.max() == d.sorted.back());
    check_rank_error(s, d.sorted);
}

TEST_CASE("quantile sketch: merging two halves keeps the error bound") {
    auto d = make_data(1'000'000, true);
    auto first = sketch_of(d.stream, 0, 500'000);
    auto second = sketch_of(d.stream, 500'000);
    REQUIRE(first.merge(second));
    CHECK(first.count() == d.stream.size());
    CHECK(first.min() == d.sorted.front());
    CHECK(first.max() == d.sorted.back());
    check_rank_error(first, d.sorted);
}

TEST_CASE("quantile sketch: rollup of 60 minute sketches keeps the error bound") {
    auto d = make_data(300'000, false);
    QuantileSketch hour;
    for (std::size_t m = 0; m < 60; ++m)
        REQUIRE(hour.merge(sketch_of(d.stream, m * 5'000, (m + 1) * 5'000)));
    CHECK(hour.count() == d.stream.size());
    check_rank_error(hour, d.sorted);
}

TEST_CASE("quantile sketch: merge edge cases") {
    QuantileSketch a;
    QuantileSketch b;
    b.update(5);
    REQUIRE(a.merge(b)); // into empty
    CHECK(a.count() == 1);
    CHECK(a.min() == 5);
    REQUIRE(a.merge(QuantileSketch{})); // empty into non-empty
    CHECK(a.count() == 1);
    REQUIRE(a.merge(a)); // self
    CHECK(a.count() == 2);
    CHECK(a.quantile(0.5) == 5);

    QuantileSketch other_k(100);
    other_k.update(1);
    auto before = bytes_of(a);
    CHECK_FALSE(a.merge(other_k));
    CHECK(bytes_of(a) == before);
}

TEST_CASE("quantile sketch: same input gives the same bytes") {
    auto values = random_values(50'000, 4);
    CHECK(bytes_of(sketch_of(values)) == bytes_of(sketch_of(values)));

    auto a1 = sketch_of(values, 0, 25'000);
    auto a2 = sketch_of(values, 0, 25'000);
    REQUIRE(a1.merge(sketch_of(values, 25'000)));
    REQUIRE(a2.merge(sketch_of(values, 25'000)));
    CHECK(bytes_of(a1) == bytes_of(a2));
}

TEST_CASE("quantile sketch: restore from bytes continues identically") {
    auto values = random_values(40'000, 5);
    auto whole = sketch_of(values);

    auto half = sketch_of(values, 0, 20'000);
    auto restored = QuantileSketch::deserialize(bytes_of(half));
    REQUIRE(restored);
    CHECK(*restored == half);
    for (std::size_t i = 20'000; i < values.size(); ++i)
        restored->update(values[i]);
    CHECK(bytes_of(*restored) == bytes_of(whole));
}

TEST_CASE("quantile sketch: serialize round trip") {
    for (std::size_t n : {0, 1, 150, 5'000}) {
        CAPTURE(n);
        QuantileSketch s(64);
        auto values = random_values(n, 6);
        for (double v : values)
            s.update(v);
        auto bytes = bytes_of(s);
        auto back = QuantileSketch::deserialize(bytes);
        REQUIRE(back);
        CHECK(*back == s);
        CHECK(back->k() == 64);
        CHECK(back->count() == n);
        CHECK(bytes_of(*back) == bytes);
        if (n > 0) {
            CHECK(back->quantile(0.5) == s.quantile(0.5));
            CHECK(back->min() == s.min());
            CHECK(back->max() == s.max());
        }
    }
    // Compact: an empty sketch is 21 bytes; a full one about 8 bytes per retained value.
    CHECK(bytes_of(QuantileSketch{}).size() == 21);
    CHECK(bytes_of(sketch_of(random_values(100'000, 7))).size() < 8 * 700);
}

TEST_CASE("quantile sketch: bad bytes give nullopt, never a crash") {
    auto good = bytes_of(sketch_of(random_values(3'000, 8)));
    REQUIRE(QuantileSketch::deserialize(good));

    CHECK_FALSE(QuantileSketch::deserialize(""));
    // Every truncation, and one byte too many.
    for (std::size_t len = 0; len < good.size(); ++len)
        CHECK_FALSE(QuantileSketch::deserialize(std::string_view(good).substr(0, len)));
    CHECK_FALSE(QuantileSketch::deserialize(good + "x"));

    auto with = [&](std::size_t at, char byte) {
        std::string s = good;
        s[at] = byte;
        return s;
    };
    CHECK_FALSE(QuantileSketch::deserialize(with(0, 2)));    // unknown version
    CHECK_FALSE(QuantileSketch::deserialize(with(1, 0)));    // k too small
    CHECK_FALSE(QuantileSketch::deserialize(with(5, 0x7f))); // count off its weights
    CHECK_FALSE(QuantileSketch::deserialize(with(37, 0)));   // no levels

    // Random byte flips: any outcome but a crash (ASan/UBSan watch the reads).
    std::mt19937_64 gen(9);
    for (int i = 0; i < 2'000; ++i) {
        std::string s = good;
        s[gen() % s.size()] = static_cast<char>(gen());
        if (auto back = QuantileSketch::deserialize(s)) {
            back->update(1.0);
            (void)back->quantile(0.5);
        }
    }
    // Pure garbage of many lengths.
    for (int i = 0; i < 500; ++i) {
        std::string s(gen() % 64, '\0');
        for (auto& ch : s)
            ch = static_cast<char>(gen());
        (void)QuantileSketch::deserialize(s);
    }
}
