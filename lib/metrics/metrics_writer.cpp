#include "metrics/metrics_writer.hpp"

#include "cli/error.hpp"
#include "io/atomic_file.hpp"
#include "json/escape.hpp"
#include "metrics/accounting.hpp"
#include "time/rfc3339.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <iterator>
#include <unistd.h>
#include <utility>
#include <vector>

namespace weir {

namespace {

// Prometheus text format: label values escape backslash, double quote and newline.
void append_label_value(std::string& out, std::string_view s) {
    out += '"';
    for (char ch : s) {
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += ch;
        }
    }
    out += '"';
}

// Writes all of `data` to fd; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

// Says which file failed: write_file_atomic's message names the path only, as
// "cannot create 'x': ..." or "cannot write 'x': ...".
[[noreturn]] void rethrow_for_metrics(const Error& e, const std::string& path, Exit code,
                                      std::string_view verb) {
    std::string_view msg = e.what();
    for (std::string_view what : {"create", "write"}) {
        std::string prefix = fmt::format("cannot {} '{}': ", what, path);
        if (msg.substr(0, prefix.size()) == prefix) {
            msg.remove_prefix(prefix.size());
            break;
        }
    }
    throw Error(code, "cannot {} metrics file '{}': {}", verb, path, msg);
}

// A non-negative finite number with fixed decimals; JSON has no NaN or infinity.
void append_fixed(std::string& out, double v, int decimals) {
    if (!std::isfinite(v) || v < 0)
        v = 0;
    fmt::format_to(std::back_inserter(out), "{:.{}f}", v, decimals);
}

// Microseconds as exact decimal seconds: -1500000 is "-1.500000".
void append_seconds(std::string& out, Timestamp us) {
    std::uint64_t a = us < 0 ? 0 - static_cast<std::uint64_t>(us) : static_cast<std::uint64_t>(us);
    fmt::format_to(std::back_inserter(out), "{}{}.{:06}", us < 0 ? "-" : "", a / 1'000'000,
                   a % 1'000'000);
}

double seconds_between(MetricsWriter::Clock::time_point a, MetricsWriter::Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// Non-zero reject columns of one channel, sorted by reason name.
std::vector<std::pair<std::string_view, std::uint64_t>>
sorted_reasons(const std::array<std::uint64_t, reason_count + 1>& row) {
    std::vector<std::pair<std::string_view, std::uint64_t>> parts;
    for (std::size_t col = 0; col < row.size(); ++col)
        if (row[col] != 0)
            parts.emplace_back(reason_column_name(col), row[col]);
    std::sort(parts.begin(), parts.end());
    return parts;
}

} // namespace

std::optional<MetricsFormat> parse_metrics_format(std::string_view s) {
    if (s == "json")
        return MetricsFormat::json;
    if (s == "prometheus")
        return MetricsFormat::prometheus;
    return std::nullopt;
}

Timestamp wall_clock_now() {
    return std::chrono::duration_cast<Duration>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

MetricsWriter::MetricsWriter(std::string path, MetricsFormat format, Duration interval,
                             std::string program, std::string stage, Clock::time_point start,
                             Timestamp wall_start)
    : path_(std::move(path))
    , format_(format)
    , interval_(std::chrono::duration_cast<Clock::duration>(interval))
    , program_(std::move(program))
    , stage_(std::move(stage))
    , start_(start)
    , wall_start_(wall_start)
    , next_(start + interval_)
    , prev_time_(start) {
    if (interval_ <= Clock::duration::zero())
        throw Error(Exit::usage, "metrics interval must be positive");
    if (format_ == MetricsFormat::json) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw Error(Exit::cant_create, "cannot open metrics file '{}': {}", path_,
                        errno_text(errno));
        return;
    }
    // Prometheus: an empty run's file now, so a bad path fails before any work.
    format_prometheus(RunCounters{}, start, false);
    try {
        write_file_atomic(path_, buf_);
    } catch (const Error& e) {
        rethrow_for_metrics(e, path_, Exit::cant_create, "open");
    }
}

MetricsWriter::~MetricsWriter() {
    if (fd_ >= 0)
        ::close(fd_);
}

void MetricsWriter::write(const RunCounters& c, Clock::time_point now, bool final) {
    // From now, not from the previous deadline: after a stall, one line, not a burst.
    next_ = now + interval_;
    if (format_ == MetricsFormat::json) {
        format_json(c, now, final);
        if (int err = write_all(fd_, buf_); err != 0)
            throw Error(Exit::io, "cannot write metrics file '{}': {}", path_, errno_text(err));
    } else {
        format_prometheus(c, now, final);
        try {
            write_file_atomic(path_, buf_);
        } catch (const Error& e) {
            rethrow_for_metrics(e, path_, e.code(), "write");
        }
    }
    prev_time_ = now;
    prev_records_in_ = c.records_in;
    prev_bytes_in_ = c.bytes_in;
}

void MetricsWriter::format_json(const RunCounters& c, Clock::time_point now, bool final) {
    std::string& s = buf_;
    auto out = std::back_inserter(s);
    s.clear();

    Duration since_start = std::chrono::duration_cast<Duration>(now - start_);
    double dt = seconds_between(prev_time_, now);
    auto per_second = [dt](std::uint64_t cur, std::uint64_t prev) {
        return dt > 0 && cur >= prev ? static_cast<double>(cur - prev) / dt : 0.0;
    };

    s += "{\"time\":\"";
    append_rfc3339(s, wall_start_ + since_start.count(), 3);
    s += "\",\"tool\":";
    append_json_string(s, program_);
    s += ",\"stage\":";
    append_json_string(s, stage_);
    fmt::format_to(out,
                   ",\"final\":{},\"records_in\":{},\"records_out\":{},\"records_consumed\":{},"
                   "\"records_generated\":{},\"records_held\":{},\"unaccounted\":{},"
                   "\"bytes_in\":{},\"bytes_out\":{},\"rate_in\":",
                   final, c.records_in, c.records_out, c.records_consumed, c.records_generated,
                   c.records_held, imbalance(c), c.bytes_in, c.bytes_out);
    append_fixed(s, per_second(c.records_in, prev_records_in_), 3);
    s += ",\"bytes_rate_in\":";
    append_fixed(s, per_second(c.bytes_in, prev_bytes_in_), 3);

    s += ",\"rejects\":{";
    bool first_channel = true;
    for (std::size_t ch = 0; ch < channel_count; ++ch) {
        auto parts = sorted_reasons(c.rejects[ch]);
        if (parts.empty())
            continue;
        if (!first_channel)
            s += ',';
        first_channel = false;
        fmt::format_to(out, "\"{}\":{{", channel_name(static_cast<Channel>(ch)));
        for (std::size_t i = 0; i < parts.size(); ++i)
            fmt::format_to(out, "{}\"{}\":{}", i == 0 ? "" : ",", parts[i].first, parts[i].second);
        s += '}';
    }
    s += '}';

    fmt::format_to(out, ",\"epoch\":{},\"watermark\":", c.epoch);
    if (c.watermark == no_timestamp) {
        s += "null";
    } else {
        s += '"';
        append_rfc3339(s, c.watermark);
        s += '"';
    }
    fmt::format_to(out, ",\"state_keys\":{},\"state_bytes\":{},\"batches\":{},", c.state_keys,
                   c.state_bytes, c.batches);
    s += "\"last_batch_seconds\":";
    append_fixed(s, c.last_batch_seconds, 6);
    s += ",\"elapsed_seconds\":";
    append_fixed(s, seconds_between(start_, now), 3);
    if (breakdown_) {
        Breakdown b = breakdown_();
        if (!b.what.empty()) {
            fmt::format_to(out, ",\"{}\":{{", b.what);
            for (std::size_t i = 0; i < b.counts.size(); ++i) {
                if (i != 0)
                    s += ',';
                append_json_string(s, b.counts[i].first);
                fmt::format_to(out, ":{}", b.counts[i].second);
            }
            s += '}';
        }
    }
    s += "}\n";
}

void MetricsWriter::format_prometheus(const RunCounters& c, Clock::time_point now, bool final) {
    std::string& s = buf_;
    auto out = std::back_inserter(s);
    s.clear();

    std::string labels = "tool=";
    append_label_value(labels, program_);
    labels += ",stage=";
    append_label_value(labels, stage_);

    auto head = [&](std::string_view name, std::string_view type, std::string_view help) {
        fmt::format_to(out, "# HELP weir_{} {}\n# TYPE weir_{} {}\n", name, help, name, type);
    };
    auto metric = [&](std::string_view name, std::string_view type, std::string_view help,
                      std::uint64_t v) {
        head(name, type, help);
        fmt::format_to(out, "weir_{}{{{}}} {}\n", name, labels, v);
    };

    metric("records_in_total", "counter", "Records read.", c.records_in);
    metric("records_out_total", "counter", "Records written, to any output.", c.records_out);
    metric("records_consumed_total", "counter", "Records absorbed into aggregates.",
           c.records_consumed);
    metric("records_generated_total", "counter", "Records written that were not read.",
           c.records_generated);
    metric("records_held", "gauge", "Records held in state, to be written later.", c.records_held);
    metric("bytes_in_total", "counter", "Input bytes read.", c.bytes_in);
    metric("bytes_out_total", "counter", "Bytes written to the main output.", c.bytes_out);

    head("rejects_total", "counter", "Records rejected, by channel and reason.");
    for (std::size_t ch = 0; ch < channel_count; ++ch)
        for (const auto& [reason, n] : sorted_reasons(c.rejects[ch]))
            fmt::format_to(out, "weir_rejects_total{{{},channel=\"{}\",reason=\"{}\"}} {}\n",
                           labels, channel_name(static_cast<Channel>(ch)), reason, n);

    metric("epoch", "gauge", "Last committed checkpoint epoch.", c.epoch);
    head("watermark_seconds", "gauge", "Current watermark, seconds since the Unix epoch.");
    if (c.watermark != no_timestamp) {
        fmt::format_to(out, "weir_watermark_seconds{{{}}} ", labels);
        append_seconds(s, c.watermark);
        s += '\n';
    }
    metric("state_keys", "gauge", "Keys held in state.", c.state_keys);
    metric("state_bytes", "gauge", "Approximate bytes of state.", c.state_bytes);
    metric("batches_total", "counter", "Checkpoint barriers handled.", c.batches);

    head("last_batch_seconds", "gauge", "Duration of the last barrier.");
    fmt::format_to(out, "weir_last_batch_seconds{{{}}} ", labels);
    append_fixed(s, c.last_batch_seconds, 6);
    s += '\n';
    head("elapsed_seconds", "gauge", "Seconds since the run started.");
    fmt::format_to(out, "weir_elapsed_seconds{{{}}} ", labels);
    append_fixed(s, seconds_between(start_, now), 3);
    s += '\n';
    if (breakdown_) {
        Breakdown b = breakdown_();
        if (!b.what.empty()) {
            std::string name = b.what + "_total";
            head(name, "counter", b.help);
            for (const auto& [key, n] : b.counts) {
                fmt::format_to(out, "weir_{}{{{},{}=", name, labels, b.label);
                append_label_value(s, key);
                fmt::format_to(out, "}} {}\n", n);
            }
        }
    }
    metric("finished", "gauge", "1 once the run has ended.", final ? 1 : 0);
}

} // namespace weir
