#pragma once

// The state of bounded dedup (`weir-dedup --within DURATION`): the keys whose horizon is
// still open, each with the event time of its first occurrence, in expiry order.
//
// A key's horizon opens at its first occurrence's event time t and closes when the
// watermark reaches t + within (`expires`); a later occurrence never moves it. Keys are
// found by fingerprint (with --exact, by fingerprint and then bytes); they close in
// (expires, seq) order, seq numbering keys by first occurrence, so keys closing at the
// same instant leave in the order they came: output never depends on hash order. That
// order is kept by a FIFO queue for keys that come in order and a binary heap for the
// others (see queue_).
//
// With --keep last an entry also holds the bytes and position of the key's latest
// occurrence, to be written when the horizon closes.
//
// Entries live in a slab and are reused, strings and all: once the horizon has filled,
// inserting a key allocates nothing.

#include "dedup/fingerprint_table.hpp"
#include "state/state_io.hpp"
#include "time/timestamp.hpp"
#include "wire/record.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

struct HorizonEntry {
    Fingerprint fp;
    Timestamp first = 0;   // event time of the first occurrence
    Timestamp expires = 0; // first + within, saturating
    std::uint64_t seq = 0; // order of first occurrence
    std::string key;       // --exact: the key's bytes
    std::string held;      // --keep last: the latest occurrence's bytes
    Record held_meta;      // its event time and position (json unused)
};

class HorizonKeys {
public:
    explicit HorizonKeys(bool exact) : exact_(exact) {}

    // The open entry of `key` (fingerprint `fp`), or null. Valid until the next insert.
    HorizonEntry* find(std::string_view key, const Fingerprint& fp) {
        const std::uint32_t* idx =
            table_.find(fp, [&](std::uint32_t i) { return !exact_ || entries_[i].key == key; });
        return idx == nullptr ? nullptr : &entries_[*idx];
    }

    // Opens a horizon for `key`, which must not have one. The entry is valid until the
    // next insert.
    HorizonEntry& insert(std::string_view key, const Fingerprint& fp, Timestamp first,
                         Timestamp expires);

    // --keep last: makes `r` the entry's held occurrence (bytes copied).
    void hold(HorizonEntry& e, const Record& r);

    // Closes every horizon with expires <= wm, in (expires, seq) order, calling
    // on_close(const HorizonEntry&) for each just before it is removed.
    template <typename F>
    void expire(Timestamp wm, F&& on_close) {
        for (;;) {
            // The earliest of the queue's front and the heap's top.
            bool from_queue =
                !queue_.empty() && (due_.empty() || later(due_.front(), queue_.front()));
            if (!from_queue && due_.empty())
                return;
            const Due& next = from_queue ? queue_.front() : due_.front();
            if (next.expires > wm)
                return;
            std::uint32_t idx = next.idx;
            Fingerprint fp = next.fp;
            if (from_queue) {
                queue_.pop_front();
            } else {
                std::pop_heap(due_.begin(), due_.end(), later);
                due_.pop_back();
            }
            on_close(static_cast<const HorizonEntry&>(entries_[idx]));
            remove(idx, fp);
        }
    }

    // Closes every horizon (end of input with --keep last).
    template <typename F>
    void expire_all(F&& on_close) {
        expire(std::numeric_limits<Timestamp>::max(), on_close);
    }

    std::size_t size() const { return table_.size(); }

    // Approximate memory: table, entries, heap, and the bytes of keys and held records.
    std::uint64_t bytes() const {
        return table_.bytes() + entries_.capacity() * sizeof(HorizonEntry) +
               free_.capacity() * sizeof(std::uint32_t) +
               (due_.capacity() + queue_.capacity()) * sizeof(Due) + text_bytes_;
    }

    void snapshot(StateWriter& w) const;

    // Replaces the contents with a snapshot's. Throws Error(Exit::temp_fail) when the
    // data is not such a snapshot.
    void restore(StateReader& r);

private:
    // An open horizon in expiry order. It carries the key's fingerprint so that closing
    // a key touches its entry only when the entry holds bytes (--exact, --keep last).
    struct Due {
        Timestamp expires;
        std::uint64_t seq;
        Fingerprint fp;
        std::uint32_t idx;
    };

    // Heap order: the earliest (expires, seq) on top.
    static bool later(const Due& a, const Due& b) {
        return a.expires != b.expires ? a.expires > b.expires : a.seq > b.seq;
    }

    // A ring buffer of Due: a FIFO queue that allocates only when it grows.
    class DueQueue {
    public:
        bool empty() const { return size_ == 0; }

        std::size_t size() const { return size_; }

        std::size_t capacity() const { return ring_.size(); }

        const Due& front() const { return ring_[head_]; }

        const Due& back() const { return ring_[(head_ + size_ - 1) & (ring_.size() - 1)]; }

        const Due& operator[](std::size_t i) const {
            return ring_[(head_ + i) & (ring_.size() - 1)];
        }

        void push_back(const Due& d) {
            if (size_ == ring_.size())
                grow();
            ring_[(head_ + size_) & (ring_.size() - 1)] = d;
            ++size_;
        }

        void pop_front() {
            head_ = (head_ + 1) & (ring_.size() - 1);
            --size_;
        }

        void clear() { head_ = size_ = 0; }

    private:
        void grow() {
            std::vector<Due> bigger(ring_.empty() ? 64 : ring_.size() * 2);
            for (std::size_t i = 0; i < size_; ++i)
                bigger[i] = (*this)[i];
            ring_ = std::move(bigger);
            head_ = 0;
        }

        std::vector<Due> ring_; // size: a power of two
        std::size_t head_ = 0;
        std::size_t size_ = 0;
    };

    void remove(std::uint32_t idx, const Fingerprint& fp);

    bool exact_;
    FingerprintTable<std::uint32_t, 50, 200> table_; // fingerprint -> index in entries_
    std::vector<HorizonEntry> entries_;
    std::vector<std::uint32_t> free_; // indices of unused entries
    // Expiry order. Keys mostly arrive in event-time order, so their expiries mostly
    // come in order too: those go to a FIFO queue (no heap work), and only a key that
    // expires before the queue's last one goes to the heap. expire() takes the earlier
    // of the two fronts, so the order is exact either way.
    DueQueue queue_;
    std::vector<Due> due_; // heap of the keys that came out of order
    std::uint64_t next_seq_ = 0;
    std::uint64_t text_bytes_ = 0; // key and held bytes of open entries
    bool holds_ = false;           // hold() was called: entries have bytes to free
};

} // namespace weir
