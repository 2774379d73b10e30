#pragma once

// weir-enrich's operator: lookup joins against reference tables (stream-processing-
// patterns "Stream Enrichment"). For each table in turn, the record's key fields are
// encoded (enrich/key.hpp) and looked up; the matched row's columns are spliced into the
// record (json/splice.hpp), every other byte staying as it was.
//
// No match (no row, or a key field missing or null): a left join (default) adds the
// columns as null, or nothing with `absent`; an inner join sends the record, unchanged,
// to the unmatched file (channel "unmatched") and not to the output. With several
// tables an inner join needs a match in every one.
//
// Tables change under a running stream (enrich/refresher.hpp): versions are swapped
// between records, never within one. The operator keeps no state of its own; a
// checkpointed run truncates the output, unmatched and dead-letter files on recovery.

#include "enrich/refresher.hpp"
#include "json/document.hpp"
#include "json/field_resolver.hpp"
#include "json/splice.hpp"
#include "run/operator.hpp"

#include <memory>
#include <string>
#include <vector>

namespace weir {

class OutputFile;

struct EnrichJoin {
    std::vector<FieldPath> stream_keys; // --on a,b=...
};

struct EnrichConfig {
    std::vector<EnrichJoin> joins; // one per table, in table order
    bool inner = false;
    bool absent = false;
    bool loose_keys = false;
    bool has_unmatched = false; // --unmatched was given (the file arrives later)
};

class EnrichOp final : public Operator {
public:
    // `tables` holds the tables in the order of cfg.joins.
    EnrichOp(EnrichConfig cfg, std::unique_ptr<TableRefresher> tables);

    std::string_view name() const override { return "enrich"; }

    std::uint32_t state_version() const override { return 1; }

    void set_unmatched(OutputFile* f) { unmatched_ = f; }

    Flow process(const Record& in, Context& ctx) override;
    void finish(Context& ctx) override;
    Breakdown breakdown() const override;

private:
    void report_messages(Context& ctx);
    void index_fields(); // keys and the tables' column names, for one walk per record

    EnrichConfig cfg_;
    std::unique_ptr<TableRefresher> tables_;
    OutputFile* unmatched_ = nullptr;
    FieldResolver fields_;
    std::vector<std::vector<std::size_t>> key_slots_;    // per join: slots in fields_
    std::vector<std::vector<std::size_t>> column_slots_; // per join and column
    std::vector<FieldValue> parts_;
    std::vector<std::string> keys_;     // per join: the record's encoded key
    std::vector<std::uint64_t> hashes_; // per join: its hash
    std::vector<std::uint8_t> keyed_;   // per join: the record has a usable key
    std::vector<std::int64_t> rows_;    // per join: the matched row, or -1
    std::vector<std::uint64_t> matched_, unmatched_counts_;
    std::uint64_t dropped_ = 0; // inner-join misses without an unmatched file
    JsonDoc doc_;
    Splicer splicer_;
};

} // namespace weir
