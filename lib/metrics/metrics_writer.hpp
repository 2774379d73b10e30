#pragma once

// --metrics FILE: the run's counters written out for machines, once per interval
// (default 10 s) and once more at exit (DESIGN.md, "Observability").
//
// Two formats:
// - json (default): one line appended per interval, so the file is a time series that
//   jq reads directly; the line written at exit has "final": true:
//     {"time":"2024-03-01T12:00:10.000Z","tool":"weir-ingest","stage":"ingest",
//      "final":false,"records_in":1000,"records_out":990,"records_consumed":0,
//      "records_generated":0,"records_held":0,"unaccounted":0,"bytes_in":267000,
//      "bytes_out":264330,"rate_in":100.000,"bytes_rate_in":26700.000,
//      "rejects":{"dead_letter":{"invalid_json":7,"too_long":3}},"epoch":4,
//      "watermark":"2024-03-01T11:59:00Z","state_keys":0,"state_bytes":0,"batches":4,
//      "last_batch_seconds":0.001200,"elapsed_seconds":10.000}
//   rate_in and bytes_rate_in are per second since the previous line; rejects holds
//   only non-zero counts, reasons sorted by name ("none" for rejects without a reason,
//   see counters.hpp); watermark is null until there is one; "unaccounted" is the
//   imbalance of the accounting equation (0 unless a count is wrong).
// - prometheus: a node_exporter textfile, replaced atomically (temp file in the same
//   directory, then rename) at each interval, so the collector never reads half a file.
//   Metrics are weir_<name> with labels tool and stage; rejects carry channel and
//   reason. The file is written once at construction (all zeros) to show the run
//   started and to report an unwritable path at once.
//
// The run loop owns the writer and calls maybe_write() as often as it likes (every
// idle, barrier, or N records): until the interval has passed that is one comparison.
// Times are passed in (steady clock for intervals and rates; the wall clock of the
// "time" field is derived from it), so tests run on synthetic time.

#include "metrics/breakdown.hpp"
#include "metrics/counters.hpp"
#include "time/timestamp.hpp"

#include <chrono>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir {

enum class MetricsFormat { json, prometheus };

// "json" or "prometheus" (the values of --metrics-format); nullopt for anything else.
std::optional<MetricsFormat> parse_metrics_format(std::string_view s);

// The current wall-clock time as a Timestamp.
Timestamp wall_clock_now();

class MetricsWriter {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr Duration default_interval = std::chrono::seconds(10);

    // Opens `path` (json: created if missing, appended to; prometheus: written now).
    // `program` is the tool ("weir-ingest"), `stage` its checkpoint stage name. `start`
    // is when the run began (for elapsed_seconds and the first rate) and `wall_start`
    // the wall-clock time at that instant.
    // Throws Error(Exit::cant_create, "cannot open metrics file 'x': ...") when the file
    // cannot be opened or created, Error(Exit::usage) when interval is not positive.
    MetricsWriter(std::string path, MetricsFormat format, Duration interval, std::string program,
                  std::string stage, Clock::time_point start = Clock::now(),
                  Timestamp wall_start = wall_clock_now());
    ~MetricsWriter();

    MetricsWriter(const MetricsWriter&) = delete;
    MetricsWriter& operator=(const MetricsWriter&) = delete;

    // Writes a snapshot of `c` if the interval has passed since the last one (or since
    // start). Throws Error(Exit::io) when the write fails.
    void maybe_write(const RunCounters& c, Clock::time_point now) {
        if (now < next_)
            return;
        write(c, now, false);
    }

    // Writes the final snapshot, whatever the time. Throws Error(Exit::io).
    void write_final(const RunCounters& c, Clock::time_point now = Clock::now()) {
        write(c, now, true);
    }

    const std::string& path() const { return path_; }

    // Where counts by name come from (metrics/breakdown.hpp), asked at each write: the
    // JSON line gets an object under Breakdown::what, Prometheus a labelled counter.
    void set_breakdown(std::function<Breakdown()> source) { breakdown_ = std::move(source); }

private:
    void write(const RunCounters& c, Clock::time_point now, bool final);
    void format_json(const RunCounters& c, Clock::time_point now, bool final);
    void format_prometheus(const RunCounters& c, Clock::time_point now, bool final);

    std::string path_;
    MetricsFormat format_;
    Clock::duration interval_;
    std::string program_;
    std::string stage_;
    Clock::time_point start_;
    Timestamp wall_start_;
    int fd_ = -1; // json: the file, opened for appending

    Clock::time_point next_; // earliest time of the next interval write
    Clock::time_point prev_time_;
    std::uint64_t prev_records_in_ = 0;
    std::uint64_t prev_bytes_in_ = 0;
    std::string buf_; // the text being written, reused
    std::function<Breakdown()> breakdown_;
};

} // namespace weir
