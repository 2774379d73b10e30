#pragma once

// The state of global dedup (`weir-dedup --global`): every key ever seen, as its 128-bit
// fingerprint, and nothing else. 16 bytes per slot at 68-85% load is at most 23.5 bytes
// per key in memory (dedup/fingerprint_table.hpp).
//
// Snapshot: the key count, the capacity and the slot array as it is in memory (little
// endian on every machine weir builds for), empty slots included. The snapshot file is
// zstd-compressed as a whole (checkpoint/snapshot_file.cpp), which squeezes the empty
// slots (all zeros) to almost nothing, so a snapshot takes about 16 bytes per key; and a
// restore is a single copy into place, with no hashing or probing.

#include "dedup/fingerprint_table.hpp"
#include "state/state_io.hpp"

#include <cstdint>

namespace weir {

class FingerprintSet {
public:
    // Adds `fp`; true when it was not there yet.
    bool insert(const Fingerprint& fp) {
        return table_.insert_new(fp, NoPayload{}, [](NoPayload) { return true; });
    }

    bool contains(const Fingerprint& fp) const { return table_.contains(fp); }

    std::size_t size() const { return table_.size(); }

    std::size_t capacity() const { return table_.capacity(); }

    std::uint64_t bytes() const { return table_.bytes(); }

    void snapshot(StateWriter& w) const;

    // Replaces the contents with a snapshot's. Throws Error(Exit::temp_fail) when the
    // data is not such a snapshot.
    void restore(StateReader& r);

private:
    FingerprintTable<NoPayload> table_;
};

} // namespace weir
