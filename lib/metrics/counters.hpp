#pragma once

// The counters of one run: what came in, what left, what was rejected and why, and the
// gauges the metrics file reports (epoch, watermark, state size, batch timing).
//
// RunCounters is plain integers on purpose. The run loop owns it and is the only
// thread that touches it: it bumps the counts on the hot path, and it also takes the
// metrics snapshot (MetricsWriter::maybe_write) and draws the progress line, so no
// atomics are needed. Counting a record is one add; counting a reject is one add into a
// fixed 2-D array indexed by channel and reason.
//
// Key invariant: nothing leaves a tool unaccounted (DESIGN.md, "Latency and
// accounting"). Every record that enters is written out, rejected into a channel,
// absorbed into state, or still held; every record written either came in or was
// made by the operator. As one equation, true at any instant between two records:
//
//     records_in + records_generated
//         = records_out + rejects (all channels) + records_consumed + records_held
//
// with the terms chosen per tool:
//
//   pass-through tools (ingest, validate, dedup, enrich): in = out + rejects; a tool
//       that buffers records to emit them later as themselves (a merge or reorder
//       buffer) reports them as held while buffered.
//   aggregating tools (window, sessionize): each input absorbed into an aggregate is
//       consumed at once; each aggregate written is generated. So
//       in + generated = out + consumed + rejects, with late rows a reject channel.
//   expanding tools (fanout writing one record to k outputs, cdc writing a pre-image
//       and a post-image for one update): the extra k - 1 copies are generated.
//
// records_out counts every record written to any output port, whatever its kind; the
// loop counts it, operators report consumed/generated/held. accounting.hpp turns the
// equation into the final line on stderr and flags it when it does not balance.

#include "cli/reason.hpp"
#include "time/timestamp.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weir {

// Where a rejected record went. The names are stable: they appear in the accounting
// line, the JSON metrics and the Prometheus labels.
enum class Channel : std::uint8_t {
    dead_letter, // could not be processed (--dlq FILE)
    quarantine,  // failed validation rules (weir-validate)
    late,        // its window or session was already final (--late FILE)
    duplicate,   // a repeated key (weir-dedup)
    unmatched,   // no row in the lookup table under an inner join (weir-enrich)
    filtered,    // dropped on purpose by a predicate (e.g. no fanout route matched)
    count_       // number of channels; not a channel
};

inline constexpr std::size_t channel_count = static_cast<std::size_t>(Channel::count_);

constexpr std::string_view channel_name(Channel c) {
    switch (c) {
    case Channel::dead_letter:
        return "dead_letter";
    case Channel::quarantine:
        return "quarantine";
    case Channel::late:
        return "late";
    case Channel::duplicate:
        return "duplicate";
    case Channel::unmatched:
        return "unmatched";
    case Channel::filtered:
        return "filtered";
    case Channel::count_:
        break;
    }
    return "unknown";
}

// Rejects with no weir::Reason (a late row, a duplicate) are counted in one extra
// column after the reasons. It is reported under this name when a breakdown is shown.
inline constexpr std::string_view no_reason_name = "none";

// Column index into RunCounters::rejects for a reason; reason_count is "no reason".
constexpr std::size_t reason_column(Reason r) {
    return static_cast<std::size_t>(r);
}

inline constexpr std::size_t no_reason_column = reason_count;

// Name of a column of RunCounters::rejects: a reason name, or no_reason_name.
constexpr std::string_view reason_column_name(std::size_t column) {
    return column < reason_count ? reason_name(static_cast<Reason>(column)) : no_reason_name;
}

struct RunCounters {
    // Flow; see the equation above.
    std::uint64_t records_in = 0;        // records read (including those rejected)
    std::uint64_t records_out = 0;       // records written, to any output port
    std::uint64_t records_consumed = 0;  // inputs absorbed into aggregates, never written
    std::uint64_t records_generated = 0; // records written that are not inputs
    std::uint64_t records_held = 0;      // gauge: inputs buffered, to be written later
    std::uint64_t bytes_in = 0;          // input bytes read
    std::uint64_t bytes_out = 0;         // bytes written to the main output

    // rejects[channel][column]: column is reason_column(r), or no_reason_column.
    std::array<std::array<std::uint64_t, reason_count + 1>, channel_count> rejects{};

    // Gauges and progress of the checkpoint protocol.
    std::uint64_t epoch = 0;            // last committed epoch (0: none yet)
    Timestamp watermark = no_timestamp; // current watermark, or no_timestamp
    std::uint64_t state_keys = 0;       // keys (windows, sessions, dedup keys) in state
    std::uint64_t state_bytes = 0;      // approximate bytes of state
    std::uint64_t batches = 0;          // barriers handled
    std::uint64_t last_barrier = 0;     // epoch of the last barrier seen (0: none)
    double last_batch_seconds = 0;      // duration of the last barrier (flush + snapshot)

    void reject(Channel c, Reason r, std::uint64_t n = 1) {
        rejects[static_cast<std::size_t>(c)][reason_column(r)] += n;
    }

    void reject(Channel c, std::uint64_t n = 1) {
        rejects[static_cast<std::size_t>(c)][no_reason_column] += n;
    }

    std::uint64_t rejected(Channel c, Reason r) const {
        return rejects[static_cast<std::size_t>(c)][reason_column(r)];
    }

    // All rejects of one channel, with or without a reason.
    std::uint64_t rejected(Channel c) const {
        std::uint64_t n = 0;
        for (std::uint64_t v : rejects[static_cast<std::size_t>(c)])
            n += v;
        return n;
    }

    // All rejects of all channels.
    std::uint64_t rejected() const {
        std::uint64_t n = 0;
        for (std::size_t c = 0; c < channel_count; ++c)
            n += rejected(static_cast<Channel>(c));
        return n;
    }
};

} // namespace weir
