#pragma once

// The group key of weir-window and weir-sessionize (--by F1,F2 / --key): the values of
// the key fields of one record, encoded as bytes so that records of one group have
// equal bytes (a hash table compares bytes), and decoded again to write the group's
// fields in output records and to order groups.
//
// Values are grouped as distinct/approx_distinct count them (enrich/key.hpp): 3 and 3.0
// are one group, the number 3 and the string "3" are two; a missing field and null are
// both the null group; objects and arrays group by their minified JSON text.
//
// Output: each key field is written at its own path, so `--by device.os,user_id` writes
// `"device":{"os":"ios"},"user_id":7` and the output can be grouped again by the same
// flags (weir window --merge). Groups order by their parts in turn: null, false, true,
// numbers (by value), strings (bytewise, i.e. by code point), objects and arrays (by
// text).

#include "json/document.hpp"
#include "json/field_path.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class GroupKeys {
public:
    // Throws Error(Exit::usage) when one path is a prefix of another ("--by device,
    // device.os": device would be both a value and an object in the output), or a path
    // is given twice. `flag` names the option in messages ("--by").
    GroupKeys(std::vector<FieldPath> paths, std::string_view flag);

    const std::vector<FieldPath>& paths() const { return paths_; }

    std::size_t size() const { return paths_.size(); }

    // Encodes one record's key values (parts[i] for paths()[i]) into `out` (cleared
    // first). No allocation once `out` has grown.
    void encode(const FieldValue* parts, std::string& out) const;

    // Appends the key's fields as JSON members, without braces or a trailing comma:
    // `"a":1,"device":{"os":"x"}`. Nothing for no key fields.
    void append_fields(std::string& out, std::string_view key) const;

    // Orders keys from encode() (see above): <0, 0, >0.
    static int compare(std::string_view a, std::string_view b);

private:
    struct Node {
        std::string name;          // member name
        std::size_t part = 0;      // leaf: index into paths_
        std::vector<Node> members; // object: its members in first-seen order
    };

    void append_node(std::string& out, const Node& n,
                     const std::vector<std::string_view>& parts) const;

    std::vector<FieldPath> paths_;
    std::vector<Node> tree_; // top-level members of the output
};

} // namespace weir
