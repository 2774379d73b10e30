#pragma once

// The one read-process-write loop of weir. Every tool runs its operator through it, so
// every tool gets the same behaviour for what is not its own logic:
// - rejects: a record the reader or the operator cannot process goes to the
//   dead-letter file with its position and reason, is counted, and is reported on
//   stderr (rate limited); --strict makes the first one fatal (exit 65);
// - latency: outputs are flushed whenever the input has nothing ready;
// - checkpoints: at each barrier (frames) and at the end of input, outputs are flushed
//   and fsynced, the operator's and the source's state and every output's length are
//   written as the stage's snapshot for that epoch, then the barrier is forwarded;
// - metrics, progress and accounting: records in = out + rejects, per channel.
//
// The loop owns no files: the tool opens them and hands them over.

#include "checkpoint/stage.hpp"
#include "cli/exit.hpp"
#include "cli/reporter.hpp"
#include "json/document.hpp"
#include "json/field_path.hpp"
#include "metrics/counters.hpp"
#include "run/dead_letter.hpp"
#include "run/operator.hpp"
#include "time/time_unit.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace weir {

class OutputFile;
class MetricsWriter;
class ProgressLine;

struct RunSettings {
    bool strict = false;
    // Read the event time of records that do not carry one (NDJSON, CSV) from this field.
    std::optional<FieldPath> time_field;
    TimeUnit time_unit = TimeUnit::auto_;
    // Frames carry the event time upstream read from the default field; with an explicit
    // --time the loop reads the field itself.
    bool trust_carried_time = true;
};

// What a checkpointed run needs besides the store: the constant part of every snapshot
// and the epoch that the end of input commits when no barrier numbers it.
struct CheckpointPlan {
    StageCheckpoint* store = nullptr;
    Snapshot base;                // tool, op name, state version, meaning flags
    std::uint64_t next_epoch = 1; // committed epoch restored + 1
};

class RunLoop final : private Context {
public:
    RunLoop(RunSettings settings, RecordReader& in, Operator& op, RecordWriter& out,
            Reporter& reporter, RunCounters& counters);

    void set_dead_letters(DeadLetterWriter* dlq) { dlq_ = dlq; }

    void set_dlq_path(std::string path) { dlq_path_ = std::move(path); }

    // Files whose lengths are recorded in snapshots (key: path, "-" for stdout).
    void add_checkpointed_output(std::string key, OutputFile* file);

    // Files to flush when the input is idle (all outputs, checkpointed or not).
    void add_output(OutputFile* file) { flushed_.push_back(file); }

    void set_checkpoint(CheckpointPlan plan) { ck_ = std::move(plan); }

    // The main output is a pipe (or another stream a next stage reads as it is
    // written): barriers and the end frame then go out only after the snapshot of their
    // epoch is durable, never before.
    void set_forward_after_commit(bool on) { forward_after_commit_ = on; }

    void set_metrics(MetricsWriter* m) { metrics_ = m; }

    void set_progress(ProgressLine* p) { progress_ = p; }

    // Runs to the end of input or a clean stop. Returns Exit::ok, or sigint/sigterm
    // after a clean stop. Throws Error for fatal conditions (strict rejects: 65).
    Exit run();

private:
    // Context
    void emit(const Record& r, std::size_t port) override;
    void reject(Reason why, std::string_view detail) override;

    void divert(Channel c) override { counters_.reject(c); }

    void warn(std::string_view message) override { reporter_.warning(message); }

    void consumed() override { ++counters_.records_consumed; }

    void generated(std::uint64_t n) override { counters_.records_generated += n; }

    void delivered(std::uint64_t n) override { counters_.records_out += n; }

    void state_size(std::uint64_t keys, std::uint64_t bytes) override {
        counters_.state_keys = keys;
        counters_.state_bytes = bytes;
    }

    void report_watermark(Timestamp wm) override { counters_.watermark = wm; }

    Position position() const override;

    std::string_view time_problem() const override { return time_problem_; }

    const RunCounters& counters() const override { return counters_; }

    const SourceTable& sources() const override { return in_.sources(); }

    bool parsed_root(simdjson::dom::element& out) const override { return in_.parsed_root(out); }

    void extract_event_time(Record& r);
    void reject_input(const InputEvent& ev);
    void flush_outputs();
    void commit(std::uint64_t epoch);
    void tick(); // metrics and progress, when their intervals are due

    RunSettings settings_;
    RecordReader& in_;
    Operator& op_;
    RecordWriter& out_;
    Reporter& reporter_;
    RunCounters& counters_;

    DeadLetterWriter* dlq_ = nullptr;
    std::string dlq_path_;
    std::vector<std::pair<std::string, OutputFile*>> checkpointed_;
    std::vector<OutputFile*> flushed_;
    CheckpointPlan ck_;
    MetricsWriter* metrics_ = nullptr;
    ProgressLine* progress_ = nullptr;

    const Record* current_ = nullptr; // record being processed, for position()/reject()
    std::string time_problem_;
    JsonDoc doc_; // parses records whose reader did not (frames) when --time is explicit
    bool warned_stall_ = false;
    bool finished_ = false;
    bool forward_after_commit_ = false;
    std::uint64_t since_tick_ = 0;
};

} // namespace weir
