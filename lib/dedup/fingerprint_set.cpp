#include "dedup/fingerprint_set.hpp"

#include "cli/error.hpp"

#include <cstring>

namespace weir {

using SetSlot = FingerprintTable<NoPayload>::Slot;
static_assert(sizeof(SetSlot) == 16, "a global dedup key is one 16-byte slot");

void FingerprintSet::snapshot(StateWriter& w) const {
    const auto& slots = table_.slots();
    w.u64("keys", table_.size());
    w.u64("capacity", slots.size());
    w.bytes("slots", std::string_view(reinterpret_cast<const char*>(slots.data()),
                                      slots.size() * sizeof(SetSlot)));
}

void FingerprintSet::restore(StateReader& r) {
    std::uint64_t keys = r.u64("keys");
    std::uint64_t capacity = r.u64("capacity");
    std::string_view raw = r.bytes("slots");
    if (raw.size() != capacity * sizeof(SetSlot))
        throw Error(Exit::temp_fail, "dedup state: {} bytes of slots for a capacity of {}",
                    raw.size(), capacity);
    std::vector<SetSlot> slots(capacity);
    if (capacity != 0)
        std::memcpy(static_cast<void*>(slots.data()), raw.data(), raw.size());
    if (!table_.adopt(std::move(slots)) || table_.size() != keys)
        throw Error(Exit::temp_fail, "dedup state: the fingerprint table is damaged");
}

} // namespace weir
