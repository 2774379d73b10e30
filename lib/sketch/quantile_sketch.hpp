#pragma once

// QuantileSketch: a mergeable quantile sketch over doubles (KLL: Karnin, Lang, Liberty,
// "Optimal Quantile Approximation in Streams", 2016), used by weir-window for p50/p90/
// p95/p99/quantile(q) aggregates and by minute -> hour rollups (merge).
//
// Accuracy. With the default k = 200 the Apache DataSketches KLL documentation gives a
// normalized rank error of about 1.33% single-sided (the rank of quantile(q) is within
// q +- 0.0133) and about 1.65% double-sided (PMF), each with 99% confidence. Error shrinks
// roughly as 1/k. With at most k values the sketch holds every value and answers exactly.
// Merging sketches keeps the same bound as sketching the union directly.
//
// Determinism. weir promises byte-identical output for the same input, so the coin that
// picks which half of a level survives a compaction is a seeded generator whose state is
// part of the sketch (and of its serialized form): the same sequence of update()/merge()
// calls always yields the same bytes, also across a checkpoint/restore.
//
// Memory: one buffer sized to the level budget, which grows toward 3k values as levels
// are added (k = 200, 1M values: 13 levels, 5.1 KB held, 5.0 KB serialized), whatever
// count() is. update() never allocates except when a new level is added (~log2(n/k) times).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class QuantileSketch {
public:
    static constexpr std::uint32_t default_k = 200;
    static constexpr std::uint32_t min_k = 8;
    static constexpr std::uint32_t max_k = 65535;

    // k outside [min_k, max_k] is a usage mistake: throws Error(Exit::usage).
    explicit QuantileSketch(std::uint32_t k = default_k);

    // Adds one value. Precondition: v is not NaN (the caller counts NaN as it sees fit);
    // a NaN passed anyway is dropped without being counted, so the sketch stays valid.
    // +-inf are ordinary values.
    void update(double v);

    // Adds every value seen by `other` into this sketch. Both must have the same k;
    // otherwise returns false and leaves this sketch unchanged.
    [[nodiscard]] bool merge(const QuantileSketch& other);

    // Nearest-rank quantile over the weighted retained values: the smallest retained value
    // whose cumulative weight reaches ceil(q * count()). q = 0 gives min(), q = 1 gives
    // max(), both exact. Empty sketch, or q outside [0, 1] or NaN: NaN.
    double quantile(double q) const;

    // Several quantiles with one sort: out[i] = quantile(qs[i]) for i < min of the sizes.
    void quantiles(std::span<const double> qs, std::span<double> out) const;

    std::uint64_t count() const { return n_; }

    // Exact smallest / largest value seen; NaN when empty.
    double min() const;
    double max() const;

    std::uint32_t k() const { return k_; }

    // Heap and object bytes held now (for memory accounting of per-key state).
    std::size_t memory_bytes() const;

    // Compact little-endian encoding, starting with a version byte. Appends to out.
    void serialize(std::string& out) const;

    // Inverse of serialize. Truncated, unknown-version or inconsistent input: nullopt.
    static std::optional<QuantileSketch> deserialize(std::string_view in);

    // Same k, count, min/max, generator state and retained values in the same order.
    bool operator==(const QuantileSketch&) const = default;

private:
    std::size_t capacity(std::size_t level) const;
    void set_levels(std::size_t count);
    std::size_t offset(std::size_t level) const;
    void compress();
    bool compact_level(std::size_t level);
    bool coin();

    std::uint32_t k_;
    std::uint64_t n_ = 0;
    std::uint64_t rng_;
    double min_ = 0;
    double max_ = 0;
    // All retained values in one buffer, top level first and level 0 last, so update() is
    // a push_back and memory stays one allocation of about the budget. Level h holds
    // sizes_[h] values of weight 2^h. Level 0 is in arrival order; the others are sorted
    // ascending (a compaction produces sorted output, which merges cheaply).
    std::vector<double> items_;
    std::vector<std::uint32_t> sizes_;
    std::size_t budget_ = 0; // sum of the level capacities: compress beyond this
};

} // namespace weir
