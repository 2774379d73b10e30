#include "time/time_unit.hpp"

#include <cmath>

namespace weir {

namespace {

constexpr std::int64_t micros_per(TimeUnit u) {
    switch (u) {
    case TimeUnit::s:
        return 1'000'000;
    case TimeUnit::ms:
        return 1'000;
    case TimeUnit::us:
    case TimeUnit::auto_:
        break;
    }
    return 1;
}

constexpr bool in_range(Timestamp t) {
    return t >= min_rfc3339 && t <= max_rfc3339;
}

} // namespace

std::optional<TimeUnit> parse_time_unit(std::string_view s) noexcept {
    if (s == "auto")
        return TimeUnit::auto_;
    if (s == "s")
        return TimeUnit::s;
    if (s == "ms")
        return TimeUnit::ms;
    if (s == "us")
        return TimeUnit::us;
    return std::nullopt;
}

std::string_view time_unit_name(TimeUnit u) noexcept {
    switch (u) {
    case TimeUnit::auto_:
        return "auto";
    case TimeUnit::s:
        return "s";
    case TimeUnit::ms:
        return "ms";
    case TimeUnit::us:
        return "us";
    }
    return "auto";
}

TimeUnit auto_time_unit(double v) noexcept {
    double magnitude = std::fabs(v);
    if (magnitude < 1e11)
        return TimeUnit::s;
    if (magnitude < 1e14)
        return TimeUnit::ms;
    return TimeUnit::us;
}

std::optional<Timestamp> timestamp_from_number(std::int64_t v, TimeUnit unit) noexcept {
    if (unit == TimeUnit::auto_)
        unit = auto_time_unit(static_cast<double>(v));
    // Range-check before multiplying: the product would overflow for huge v.
    std::int64_t scale = micros_per(unit);
    if (v < min_rfc3339 / scale || v > max_rfc3339 / scale)
        return std::nullopt;
    return v * scale;
}

std::optional<Timestamp> timestamp_from_number(double v, TimeUnit unit) noexcept {
    if (!std::isfinite(v))
        return std::nullopt;
    if (unit == TimeUnit::auto_)
        unit = auto_time_unit(v);
    // The bound check in double keeps llround defined; in_range then applies exactly.
    double micros = std::round(v * static_cast<double>(micros_per(unit)));
    if (micros < static_cast<double>(min_rfc3339) || micros > static_cast<double>(max_rfc3339))
        return std::nullopt;
    auto t = static_cast<Timestamp>(micros);
    if (!in_range(t))
        return std::nullopt;
    return t;
}

} // namespace weir
