#include "json/number_compare.hpp"

#include <cmath>

namespace weir {

namespace {

int cmp_uint_double(std::uint64_t u, double d) {
    constexpr double two64 = 18446744073709551616.0;
    double r = static_cast<double>(u);
    if (r < d)
        return -1;
    if (r > d)
        return 1;
    if (d >= two64)
        return -1;
    auto t = static_cast<std::uint64_t>(d);
    return u < t ? -1 : u > t ? 1 : 0;
}

int cmp_int_uint(std::int64_t i, std::uint64_t u) {
    if (i < 0)
        return -1;
    auto v = static_cast<std::uint64_t>(i);
    return v < u ? -1 : v > u ? 1 : 0;
}

} // namespace

// Three-way comparison of two JSON numbers by value, exact across int64, uint64 and
// double (a double is never rounded to an integer type, nor an integer to a double,
// in a way that changes the answer).
int compare_int_double(std::int64_t i, double d) {
    constexpr double two63 = 9223372036854775808.0;
    double r = static_cast<double>(i); // rounding is monotone, so r < d implies i < d
    if (r < d)
        return -1;
    if (r > d)
        return 1;
    if (d >= two63) // r == d == 2^63: i is at most 2^63 - 1
        return -1;
    auto t = static_cast<std::int64_t>(d); // d is integral and in range here
    return i < t ? -1 : i > t ? 1 : 0;
}

// Both arguments must be numbers.
int compare_numbers(const FieldValue& a, const FieldValue& b) {
    FieldKind ka = a.kind();
    FieldKind kb = b.kind();
    if (ka == FieldKind::float64 && kb == FieldKind::float64) {
        double x = a.as_double();
        double y = b.as_double();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (ka == FieldKind::float64)
        return -compare_numbers(b, a);
    // a is an integer from here on.
    if (kb == FieldKind::float64)
        return ka == FieldKind::int64 ? compare_int_double(a.as_int64(), b.as_double())
                                      : cmp_uint_double(a.as_uint64(), b.as_double());
    if (ka == FieldKind::int64 && kb == FieldKind::int64)
        return a.as_int64() < b.as_int64() ? -1 : a.as_int64() > b.as_int64() ? 1 : 0;
    if (ka == FieldKind::uint64 && kb == FieldKind::uint64)
        return a.as_uint64() < b.as_uint64() ? -1 : a.as_uint64() > b.as_uint64() ? 1 : 0;
    if (ka == FieldKind::int64)
        return cmp_int_uint(a.as_int64(), b.as_uint64());
    return -cmp_int_uint(b.as_int64(), a.as_uint64());
}

bool is_integral(const FieldValue& v) {
    if (v.kind() == FieldKind::int64 || v.kind() == FieldKind::uint64)
        return true;
    if (v.kind() != FieldKind::float64)
        return false;
    double d = v.as_double();
    return std::isfinite(d) && std::floor(d) == d;
}

} // namespace weir
