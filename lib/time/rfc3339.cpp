#include "time/rfc3339.hpp"

#include <algorithm>
#include <cstring>

namespace weir {

namespace {

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Two decimal digits at p as 0-99, or -1 when either is not a digit.
inline int two_digits(const char* p) {
    if (!is_digit(p[0]) || !is_digit(p[1]))
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

constexpr std::int64_t us_per_s = 1'000'000;
constexpr std::int64_t s_per_day = 86'400;

// Writes `v` (0-99) as two digits.
inline char* put2(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
    return p + 2;
}

struct DateCache {
    char text[10]; // "YYYY-MM-DD", valid when known
    std::int64_t days = 0;
    bool known = false;
};

thread_local DateCache last_date;

} // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view s) noexcept {
    // The fixed part "YYYY-MM-DDThh:mm:ss" plus at least "Z": 20 bytes.
    constexpr std::size_t fixed = 19;
    if (s.size() < fixed + 1)
        return std::nullopt;
    const char* p = s.data();

    // The date: a stream's events mostly share it, so the day number of the last date
    // seen is kept and the same ten bytes skip checking and converting it again.
    std::int64_t days = 0;
    if (last_date.known && std::memcmp(p, last_date.text, sizeof last_date.text) == 0) {
        days = last_date.days;
    } else {
        int y_hi = two_digits(p);
        int y_lo = two_digits(p + 2);
        int month = two_digits(p + 5);
        int day = two_digits(p + 8);
        if ((y_hi | y_lo | month | day) < 0 || p[4] != '-' || p[7] != '-')
            return std::nullopt;
        int year = y_hi * 100 + y_lo;
        if (month < 1 || month > 12 || day < 1 ||
            static_cast<unsigned>(day) > detail::days_in_month(year, static_cast<unsigned>(month)))
            return std::nullopt;
        days =
            detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
        std::memcpy(last_date.text, p, sizeof last_date.text);
        last_date.days = days;
        last_date.known = true;
    }
    int hour = two_digits(p + 11);
    int minute = two_digits(p + 14);
    int second = two_digits(p + 17);
    if ((hour | minute | second) < 0 || p[13] != ':' || p[16] != ':')
        return std::nullopt;
    if (p[10] != 'T' && p[10] != 't' && p[10] != ' ')
        return std::nullopt;
    if (hour > 23 || minute > 59 || second > 60)
        return std::nullopt;

    // Fraction: keep the first six digits, skip (truncate) the rest.
    std::size_t i = fixed;
    std::int64_t micros = 0;
    if (p[i] == '.') {
        ++i;
        std::size_t first = i;
        while (i < s.size() && is_digit(p[i])) {
            if (i - first < 6)
                micros = micros * 10 + (p[i] - '0');
            ++i;
        }
        std::size_t count = i - first;
        if (count == 0)
            return std::nullopt;
        for (; count < 6; ++count)
            micros *= 10;
    }

    // Zone: exactly "Z", "z" or "+hh:mm" / "-hh:mm", and nothing after it.
    if (i >= s.size())
        return std::nullopt;
    std::int64_t offset_s = 0;
    if (p[i] == 'Z' || p[i] == 'z') {
        if (i + 1 != s.size())
            return std::nullopt;
    } else if (p[i] == '+' || p[i] == '-') {
        if (i + 6 != s.size() || p[i + 3] != ':')
            return std::nullopt;
        int off_h = two_digits(p + i + 1);
        int off_m = two_digits(p + i + 4);
        if (off_h < 0 || off_m < 0 || off_h > 23 || off_m > 59)
            return std::nullopt;
        offset_s = off_h * 3600 + off_m * 60;
        if (p[i] == '-')
            offset_s = -offset_s;
    } else {
        return std::nullopt;
    }

    if (second == 60) {
        second = 59;
        micros = us_per_s - 1;
    }
    // Local time minus the offset is UTC: 10:00+02:00 is 08:00Z.
    std::int64_t secs = days * s_per_day + hour * 3600 + minute * 60 + second - offset_s;
    Timestamp t = secs * us_per_s + micros;
    if (t < min_rfc3339 || t > max_rfc3339)
        return std::nullopt;
    return t;
}

void append_rfc3339(std::string& out, Timestamp t, int digits) {
    // Floor division throughout, so that before 1970 the fraction and the time of day
    // stay positive and the day is the earlier one.
    std::int64_t secs = t / us_per_s;
    std::int64_t micros = t % us_per_s;
    if (micros < 0) {
        micros += us_per_s;
        --secs;
    }
    std::int64_t days = secs / s_per_day;
    std::int64_t sod = secs % s_per_day;
    if (sod < 0) {
        sod += s_per_day;
        --days;
    }
    detail::CivilDate date = detail::civil_from_days(days);

    digits = std::clamp(digits, -1, 9);
    if (digits < 0)
        digits = micros == 0 ? 0 : micros % 1000 == 0 ? 3 : 6;

    // Longest output: sign, 6-digit year (int64 microseconds reach year 294247), then
    // "-MM-DDThh:mm:ss.fffffffffZ".
    char buf[48];
    char* p = buf;
    std::int64_t year = date.year;
    if (year < 0 || year > 9999) {
        // ISO 8601 expanded year; outside RFC 3339, written so nothing is ever lost.
        *p++ = year < 0 ? '-' : '+';
        year = year < 0 ? -year : year;
    }
    char ydigits[20];
    int ny = 0;
    for (std::int64_t y = year; y > 0 || ny < 4; y /= 10)
        ydigits[ny++] = static_cast<char>('0' + y % 10);
    while (ny > 0)
        *p++ = ydigits[--ny];
    *p++ = '-';
    p = put2(p, date.month);
    *p++ = '-';
    p = put2(p, date.day);
    *p++ = 'T';
    p = put2(p, static_cast<unsigned>(sod / 3600));
    *p++ = ':';
    p = put2(p, static_cast<unsigned>(sod / 60 % 60));
    *p++ = ':';
    p = put2(p, static_cast<unsigned>(sod % 60));
    if (digits > 0) {
        *p++ = '.';
        std::int64_t scale = 100'000;
        for (int k = 0; k < digits; ++k) {
            *p++ = static_cast<char>('0' + (k < 6 ? micros / scale % 10 : 0));
            scale /= 10;
        }
    }
    *p++ = 'Z';
    out.append(buf, static_cast<std::size_t>(p - buf));
}

std::string format_rfc3339(Timestamp t, int digits) {
    std::string out;
    append_rfc3339(out, t, digits);
    return out;
}

} // namespace weir
