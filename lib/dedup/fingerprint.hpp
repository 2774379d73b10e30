#pragma once

// Key fingerprints for weir-dedup: the 128-bit XXH3 hash of a key's bytes. Two keys are
// taken as equal when their fingerprints are (unless --exact keeps the bytes too). With
// n distinct keys the chance that any two of them share a fingerprint is about
// n^2 / 2^129: 3e-23 for 10^8 keys, 3e-21 for 10^9 keys.
//
// The all-zero value marks an empty slot in the tables (dedup/fingerprint_table.hpp), so
// fingerprint() never returns it: a key hashing to zero is moved to {1, 0}, which merges
// it with the one other 128-bit value, a 2^-128 chance.

#include <cstdint>
#include <string_view>

namespace weir {

struct Fingerprint {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0; // the table's home slot comes from these bits

    bool empty() const { return lo == 0 && hi == 0; }

    friend bool operator==(const Fingerprint& a, const Fingerprint& b) {
        return a.lo == b.lo && a.hi == b.hi;
    }
};

// XXH3-128 of `bytes`, never the empty (all-zero) value.
Fingerprint fingerprint(std::string_view bytes);

} // namespace weir
