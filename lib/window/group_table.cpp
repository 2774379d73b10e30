#include "window/group_table.hpp"

#include <xxhash.h>

namespace weir {

std::uint64_t GroupTable::hash(std::string_view key) {
    return XXH3_64bits(key.data(), key.size());
}

Group* GroupTable::find(std::string_view key, std::uint64_t h) {
    if (slots_.empty())
        return nullptr;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.index == empty)
            return nullptr;
        if (s.hash == h && groups_[s.index].key == key)
            return &groups_[s.index];
    }
}

Group& GroupTable::insert(std::string_view key, std::uint64_t h, std::vector<Accumulator> aggs) {
    // Load at most 1/2: probes stay short, and slots are 16 bytes against a group's
    // hundreds.
    if ((groups_.size() + 1) * 2 > slots_.size())
        rehash(slots_.empty() ? 16 : slots_.size() * 2);
    groups_.push_back(Group{std::string(key), std::move(aggs), no_timestamp, false});
    std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].index != empty)
        i = (i + 1) & mask;
    slots_[i] = Slot{h, static_cast<std::uint32_t>(groups_.size() - 1)};
    return groups_.back();
}

void GroupTable::rehash(std::size_t capacity) {
    while (capacity < groups_.size() * 2)
        capacity *= 2;
    slots_.assign(capacity, Slot{});
    std::size_t mask = capacity - 1;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        std::uint64_t h = hash(groups_[g].key);
        std::size_t i = h & mask;
        while (slots_[i].index != empty)
            i = (i + 1) & mask;
        slots_[i] = Slot{h, static_cast<std::uint32_t>(g)};
    }
}

} // namespace weir
