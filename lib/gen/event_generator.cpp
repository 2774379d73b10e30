#include "gen/event_generator.hpp"

#include "cli/error.hpp"
#include "time/rfc3339.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <string>

namespace weir {

namespace detail {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every platform.
constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

__extension__ typedef unsigned __int128 uint128; // GCC and Clang; -Wpedantic-clean

struct Rng {
    std::uint64_t state;

    std::uint64_t next() { return mix64(state += golden_gamma); }

    // Uniform in [0, n) by Lemire's multiply-shift; the tiny bias does not matter here
    // and the result is exact integer arithmetic, hence portable.
    std::uint64_t below(std::uint64_t n) {
        return static_cast<std::uint64_t>((static_cast<uint128>(next()) * n) >> 64);
    }

    std::uint64_t bits53() { return next() >> 11; }
};

// A probability as a threshold on 53 random bits: chance p is `bits53() < threshold(p)`.
std::uint64_t threshold(double p) {
    return static_cast<std::uint64_t>(std::ldexp(p, 53));
}

// Picks an index by integer weights (they sum to `total`).
template <std::size_t N>
std::size_t pick(Rng& rng, const std::array<unsigned, N>& weights, unsigned total) {
    auto r = static_cast<unsigned>(rng.below(total));
    for (std::size_t i = 0; i < N; ++i) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return N - 1;
}

constexpr std::array<std::string_view, 12> categories = {
    "electronics", "books",   "clothing",   "home_garden", "toys",    "sports",
    "beauty",      "grocery", "automotive", "health",      "jewelry", "music"};

constexpr std::array<std::string_view, 6> event_types = {
    "page_view", "search", "add_to_cart", "remove_from_cart", "checkout", "purchase"};
constexpr std::array<unsigned, 6> event_type_weights = {55, 12, 14, 4, 7, 8};

constexpr std::array<std::string_view, 3> user_types = {"power_user", "casual", "new"};
// Share of events by user type; users themselves are 5% power, 65% casual, 30% new.
constexpr std::array<unsigned, 3> user_type_weights = {30, 55, 15};

constexpr std::array<std::string_view, 5> oses = {"android", "ios", "windows", "macos", "linux"};
constexpr std::array<unsigned, 5> os_weights = {35, 30, 20, 10, 5};
// Browsers per OS, in the order of `oses`.
constexpr std::array<std::array<std::string_view, 3>, 5> browsers = {{
    {"chrome", "samsung", "app"},
    {"safari", "chrome", "app"},
    {"chrome", "edge", "firefox"},
    {"safari", "chrome", "firefox"},
    {"firefox", "chrome", "chromium"},
}};

constexpr std::array<std::string_view, 4> bad_times = {"\"yesterday\"", "\"2024-13-45T25:61:00Z\"",
                                                       "\"\"", "null"};

constexpr std::uint64_t products = 20000;

// The writer of one line: a cursor into a buffer that is large enough for any line.
struct Out {
    char* p;

    void put(std::string_view s) {
        std::memcpy(p, s.data(), s.size());
        p += s.size();
    }

    void put(char c) { *p++ = c; }

