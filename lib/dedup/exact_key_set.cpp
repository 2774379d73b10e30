#include "dedup/exact_key_set.hpp"

#include "cli/error.hpp"
#include "state/varint.hpp"

namespace weir {

namespace {

// Lengths in the arena are varints (state/varint.hpp).
bool read_length(std::string_view in, std::size_t& pos, std::size_t& n) {
    std::uint64_t v = 0;
    bool ok = read_varint(in, pos, v);
    n = static_cast<std::size_t>(v);
    return ok;
}

} // namespace

std::string_view ExactKeySet::key_at(std::uint64_t offset) const {
    std::size_t pos = offset;
    std::size_t n = 0;
    read_length(arena_, pos, n); // written by insert(): always well-formed
    return std::string_view(arena_).substr(pos, n);
}

bool ExactKeySet::contains(std::string_view key, const Fingerprint& fp) {
    return table_.find(fp, [&](std::uint64_t off) { return key_at(off) == key; }) != nullptr;
}

bool ExactKeySet::insert(std::string_view key, const Fingerprint& fp) {
    std::uint64_t off = arena_.size();
    if (!table_.insert_new(fp, off, [&](std::uint64_t o) { return key_at(o) == key; }))
        return false;
    append_varint(arena_, key.size());
    arena_.append(key);
    return true;
}

void ExactKeySet::snapshot(StateWriter& w) const {
    w.u64("keys", table_.size());
    w.bytes("arena", arena_);
}

void ExactKeySet::restore(StateReader& r) {
    std::uint64_t keys = r.u64("keys");
    std::string_view in = r.bytes("arena");
    table_.clear();
    arena_.clear();
    arena_.reserve(in.size());
    std::size_t pos = 0;
    while (pos < in.size()) {
        std::size_t n = 0;
        if (!read_length(in, pos, n) || n > in.size() - pos)
            throw Error(Exit::temp_fail, "dedup state: the key arena is damaged");
        insert(in.substr(pos, n));
        pos += n;
    }
    if (table_.size() != keys)
        throw Error(Exit::temp_fail, "dedup state: {} keys in the arena, {} expected",
                    table_.size(), keys);
}

} // namespace weir
