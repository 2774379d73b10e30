#pragma once

// The index of a reference table: encoded keys (enrich/key.hpp) to row numbers, by open
// addressing with linear probing over slots that hold the key's 64-bit hash, a pointer
// to its bytes (in the table's arena, which never moves) and the row.
//
// Why not a general hash map: a lookup is on the hot path of every record, and the
// table is read-only once loaded. Comparing the stored hash first means the key's bytes
// are touched only for the one slot that almost surely matches, and hash() and
// prefetch() let a caller with several tables start all their cache misses before
// waiting on the first.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace weir {

class KeyIndex {
public:
    static std::uint64_t hash(std::string_view key);

    // Adds `key` (whose bytes must outlive the index) for `row`. When the key is there
    // already, nothing changes and its row is returned with false.
    std::pair<std::uint32_t, bool> insert(std::string_view key, std::uint32_t row);

    // Hints the CPU to fetch the slot where a key of hash `h` starts its probe.
    void prefetch(std::uint64_t h) const {
        if (!slots_.empty())
            __builtin_prefetch(&slots_[h & mask_]);
    }

    // The row of `key` (whose hash is `h`), or -1.
    std::int64_t find(std::string_view key, std::uint64_t h) const;

    std::int64_t find(std::string_view key) const { return find(key, hash(key)); }

    std::size_t size() const { return size_; }

    std::uint64_t bytes() const { return slots_.capacity() * sizeof(Slot); }

private:
    struct Slot {
        std::uint64_t hash = 0;
        const char* key = nullptr; // null: empty slot
        std::uint32_t len = 0;
        std::uint32_t row = 0;
    };

    void grow();

    std::vector<Slot> slots_;
    std::uint64_t mask_ = 0;
    std::size_t size_ = 0;
};

} // namespace weir
