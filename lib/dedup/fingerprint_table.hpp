#pragma once

// An open-addressing hash table keyed by 128-bit fingerprints (dedup/fingerprint.hpp),
// each slot holding the fingerprint and a small payload V (nothing for global dedup, a
// key offset for --exact, an entry index for the horizon). Used by every dedup mode.
//
// Why this shape: global dedup must hold at most 24 bytes per key (DESIGN.md), and a
// 16-byte fingerprint leaves room for little slack. So the capacity is not a power of
// two: the table grows by 1.25x when 85% full, which keeps it between 68% and 85% full
// (16-byte slots: 18.8 to 23.5 bytes per key). A slot's home is fastrange(fp.hi, cap),
// the fingerprint's top bits scaled to the capacity, so nothing but the fingerprint is
// stored. At such loads plain linear probing is slow on misses (every new key is a
// miss), so the table uses Robin Hood ordering: entries sit in order of their home,
// and a lookup stops as soon as it meets an entry closer to its home than the probe is
// to the key's, which keeps misses about as short as hits. Erasing shifts the
// following entries back (no tombstones), which keeps that order.
//
// Equal fingerprints may be stored several times (--exact keeps colliding keys apart):
// find() takes a predicate that tells the caller's key from another with the same
// fingerprint. The table never looks inside V.
//
// Slots are plain bytes (fingerprint + trivially copyable V), so a snapshot is the slot
// array itself and a restore is one copy: no rehashing (dedup/fingerprint_set.cpp).

#include "dedup/fingerprint.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace weir {

struct NoPayload {};

// MaxLoad: percent full at which the table grows, by Growth percent. The defaults are
// global dedup's (85%, x1.25: at most 24 bytes per key); a table that erases as much as
// it inserts (the horizon) runs emptier, where erasing shifts back fewer entries.
template <typename V, unsigned MaxLoad = 85, unsigned Growth = 125>
class FingerprintTable {
    static_assert(MaxLoad > 0 && MaxLoad < 100 && Growth > 100);
    static_assert(std::is_trivially_copyable_v<V>);

public:
    struct Slot {
        Fingerprint fp; // empty(): a free slot
        [[no_unique_address]] V value{};
    };

    // Capacity of a new table, and the load at which it grows.
    static constexpr std::size_t min_capacity = 16;
    static constexpr std::size_t load_num = MaxLoad, load_den = 100;

    // The payload of an entry with fingerprint `fp` for which eq(value) holds, or null.
    // The pointer is valid until the next insert or erase.
    template <typename Eq>
    V* find(const Fingerprint& fp, Eq&& eq) {
        std::size_t pos = find_pos(fp, eq);
        return pos == npos ? nullptr : &slots_[pos].value;
    }

    V* find(const Fingerprint& fp) {
        return find(fp, [](const V&) { return true; });
    }

    bool contains(const Fingerprint& fp) const {
        auto any = [](const V&) {
            return true;
        };
        return find_pos(fp, any) != npos;
    }

    // Adds an entry. The caller has checked that it is not there (equal fingerprints are
    // kept as separate entries). May grow the table.
    void insert(const Fingerprint& fp, const V& value) {
        if ((size_ + 1) * load_den > slots_.size() * load_num)
            grow();
        place(Slot{fp, value});
        ++size_;
    }

    // Adds an entry unless one with fingerprint `fp` for which eq(value) holds is there:
    // one probe serves both the lookup and the insertion. True when it was added.
    template <typename Eq>
    bool insert_new(const Fingerprint& fp, const V& value, Eq&& eq) {
        std::size_t pos = 0, dist = 0;
        if (!slots_.empty()) {
            for (pos = home(fp);; ++dist) {
                const Slot& s = slots_[pos];
                if (s.fp.empty() || distance(s.fp, pos) < dist)
                    break; // absent; it belongs here
                if (s.fp == fp && eq(s.value))
                    return false;
                pos = next(pos);
            }
        }
        if (slots_.empty() || (size_ + 1) * load_den > slots_.size() * load_num) {
            grow();
            place(Slot{fp, value});
        } else {
            place_from(pos, dist, Slot{fp, value});
        }
        ++size_;
        return true;
    }

