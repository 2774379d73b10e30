#include "validate/range.hpp"

#include "time/rfc3339.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace weir {

namespace {

enum class End { absent, number, timestamp, bad };

End read_end(std::string_view s, std::optional<double>& num, std::optional<Timestamp>& ts) {
    if (s.empty())
        return End::absent;
    double d = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), d);
    if (res.ec == std::errc() && res.ptr == s.data() + s.size() && std::isfinite(d)) {
        num = d;
        return End::number;
    }
    if (auto t = parse_rfc3339(s)) {
        ts = *t;
        return End::timestamp;
    }
    return End::bad;
}

} // namespace

std::optional<Range> parse_range(std::string_view text, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<Range> {
        if (error != nullptr)
            *error = std::move(why);
        return std::nullopt;
    };
    std::size_t dots = text.find("..");
    if (dots == std::string_view::npos)
        return fail(fmt::format("range '{}' is not MIN..MAX (e.g. 0..100, 0.., ..100)", text));
    std::string_view a = text.substr(0, dots);
    std::string_view b = text.substr(dots + 2);
    Range r;
    End ea = read_end(a, r.min, r.min_time);
    End eb = read_end(b, r.max, r.max_time);
    if (ea == End::bad)
        return fail(fmt::format("range '{}': '{}' is not a number or an RFC 3339 time", text, a));
    if (eb == End::bad)
        return fail(fmt::format("range '{}': '{}' is not a number or an RFC 3339 time", text, b));
    if (ea == End::absent && eb == End::absent)
        return fail(fmt::format("range '{}' has no bound", text));
    if (ea != End::absent && eb != End::absent && ea != eb)
        return fail(fmt::format("range '{}' mixes a number and a timestamp", text));
    r.timestamps = ea == End::timestamp || eb == End::timestamp;
    if ((r.min && r.max && *r.min > *r.max) ||
        (r.min_time && r.max_time && *r.min_time > *r.max_time))
        return fail(fmt::format("range '{}' is empty: {} is greater than {}", text, a, b));
    return r;
}

} // namespace weir
