#pragma once

// weir-dedup's operator: drops records whose key was seen before (stream-processing-
// patterns "Deduplication"), in one of two modes.
//
// Bounded (--within DURATION, the default mode) follows Spark's
// dropDuplicatesWithinWatermark, per record as DESIGN.md "Time" says:
//   1. a record whose event time t is behind the watermark (t < watermark, the
//      WatermarkTracker rule: an event AT the watermark is on time) is late: it goes
//      to the late file (channel "late"), before any key is looked at, since its key
//      may already have expired;
//   2. the first occurrence of a key opens its horizon [t, t + within) and passes on;
//      any later occurrence while the horizon is open is a duplicate;
//   3. the watermark advances to max(event time) - --watermark, and every horizon it
//      reaches (t + within <= watermark) closes: the key is forgotten, so a later
//      occurrence passes again as a first one.
//   With --keep last, the first occurrence is held instead of passed on, each later
//   one replaces it (the replaced one is the duplicate), and the held record is
//   written when the horizon closes, or at the end of input.
//
// Global (--global) remembers every key forever, as 128-bit fingerprints
// (dedup/fingerprint_set.hpp) or, with --exact, as bytes (dedup/exact_key_set.hpp).
// It needs no event time.
//
// A record whose key field is missing or null has no key: dead-lettered (bad_field), or
// passed on untouched with `missing_pass`. A key field holding an object or an array is
// dead-lettered. Passed records are the exact input bytes; duplicates and late records
// go to their side files in the dead-letter layout (run/dead_letter.hpp), with
// "key" and "kept_event_time" added to duplicates.
//
// Accounting with --keep last: a held record is "consumed" (absorbed into state), and
// written later as "generated", so records in + generated = out + consumed + rejects
// holds at every instant. The record a later occurrence replaces is its duplicate.
//
// Hot path: the key fields and the time field are read in one walk (FieldResolver),
// the key is encoded into a reused buffer, and nothing is allocated per record once the
// state has grown.

#include "dedup/exact_key_set.hpp"
#include "dedup/fingerprint_set.hpp"
#include "dedup/horizon_keys.hpp"
#include "json/document.hpp"
#include "json/field_resolver.hpp"
#include "run/operator.hpp"
#include "run/record_time.hpp"
#include "time/time_unit.hpp"
#include "time/watermark.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weir {

class OutputFile;

struct DedupConfig {
    std::string key;            // --key as given: "user_id,device.os" or "*"
    bool global = false;        // --global
    Duration within{};          // --within (bounded mode; > 0)
    Duration watermark_delay{}; // --watermark
    std::string time_field = "event_time";
    bool time_given = false; // --time given: read it even when frames carry a time
    TimeUnit time_unit = TimeUnit::auto_;
    bool exact = false;              // --exact
    bool keep_last = false;          // --keep last
    bool missing_pass = false;       // --missing-key pass
    std::uint64_t max_state = 0;     // --max-state; 0: no limit
    std::string tool = "weir-dedup"; // names the tool in side records
};

class DedupOp final : public Operator {
public:
    // Checks the combination of flags: throws Error(Exit::usage, ...).
    explicit DedupOp(DedupConfig cfg);

    std::string_view name() const override { return "dedup"; }

    std::uint32_t state_version() const override { return 1; }

    std::vector<std::pair<std::string, std::string>> meaning_flags() const override;

    // Side files, set once they are open (before the first record); null: not kept.
    void set_duplicates(OutputFile* f) { duplicates_ = f; }

    void set_late(OutputFile* f) { late_ = f; }

    Flow process(const Record& in, Context& ctx) override;
    void on_tick(std::chrono::steady_clock::time_point now, Context& ctx) override;
    void finish(Context& ctx) override;
    void snapshot(StateWriter& w) const override;
    void restore(StateReader& r) override;
    Breakdown breakdown() const override;

    // Keys held and approximate bytes of state.
    std::size_t state_keys() const;
    std::uint64_t state_bytes() const;

private:
    // Fills key_ from the resolved fields; false when the record was dealt with
    // (no key: rejected or passed on).
    bool read_key(const Record& in, Context& ctx);
    void process_bounded(const Record& in, Context& ctx, Timestamp t);
    void process_global(const Record& in, Context& ctx);
    void write_duplicate(const Record& dropped, const Position& where, Timestamp kept_time,
                         Context& ctx);
    void write_late(const Record& in, Timestamp t, Context& ctx);
    void check_state_size();
    void emit_held(const HorizonEntry& e, Context& ctx);
    void report_state(Context& ctx) const;

    DedupConfig cfg_;
    bool whole_record_ = false; // --key '*'
    std::vector<FieldPath> key_paths_;
    std::vector<std::size_t> key_slots_;
    FieldResolver fields_;
    std::optional<RecordTime> time_; // bounded mode: the time, read in the same walk
    std::vector<FieldValue> parts_;
    JsonDoc doc_;
    std::string key_;    // the record's encoded key
    std::string line_;   // side-record buffer
    std::string detail_; // late-record detail buffer

    WatermarkTracker watermark_;
    std::optional<HorizonKeys> horizon_;
    std::optional<FingerprintSet> set_;
    std::optional<ExactKeySet> exact_set_;

    OutputFile* duplicates_ = nullptr;
    OutputFile* late_ = nullptr;
    std::uint64_t duplicates_count_ = 0;
    std::uint64_t late_count_ = 0;
    std::uint64_t late_dropped_ = 0; // late records without a --late file
    std::uint64_t missing_passed_ = 0;
};

} // namespace weir
