#include "enrich/key_index.hpp"

#include <xxhash.h>

#include <cstring>

namespace weir {

std::uint64_t KeyIndex::hash(std::string_view key) {
    return XXH3_64bits(key.data(), key.size());
}

void KeyIndex::grow() {
    std::vector<Slot> old = std::move(slots_);
    std::size_t cap = old.empty() ? 16 : old.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& s : old) {
        if (s.key == nullptr)
            continue;
        std::uint64_t i = s.hash & mask_;
        while (slots_[i].key != nullptr)
            i = (i + 1) & mask_;
        slots_[i] = s;
    }
}

std::pair<std::uint32_t, bool> KeyIndex::insert(std::string_view key, std::uint32_t row) {
    // At most 3/4 full, so probes stay short.
    if ((size_ + 1) * 4 > slots_.size() * 3)
        grow();
    std::uint64_t h = hash(key);
    std::uint64_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
        Slot& s = slots_[i];
        if (s.key == nullptr) {
            s = Slot{h, key.data(), static_cast<std::uint32_t>(key.size()), row};
            ++size_;
            return {row, true};
        }
        if (s.hash == h && s.len == key.size() && std::memcmp(s.key, key.data(), key.size()) == 0)
            return {s.row, false};
    }
}

std::int64_t KeyIndex::find(std::string_view key, std::uint64_t h) const {
    if (slots_.empty())
        return -1;
    for (std::uint64_t i = h & mask_;; i = (i + 1) & mask_) {
        const Slot& s = slots_[i];
        if (s.key == nullptr)
            return -1;
        if (s.hash == h && s.len == key.size() && std::memcmp(s.key, key.data(), key.size()) == 0)
            return s.row;
    }
}

} // namespace weir
