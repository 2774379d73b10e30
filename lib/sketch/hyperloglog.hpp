#pragma once

// HyperLogLog: an approximate count of distinct values in fixed, mergeable state, for
// weir-window's `approx_distinct` aggregate.
//
// The caller hashes each value (weir uses XXH3_64bits of the value's canonical bytes) and
// calls add_hash(). The top `precision` bits of the hash pick one of m = 2^14 registers;
// the register keeps the largest "rank" (leading zeros of the remaining 50 bits, plus 1)
// seen for it. Registers are combined by max, so merge() of the sketches of two streams
// equals the sketch of their union, exactly: minute sketches roll up into hours.
//
// Accuracy: standard error 1.04/sqrt(m) = 0.81%. estimate() uses Ertl's improved raw
// estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017; also
// what Redis uses). It needs no empirical bias tables and, unlike the classic estimator
// with linear counting below 2.5m, has no bias bump in the hand-over range (~40k-80k).
// Measured (XXH3 of 8-byte integers; 200 trials per cardinality from 10 to 200k, 40 at
// 1M, 10 at 10M): bias within +-0.07% everywhere, RMS error 0.50-0.96% (the theory's
// 0.81% plus sampling noise), worst single trial 2.9% (1.7% up to 1000 values).
//
// Memory: a sketch starts sparse, as a sorted vector of (index, rank) entries, 4 bytes
// each, so the many small windows of a fine-grained grouping stay small. Past
// sparse_limit entries it turns dense: one byte per register, 16 KiB, and add_hash()
// then never allocates. Both forms hold the same registers, so estimates, merges and
// serialized bytes do not depend on which form a sketch is in.
//
// Serialized form (all integers little-endian), see serialize():
//   byte 0 version (1), byte 1 precision (14), byte 2 encoding:
//   0 sparse: u16 count, then count x 3 bytes (index << 6 | rank), strictly by index;
//   1 dense:  m bytes, one rank per register.
// The shorter encoding is chosen by the number of set registers, so equal sketches give
// equal bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class HyperLogLog {
public:
    static constexpr unsigned precision = 14;
    static constexpr std::size_t registers = std::size_t{1} << precision; // m
    static constexpr std::uint8_t max_rank = 64 - precision + 1;          // 51
    static constexpr std::size_t sparse_limit = 1024; // entries before turning dense
    static constexpr std::uint8_t format_version = 1;

    // Counts one value, given its 64-bit hash. Allocates only while sparse (vector growth).
    void add_hash(std::uint64_t hash);

    // Estimated number of distinct hashes added; 0 for an empty sketch.
    double estimate() const;

    // Register-wise max: afterwards this sketch equals the sketch of both inputs' union.
    void merge(const HyperLogLog& other);

    // Appends the encoding described above to `out`.
    void serialize(std::string& out) const;

    // nullopt for malformed input: short or long, another version or precision, an
    // unknown encoding, ranks above max_rank, unsorted or repeated sparse indices.
    static std::optional<HyperLogLog> deserialize(std::string_view in);

    // Heap and inline bytes held, for state-size metrics.
    std::size_t memory_bytes() const;

    bool empty() const { return set_registers() == 0; }

    bool is_sparse() const { return dense_.empty(); }

    // The rank held by register `index` (< registers); 0 if never set.
    std::uint8_t register_value(std::size_t index) const;

    // Same registers (whatever the form of each sketch).
    friend bool operator==(const HyperLogLog& a, const HyperLogLog& b);

private:
    void set_max(std::uint32_t index, std::uint8_t rank);
    void insert_sparse(std::uint32_t index, std::uint8_t rank);
    void to_dense();
    std::size_t set_registers() const;

    // Sparse entries are (index << 8 | rank), sorted, one per index: ordering by the
    // packed value orders by index. Empty once dense.
    std::vector<std::uint32_t> sparse_;
    // One rank per register; empty while sparse.
    std::vector<std::uint8_t> dense_;
};

} // namespace weir
