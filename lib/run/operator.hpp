#pragma once

// The contract between the run loop and each tool's logic (STYLE.md section 3).
// The loop owns reading, writing, barriers, flushing, checkpoints and error policy. An
// operator only transforms records and holds state. Everything it must remember across
// a restart lives in its State and is written by snapshot() and read by restore().
//
// Operators never see barriers: when barrier n arrives the loop flushes and fsyncs the
// outputs, calls snapshot() into the epoch-n file with the output lengths, then
// forwards the barrier. Every tool thereby gets the same exactly-once behaviour.

#include "cli/position.hpp"
#include "cli/reason.hpp"
#include "metrics/breakdown.hpp"
#include "metrics/counters.hpp"
#include "state/state_io.hpp"
#include "wire/record.hpp"
#include "wire/source_table.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace simdjson::dom {
class element;
}

namespace weir {

enum class Flow { more, stop }; // stop: no more input wanted

class Context {
public:
    virtual ~Context() = default;

    // Writes a record to output `port` (0: the main output; >0 for fanout, cdc). The
    // record's bytes are copied before emit returns.
    virtual void emit(const Record& r, std::size_t port = 0) = 0;

    // Rejects the record being processed: dead-letter file + count; --strict makes it
    // fatal. `detail` is WHAT only ("field 'event_time': missing"); the loop adds the
    // program name and the position.
    virtual void reject(Reason why, std::string_view detail) = 0;

    // The record being processed left through a reject channel the operator writes
    // itself (weir-validate's quarantine file, a --late file): counted there, so the
    // accounting equation (metrics/counters.hpp) still balances.
    virtual void divert(Channel c) = 0;

    // Flow accounting of aggregating operators (metrics/counters.hpp): the record being
    // processed was absorbed into state; `n` records emitted (or written to a side file)
    // were made by the operator rather than passed on.
    virtual void consumed() {}

    virtual void generated(std::uint64_t /*n*/) {}

    // `n` copies of the record being processed went to outputs the operator writes itself
    // (weir-fanout's destinations): counted as records out, like emit().
    virtual void delivered(std::uint64_t /*n*/) {}

    // The operator's state size for the metrics: keys (windows x groups, sessions, dedup
    // keys) and approximate bytes. Called when it changes noticeably, not per record.
    virtual void state_size(std::uint64_t /*keys*/, std::uint64_t /*bytes*/) {}

    // The operator's own event-time watermark (time/watermark.hpp), for the metrics.
    virtual void report_watermark(Timestamp /*wm*/) {}

    // A warning for the user ("PROGRAM: warning: ..."), silenced by --quiet: for what an
    // operator notices once, typically at finish(), never per record.
    virtual void warn(std::string_view message) = 0;

    // Position of the record being processed.
    virtual Position position() const = 0;

    // Why the record being processed has no event time (record.event_time is
    // no_timestamp): "field 'event_time': missing". Empty when it has one.
    virtual std::string_view time_problem() const { return {}; }

    // The loop's counters so far (records, barriers seen, watermark): read-only, for
    // operators that report on the stream itself (weir cat --stats).
    virtual const RunCounters& counters() const = 0;

    // Names of the sources that records' `source` ids refer to.
    virtual const SourceTable& sources() const = 0;

    // The parsed DOM of the record being processed, when its reader parsed it (NDJSON,
    // CSV): lets an operator read fields without parsing again. Valid during process().
    virtual bool parsed_root(simdjson::dom::element& /*out*/) const { return false; }
};

class Operator {
public:
    virtual ~Operator() = default;

    virtual std::string_view name() const = 0;       // "window"; stored in snapshots
    virtual std::uint32_t state_version() const = 0; // bump when State's encoding changes

    // Flags that change the meaning of the state ("--key", "user_id"). A snapshot
    // written with other values is refused on restore, naming the flag (exit 2).
    virtual std::vector<std::pair<std::string, std::string>> meaning_flags() const { return {}; }

    virtual Flow process(const Record& in, Context& ctx) = 0;

    // True: process() also gets well-formed JSON values that are not objects (`[1,2]`,
    // `"x"`), which otherwise go to the dead-letter file as not_object.
    virtual bool takes_non_objects() const { return false; }

    virtual void on_watermark(Timestamp /*wm*/, Context& /*ctx*/) {} // close what wm passed

    virtual void finish(Context& /*ctx*/) {} // end of input

    // Processing time passes: called every few thousand records, whenever the input is
    // idle and after each barrier, for what is due by the clock (--emit-every).
    virtual void on_tick(std::chrono::steady_clock::time_point /*now*/, Context& /*ctx*/) {}

    virtual void snapshot(StateWriter& /*w*/) const {} // every field of State, in order

    virtual void restore(StateReader& /*r*/) {} // before the first record

    // Files the operator writes itself, beyond the loop's outputs (weir-fanout's
    // destinations). flush_files(): whenever the loop flushes its outputs (input idle,
    // barrier, end). sync_files(): at each checkpoint, before snapshot(): flush and fsync
    // them, so the lengths snapshot() records are durable (the loop does the same for its
    // own outputs). Both may throw Error(Exit::io).
    virtual void flush_files() {}

    virtual void sync_files() {}

    // Counts by name the operator keeps (weir-validate: failures per rule), for the
    // metrics file and the summary at exit. Called at metrics intervals and once at
    // the end, never per record. Empty `what`: nothing to report.
    virtual Breakdown breakdown() const { return {}; }
};

} // namespace weir
