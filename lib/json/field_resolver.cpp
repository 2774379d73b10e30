#include "json/field_resolver.hpp"

#include <cstdint>
#include <cstring>

namespace weir {

namespace {

// Member names are short and often share a prefix (event_time, event_type): whole-word
// loads from both ends decide in two compares where a byte loop mispredicts its exit.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
    if (n >= 8) {
        std::uint64_t x, y, u, v;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        std::memcpy(&u, a + n - 8, 8);
        std::memcpy(&v, b + n - 8, 8);
        if (((x ^ y) | (u ^ v)) != 0)
            return false;
        return n <= 16 || std::memcmp(a + 8, b + 8, n - 16) == 0;
    }
    if (n >= 4) {
        std::uint32_t x, y, u, v;
        std::memcpy(&x, a, 4);
        std::memcpy(&y, b, 4);
        std::memcpy(&u, a + n - 4, 4);
        std::memcpy(&v, b + n - 4, 4);
        return ((x ^ y) | (u ^ v)) == 0;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return false;
    return true;
}

} // namespace

std::size_t FieldResolver::add(const FieldPath& path) {
    std::size_t node = 0;
    for (const std::string& seg : path.segments()) {
        std::size_t next = no_slot;
        for (std::size_t k : nodes_[node].kids)
            if (nodes_[k].name == seg)
                next = k;
        if (next == no_slot) {
            next = nodes_.size();
            nodes_.push_back(Node{seg, no_slot, {}, {}, {}, false});
            Node& parent = nodes_[node];
            parent.kids.push_back(next);
            if (parent.kids_by_length.size() <= seg.size())
                parent.kids_by_length.resize(seg.size() + 1);
            parent.kids_by_length[seg.size()].push_back(next);
        }
        node = next;
    }
    if (nodes_[node].slot == no_slot) {
        nodes_[node].slot = values_.size();
        values_.emplace_back();
    }
    return nodes_[node].slot;
}

void FieldResolver::resolve(simdjson::dom::element root) {
    walk(0, root);
}

void FieldResolver::clear(std::size_t node) {
    for (std::size_t k : nodes_[node].kids) {
        Node& n = nodes_[k];
        if (n.slot != no_slot)
            values_[n.slot] = FieldValue();
        clear(k);
    }
}

void FieldResolver::walk(std::size_t node, simdjson::dom::element e) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
        clear(node);
        return;
    }
    const std::vector<std::size_t>& kids = nodes_[node].kids;
    for (std::size_t k : kids)
        nodes_[k].present = false;
    const auto& by_length = nodes_[node].kids_by_length;
    for (simdjson::dom::key_value_pair kv : obj) {
        if (kv.key.size() >= by_length.size())
            continue;
        for (std::size_t k : by_length[kv.key.size()]) {
            Node& n = nodes_[k];
            if (same_bytes(n.name.data(), kv.key.data(), kv.key.size())) {
                n.found = kv.value; // no break out of the members: the last of a name wins
                n.present = true;
                break;
            }
        }
    }
    for (std::size_t k : kids) {
        Node& n = nodes_[k];
        if (!n.present) {
            if (n.slot != no_slot)
                values_[n.slot] = FieldValue();
            clear(k);
            continue;
        }
        if (n.slot != no_slot)
            values_[n.slot] = FieldValue(n.found);
        if (!n.kids.empty())
            walk(k, n.found);
    }
}

} // namespace weir
