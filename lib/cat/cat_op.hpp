#pragma once

// weir-cat's operators: the pass-through that converts between wires (records leave as
// their exact input bytes; only the framing changes), the pretty printer for people,
// and the stream statistics of --stats.

#include "json/document.hpp"
#include "run/operator.hpp"
#include "wire/source_table.hpp"

#include <map>
#include <string>

namespace weir {

// Passes every record through unchanged.
class CatOp final : public Operator {
public:
    std::string_view name() const override { return "cat"; }

    std::uint32_t state_version() const override { return 1; }

    Flow process(const Record& in, Context& ctx) override {
        ctx.emit(in);
        return Flow::more;
    }
};

// Re-indents each record for reading (two spaces per level; key order kept). The
// output is JSON but no longer one record per line.
class PrettyOp final : public Operator {
public:
    std::string_view name() const override { return "cat-pretty"; }

    std::uint32_t state_version() const override { return 1; }

    Flow process(const Record& in, Context& ctx) override;

private:
    JsonDoc doc_;
    std::string out_;
};

// Appends `e` as indented JSON (no trailing newline).
void append_pretty_json(std::string& out, simdjson::dom::element e, int depth = 0);

// Counts what flows by and emits one summary record at the end:
// {"records":N,"invalid":N,"bytes":N,"first_event_time":...,"last_event_time":...,
//  "min_event_time":...,"max_event_time":...,"span_seconds":S,"barriers":N,
//  "last_epoch":E,"watermark":...,"sources":{"name":N,...}}
class StatsOp final : public Operator {
public:
    std::string_view name() const override { return "cat-stats"; }

    std::uint32_t state_version() const override { return 1; }

    Flow process(const Record& in, Context& ctx) override;
    void finish(Context& ctx) override;

private:
    std::uint64_t records_ = 0;
    std::uint64_t bytes_ = 0;
    Timestamp first_ = no_timestamp, last_ = no_timestamp;
    Timestamp min_ = no_timestamp, max_ = no_timestamp;
    std::uint64_t without_time_ = 0;
    std::vector<std::uint64_t> per_source_;
    std::string out_;
};

} // namespace weir
