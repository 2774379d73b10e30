#include "time/duration.hpp"

#include "cli/error.hpp"

#include <cstdint>
#include <limits>

namespace weir {

namespace {

// __extension__ keeps -Wpedantic quiet; the 128 bits are only needed to check that a
// fraction times a unit is a whole number of microseconds.
__extension__ using Int128 = __int128;

struct Unit {
    std::string_view name;
    std::int64_t micros;
};

// Largest first: parsing requires this order and formatting produces it.
constexpr Unit units[] = {
    {"w", 604'800'000'000},
    {"d", 86'400'000'000},
    {"h", 3'600'000'000},
    {"m", 60'000'000},
    {"s", 1'000'000},
    {"ms", 1'000},
    {"us", 1},
};
constexpr int unit_count = sizeof units / sizeof units[0];

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

constexpr bool is_letter(char c) {
    return c >= 'a' && c <= 'z';
}

} // namespace

std::optional<Duration> try_parse_duration(std::string_view s) noexcept {
    if (s == "0")
        return Duration{0};
    if (s.empty())
        return std::nullopt;

    std::int64_t total = 0;
    int next_unit = 0; // index of the largest unit still allowed
    std::size_t i = 0;
    while (i < s.size()) {
        // Integer part: accumulate with overflow checks (it is multiplied by the unit
        // later, so only int64 range matters here).
        std::size_t int_start = i;
        std::int64_t whole = 0;
        bool whole_overflow = false;
        while (i < s.size() && is_digit(s[i])) {
            if (__builtin_mul_overflow(whole, 10, &whole) ||
                __builtin_add_overflow(whole, s[i] - '0', &whole))
                whole_overflow = true;
            ++i;
        }
        std::size_t int_digits = i - int_start;

        // Fraction: kept as text, reduced once the unit is known.
        std::string_view frac;
        if (i < s.size() && s[i] == '.') {
            ++i;
            std::size_t frac_start = i;
            while (i < s.size() && is_digit(s[i]))
                ++i;
            frac = s.substr(frac_start, i - frac_start);
            // "1.s" and ".5s" are typos more often than intent.
            if (frac.empty() || int_digits == 0)
                return std::nullopt;
        }
        if (int_digits == 0 || whole_overflow)
            return std::nullopt;

        std::size_t unit_start = i;
        while (i < s.size() && is_letter(s[i]))
            ++i;
        std::string_view name = s.substr(unit_start, i - unit_start);
        int u = next_unit;
        while (u < unit_count && units[u].name != name)
            ++u;
        if (u == unit_count)
            return std::nullopt; // unknown, missing, repeated or out of order
        next_unit = u + 1;
        std::int64_t unit = units[u].micros;

        std::int64_t part = 0;
        if (__builtin_mul_overflow(whole, unit, &part))
            return std::nullopt;
        // Trailing zeros of a fraction say nothing; past 13 significant digits no unit
        // (at most 2^13 * 5^8 * ... microseconds) can make it whole.
        while (!frac.empty() && frac.back() == '0')
            frac.remove_suffix(1);
        if (!frac.empty()) {
            if (frac.size() > 13)
                return std::nullopt;
            std::int64_t numerator = 0;
            std::int64_t denominator = 1;
            for (char c : frac) {
                numerator = numerator * 10 + (c - '0');
                denominator *= 10;
            }
            Int128 scaled = static_cast<Int128>(numerator) * unit;
            if (scaled % denominator != 0)
                return std::nullopt;
            // numerator < denominator, so this is below `unit` and fits.
            auto extra = static_cast<std::int64_t>(scaled / denominator);
            if (__builtin_add_overflow(part, extra, &part))
                return std::nullopt;
        }
        if (__builtin_add_overflow(total, part, &total))
            return std::nullopt;
    }
    return Duration{total};
}

Duration parse_duration(std::string_view s) {
    if (std::optional<Duration> d = try_parse_duration(s))
        return *d;
    throw Error(Exit::usage, "'{}' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)", s);
}

std::string format_duration(Duration d) {
    std::int64_t count = d.count();
    if (count == 0)
        return "0s";
    std::string out;
    // Work on the magnitude as unsigned so that the most negative value has one.
    std::uint64_t rest = static_cast<std::uint64_t>(count);
    if (count < 0) {
        out += '-';
        rest = 0 - rest;
    }
    for (const Unit& unit : units) {
        auto size = static_cast<std::uint64_t>(unit.micros);
        if (rest >= size) {
            out += std::to_string(rest / size);
            out += unit.name;
            rest %= size;
        }
    }
    return out;
}

} // namespace weir
