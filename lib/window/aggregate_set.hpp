#pragma once

// The --agg list of an aggregating operator (weir-window, weir-sessionize): the specs,
// a reader for each, the slots of their fields in the operator's own FieldResolver (one
// walk per record reads every field), and a fresh accumulator of each to copy for a
// new group or session. Reading, adding and writing the aggregates of a record happen
// here, once for every tool, with the same rules and messages:
// - a non-number for a numeric aggregate rejects the whole record (bad_field) before
//   any aggregate has seen it, counted per aggregate (bad_input:NAME in the metrics);
// - output members are "NAME":value in --agg order.

#include "json/field_resolver.hpp"
#include "run/operator.hpp"
#include "window/accumulator.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class AggregateSet {
public:
    // Registers the aggregates' fields in `fields`.
    AggregateSet(std::vector<AggSpec> specs, std::uint64_t collect_max, CollectOrder order,
                 FieldResolver& fields);

    // Usage errors (Error(Exit::usage)) for output names that clash: two aggregates of
    // one name, an aggregate named as a key field (`key_flag`: "--by"), or either named
    // as a field the tool (`program`) writes itself (`reserved`).
    void check_names(const std::vector<FieldPath>& keys, std::string_view key_flag,
                     const std::vector<std::string_view>& reserved, std::string_view program) const;

    const std::vector<AggSpec>& specs() const { return specs_; }

    std::size_t size() const { return specs_.size(); }

    // One fresh accumulator per aggregate, in order.
    const std::vector<Accumulator>& blank() const { return blank_; }

    // Some aggregate's memory grows as it adds (distinct, sketches, collect, ...).
    bool grows() const { return grows_; }

    // Reads one record's inputs (after fields.resolve(root)); false when the record was
    // rejected for a non-number. No allocation when it succeeds.
    bool read(const FieldResolver& fields, simdjson::dom::element root, Timestamp t, Context& ctx);

    // Adds the inputs read last to `aggs` (one per aggregate).
    void add_to(std::vector<Accumulator>& aggs) const;

    // Appends `"NAME":value` for each aggregate, each after a comma unless `out` ends
    // with '{'.
    void append_members(std::string& out, const std::vector<Accumulator>& aggs) const;

    // Records rejected because of aggregate i; count_bad_input() for the rejects an
    // operator makes itself (weir-window --merge).
    std::uint64_t bad_inputs(std::size_t i) const { return bad_inputs_[i]; }

    void count_bad_input(std::size_t i) { ++bad_inputs_[i]; }

    // Bytes the accumulators hold (Accumulator::memory_bytes, summed).
    static std::int64_t bytes(const std::vector<Accumulator>& aggs);

private:
    static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

    std::vector<AggSpec> specs_;
    std::vector<AggReader> readers_;
    std::vector<Accumulator> blank_;
    std::vector<std::size_t> slots_; // per aggregate; no_slot: no field
    std::vector<AggInput> inputs_;
    std::vector<std::uint64_t> bad_inputs_;
    bool grows_ = false;
};

} // namespace weir
