#pragma once

// RFC 3339 timestamps: the text form of event times on input and of every time weir
// writes (window bounds, quarantine times, watermarks in metrics).
//
// Parsing is on the per-record hot path (`--time FIELD` holding strings), so it is a
// hand-written scanner: no allocation, no locale, no sscanf, no timegm. Dates become
// day numbers with days-from-civil arithmetic on the proleptic Gregorian calendar, so
// dates before 1970 (and back to year 0000) work like any other.
//
// Key invariant: every Timestamp parse_rfc3339 returns lies in [min_rfc3339, max_rfc3339]
// (years 0000-9999 in UTC), so append_rfc3339 writes it back as RFC 3339, and
//   parse_rfc3339(format_rfc3339(t)) == t   for every t in that range.
// format_rfc3339 still writes something deterministic for times outside the range (an
// ISO 8601 expanded year such as "+12345-01-01T00:00:00Z"); such text does not parse.

#include "time/timestamp.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir {

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, the UTC range of RFC 3339.
inline constexpr Timestamp min_rfc3339 = -62'167'219'200'000'000;
inline constexpr Timestamp max_rfc3339 = 253'402'300'799'999'999;

// Parses an RFC 3339 date-time:
//   YYYY-MM-DD ('T' | 't' | ' ') hh:mm:ss [ '.' 1*DIGIT ] ( 'Z' | 'z' | ('+'|'-') hh:mm )
// - The whole view must match: no leading or trailing blanks, no date alone.
// - Any number of fraction digits is accepted; digits past the sixth are truncated (the
//   time rounds toward the earlier microsecond, also before 1970).
// - Ranges are checked: month 01-12, day within the month (leap years: divisible by 4,
//   except centuries not divisible by 400), hour 00-23, minute 00-59, second 00-60,
//   offset hours 00-23 and minutes 00-59. "-00:00" is taken as UTC.
// - A leap second (second 60, allowed at any hh:mm since offsets move it) maps to the
//   last microsecond of the second before, hh:mm:59.999999, whatever its fraction: it
//   sorts after every time of that second and never moves the minute, day or window.
// - The instant, once shifted to UTC, must lie in [min_rfc3339, max_rfc3339]; so
//   "0000-01-01T00:00:00+01:00" is rejected.
// Returns nullopt on any mismatch. Never throws, never allocates.
std::optional<Timestamp> parse_rfc3339(std::string_view s) noexcept;

// Appends `t` as RFC 3339 in UTC with a 'Z' suffix, e.g. "2024-03-01T12:00:00.250Z".
// digits: -1 keeps the precision: no fraction when the microseconds are 0, 3 digits
// when they are a whole millisecond, else 6. 0-9 writes exactly that many digits
// (truncating below the microsecond shown, zero-padding past the sixth); values
// outside -1..9 are clamped. Seconds are floored, so times before 1970 come out right
// (-1 is "1969-12-31T23:59:59.999999Z"). Allocates only if `out` must grow.
void append_rfc3339(std::string& out, Timestamp t, int digits = -1);

// The same as a new string.
std::string format_rfc3339(Timestamp t, int digits = -1);

namespace detail {

// Days since 1970-01-01 of a proleptic Gregorian date; `month` 1-12, `day` 1-31.
// Exact for any year that keeps the result in int64 range. The method is the one in
// Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms": count years from
// March, so that the leap day is the last day of the year, in 400-year eras of 146097
// days, which makes the Gregorian rules plain integer division.
constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    std::int64_t era = (year >= 0 ? year : year - 399) / 400;              // floor division
    std::int64_t year_of_era = year - era * 400;                           // 0-399
    std::int64_t month_from_march = month > 2 ? month - 3 : month + 9;     // 0-11
    std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1; // 0-365
    std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; // 0-146096
    return era * 146097 + day_of_era - 719468; // 719468: from 0000-03-01 to 1970-01-01
}

struct CivilDate {
    std::int64_t year;
    unsigned month; // 1-12
    unsigned day;   // 1-31
};

// Inverse of days_from_civil.
constexpr CivilDate civil_from_days(std::int64_t days) {
    days += 719468;
    std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    std::int64_t day_of_era = days - era * 146097; // 0-146096
    std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    std::int64_t month_from_march = (5 * day_of_year + 2) / 153; // 0-11
    auto day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    auto month =
        static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

constexpr bool is_leap_year(std::int64_t year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t year, unsigned month) {
    constexpr unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

} // namespace detail

} // namespace weir
