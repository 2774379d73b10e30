#include "expr/value.hpp"

#include "json/document.hpp"
#include "json/number_compare.hpp"
#include "time/rfc3339.hpp"

#include <cmath>

namespace weir::expr {

namespace {

using simdjson::dom::element;
using Type = simdjson::dom::element_type;

int compare_numbers(const Value& a, const Value& b) {
    if (a.kind() == Kind::integer && b.kind() == Kind::integer)
        return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int() ? 1 : 0);
    if (a.kind() == Kind::integer)
        return weir::compare_int_double(a.as_int(), b.as_double());
    if (b.kind() == Kind::integer)
        return -weir::compare_int_double(b.as_int(), a.as_double());
    double x = a.as_double();
    double y = b.as_double();
    return x < y ? -1 : (x > y ? 1 : 0);
}

template <typename T>
int three_way(T x, T y) {
    return x < y ? -1 : (x > y ? 1 : 0);
}

bool equal_arrays(element a, element b) {
    simdjson::dom::array x = a.get_array().value_unsafe();
    simdjson::dom::array y = b.get_array().value_unsafe();
    if (x.size() != y.size())
        return false;
    auto it = y.begin();
    for (element e : x) {
        if (!equals(Value::from_json(e), Value::from_json(*it)))
            return false;
        ++it;
    }
    return true;
}

// Same members with equal values, order ignored. Each name is looked up as
// lookup_member does (the last member of a name counts), so duplicates do not matter.
bool equal_objects(element a, element b) {
    // Named copies: a range-for over value_unsafe() of a temporary result would
    // iterate an object handle that is already gone.
    simdjson::dom::object x = a.get_object().value_unsafe();
    simdjson::dom::object y = b.get_object().value_unsafe();
    for (simdjson::dom::key_value_pair kv : x) {
        FieldValue mine = lookup_member(a, kv.key);
        FieldValue other = lookup_member(b, kv.key);
        if (other.is_missing() ||
            !equals(Value::from_json(mine.element()), Value::from_json(other.element())))
            return false;
    }
    for (simdjson::dom::key_value_pair kv : y)
        if (lookup_member(a, kv.key).is_missing())
            return false;
    return true;
}

} // namespace

std::string_view kind_name(Kind k) {
    switch (k) {
    case Kind::missing:
        return "missing";
    case Kind::null:
        return "null";
    case Kind::boolean:
        return "bool";
    case Kind::integer:
        return "integer";
    case Kind::number:
        return "number";
    case Kind::string:
        return "string";
    case Kind::array:
        return "array";
    case Kind::object:
        return "object";
    case Kind::timestamp:
        return "timestamp";
    case Kind::duration:
        return "duration";
    }
    return "missing";
}

Value Value::number(double d) {
    if (!std::isfinite(d))
        return null();
    Value v(Kind::number);
    v.d_ = d;
    return v;
}

Value Value::timestamp(Timestamp t) {
    if (t < min_rfc3339 || t > max_rfc3339)
        return null();
    Value v(Kind::timestamp);
    v.i_ = t;
    return v;
}

Value Value::from_json(simdjson::dom::element e) {
    Value v;
    switch (e.type()) {
    case Type::NULL_VALUE:
        v = null();
        break;
    case Type::BOOL:
        v = boolean(e.get_bool().value_unsafe());
        break;
    case Type::INT64:
        v = integer(e.get_int64().value_unsafe());
        break;
    case Type::UINT64:
        v = number(static_cast<double>(e.get_uint64().value_unsafe()));
        break;
    case Type::DOUBLE:
        v = number(e.get_double().value_unsafe());
        break;
    case Type::STRING:
        v = string(e.get_string().value_unsafe());
        break;
    case Type::ARRAY:
        v = Value(Kind::array);
        break;
    case Type::OBJECT:
        v = Value(Kind::object);
        break;
    }
    v.has_elem_ = true;
    v.elem_ = e;
    return v;
}

bool equals(const Value& a, const Value& b) {
    if (a.is_numeric() && b.is_numeric())
        return compare_numbers(a, b) == 0;
    if (a.kind() != b.kind())
        return false;
    switch (a.kind()) {
    case Kind::missing:
    case Kind::null:
        return true;
    case Kind::boolean:
        return a.as_bool() == b.as_bool();
    case Kind::string:
        return a.as_string() == b.as_string();
    case Kind::timestamp:
    case Kind::duration:
        return a.as_int() == b.as_int();
    case Kind::array:
        return equal_arrays(a.element(), b.element());
    case Kind::object:
        return equal_objects(a.element(), b.element());
    case Kind::integer:
    case Kind::number:
        break; // handled above
    }
    return false;
}

int compare(const Value& a, const Value& b) {
    if (a.is_numeric() && b.is_numeric())
        return compare_numbers(a, b);
    if (a.kind() != b.kind())
        return unordered;
    switch (a.kind()) {
    case Kind::string:
        return three_way(a.as_string(), b.as_string());
    case Kind::timestamp:
    case Kind::duration:
        return three_way(a.as_int(), b.as_int());
    default:
        return unordered;
    }
}

} // namespace weir::expr