    // At least `width` digits, zero-padded.
    void number(std::uint64_t v, int width) {
        char tmp[20];
        int n = 0;
        do {
            tmp[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n < width)
            tmp[n++] = '0';
        while (n > 0)
            *p++ = tmp[--n];
    }

    void cents(std::uint64_t c) {
        number(c / 100, 1);
        put('.');
        number(c % 100, 2);
    }
};

} // namespace
} // namespace detail

using namespace detail;

EventGenerator::EventGenerator(const GenConfig& cfg) : cfg_(cfg) {
    auto check_ratio = [](const char* name, double v) {
        if (!(v >= 0 && v <= 1))
            throw Error(Exit::usage, "{} '{}': not between 0 and 1", name, v);
    };
    check_ratio("--dup-ratio", cfg.dup_ratio);
    check_ratio("--ooo-ratio", cfg.ooo_ratio);
    check_ratio("--invalid-ratio", cfg.invalid_ratio);
    if (cfg.dup_ratio + cfg.invalid_ratio > 1)
        throw Error(Exit::usage, "--dup-ratio and --invalid-ratio: add up to more than 1");
    if (!(cfg.rate > 0 && std::isfinite(cfg.rate)))
        throw Error(Exit::usage, "--rate '{}': not a positive number", cfg.rate);
    if (cfg.max_delay.count() < 0)
        throw Error(Exit::usage, "--max-delay: negative");
    if (cfg.users == 0 || cfg.users > (std::uint64_t{1} << 40))
        throw Error(Exit::usage, "--users '{}': not between 1 and 2^40", cfg.users);

    // Two independent generators from one seed: line choices, and per-event content.
    stream_state_ = mix64(cfg.seed ^ 0x5eed5eed5eed5eedULL);
    event_key_ = mix64(cfg.seed + golden_gamma);
    dup_threshold_ = threshold(cfg.dup_ratio);
    invalid_threshold_ = dup_threshold_ + threshold(cfg.invalid_ratio);
    ooo_threshold_ = threshold(cfg.ooo_ratio);
}

std::optional<GenLine> EventGenerator::next() {
    if (done_ || (cfg_.count != 0 && lines_ >= cfg_.count))
        return std::nullopt;

    Rng stream{stream_state_};
    const std::uint64_t u = stream.bits53();
    GenLine line;
    std::size_t len = 0;
    if (u < dup_threshold_ && next_event_ > 0) {
        const std::uint64_t back = stream.below(std::min(next_event_, dup_window));
        len = format_event(next_event_ - 1 - back, Damage::none);
        line.kind = LineKind::duplicate;
    } else if (u >= dup_threshold_ && u < invalid_threshold_) {
        // An invalid line takes the place of a new event: its number is used up.
        static constexpr std::array<unsigned, 4> weights = {1, 1, 1, 1};
        switch (pick(stream, weights, 4)) {
        case 0:
            len = format_event(next_event_++, Damage::none);
            // Half a line never closes its object, so it is never valid JSON.
            len = len / 2;
            line_[len++] = '\n';
            line.kind = LineKind::truncated;
            break;
        case 1:
            len = format_event(next_event_++, Damage::bad_time);
            line.kind = LineKind::bad_time;
            break;
        case 2:
            len = format_event(next_event_++, Damage::missing_time);
            line.kind = LineKind::missing_time;
            break;
        default:
            len = format_event(next_event_++, Damage::bad_utf8);
            line.kind = LineKind::bad_utf8;
            break;
        }
    } else {
        len = format_event(next_event_++, Damage::none);
        line.kind = LineKind::event;
    }
    stream_state_ = stream.state;

    if (cfg_.bytes != 0 && bytes_ + len > cfg_.bytes) {
        done_ = true;
        return std::nullopt;
    }
    ++lines_;
    bytes_ += len;
    line.bytes = std::string_view(line_, len);
    return line;
}

std::size_t EventGenerator::format_event(std::uint64_t n, Damage damage) {
    // Everything about event n comes from this generator, so it can be made again.
    Rng rng{mix64(event_key_ ^ (n * golden_gamma))};

    // Event time: n steps of 1/rate from the start, a random point within the step,
    // and for a few events, a delay.
    const double step = 1e6 / cfg_.rate;
    const auto base = static_cast<std::int64_t>(static_cast<double>(n) * step);
    const auto width = static_cast<std::uint64_t>(std::max(1.0, step));
    Timestamp t = cfg_.start + base + static_cast<std::int64_t>(rng.below(width));
    const bool late = rng.bits53() < ooo_threshold_;
    const std::uint64_t delay = rng.below(static_cast<std::uint64_t>(cfg_.max_delay.count()) + 1);
    if (late)
        t -= static_cast<std::int64_t>(delay);

    // The user: pick a type by its share of events, then a user of that type. Users are
    // numbered power first, then casual, then new.
    const std::uint64_t n_users = cfg_.users;
    const std::uint64_t ranges[4] = {0, n_users * 5 / 100, n_users * 70 / 100, n_users};
    std::size_t type = pick(rng, user_type_weights, 100);
    std::uint64_t user = 0;
    if (ranges[type + 1] > ranges[type]) {
        user = ranges[type] + rng.below(ranges[type + 1] - ranges[type]);
    } else {
        user = rng.below(n_users);
        type = user < ranges[1] ? 0 : user < ranges[2] ? 1 : 2;
    }

    // Popular products sell more: the min of two uniforms skews toward low numbers.
    const std::uint64_t product = std::min(rng.below(products), rng.below(products));
    const std::uint64_t product_hash = mix64(product ^ 0x0123456789abcdefULL);
    const std::size_t category = product_hash % categories.size();
    const std::uint64_t price_cents = 99 + (product_hash >> 8) % 49900;

    const std::size_t event_type = pick(rng, event_type_weights, 100);
    const std::uint64_t quantity = 1 + rng.below(3);

    // A user keeps one device.
    Rng device_rng{mix64(user ^ 0xdeadbeefcafef00dULL)};
    const std::size_t os = pick(device_rng, os_weights, 100);
    const std::size_t browser = device_rng.below(3);
    const bool mobile = os <= 1;
    const std::string_view device_type =
        mobile ? (device_rng.below(100) < 15 ? "tablet" : "mobile") : "desktop";

    Out o{line_};
    o.put("{\"event_id\":\"e-");
    o.number(n, 11);
    o.put('"');
    if (damage == Damage::bad_time) {
        o.put(",\"event_time\":");
        o.put(bad_times[rng.below(bad_times.size())]);
    } else if (damage != Damage::missing_time) {
        o.put(",\"event_time\":\"");
        time_.clear();
        append_rfc3339(time_, t, 3);
        o.put(time_);
        o.put('"');
    }
    o.put(",\"user_id\":\"u-");
    o.number(user, 6);
    o.put("\",\"user_type\":\"");
    o.put(user_types[type]);
    o.put("\",\"customer_id\":\"c-");
    o.number(user / 2, 6);
    o.put("\",\"product_id\":\"p-");
    o.number(product, 5);
    o.put("\",\"product_category\":\"");
    o.put(categories[category]);
    o.put("\",\"event_type\":\"");
    o.put(event_types[event_type]);
    o.put("\",\"amount\":");
    if (event_type <= 1)
        o.put('0');
    else
        o.cents(price_cents * quantity);
    o.put(",\"device\":{\"os\":\"");
    o.put(oses[os]);
    o.put("\",\"browser\":\"");
    if (damage == Damage::bad_utf8)
        o.put("chr\xff\xfeme"); // 0xFF never occurs in UTF-8
    else
        o.put(browsers[os][browser]);
    o.put("\",\"type\":\"");
    o.put(device_type);
    o.put("\"}}\n");
    return static_cast<std::size_t>(o.p - line_);
}

} // namespace weir
