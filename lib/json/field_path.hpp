#pragma once

// Field paths: how a user names a field of a record on the command line (`--by
// device.os`, `--time event_time`). A path is a dotted string split into segments, each
// the name of a member of an object, from the root down; arrays are never indexed.
//
// Escapes: `\.` is a literal dot inside a segment, `\\` a literal backslash, `\$` a
// literal dollar. An unescaped `$` at the start of the path is reserved (a future
// root/variable syntax) and rejected now, so giving it a meaning later breaks no
// script. Every segment must be non-empty: `a..b`, `.a` and `a.` are errors.
//
// A FieldPath is parsed once at startup and then only read; lookups over simdjson
// values live in json/document.hpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class FieldPath {
public:
    // Parses `text`. On failure returns nullopt and, if `error` is not null, stores a
    // short reason ("empty segment") there.
    static std::optional<FieldPath> parse(std::string_view text, std::string* error);

    // The path of one member named `name`, taken literally (dots, backslashes and '$'
    // escaped): for names that come from data, such as a table's columns. `name` must
    // not be empty.
    static FieldPath of_member(std::string_view name);

    // Parses `text` or throws Error(Exit::usage, "field path 'a..b': empty segment").
    static FieldPath from(std::string_view text);

    // The path as the user wrote it, escapes included, for messages.
    const std::string& text() const { return text_; }

    // Segments with escapes resolved; never empty, no segment is empty.
    const std::vector<std::string>& segments() const { return segments_; }

    std::size_t size() const { return segments_.size(); }

    const std::string& operator[](std::size_t i) const { return segments_[i]; }

    // Equal paths name the same field (`a\.b` written two ways compares by segments).
    friend bool operator==(const FieldPath& a, const FieldPath& b) {
        return a.segments_ == b.segments_;
    }

private:
    FieldPath() = default;

    std::string text_;
    std::vector<std::string> segments_;
};

} // namespace weir
