#include "metrics/progress.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <utility>

namespace weir {

namespace {

// Scales n by 1000 until it shows in three digits. The threshold is 999.5, not 1000,
// so that a value rounding up to "1000" is shown as "1.0" of the next unit instead.
template <std::size_t N>
std::string format_si(std::uint64_t n, const std::array<std::string_view, N>& units,
                      std::string_view sep) {
    if (n < 1000)
        return fmt::format("{}{}{}", n, sep, units[0]);
    double v = static_cast<double>(n);
    std::size_t i = 0;
    while (v >= 999.5 && i + 1 < N) {
        v /= 1000;
        ++i;
    }
    if (v < 9.95)
        return fmt::format("{:.1f}{}{}", v, sep, units[i]);
    return fmt::format("{:.0f}{}{}", v, sep, units[i]);
}

constexpr std::string_view clear_to_eol = "\x1b[K";

} // namespace

std::string format_count(std::uint64_t n) {
    static constexpr std::array<std::string_view, 7> units{"", "k", "M", "G", "T", "P", "E"};
    return format_si(n, units, "");
}

std::string format_bytes(std::uint64_t n) {
    static constexpr std::array<std::string_view, 7> units{"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    return format_si(n, units, " ");
}

std::string format_eta(std::uint64_t seconds) {
    std::uint64_t h = seconds / 3600;
    std::uint64_t m = seconds / 60 % 60;
    std::uint64_t s = seconds % 60;
    if (h != 0)
        return fmt::format("{}:{:02}:{:02}", h, m, s);
    return fmt::format("{}:{:02}", m, s);
}

bool ProgressLine::wanted(bool quiet) {
    if (quiet || ::isatty(STDERR_FILENO) == 0)
        return false;
    // A dumb terminal would print the clear-to-end-of-line sequence literally.
    const char* term = std::getenv("TERM");
    return term == nullptr || std::strcmp(term, "dumb") != 0;
}

ProgressLine::ProgressLine(std::string program, std::FILE* out, bool enabled,
                           Clock::time_point start)
    : program_(std::move(program))
    , out_(out)
    , enabled_(enabled && out != nullptr)
    , next_draw_(start + redraw_interval)
    , last_time_(start) {}

void ProgressLine::draw(std::uint64_t records, std::uint64_t bytes, std::uint64_t bytes_total,
                        Clock::time_point now) {
    next_draw_ = now + redraw_interval;

    // Smooth the rate over draws: quick enough to follow a change within a second or
    // two, steady enough that the ETA does not flicker.
    double dt = std::chrono::duration<double>(now - last_time_).count();
    if (dt > 0) {
        double moved = bytes > last_bytes_ ? static_cast<double>(bytes - last_bytes_) : 0;
        double inst = moved / dt;
        rate_ = rate_ < 0 ? inst : 0.7 * rate_ + 0.3 * inst;
        last_time_ = now;
        last_bytes_ = bytes;
    }
    double rate = rate_ < 0 ? 0 : rate_;

    line_.clear();
    auto it = std::back_inserter(line_);
    fmt::format_to(it, "{}: {} {}, {}, {}/s", program_, format_count(records),
                   records == 1 ? "record" : "records", format_bytes(bytes),
                   format_bytes(static_cast<std::uint64_t>(rate)));
    if (bytes_total != 0) {
        std::uint64_t done = bytes < bytes_total ? bytes : bytes_total;
        fmt::format_to(it, ", {}%", done * 100 / bytes_total);
        if (rate > 0) {
            double eta = static_cast<double>(bytes_total - done) / rate;
            fmt::format_to(it, " ETA {}", format_eta(static_cast<std::uint64_t>(eta + 0.5)));
        }
    }

    std::string buf;
    buf.reserve(line_.size() + 8);
    buf += '\r';
    buf += line_;
    buf += clear_to_eol;
    std::fwrite(buf.data(), 1, buf.size(), out_);
    std::fflush(out_);
    shown_ = true;
}

void ProgressLine::clear() {
    if (!shown_)
        return;
    std::string buf = "\r";
    buf += clear_to_eol;
    std::fwrite(buf.data(), 1, buf.size(), out_);
    std::fflush(out_);
    shown_ = false;
}

void ProgressLine::finish() {
    clear();
    enabled_ = false;
}

} // namespace weir
