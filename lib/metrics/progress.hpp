#pragma once

// The progress line on stderr, for a person watching a terminal:
//
//   weir-ingest: 1.2M records, 340 MB, 812 MB/s, 42% ETA 0:07
//
// It is drawn only when stderr is a terminal and --quiet is not given
// (ProgressLine::wanted), so scripts and logs never see it. Each draw starts with '\r'
// and ends with "clear to end of line", so the line rewrites itself in place; finish()
// erases it, leaving the terminal as it was. Percent and ETA appear only when the
// input size is known.
//
// update() is meant to be called by the run loop as often as it likes (every idle,
// barrier or every N records): it returns after one comparison until 200 ms have
// passed since the last draw. Times are passed in, so tests drive it with synthetic
// time points. The rate is smoothed over draws so a burst does not make it jump.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace weir {

// "999", "1.2k", "34M", "1.0G": three significant digits at most, SI units.
std::string format_count(std::uint64_t n);

// "512 B", "1.2 kB", "340 MB", "12 GB": decimal units (1 MB = 10^6 bytes), as disks
// and network rates are quoted.
std::string format_bytes(std::uint64_t n);

// "0:07", "12:34", "1:02:03": m:ss below an hour, h:mm:ss from there.
std::string format_eta(std::uint64_t seconds);

class ProgressLine {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr Clock::duration redraw_interval = std::chrono::milliseconds(200);

    // True when a progress line should be shown: stderr is a terminal and not --quiet.
    static bool wanted(bool quiet);

    // Draws on `out` (not owned; stderr in tools, a temporary file in tests) when
    // `enabled`; otherwise every call is a no-op. `start` is when reading began: the
    // first draw comes redraw_interval after it.
    ProgressLine(std::string program, std::FILE* out, bool enabled,
                 Clock::time_point start = Clock::now());

    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    // Redraws if redraw_interval has passed since the last draw. `bytes_total` is the
    // input size, or 0 when unknown (a pipe): then no percent and no ETA.
    void update(std::uint64_t records, std::uint64_t bytes, std::uint64_t bytes_total,
                Clock::time_point now) {
        if (!enabled_ || now < next_draw_)
            return;
        draw(records, bytes, bytes_total, now);
    }

    // Erases the line if one is shown, so a message can be printed on a clean line; the
    // next update() draws it again.
    void clear();

    // Erases the line for good: later updates draw nothing.
    void finish();

    bool enabled() const { return enabled_; }

    // The text of the last draw, without '\r' and the clear sequence (for tests).
    const std::string& last_line() const { return line_; }

private:
    void draw(std::uint64_t records, std::uint64_t bytes, std::uint64_t bytes_total,
              Clock::time_point now);

    std::string program_;
    std::FILE* out_;
    bool enabled_;
    bool shown_ = false; // a line is on the terminal now
    Clock::time_point next_draw_;
    Clock::time_point last_time_; // time and bytes of the previous sample, for the rate
    std::uint64_t last_bytes_ = 0;
    double rate_ = -1; // smoothed bytes per second; < 0 before the first sample
    std::string line_;
};

} // namespace weir
