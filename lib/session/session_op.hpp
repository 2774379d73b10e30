#pragma once

// weir-sessionize's operator: event-time sessions per key (stream-processing-patterns
// "Sessionization"), with the session rule of DESIGN.md "Time" and Spark's
// session_window (session/session_list.hpp holds the rule itself).
//
// - Gap: fixed (--gap), by a field's value (--gap-by FIELD VALUE=DURATION,..., --gap
//   for other values), or computed (--gap-expr EXPR, a duration; null or missing takes
//   --gap). As Spark's dynamic gap, each event covers [t, t + its own gap]. A gap that is
//   not a positive duration sends the record to the dead-letter file (Spark drops such
//   rows silently; weir never loses one silently).
// - Watermark: time/watermark.hpp, moved per record. A session is final, emitted and
//   forgotten once current() > end (its end is inclusive). An event is late when it
//   touches no open session of its key and the watermark has passed its own coverage
//   (current() > t + gap): it could only join or create a session already final. It
//   goes to the late file, counted, never into a session. An event behind the watermark
//   that still touches an open session joins it (possibly moving its start back).
// - End of input: every open session is final (unless keep_open), and stays so for a
//   later run on the same checkpoint: an event whose t + gap is at or before the latest
//   end emitted there, touching no open session, is late too.
// - Output order: within one watermark advance (and at end of input), by session end,
//   then start, then key (window/group_key.hpp order), so output is independent of read
//   sizes and restarts.
// - State: key -> SessionList (window/group_table.hpp indexes the keys) and a min-queue
//   of (end, session id, key) to find what the watermark closes. A session's queue
//   entry may hold an older, smaller end (sessions grow without touching the queue); it
//   is pushed again with the current end when it comes up too early, and entries of
//   merged-away sessions are skipped. Keys with no session are dropped in batches.
//
// Extension point for funnels/CEP (a later issue): a per-session matcher would live
// next to the aggregates in Session and be fed where process() adds the event's inputs,
// merged in session/session_list.cpp's join() as the aggregates are.

#include "json/document.hpp"
#include "json/field_resolver.hpp"
#include "run/operator.hpp"
#include "run/record_time.hpp"
#include "session/session_list.hpp"
#include "time/watermark.hpp"
#include "window/accumulator.hpp"
#include "window/aggregate_set.hpp"
#include "window/group_key.hpp"
#include "window/group_table.hpp"
#include "window/state_budget.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weir {

class OutputFile;

namespace expr {
class Expr;
}

// One `VALUE=DURATION` of --gap-by.
struct GapValue {
    std::string value;
    Duration gap{};
};

// Parses the VALUE=DURATION,... list of --gap-by. Throws Error(Exit::usage, "--gap-by
// ...") for a missing '=', a bad or non-positive duration, or a value given twice.
std::vector<GapValue> parse_gap_values(std::string_view text);

struct SessionizeConfig {
    std::vector<FieldPath> key; // may be empty: one session stream for all records
    Duration gap{};             // > 0; with --gap-expr, 0 means none (null is an error)
    std::optional<FieldPath> gap_by;
    std::vector<GapValue> gap_values; // for gap_by
    std::string gap_expr;             // empty: none
    Duration max_duration{};          // 0: no limit
    std::vector<AggSpec> aggs;
    std::uint64_t collect_max = Accumulator::default_collect_max;
    Duration watermark{};
    bool keep_open = false;
    bool missing_key_null = false; // --missing-key null: missing/null key fields are null
    std::uint64_t max_state = 0;   // bytes; 0: no limit
    std::string program = "weir-sessionize";
    // The event time: read in the same walk as the other fields, unless the record
    // carries one (frames) and --time was not given explicitly.
    FieldPath time_field = FieldPath::from("event_time");
    TimeUnit time_unit = TimeUnit::auto_;
    bool time_given = false;
};

class SessionizeOp final : public Operator {
public:
    // Checks the flag combinations (Error(Exit::usage)).
    explicit SessionizeOp(SessionizeConfig cfg);
    ~SessionizeOp() override;

    std::string_view name() const override { return "sessionize"; }

    std::uint32_t state_version() const override { return 1; }

    std::vector<std::pair<std::string, std::string>> meaning_flags() const override;

    void set_late(OutputFile* f) { late_ = f; }

    Flow process(const Record& in, Context& ctx) override;
    void on_tick(std::chrono::steady_clock::time_point now, Context& ctx) override;
    void finish(Context& ctx) override;
    void snapshot(StateWriter& w) const override;
    void restore(StateReader& r) override;
    Breakdown breakdown() const override;

    // Open (and sealed, not yet emitted) sessions: for tests and metrics.
    std::uint64_t open_sessions() const { return budget_.keys(); }

private:
    struct KeySessions {
        SessionList open;   // session/session_list.hpp's invariant
        SessionList sealed; // cut by --max-duration, waiting for the watermark
    };

    struct QueueEntry {
        Timestamp end;     // the session's end when pushed (<= its end now)
        std::uint64_t id;  // Session::id
        std::uint32_t key; // index in table_ / keys_state_
    };

    struct Closing {
        Session session;
        std::uint32_t key;
    };

    bool gap_of(simdjson::dom::element root, Duration& gap, Context& ctx);
    void write_late(const Record& in, Timestamp t, Context& ctx, Duration gap);
    std::uint32_t key_index();
    void push(Timestamp end, std::uint64_t id, std::uint32_t key);
    void advance(Timestamp t, Context& ctx);
    void close(Timestamp wm, bool all, Context& ctx);
    void emit(const Session& s, std::string_view key, Context& ctx);
    std::int64_t compact();
    void note_growth(std::int64_t bytes, std::int64_t sessions, Context& ctx);
    static std::int64_t session_bytes(const Session& s);

    SessionizeConfig cfg_;
    GroupKeys keys_;
    std::unique_ptr<expr::Expr> gap_expr_;
    FieldResolver fields_;
    std::vector<std::size_t> key_slots_;
    RecordTime time_;   // after fields_: registers its field there
    AggregateSet aggs_; // after fields_: registers its fields there
    std::size_t gap_slot_ = static_cast<std::size_t>(-1);

    WatermarkTracker tracker_;
    GroupTable table_;                    // key -> index (its aggs are unused)
    std::vector<KeySessions> keys_state_; // by table_ index
    std::vector<QueueEntry> queue_;       // min-heap by end
    std::uint64_t next_id_ = 0;
    Timestamp closed_through_ = no_timestamp; // sessions ending by then were emitted at an
                                              // end of input (not --keep-open)
    std::uint64_t idle_keys_ = 0;             // keys with no session, until compact()
    OutputFile* late_ = nullptr;

    // Per record scratch: no allocation once warm.
    JsonDoc doc_;
    std::vector<FieldValue> parts_;
    std::string key_;
    std::string out_;
    std::string line_;
    SessionList sealed_scratch_;
    std::vector<Closing> closing_;

    StateBudget budget_; // keys: the sessions held
    std::uint64_t late_rows_ = 0;
    std::uint64_t missing_key_ = 0;
    std::uint64_t bad_gap_ = 0;
    std::uint64_t bridged_ = 0; // sessions merged into another by a bridging event
    std::uint64_t split_ = 0;   // sessions sealed by --max-duration
    std::uint64_t emitted_ = 0;
};

} // namespace weir
