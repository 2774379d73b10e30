#pragma once

// A deterministic generator of e-commerce events: the test and benchmark data of weir.
// weir-gen writes its stream; scripts/bench and the end-to-end tests depend on it.
//
// Key invariant: the bytes depend only on the configuration, never on the machine, the
// compiler or the standard library. Randomness comes from our own splitmix64 (no std::
// distributions, whose output differs between libraries), and every number is formatted
// by hand. Event number n is a pure function of (seed, n), so a duplicate re-creates the
// exact bytes of an earlier event without keeping it, and --bytes and --count select
// prefixes of one and the same stream.
//
// Each output line is one of:
// - an event: one NDJSON object of about 285 bytes (fields listed in weir-gen(1));
// - a duplicate: the exact line of an earlier event (at most `dup_window` events back),
//   as an at-least-once producer would resend it;
// - an invalid line, in place of a new event: truncated JSON, an event_time that is not
//   a timestamp (or null), a missing event_time, or invalid UTF-8 inside a string.
//
// Event time advances by 1/rate seconds per new event, with a random offset within that
// step, so it is non-decreasing except for the `ooo_ratio` share of events that arrive
// late by up to `max_delay`.

#include "time/timestamp.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir {

struct GenConfig {
    std::uint64_t count = 0; // lines to write; 0: no line limit
    std::uint64_t bytes = 0; // at most this many bytes, whole lines only; 0: no limit
    std::uint64_t seed = 1;
    Timestamp start = 1704067200000000;           // 2024-01-01T00:00:00Z
    double rate = 1000;                           // new events per second of event time
    double dup_ratio = 0.02;                      // share of lines that repeat an earlier event
    double ooo_ratio = 0.05;                      // share of events that arrive late
    Duration max_delay = std::chrono::seconds(5); // how late, at most
    double invalid_ratio = 0.01;                  // share of lines that are invalid
    std::uint64_t users = 10000;
};

// Duplicates repeat one of the last `dup_window` events.
inline constexpr std::uint64_t dup_window = 10000;

enum class LineKind {
    event,
    duplicate,
    truncated,    // a prefix of an event: not valid JSON
    bad_time,     // valid JSON, but event_time is not a timestamp
    missing_time, // valid JSON without event_time
    bad_utf8,     // an invalid UTF-8 sequence inside a string
};

struct GenLine {
    std::string_view bytes; // the line with its newline; valid until the next call
    LineKind kind = LineKind::event;
};

class EventGenerator {
public:
    // Checks the configuration: throws Error(Exit::usage) naming the option when a
    // ratio is outside [0, 1], dup + invalid ratios exceed 1, rate is not positive,
    // max_delay is negative or users is 0 or above 2^40.
    explicit EventGenerator(const GenConfig& cfg);

    // The next line, or nullopt once the count or byte limit is reached.
    std::optional<GenLine> next();

    std::uint64_t lines() const { return lines_; } // lines returned so far

    std::uint64_t bytes() const { return bytes_; } // their bytes

    std::uint64_t events() const { return next_event_; } // event numbers used

private:
    enum class Damage { none, bad_time, missing_time, bad_utf8 };

    // Writes event n into line_, returns its length.
    std::size_t format_event(std::uint64_t n, Damage damage);

    GenConfig cfg_;
    std::uint64_t stream_state_;      // splitmix64 state for per-line choices
    std::uint64_t event_key_;         // mixed seed for per-event generators
    std::uint64_t dup_threshold_;     // probabilities as 53-bit thresholds
    std::uint64_t invalid_threshold_; // dup_threshold_ + invalid share
    std::uint64_t ooo_threshold_;
    std::uint64_t lines_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t next_event_ = 0;
    bool done_ = false; // a limit was reached: stay done
    std::string time_;  // scratch for append_rfc3339; allocates once
    char line_[1024];
};

} // namespace weir
