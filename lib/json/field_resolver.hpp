#pragma once

// Resolving many field paths of one record at once. lookup() (json/document.hpp) walks
// an object's members for each path, and all of them, since the last member of a name
// wins; a tool that reads five fields pays five walks. A FieldResolver walks each object
// on the way once, matching every member name against all the paths that pass there,
// with the same results as lookup(): missing when a member is absent or a step meets a
// non-object, the last member of a name wins.
//
// Paths are added at start-up; resolve() then runs per record and allocates nothing.
// Values are views into the parsed record, valid until its JsonDoc parses again.

#include "json/document.hpp"
#include "json/field_path.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace weir {

class FieldResolver {
public:
    // Adds `path` and returns its slot; an equal path added before shares its slot.
    std::size_t add(const FieldPath& path);

    // Resolves every path against `root`.
    void resolve(simdjson::dom::element root);

    // The value of a slot after resolve().
    const FieldValue& operator[](std::size_t slot) const { return values_[slot]; }

    std::size_t size() const { return values_.size(); }

private:
    static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

    struct Node {
        std::string name;              // member name (unescaped)
        std::size_t slot = no_slot;    // a path ends here
        std::vector<std::size_t> kids; // indices into nodes_
        // kids by name length: a member is compared only with names of its length,
        // which for most members is none.
        std::vector<std::vector<std::size_t>> kids_by_length;
        simdjson::dom::element found; // during resolve()
        bool present = false;
    };

    void walk(std::size_t node, simdjson::dom::element obj);
    void clear(std::size_t node);

    std::vector<Node> nodes_{Node{}}; // nodes_[0]: the root
    std::vector<FieldValue> values_;
};

} // namespace weir
