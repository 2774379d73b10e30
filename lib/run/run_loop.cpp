#include "run/run_loop.hpp"

#include "cli/error.hpp"
#include "io/output_file.hpp"
#include "json/document.hpp"
#include "metrics/metrics_writer.hpp"
#include "metrics/progress.hpp"
#include "run/stop_signal.hpp"
#include "time/event_time.hpp"

#include <simdjson.h>

#include <csignal>

namespace weir {

namespace {

// How often (in records) the loop looks at the clock for metrics and progress.
constexpr std::uint64_t tick_every = 4096;

} // namespace

RunLoop::RunLoop(RunSettings settings, RecordReader& in, Operator& op, RecordWriter& out,
                 Reporter& reporter, RunCounters& counters)
    : settings_(std::move(settings))
    , in_(in)
    , op_(op)
    , out_(out)
    , reporter_(reporter)
    , counters_(counters) {}

void RunLoop::add_checkpointed_output(std::string key, OutputFile* file) {
    checkpointed_.emplace_back(std::move(key), file);
    flushed_.push_back(file);
}

void RunLoop::emit(const Record& r, std::size_t /*port*/) {
    out_.write(r);
    ++counters_.records_out;
    counters_.bytes_out += r.json.size() + 1;
}

Position RunLoop::position() const {
    if (current_ == nullptr)
        return Position{};
    return Position{in_.sources().name(current_->source), current_->line, current_->offset};
}

void RunLoop::reject(Reason why, std::string_view detail) {
    counters_.reject(Channel::dead_letter, why);
    Position where = position();
    if (settings_.strict)
        throw Error(Exit::data, "{}: {}", fmt::to_string(where), detail);
    reporter_.record_problem(where, detail);
    if (dlq_ != nullptr)
        dlq_->write(why, detail, where, current_ ? current_->json : std::string_view());
}

void RunLoop::reject_input(const InputEvent& ev) {
    ++counters_.records_in;
    counters_.bytes_in += ev.record.json.size() + 1;
    current_ = &ev.record;
    reject(ev.reason, ev.detail);
    current_ = nullptr;
}

void RunLoop::extract_event_time(Record& r) {
    time_problem_.clear();
    simdjson::dom::element root;
    if (!in_.parsed_root(root)) {
        if (!doc_.parse(r.json)) {
            time_problem_ = fmt::format("record cannot be parsed: {}", doc_.detail());
            return;
        }
        root = doc_.root();
    }
    Timestamp t = no_timestamp;
    if (event_time_of_field(lookup(root, *settings_.time_field), settings_.time_field->text(),
                            settings_.time_unit, t, time_problem_))
        r.event_time = t;
}

void RunLoop::flush_outputs() {
    out_.flush();
    for (OutputFile* f : flushed_)
        f->flush();
    op_.flush_files();
}

void RunLoop::commit(std::uint64_t epoch) {
    auto started = std::chrono::steady_clock::now();
    flush_outputs();
    for (OutputFile* f : flushed_)
        f->sync();
    op_.sync_files();
    Snapshot s = ck_.base;
    s.epoch = epoch;
    for (const auto& [key, file] : checkpointed_)
        s.file_lengths.emplace_back(key, file->length());
    if (in_.checkpointed()) {
        StateWriter w;
        in_.snapshot(w);
        s.source_state = w.take();
    }
    StateWriter w;
    op_.snapshot(w);
    s.op_state = w.take();
    ck_.store->write(s);
    ck_.store->collect_garbage();
    ck_.next_epoch = epoch + 1;
    counters_.epoch = epoch;
    ++counters_.batches;
    counters_.last_batch_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    if (!warned_stall_) {
        for (const StalledStage& st : ck_.store->stalled()) {
            warned_stall_ = true;
            reporter_.warningf(
                "checkpoint '{}': stage '{}' holds no snapshot after epoch {} (newest is {}), "
                "so nothing newer commits and every run reprocesses; if it left the pipeline, "
                "run: weir checkpoint reset {} {}",
                ck_.store->dir(), st.stage, st.last_epoch, st.newest_epoch, ck_.store->dir(),
                st.stage);
        }
    }
}

void RunLoop::tick() {
    since_tick_ = 0;
    auto now = std::chrono::steady_clock::now();
    if (!finished_)
        op_.on_tick(now, *this);
    if (metrics_ != nullptr)
        metrics_->maybe_write(counters_, now);
    if (progress_ != nullptr)
        progress_->update(counters_.records_in, in_.bytes_read(), in_.bytes_total(), now);
}

Exit RunLoop::run() {
    InputEvent ev;
    bool stopped_early = false;
    bool saw_barrier = false;
    bool work_since_barrier = false;
    const bool takes_non_objects = op_.takes_non_objects();
    for (;;) {
        InputKind kind = in_.next(ev);
        // Well-formed JSON that is not an object is bad data for most operators, but a
        // validation gate judges it like any record (it fails rule not_an_object).
        if (kind == InputKind::invalid && ev.reason == Reason::not_object && takes_non_objects)
            kind = ev.kind = InputKind::record;
        if (kind == InputKind::record) {
            ++counters_.records_in;
            counters_.bytes_in += ev.record.json.size() + 1;
            work_since_barrier = true;
            if (!time_problem_.empty())
                time_problem_.clear();
            if (settings_.time_field &&
                (ev.record.event_time == no_timestamp || !settings_.trust_carried_time))
                extract_event_time(ev.record);
            current_ = &ev.record;
            Flow flow = op_.process(ev.record, *this);
            current_ = nullptr;
            if (++since_tick_ == tick_every) {
                tick();
                // A file that never goes idle must still hear a stop request.
                if (int sig = stop_requested(); sig != 0 && !saw_barrier && !in_.checkpointed()) {
                    flush_outputs();
                    return sig == SIGINT ? Exit::sigint : Exit::sigterm;
                }
            }
            if (flow == Flow::stop) {
                stopped_early = true;
                break;
            }
            continue;
        }
        switch (kind) {
        case InputKind::invalid:
            work_since_barrier = true;
            reject_input(ev);
            break;
        case InputKind::watermark:
            counters_.watermark = ev.watermark;
            op_.on_watermark(ev.watermark, *this);
            out_.watermark(ev.watermark);
            break;
        case InputKind::barrier:
            saw_barrier = true;
            work_since_barrier = false;
            counters_.last_barrier = ev.epoch;
            if (ck_.store != nullptr && forward_after_commit_) {
                // Into a pipe: downstream must not see barrier e before this stage's
                // snapshot of e is durable (docs/checkpoints.md, I2).
                commit(ev.epoch);
                out_.barrier(ev.epoch);
            } else {
                // Into a file: first, so that its committed length includes the barrier.
                out_.barrier(ev.epoch);
                if (ck_.store != nullptr)
                    commit(ev.epoch);
                else
                    ++counters_.batches;
            }
            flush_outputs();
            tick();
            if (int sig = stop_requested())
                return sig == SIGINT ? Exit::sigint : Exit::sigterm;
            break;
        case InputKind::idle:
            tick(); // first: what the clock made due goes out with this flush
            flush_outputs();
            break;
        case InputKind::end:
        case InputKind::record:
            break;
        }
        if (kind == InputKind::end)
            break;
        // Without barriers (NDJSON) an epoch only ends with the input: a stop request
        // abandons it, uncommitted, and the next run does it again.
        if (int sig = stop_requested(); sig != 0 && !saw_barrier && !in_.checkpointed()) {
            flush_outputs();
            return sig == SIGINT ? Exit::sigint : Exit::sigterm;
        }
    }

    finished_ = true; // nothing is emitted after finish(), or the end commit misses it
    op_.finish(*this);
    // The end of input ends an epoch, unless barriers already covered everything or the
    // upstream died mid-epoch (a frames stream without its end frame). Into a pipe the
    // end frame, like a barrier, follows the durable snapshot.
    bool commit_at_end = (work_since_barrier || !saw_barrier) && in_.ended_cleanly();
    bool commit_end = ck_.store != nullptr && commit_at_end && !stopped_early;
    if (commit_end && forward_after_commit_) {
        commit(ck_.next_epoch);
        commit_end = false;
    }
    out_.end();
    flush_outputs();
    if (commit_end)
        commit(ck_.next_epoch);
    tick();
    if (metrics_ != nullptr)
        metrics_->write_final(counters_);
    if (progress_ != nullptr)
        progress_->finish();
    if (int sig = stop_requested())
        return sig == SIGINT ? Exit::sigint : Exit::sigterm;
    return Exit::ok;
}

} // namespace weir
