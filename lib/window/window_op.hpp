#pragma once

// weir-window's operator: event-time windowed aggregation (stream-processing-patterns
// "Streaming Aggregations") and running aggregates ("Running Aggregates"), with the
// time semantics of DESIGN.md:
//
// - Windows: time/window_assign.hpp (Spark's window(): [start, end), aligned to the
//   epoch + offset, sliding when slide < size).
// - Watermark: time/watermark.hpp, moved per record. A window is final, emitted and
//   forgotten once the watermark reaches its end. A record whose windows are all final
//   is late: written to the late file with the reason and counted, never aggregated.
//   With sliding windows a record may be late for some of its windows only: it is
//   aggregated into the open ones and also written to the late file (for the closed
//   ones), counted as a late row and as one generated record.
// - Output order: within one watermark advance, by window end, then start, then group
//   key (window/group_key.hpp), so output does not depend on read sizes or restarts.
// - Emit modes: final (each window once); update (at each advance of the watermark,
//   the groups that changed; and when a window closes, all its groups with
//   "final":true, so each (window, group) ends with exactly one final record);
//   emit_every (the changed groups of open windows every so often, by the clock).
// - Running mode: no windows; per group totals over all time, emitted after each
//   record (or by the clock with emit_every); with state_ttl, a group whose last event
//   is state_ttl behind the watermark is forgotten and starts again from nothing.
// - Merge mode (--merge): the input is this operator's own output (with --sketches):
//   counts are added, sums/min/max combined, and the other aggregates merged from the
//   state their records carry under "_sketches": a rollup gives what computing from raw
//   events gives (approx_distinct exactly, quantiles within the sketch's error, float
//   sums up to rounding). Provisional rows ("final":false) are skipped.
// - End of input (without keep_open) emits every open window; the checkpoint remembers
//   it, so rows a later run brings for those windows are late.
//
// Bad data never stops the stream: a record without event time, or with a non-number
// for a numeric aggregate, or (merge) with damaged sketches, goes to the dead-letter
// file, whole: no aggregate sees any part of it.

#include "expr/expr.hpp"
#include "json/document.hpp"
#include "json/field_resolver.hpp"
#include "run/operator.hpp"
#include "run/record_time.hpp"
#include "time/time_unit.hpp"
#include "time/watermark.hpp"
#include "window/accumulator.hpp"
#include "window/aggregate_set.hpp"
#include "window/group_key.hpp"
#include "window/group_table.hpp"
#include "window/state_budget.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weir {

class OutputFile;

enum class EmitMode : std::uint8_t { final, update };

struct WindowConfig {
    bool running = false; // no windows: running totals per group
    Duration size{};      // windowed: > 0
    Duration slide{};     // windowed: > 0; == size for tumbling windows
    Duration offset{};
    std::vector<FieldPath> by;
    std::string where; // empty: every record
    std::vector<AggSpec> aggs;
    std::uint64_t collect_max = Accumulator::default_collect_max;
    Duration watermark{};
    EmitMode emit = EmitMode::final;
    Duration emit_every{}; // 0: off
    bool keep_open = false;
    bool sketches = false;
    bool merge = false;
    Duration state_ttl{};        // running only; 0: keep groups forever
    std::uint64_t max_state = 0; // bytes; 0: no limit
    std::string program = "weir-window";
    // The event time: read from this field in the same walk as the other fields, unless
    // the record carries one (frames) and the field was not given explicitly.
    FieldPath time_field = FieldPath::from("event_time");
    TimeUnit time_unit = TimeUnit::auto_;
    bool time_given = false;
};

class WindowOp final : public Operator {
public:
    // Checks the flag combinations (Error(Exit::usage)).
    explicit WindowOp(WindowConfig cfg);
    ~WindowOp() override;

    std::string_view name() const override { return "window"; }

    std::uint32_t state_version() const override { return 1; }

    std::vector<std::pair<std::string, std::string>> meaning_flags() const override;

    void set_late(OutputFile* f) { late_ = f; }

    Flow process(const Record& in, Context& ctx) override;
    void on_tick(std::chrono::steady_clock::time_point now, Context& ctx) override;
    void finish(Context& ctx) override;
    void snapshot(StateWriter& w) const override;
    void restore(StateReader& r) override;
    Breakdown breakdown() const override;

private:
    struct Dirty {
        Timestamp start;     // window (running: 0)
        std::uint32_t group; // index in its table
    };

    bool read_inputs(simdjson::dom::element root, Timestamp t, Context& ctx);
    bool read_merge_inputs(Context& ctx);
    void add_to(Group& g, Timestamp t);
    Group& group_in(GroupTable& table);
    GroupTable& window_at(Timestamp start);
    void process_running(simdjson::dom::element root, Timestamp t, Context& ctx);
    void write_late(const Record& in, Timestamp t, Context& ctx, Timestamp first_start,
                    Timestamp last_end, int closed, bool partly);
    void count_dropped(const Group& g);

    // A window is closed once the watermark passes its end, or when an earlier run's end
    // of input emitted it.
    bool is_closed(Timestamp end) const { return tracker_.is_final(end) || end <= closed_through_; }

    void advance(Timestamp t, Context& ctx);
    void close_windows(Timestamp wm, Context& ctx);
    void emit_dirty(Context& ctx);
    enum class Finality : std::uint8_t { unmarked, open, final }; // the "final" member

    void emit_group(const Group& g, Timestamp start, Finality f, Context& ctx);
    void emit_running(const Group& g, Context& ctx);
    Group& aggregate_into(GroupTable& table, Timestamp t, Context& ctx);
    void note_growth(std::int64_t bytes, std::int64_t keys, Context& ctx);
    void expire_running(Context& ctx);
    static std::int64_t group_bytes(const Group& g);

    WindowConfig cfg_;
    GroupKeys keys_;
    std::optional<expr::Expr> where_;
    FieldResolver fields_;
    std::vector<std::size_t> key_slots_;
    RecordTime time_;                      // after fields_: registers its field there
    AggregateSet aggs_;                    // after fields_: registers its fields there
    std::vector<std::size_t> merge_slots_; // --merge: each aggregate's value or sketch
    std::size_t merge_final_slot_ = static_cast<std::size_t>(-1); // --merge: "final"

    WatermarkTracker tracker_;
    Timestamp closed_through_ = no_timestamp; // windows ending by then were emitted at an end
    std::map<Timestamp, GroupTable> windows_; // open windows by start
    GroupTable running_;
    std::vector<Dirty> dirty_;
    OutputFile* late_ = nullptr;

    // Per record scratch: no allocation once warm.
    JsonDoc doc_;
    std::vector<FieldValue> parts_;
    std::vector<Accumulator> merged_; // merge mode: the record's own aggregates
    std::string key_;
    std::uint64_t hash_ = 0;
    std::string out_;
    std::string line_;
    Timestamp cached_start_ = no_timestamp;
    GroupTable* cached_window_ = nullptr;

    std::chrono::steady_clock::time_point next_emit_{};
    Timestamp next_sweep_ = no_timestamp;

    StateBudget budget_;
    std::uint64_t late_rows_ = 0;
    std::uint64_t partly_late_rows_ = 0;
    std::uint64_t outside_rows_ = 0; // in a gap between windows (slide > size)
    std::uint64_t filtered_rows_ = 0;
    std::uint64_t provisional_rows_ = 0;
    std::vector<std::uint64_t> collect_dropped_; // per aggregate
    std::uint64_t expired_keys_ = 0;
};

} // namespace weir
