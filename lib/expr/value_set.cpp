#include "expr/value_set.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace weir::expr::detail {

namespace {

// The integer a double equals exactly, if any within int64.
std::optional<std::int64_t> integral(double d) {
    constexpr double two63 = 9223372036854775808.0;
    if (d < -two63 || d >= two63 || std::trunc(d) != d)
        return std::nullopt;
    return static_cast<std::int64_t>(d);
}

} // namespace

void ValueSet::add(const Value& literal) {
    switch (literal.kind()) {
    case Kind::null:
        has_null_ = true;
        break;
    case Kind::boolean:
        (literal.as_bool() ? has_true_ : has_false_) = true;
        break;
    case Kind::integer:
        integers_.insert(literal.as_int());
        break;
    case Kind::number:
        if (std::optional<std::int64_t> i = integral(literal.as_double()))
            integers_.insert(*i);
        else
            fractions_.push_back(literal.as_double());
        break;
    case Kind::string:
        strings_.insert(literal.as_string());
        break;
    case Kind::timestamp:
        timestamps_.insert(literal.as_timestamp());
        break;
    case Kind::duration:
        durations_.insert(literal.as_duration().count());
        break;
    default: // literals are never missing, arrays or objects
        break;
    }
}

void ValueSet::finish() {
    std::sort(fractions_.begin(), fractions_.end());
}

bool ValueSet::contains(const Value& v) const {
    switch (v.kind()) {
    case Kind::null:
        return has_null_;
    case Kind::boolean:
        return v.as_bool() ? has_true_ : has_false_;
    case Kind::integer:
        return integers_.count(v.as_int()) != 0;
    case Kind::number:
        if (std::optional<std::int64_t> i = integral(v.as_double()))
            return integers_.count(*i) != 0;
        return std::binary_search(fractions_.begin(), fractions_.end(), v.as_double());
    case Kind::string:
        return strings_.count(v.as_string()) != 0;
    case Kind::timestamp:
        return timestamps_.count(v.as_timestamp()) != 0;
    case Kind::duration:
        return durations_.count(v.as_duration().count()) != 0;
    default:
        return false;
    }
}

} // namespace weir::expr::detail
