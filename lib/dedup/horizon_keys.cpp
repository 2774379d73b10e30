#include "dedup/horizon_keys.hpp"

#include "cli/error.hpp"

#include <cstring>

namespace weir {

namespace {

// The snapshot's packed entries: fixed-width little-endian integers and
// length-prefixed strings, one entry after another in expiry order.
template <typename T>
void put(std::string& out, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

void put_str(std::string& out, std::string_view s) {
    put<std::uint64_t>(out, s.size());
    out.append(s);
}

class Unpacker {
public:
    explicit Unpacker(std::string_view in) : in_(in) {}

    template <typename T>
    T get() {
        need(sizeof(T));
        T v;
        std::memcpy(&v, in_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }

    void get_str(std::string& out) {
        auto n = get<std::uint64_t>();
        need(n);
        out.assign(in_.substr(pos_, n));
        pos_ += n;
    }

    bool at_end() const { return pos_ == in_.size(); }

private:
    void need(std::uint64_t n) const {
        if (n > in_.size() - pos_)
            throw Error(Exit::temp_fail, "dedup state: the horizon's entries are cut short");
    }

    std::string_view in_;
    std::size_t pos_ = 0;
};

} // namespace

HorizonEntry& HorizonKeys::insert(std::string_view key, const Fingerprint& fp, Timestamp first,
                                  Timestamp expires) {
    std::uint32_t idx = 0;
    if (!free_.empty()) {
        idx = free_.back();
        free_.pop_back();
    } else {
        idx = static_cast<std::uint32_t>(entries_.size());
        entries_.emplace_back();
    }
    HorizonEntry& e = entries_[idx];
    e.fp = fp;
    e.first = first;
    e.expires = expires;
    e.seq = next_seq_++;
    if (exact_) {
        e.key.assign(key);
        text_bytes_ += key.size();
    }
    table_.insert(fp, idx);
    Due d{expires, e.seq, fp, idx};
    if (queue_.empty() || !later(queue_.back(), d)) {
        queue_.push_back(d); // in order: seq only grows, so (expires, seq) does too
    } else {
        due_.push_back(d);
        std::push_heap(due_.begin(), due_.end(), later);
    }
    return e;
}

void HorizonKeys::hold(HorizonEntry& e, const Record& r) {
    holds_ = true;
    text_bytes_ -= e.held.size();
    e.held.assign(r.json);
    text_bytes_ += e.held.size();
    e.held_meta = r;
    e.held_meta.json = {};
}

void HorizonKeys::remove(std::uint32_t idx, const Fingerprint& fp) {
    table_.erase(fp, [idx](std::uint32_t i) { return i == idx; });
    if (exact_ || holds_) {
        HorizonEntry& e = entries_[idx];
        text_bytes_ -= e.key.size() + e.held.size();
        e.key.clear(); // capacity kept for the next key
        e.held.clear();
    }
    free_.push_back(idx);
}

void HorizonKeys::snapshot(StateWriter& w) const {
    std::vector<Due> order = due_;
    for (std::size_t i = 0; i < queue_.size(); ++i)
        order.push_back(queue_[i]);
    std::sort(order.begin(), order.end(), [](const Due& a, const Due& b) { return later(b, a); });
    std::string packed;
    for (const Due& d : order) {
        const HorizonEntry& e = entries_[d.idx];
        put(packed, e.fp.lo);
        put(packed, e.fp.hi);
        put(packed, e.first);
        put(packed, e.expires);
        put(packed, e.seq);
        put_str(packed, e.key);
        put_str(packed, e.held);
        put(packed, e.held_meta.event_time);
        put(packed, e.held_meta.source);
        put(packed, e.held_meta.line);
        put(packed, e.held_meta.offset);
    }
    w.u64("keys", order.size());
    w.u64("next_seq", next_seq_);
    w.bytes("entries", packed);
}

void HorizonKeys::restore(StateReader& r) {
    std::uint64_t keys = r.u64("keys");
    std::uint64_t next_seq = r.u64("next_seq");
    Unpacker in(r.bytes("entries"));
    table_.clear();
    entries_.clear();
    free_.clear();
    due_.clear();
    queue_.clear();
    text_bytes_ = 0;
    std::string key;
    for (std::uint64_t i = 0; i < keys; ++i) {
        Fingerprint fp;
        fp.lo = in.get<std::uint64_t>();
        fp.hi = in.get<std::uint64_t>();
        auto first = in.get<Timestamp>();
        auto expires = in.get<Timestamp>();
        auto seq = in.get<std::uint64_t>();
        in.get_str(key);
        if (fp.empty() || (!exact_ && !key.empty()))
            throw Error(Exit::temp_fail, "dedup state: a horizon entry is damaged");
        next_seq_ = seq;
        HorizonEntry& e = insert(key, fp, first, expires);
        in.get_str(e.held);
        holds_ = holds_ || !e.held.empty();
        text_bytes_ += e.held.size();
        e.held_meta.event_time = in.get<Timestamp>();
        e.held_meta.source = in.get<std::uint32_t>();
        e.held_meta.line = in.get<std::uint64_t>();
        e.held_meta.offset = in.get<std::uint64_t>();
    }
    if (!in.at_end())
        throw Error(Exit::temp_fail, "dedup state: bytes after the horizon's entries");
    next_seq_ = next_seq;
}

} // namespace weir
