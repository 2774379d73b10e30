#pragma once

// weir-ingest's input: many sources (files, globs, directories, stdin, FIFOs, followed
// files; gzip and zstd by magic) read as one stream, resumable from checkpointed offsets.
//
// Union order. By default sources are merged by event time: every source holds its next
// record ("head"), and the earliest head goes first, so one file's early events are not
// made late by another file that reached further. Each source is assumed roughly in
// time order; a record without a usable time takes the time of the record before it in
// its source, so it keeps its place there. --concat reads sources one after another.
// With --follow, sources never end and a source with nothing new does not hold the
// others back: the earliest of the heads that are ready goes first.
//
// Epochs. The reader numbers epochs. In frames mode it ends one every
// --checkpoint-every records or seconds, and at the end of input, by returning a barrier
// after the epoch's last record; the run loop then writes the snapshot, whose source
// state is this reader's resume point: per file its identity (device, inode and a
// fingerprint of its first bytes, so a replaced or rotated file is not confused with its
// predecessor), the offset and line after the last record handed out, and whether it was
// read to its end. Watermark events carry the minimum over still-active sources of each
// source's maximum event time (a finished source stops holding it back).

#include "ingest/pacer.hpp"
#include "io/byte_source.hpp"
#include "io/file_identity.hpp"
#include "json/field_path.hpp"
#include "time/time_unit.hpp"
#include "wire/detect.hpp"
#include "wire/reader.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weir {

class Reporter;

struct IngestOptions {
    std::vector<std::string> inputs;                         // files, globs, directories, "-"
    std::vector<std::pair<std::string, std::string>> labels; // NAME, GLOB (first match wins)
    InputFormat format = InputFormat::auto_;
    std::size_t max_record = 16 << 20;
    std::optional<FieldPath> time_field; // nullopt: no event-time merge
    TimeUnit time_unit = TimeUnit::auto_;
    bool concat = false;
    bool follow = false;
    bool skip_missing = false;
    bool from_latest = false; // sources without a checkpoint start at their end
    std::chrono::milliseconds poll_interval{200};

    bool barriers = false;                      // frames out: send barriers and watermarks
    std::uint64_t first_epoch = 1;              // number of the first epoch this run ends
    std::uint64_t checkpoint_every_records = 0; // 0: only at end of input
    Duration checkpoint_every_time{0};          // 0: no time-based barriers
    std::uint64_t watermark_every = 1024;       // records between watermark events

    double max_rate = 0;     // records per second; 0: unlimited
    double replay_speed = 0; // 0: as fast as possible
};

class IngestReader final : public RecordReader {
public:
    // Nothing is opened before the first next() (restore() may come first). Missing
    // sources throw Error(Exit::no_input) then, naming them, unless skip_missing.
    IngestReader(IngestOptions opts, Reporter& reporter);
    ~IngestReader() override;

    InputKind next(InputEvent& ev) override;

    const SourceTable& sources() const override { return sources_; }

    std::uint64_t bytes_read() const override;

    std::uint64_t bytes_total() const override { return bytes_total_; }

    bool parsed_root(simdjson::dom::element& out) const override;

    bool checkpointed() const override { return true; }

    void snapshot(StateWriter& w) const override;
    void restore(StateReader& r) override;

    std::uint64_t epoch() const { return epoch_; }

private:
    struct Cursor;
    struct Saved;

    void open_all();
    void add_source(const std::string& path);
    void open_cursor(Cursor& c);
    bool fill_head(Cursor& c, bool may_block);
    Cursor* pick();
    InputKind finish_event(Cursor& c, InputEvent& ev);
    void extract_time(Cursor& c, Record& r);
    Timestamp watermark() const;
    bool control(InputEvent& ev); // a control event (watermark, barrier, end) if due
    void rescan();
    std::string label_for(const std::string& path) const;

    IngestOptions opts_;
    Reporter& reporter_;
    SourceTable sources_;
    std::vector<std::unique_ptr<Cursor>> cursors_;
    std::vector<Saved> saved_; // restored resume points, matched when sources open
    bool opened_ = false;
    bool needs_time_ = false;
    std::size_t buffer_size_ = std::size_t{1} << 20; // per source
    std::uint64_t bytes_total_ = 0;

    std::uint64_t epoch_ = 1;
    std::uint64_t since_barrier_ = 0;
    std::uint64_t since_watermark_ = 0;
    std::chrono::steady_clock::time_point epoch_started_{};
    Timestamp last_watermark_ = no_timestamp;
    bool barrier_due_ = false;
    bool watermark_due_ = false;
    bool ending_ = false; // input done or stop requested: final barrier, then end
    bool ended_ = false;
    bool idled_ = false;
    std::chrono::steady_clock::time_point last_rescan_{};

    Cursor* pending_ = nullptr;
    Cursor* last_ = nullptr; // cursor of the last record handed out (its DOM is current) // cursor
                             // whose head is released next (after pacing)
    std::optional<RateLimiter> limiter_;
    std::optional<ReplayPacer> pacer_;
};

} // namespace weir
