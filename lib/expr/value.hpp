#pragma once

// The values of the expression language (docs/expr.md): what a field path, a literal,
// an operator or a function yields while an expression is evaluated over one record.
//
// A Value is a small view, copied freely and never owning memory. Its string bytes live
// in one of three places: the record's parsed document (valid until the JsonDoc parses
// again), the compiled Expr (its literals; valid as long as the Expr), or a scratch
// buffer of the Expr (strings made by lower/upper/str/+; valid until the next eval()).
// Arrays and objects are always the record's own simdjson elements.
//
// Missing and null are distinct kinds: a missing field is not there at all, a null one
// is there with the value null. Numbers come in two kinds: `integer` (int64) and
// `number` (a double: JSON written with a fraction or exponent, or a float result).
// Integers of the record above INT64_MAX become numbers. A number is never NaN or
// infinite: operations that would make one yield null instead.

#include "time/timestamp.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string_view>

namespace weir::expr {

enum class Kind : std::uint8_t {
    missing,
    null,
    boolean,
    integer,
    number,
    string,
    array,
    object,
    timestamp,
    duration,
};

// The name type() returns: "missing", "null", "bool", "integer", "number", "string",
// "array", "object", "timestamp", "duration".
std::string_view kind_name(Kind k);

class Value {
public:
    Value() = default; // missing

    static Value null() { return Value(Kind::null); }

    static Value boolean(bool b) {
        Value v(Kind::boolean);
        v.i_ = b ? 1 : 0;
        return v;
    }

    static Value integer(std::int64_t i) {
        Value v(Kind::integer);
        v.i_ = i;
        return v;
    }

    // A double; NaN and infinities become null.
    static Value number(double d);

    static Value string(std::string_view s) {
        Value v(Kind::string);
        v.s_ = s;
        return v;
    }

    // A timestamp; outside the RFC 3339 range (years 0000-9999) it becomes null, so every
    // timestamp value can be written back as RFC 3339.
    static Value timestamp(Timestamp t);

    static Value duration(Duration d) {
        Value v(Kind::duration);
        v.i_ = d.count();
        return v;
    }

    // A value of the record: its kind follows the JSON type. Remembers the element, so
    // ts() can read it with event_time_from_json.
    static Value from_json(simdjson::dom::element e);

    Kind kind() const { return kind_; }

    bool is_missing() const { return kind_ == Kind::missing; }

    bool is_null() const { return kind_ == Kind::null; }

    // Missing or null: the kinds that propagate through operators.
    bool is_absent() const { return kind_ == Kind::missing || kind_ == Kind::null; }

    bool is_numeric() const { return kind_ == Kind::integer || kind_ == Kind::number; }

    // Only a boolean true is true; every other value, missing and null included, is not.
    bool is_true() const { return kind_ == Kind::boolean && i_ != 0; }

    // Accessors; each requires the matching kind.
    bool as_bool() const { return i_ != 0; }

    std::int64_t as_int() const { return i_; }

    double as_double() const { return kind_ == Kind::integer ? static_cast<double>(i_) : d_; }

    std::string_view as_string() const { return s_; }

    Timestamp as_timestamp() const { return i_; }

    Duration as_duration() const { return Duration(i_); }

    // The record's element this value was read from (arrays, objects and every value
    // of a field); has_element() says whether there is one.
    bool has_element() const { return has_elem_; }

    simdjson::dom::element element() const { return elem_; }

private:
    explicit Value(Kind k) : kind_(k) {}

    Kind kind_ = Kind::missing;
    bool has_elem_ = false;
    std::int64_t i_ = 0; // boolean, integer, timestamp, duration
    double d_ = 0;       // number
    std::string_view s_; // string
    simdjson::dom::element elem_;
};

// `a == b`: total. Kinds must match, except that integers and numbers compare by
// numeric value (exactly, without rounding the integer). Missing equals missing, null
// equals null. Arrays compare element by element, objects by their members (order
// ignored; the last of a repeated name counts).
bool equals(const Value& a, const Value& b);

// Ordering for < <= > >=: -1, 0 or 1, or 2 when the values do not order (different
// kinds, or kinds without an order: missing, null, bool, array, object). Numbers order
// numerically, strings by bytes (so by code point), timestamps and durations by time.
int compare(const Value& a, const Value& b);

inline constexpr int unordered = 2;

} // namespace weir::expr
