#pragma once

// One record parsed for reading: full validation plus typed access to fields.
//
// DESIGN.md requires every record read from outside to be fully validated
// (well-formed JSON, valid UTF-8) before it is trusted: simdjson's On Demand parser is
// lazy and lets a malformed line through when the error lies after the fields read.
// So JsonDoc uses simdjson's DOM parser, which checks the whole document, and keeps one
// parser for the life of the reader: after the largest record has been seen, parsing
// allocates nothing.
//
// Records are parsed in place: a Record's bytes are followed by `record_padding`
// readable bytes (wire/record.hpp), which is what simdjson needs. Everything a
// JsonDoc hands out (root(), FieldValue, string views) points into the parser and is
// valid only until the next parse().
//
// Field access: lookup(root, path) walks objects by member name. Missing (no such
// member, or a step through a non-object) and null are distinct kinds. When an object
// repeats a name, the last member wins, as in jq, JavaScript and Python, which is also
// what json/splice.hpp relies on for records with duplicate names.

#include "cli/reason.hpp"
#include "json/field_path.hpp"

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir {

class JsonDoc {
public:
    JsonDoc() = default;
    JsonDoc(const JsonDoc&) = delete;
    JsonDoc& operator=(const JsonDoc&) = delete;
    JsonDoc(JsonDoc&&) noexcept = default; // views taken before a move are invalid
    JsonDoc& operator=(JsonDoc&&) noexcept = default;

    // Parses and validates one record. `json` must be followed by record_padding
    // readable bytes. Returns false for bad data, with reason() and detail() set:
    // invalid_json ("invalid JSON: unclosed string"), invalid_utf8, not_object (the
    // root is valid JSON but not an object), too_long (beyond simdjson's 4 GiB).
    // Throws Error(Exit::internal) only when memory for the parser cannot be had.
    bool parse(std::string_view json);

    // The root object of the last successful parse(); valid until the next parse().
    simdjson::dom::element root() const { return root_; }

    Reason reason() const { return reason_; }

    // Short human-readable cause of the last failure; a static string.
    std::string_view detail() const { return detail_; }

private:
    simdjson::dom::parser parser_;
    simdjson::dom::element root_;
    Reason reason_ = Reason::invalid_json;
    std::string_view detail_;
};

enum class FieldKind : std::uint8_t {
    missing,
    null,
    boolean,
    int64,
    uint64,  // only integers above INT64_MAX; smaller ones are int64
    float64, // any number written with a fraction or exponent
    string,
    object,
    array,
};

std::string_view field_kind_name(FieldKind k);

// FieldKind by simdjson's element_type (whose values are the tape's type characters).
extern const std::array<FieldKind, 256> field_kind_table; // "missing", "null", "boolean", ...

// A field's value, or its absence. A small view (a simdjson element handle): copy it
// freely; it is valid until the JsonDoc it came from parses again.
class FieldValue {
public:
    FieldValue() = default; // missing

    // Inline, with a table for the kind, on purpose: built out of line, the value came
    // back through memory and its reload stalled on store forwarding, and a switch on
    // the kind mispredicts as successive fields vary (together a quarter of the time a
    // validation run spent reading fields).
    explicit FieldValue(simdjson::dom::element e)
        : elem_(e)
        , kind_(field_kind_table[static_cast<unsigned char>(e.type())]) {}

    FieldKind kind() const { return kind_; }

    bool is_missing() const { return kind_ == FieldKind::missing; }

    bool is_null() const { return kind_ == FieldKind::null; }

    bool is_number() const {
        return kind_ == FieldKind::int64 || kind_ == FieldKind::uint64 ||
               kind_ == FieldKind::float64;
    }

    // Typed accessors. Each requires the matching kind(); anything else is a bug
    // (checked with assert in debug builds, undefined otherwise).
    bool as_bool() const;
    std::int64_t as_int64() const;
    std::uint64_t as_uint64() const;
    double as_double() const;               // any number kind, converted
    std::string_view as_string() const;     // unescaped; valid until the next parse()
    simdjson::dom::element element() const; // any kind but missing

    // Checked conversions for callers that take what they get: nullopt when the kind
    // does not fit (an int64 accessor given 2^63 or 1.5, a string given a number).
    std::optional<std::int64_t> to_int64() const;
    std::optional<double> to_double() const;
    std::optional<std::string_view> to_string() const;

private:
    simdjson::dom::element elem_;
    FieldKind kind_ = FieldKind::missing;
};

// Looks `path` up from `root`: each segment names a member of the object reached so
// far (the last member of that name). Missing when a member is absent or a step meets a
// non-object (arrays are not indexed).
FieldValue lookup(simdjson::dom::element root, const FieldPath& path);

// Looks one member name up in `obj` (an object element); missing otherwise.
FieldValue lookup_member(simdjson::dom::element obj, std::string_view name);

// Appends the minified JSON text of `e` to `out`. Numbers are printed from their
// parsed values (the original spelling is not kept by the DOM): integers exactly,
// floats in the shortest form that reads back to the same double, always with a `.`
// or an exponent so they stay floats ("1.0", not "1").
void append_json_value(std::string& out, simdjson::dom::element e);

// A value as messages show it: its minified JSON, cut to 60 bytes with "..." ("field
// 'amount': \"abc\" is not a number"). `v` must not be missing.
std::string json_excerpt(const FieldValue& v);

// Appends a double as append_json_value prints it. NaN and infinities, which JSON
// cannot hold, are written as null.
void append_json_double(std::string& out, double d);

} // namespace weir
