#pragma once

// The groups of one window (or of the running totals): encoded group keys
// (window/group_key.hpp) to their aggregates, by open addressing over slots holding
// the key's hash and the group's index. The caller hashes a record's key once and
// looks it up in every window the record falls in (several when windows slide).

#include "window/accumulator.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

struct Group {
    std::string key;               // GroupKeys::encode() bytes
    std::vector<Accumulator> aggs; // one per --agg, in order
    Timestamp last = no_timestamp; // latest event time added (running: for --state-ttl)
    bool changed = false;          // added to since it was last emitted
};

class GroupTable {
public:
    static std::uint64_t hash(std::string_view key);

    // The group of `key` (hash `h`), or nullptr.
    Group* find(std::string_view key, std::uint64_t h);

    // Adds a group for `key`, which must not be there, with `aggs` as its aggregates.
    Group& insert(std::string_view key, std::uint64_t h, std::vector<Accumulator> aggs);

    std::size_t size() const { return groups_.size(); }

    std::vector<Group>& groups() { return groups_; }

    const std::vector<Group>& groups() const { return groups_; }

    // Drops the groups for which pred(group) is true; the others keep their order.
    template <typename Pred>
    std::size_t erase_if(Pred pred) {
        std::size_t before = groups_.size();
        std::erase_if(groups_, pred);
        if (groups_.size() != before)
            rehash(slots_.size());
        return before - groups_.size();
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t index = empty; // into groups_
    };

    static constexpr std::uint32_t empty = UINT32_MAX;

    void rehash(std::size_t capacity);

    std::vector<Slot> slots_;
    std::vector<Group> groups_;
};

} // namespace weir
