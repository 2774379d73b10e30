#include "expr/operators.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace weir::expr::detail {

namespace {

using i64 = std::int64_t;

Value integer_op(Op op, i64 x, i64 y) {
    i64 r = 0;
    switch (op) {
    case Op::add:
        return __builtin_add_overflow(x, y, &r) ? Value::null() : Value::integer(r);
    case Op::sub:
        return __builtin_sub_overflow(x, y, &r) ? Value::null() : Value::integer(r);
    case Op::mul:
        return __builtin_mul_overflow(x, y, &r) ? Value::null() : Value::integer(r);
    case Op::div:
        // True division: an integer quotient is a number, even when exact (6 / 3 = 2.0).
        if (y == 0)
            return Value::null();
        return Value::number(static_cast<double>(x) / static_cast<double>(y));
    case Op::mod:
        if (y == 0)
            return Value::null();
        if (y == -1)
            return Value::integer(0); // INT64_MIN % -1 overflows in C++
        return Value::integer(x % y);
    default:
        return Value::null();
    }
}

Value number_op(Op op, double x, double y) {
    switch (op) {
    case Op::add:
        return Value::number(x + y);
    case Op::sub:
        return Value::number(x - y);
    case Op::mul:
        return Value::number(x * y);
    case Op::div:
        return y == 0 ? Value::null() : Value::number(x / y);
    case Op::mod:
        return y == 0 ? Value::null() : Value::number(std::fmod(x, y));
    default:
        return Value::null();
    }
}

// A double count of microseconds as a Duration, rounded to the nearest; null out of range.
Value duration_from_double(double us) {
    constexpr double two63 = 9223372036854775808.0;
    double r = std::nearbyint(us);
    if (!(r >= -two63 && r < two63))
        return Value::null();
    return Value::duration(Duration(static_cast<i64>(r)));
}

Value duration_sum(i64 x, i64 y, bool subtract) {
    i64 r = 0;
    bool overflow = subtract ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
    return overflow ? Value::null() : Value::duration(Duration(r));
}

Value timestamp_shift(Timestamp t, i64 d, bool subtract) {
    i64 r = 0;
    bool overflow = subtract ? __builtin_sub_overflow(t, d, &r) : __builtin_add_overflow(t, d, &r);
    return overflow ? Value::null() : Value::timestamp(r); // null outside years 0000-9999
}

// duration * number, number * duration, duration / number.
Value scale_duration(Op op, const Value& d, const Value& n) {
    i64 us = d.as_duration().count();
    if (n.kind() == Kind::integer) {
        i64 k = n.as_int();
        i64 r = 0;
        if (op == Op::mul)
            return __builtin_mul_overflow(us, k, &r) ? Value::null() : Value::duration(Duration(r));
        if (k == 0)
            return Value::null();
        return duration_from_double(static_cast<double>(us) / static_cast<double>(k));
    }
    double k = n.as_double();
    if (op == Op::mul)
        return duration_from_double(static_cast<double>(us) * k);
    if (k == 0)
        return Value::null();
    return duration_from_double(static_cast<double>(us) / k);
}

Value time_op(Op op, const Value& a, const Value& b) {
    Kind ka = a.kind();
    Kind kb = b.kind();
    bool subtract = op == Op::sub;
    if (op == Op::add || op == Op::sub) {
        if (ka == Kind::duration && kb == Kind::duration)
            return duration_sum(a.as_int(), b.as_int(), subtract);
        if (ka == Kind::timestamp && kb == Kind::duration)
            return timestamp_shift(a.as_timestamp(), b.as_int(), subtract);
        if (op == Op::add && ka == Kind::duration && kb == Kind::timestamp)
            return timestamp_shift(b.as_timestamp(), a.as_int(), false);
        if (subtract && ka == Kind::timestamp && kb == Kind::timestamp)
            return duration_sum(a.as_timestamp(), b.as_timestamp(), true);
        return Value::null();
    }
    if (op == Op::mul) {
        if (ka == Kind::duration && b.is_numeric())
            return scale_duration(op, a, b);
        if (a.is_numeric() && kb == Kind::duration)
            return scale_duration(op, b, a);
        return Value::null();
    }
    if (op == Op::div) {
        if (ka == Kind::duration && b.is_numeric())
            return scale_duration(op, a, b);
        if (ka == Kind::duration && kb == Kind::duration)
            return b.as_int() == 0 ? Value::null()
                                   : Value::number(static_cast<double>(a.as_int()) /
                                                   static_cast<double>(b.as_int()));
        return Value::null();
    }
    if (op == Op::mod && ka == Kind::duration && kb == Kind::duration) {
        i64 x = a.as_int();
        i64 y = b.as_int();
        if (y == 0)
            return Value::null();
        return Value::duration(Duration(y == -1 ? 0 : x % y));
    }
    return Value::null();
}

Value concat(const Value& a, const Value& b, std::string& scratch) {
    scratch.clear();
    scratch.append(a.as_string());
    scratch.append(b.as_string());
    return Value::string(scratch);
}

} // namespace

Value arithmetic(Op op, const Value& a, const Value& b, std::string& scratch) {
    if (a.kind() == Kind::integer && b.kind() == Kind::integer)
        return integer_op(op, a.as_int(), b.as_int());
    if (a.is_numeric() && b.is_numeric())
        return number_op(op, a.as_double(), b.as_double());
    if (op == Op::add && a.kind() == Kind::string && b.kind() == Kind::string)
        return concat(a, b, scratch);
    return time_op(op, a, b);
}

Value negate(const Value& a) {
    switch (a.kind()) {
    case Kind::integer:
        if (a.as_int() == std::numeric_limits<i64>::min())
            return Value::null();
        return Value::integer(-a.as_int());
    case Kind::number:
        return Value::number(-a.as_double());
    case Kind::duration:
        if (a.as_int() == std::numeric_limits<i64>::min())
            return Value::null();
        return Value::duration(Duration(-a.as_int()));
    default:
        return Value::null();
    }
}

Value comparison(Op op, const Value& a, const Value& b) {
    if (op == Op::eq)
        return Value::boolean(equals(a, b));
    if (op == Op::ne)
        return Value::boolean(!equals(a, b));
    int c = compare(a, b);
    if (c == unordered)
        return Value::null();
    switch (op) {
    case Op::lt:
        return Value::boolean(c < 0);
    case Op::le:
        return Value::boolean(c <= 0);
    case Op::gt:
        return Value::boolean(c > 0);
    default:
        return Value::boolean(c >= 0);
    }
}

} // namespace weir::expr::detail