    // Removes the entry with fingerprint `fp` for which eq(value) holds; false if none.
    template <typename Eq>
    bool erase(const Fingerprint& fp, Eq&& eq) {
        std::size_t pos = find_pos(fp, eq);
        if (pos == npos)
            return false;
        // Backward shift: pull each following entry that is not at its home one step
        // closer, up to a free slot or an entry at home.
        for (;;) {
            std::size_t n = next(pos);
            if (slots_[n].fp.empty() || distance(slots_[n].fp, n) == 0)
                break;
            slots_[pos] = slots_[n];
            pos = n;
        }
        slots_[pos] = Slot{};
        --size_;
        return true;
    }

    void clear() {
        slots_.clear();
        slots_.shrink_to_fit();
        size_ = 0;
    }

    std::size_t size() const { return size_; }

    std::size_t capacity() const { return slots_.size(); }

    // Memory held by the slots.
    std::uint64_t bytes() const { return slots_.capacity() * sizeof(Slot); }

    // The slot array, in table order, for snapshots and iteration (skip empty slots).
    const std::vector<Slot>& slots() const { return slots_; }

    // Takes a slot array written by slots() of a table of the same V: its capacity
    // determines every home, so the entries are where they were. Returns false (and
    // leaves the table empty) when the array cannot be one: a capacity below the
    // minimum or an entry count over the load limit.
    bool adopt(std::vector<Slot> slots) {
        std::size_t n = 0;
        for (const Slot& s : slots)
            n += s.fp.empty() ? 0 : 1;
        if ((!slots.empty() && slots.size() < min_capacity) ||
            n * load_den > slots.size() * load_num) {
            clear();
            return false;
        }
        slots_ = std::move(slots);
        size_ = n;
        return true;
    }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    template <typename Eq>
    std::size_t find_pos(const Fingerprint& fp, Eq& eq) const {
        if (size_ == 0)
            return npos;
        std::size_t pos = home(fp);
        for (std::size_t dist = 0;; ++dist) {
            const Slot& s = slots_[pos];
            if (s.fp.empty() || distance(s.fp, pos) < dist)
                return npos;
            if (s.fp == fp && eq(s.value))
                return pos;
            pos = next(pos);
        }
    }

    std::size_t home(const Fingerprint& fp) const {
        return static_cast<std::size_t>((static_cast<unsigned __int128>(fp.hi) * slots_.size()) >>
                                        64);
    }

    std::size_t next(std::size_t pos) const { return pos + 1 == slots_.size() ? 0 : pos + 1; }

    // How far the entry at `pos` sits from its home.
    std::size_t distance(const Fingerprint& fp, std::size_t pos) const {
        std::size_t h = home(fp);
        return pos >= h ? pos - h : pos + slots_.size() - h;
    }

    // Robin Hood insertion: an entry further from its home than the resident takes the
    // slot, and the resident moves on.
    void place(Slot item) { place_from(home(item.fp), 0, item); }

    // Continues a Robin Hood insertion at `pos`, `dist` slots from the item's home.
    void place_from(std::size_t pos, std::size_t dist, Slot item) {
        for (;; ++dist) {
            Slot& s = slots_[pos];
            if (s.fp.empty()) {
                s = item;
                return;
            }
            std::size_t d = distance(s.fp, pos);
            if (d < dist) {
                std::swap(s, item);
                dist = d;
            }
            pos = next(pos);
        }
    }

    void grow() {
        std::vector<Slot> old = std::move(slots_);
        std::size_t cap = old.empty() ? min_capacity : old.size() * Growth / 100;
        slots_.assign(cap, Slot{});
        for (const Slot& s : old)
            if (!s.fp.empty())
                place(s);
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

} // namespace weir
