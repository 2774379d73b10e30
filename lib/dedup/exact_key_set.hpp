#pragma once

// The state of global dedup with --exact: every key ever seen, kept as its bytes, so
// that two keys are one only when their bytes are equal, even if their fingerprints
// collide. Costs the key's length plus about 30 bytes per key, against at most 24 for
// fingerprints alone (dedup/fingerprint_set.hpp).
//
// Keys live one after another in an arena (a LEB128 length, then the bytes); the table
// maps each key's fingerprint to its offset there, and a lookup compares bytes only for
// the slots whose fingerprint matches. The arena is also the snapshot: a restore walks
// it and indexes each key again.

#include "dedup/fingerprint_table.hpp"
#include "state/state_io.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

class ExactKeySet {
public:
    // Adds `key`, whose fingerprint is `fp` (tests pass a made-up one to force
    // collisions); true when it was not there yet.
    bool insert(std::string_view key, const Fingerprint& fp);

    bool insert(std::string_view key) { return insert(key, fingerprint(key)); }

    bool contains(std::string_view key, const Fingerprint& fp);

    std::size_t size() const { return table_.size(); }

    std::uint64_t bytes() const { return table_.bytes() + arena_.capacity(); }

    void snapshot(StateWriter& w) const;

    // Replaces the contents with a snapshot's (fingerprints are computed again). Throws
    // Error(Exit::temp_fail) when the data is not such a snapshot.
    void restore(StateReader& r);

private:
    std::string_view key_at(std::uint64_t offset) const;

    FingerprintTable<std::uint64_t> table_; // fingerprint -> offset in arena_
    std::string arena_;
};

} // namespace weir
