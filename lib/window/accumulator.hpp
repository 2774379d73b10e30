#pragma once

// Accumulators: the running value of one aggregate (an --agg) for one (window, group).
// weir-window holds one per open window, group and aggregate, so an Accumulator is a
// small tagged value: the function and a variant of the state that function needs
// (64 bytes in all, the quantile sketch boxed; only distinct, approx_distinct,
// quantiles, collect and first/last of long values own heap memory). Configuration (field path,
// expression, quantile q, collect cap) is read from the AggSpec once, by AggReader and the
// constructor.
//
// Feeding: AggReader::read() takes from a record what its aggregate needs (the field's
// value, the count_if verdict, the event time) once per record; the AggInput then feeds
// every window the record falls in (one per window, several for sliding windows).
//
// Semantics (all documented for weir-window(1)):
// - A missing field is skipped by every function (add() returns skipped) except that
//   `count` counts every record. null is also skipped, except by first, last and collect,
//   which keep it as a value. Skipped input is not an error.
// - sum, min, max, avg, quantile take numbers only; any other kind (string, boolean,
//   object, array) returns not_a_number and changes nothing: the caller counts and
//   dead-letters the record. min/max of strings is deliberately not offered: mixing
//   kinds would need an arbitrary order, and `last` covers "latest value".
// - sum stays an exact integer while every input is an int64 and no partial sum
//   overflows; on overflow, or once a float or an integer above INT64_MAX is added, it
//   becomes a double from then on. Sum of nothing is 0 (additive identity, so rollups
//   add up); avg of nothing, min/max/first/last of nothing and quantiles of nothing are
//   null. avg is sum / count as a double.
// - min/max compare exactly (json/number_compare.hpp) and print the winning value in its
//   own kind: the max of 3 and 2.5 is 3, not 3.0. On equal values the first one seen wins.
// - first/last order by event time; on equal times first keeps the earliest arrival and
//   last the latest. merge(other) treats other's records as arriving after this one's.
// - distinct counts exact distinct values by canonical bytes (enrich/key.hpp): 3 and 3.0
//   are one value, the number 3 and the string "3" are two; objects and arrays count by
//   their minified JSON text. approx_distinct hashes the same bytes with XXH3 into a
//   HyperLogLog (sketch/hyperloglog.hpp, 0.81% standard error) and prints an integer.
// - quantiles use a KLL sketch (sketch/quantile_sketch.hpp, k = 200: rank error about
//   1.33% at 99% confidence; exact up to 200 values). Values go in as doubles, so
//   integers beyond 2^53 are rounded.
// - collect keeps values (as minified JSON) in arrival order, at most `collect_max`;
//   later ones are counted in dropped() but not kept. merge() appends up to the cap.
//   With CollectOrder::event_time (weir-sessionize) it keeps them in event-time order
//   instead (equal times in arrival order): the `collect_max` earliest by event time are
//   kept, an earlier value displacing the latest kept one; merge() interleaves by time,
//   this accumulator's values first on equal times. The snapshot then also holds the
//   times; the arrival-order encoding is unchanged.
//
// snapshot()/restore() round-trip exactly (same output, same future behaviour);
// restore() must be called on an accumulator built from the same AggSpec and cap and
// throws Error(Exit::temp_fail) when the data was written for another function or is
// damaged.

#include "json/document.hpp"
#include "sketch/hyperloglog.hpp"
#include "sketch/quantile_sketch.hpp"
#include "state/state_io.hpp"
#include "time/timestamp.hpp"
#include "window/agg_spec.hpp"

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace weir {

namespace expr {
class Expr;
}

// What one record contributes to one aggregate; views are valid while the record is.
struct AggInput {
    FieldValue value;                    // the aggregate's field; missing for count/count_if
    Timestamp event_time = no_timestamp; // for first/last
    bool matched = false;                // count_if: the expression was true
};

enum class AddStatus : std::uint8_t {
    ok,           // counted
    skipped,      // missing (or null, see above): no effect, not an error
    not_a_number, // a numeric aggregate got a non-number: dead-letter the record
};

// One --agg made ready to read records: its field path and, for count_if, its compiled
// expression. One per aggregate, shared by all its accumulators. Not thread-safe (the
// expression has scratch state).
class AggReader {
public:
    // Compiles count_if's expression; a bad one throws Error(Exit::usage) naming
    // "--agg 'VALUE'" with a caret.
    explicit AggReader(const AggSpec& spec);
    AggReader(AggReader&&) noexcept;
    AggReader& operator=(AggReader&&) noexcept;
    ~AggReader();

    // Reads this aggregate's input from one record (`root` is its object). Never throws.
    AggInput read(simdjson::dom::element root, Timestamp event_time);

    // The same, for a caller that resolved field() itself (with one walk for many
    // fields, json/field_resolver.hpp): `value` is its value in this record.
    AggInput read(const FieldValue& value, simdjson::dom::element root, Timestamp event_time);

    const std::optional<FieldPath>& field() const { return field_; }

private:
    AggFunc func_;
    std::optional<FieldPath> field_;
    std::unique_ptr<expr::Expr> expr_;
};

// The order collect keeps its values in (see the header comment).
enum class CollectOrder : std::uint8_t { arrival, event_time };

class Accumulator {
public:
    static constexpr std::uint64_t default_collect_max = 100; // the caller's --collect-max

    explicit Accumulator(const AggSpec& spec, std::uint64_t collect_max = default_collect_max,
                         CollectOrder order = CollectOrder::arrival);

    AggFunc func() const { return func_; }

    // Adds one record's input. Never throws. Allocates only for distinct (a new value),
    // collect (below the cap), first/last (a longer value than held) and sketch growth.
    AddStatus add(const AggInput& in);

    // weir window --merge: adds one value of this aggregate's own output from an
    // earlier run. count and count_if add the count it states (a non-negative integer,
    // else not_a_number); sum, min and max add the value as add() would. The other
    // functions cannot be rebuilt from their output (use merge_state()): skipped.
    AddStatus add_rolled_up(const FieldValue& v);

    // Whether add_rolled_up() rebuilds this function from its output, or its state
    // must travel with the output (--sketches) to be merged.
    static bool rolls_up_from_value(AggFunc f);

    // Folds in everything `other` saw, as if its records had come after this one's.
    // Both must come from the same AggSpec (and cap); otherwise this is left unchanged
    // and false is returned.
    bool merge(const Accumulator& other);

    // Appends the result as a JSON value: a number, a string/any value (first, last),
    // an array (collect) or null (see the header comment).
    void append_json(std::string& out) const;

    // collect only: values not kept because of the cap.
    std::uint64_t dropped() const;

    // Writes / reads every field of the state (not the configuration).
    void snapshot(StateWriter& w) const;
    void restore(StateReader& r);

    // --sketches / --merge: the whole state as bytes (the snapshot encoding), for an
    // output record to carry (as base64, state/base64.hpp) and a rollup to merge back.
    std::string state_bytes() const;

    // Merges bytes from state_bytes() of an accumulator of the same AggSpec, as merge()
    // does. The bytes come from records, so they are untrusted: malformed or damaged
    // state, another function, another quantile k, or kept values that are not valid
    // JSON return false and leave this unchanged. Never throws.
    bool merge_state(std::string_view bytes);

    // Bytes held, this object included, for state-size accounting. Constant time, so
    // a caller may track growth per record.
    std::size_t memory_bytes() const;

private:
    struct Count { // count and count_if
        std::uint64_t n = 0;
        bool by_field = false; // count:FIELD counts records where FIELD is present, not null
    };

    struct Sum { // sum and avg
        std::int64_t i = 0;
        double d = 0;
        bool is_double = false;
        std::uint64_t n = 0;
    };

    struct Number {                          // min and max: the best value in its own kind
        FieldKind kind = FieldKind::missing; // missing: nothing seen yet
        std::int64_t i = 0;
        std::uint64_t u = 0;
        double d = 0;
    };

    struct Pick { // first and last
        Timestamp t = no_timestamp;
        bool has = false;
        std::string json;
    };

    struct Distinct {
        std::set<std::string, std::less<>> values;
        std::size_t heap = 0; // bytes of the values' nodes, kept so memory_bytes() is O(1)
    };

    struct Collect {
        std::vector<std::string> items; // minified JSON, in arrival order
        std::uint64_t dropped = 0;
        std::uint64_t max = 0;
        std::size_t heap = 0;         // bytes the items' strings hold beyond the vector
        bool by_time = false;         // CollectOrder::event_time: items sorted by times
        std::vector<Timestamp> times; // by_time only: the event time of each item
    };

    struct Quantile { // boxed: a sketch is 96 bytes, twice every other state

        Quantile(QuantileSketch s, double quantile)
            : sketch(std::make_unique<QuantileSketch>(std::move(s)))
            , q(quantile) {}

        Quantile(const Quantile& o) : sketch(std::make_unique<QuantileSketch>(*o.sketch)), q(o.q) {}

        Quantile& operator=(const Quantile& o) {
            sketch = std::make_unique<QuantileSketch>(*o.sketch);
            q = o.q;
            return *this;
        }

        Quantile(Quantile&&) noexcept = default;
        Quantile& operator=(Quantile&&) noexcept = default;
        ~Quantile() = default;

        std::unique_ptr<QuantileSketch> sketch; // never null, but when moved from
        double q = 0;
    };

    using State = std::variant<Count, Sum, Number, Pick, Distinct, HyperLogLog, Quantile, Collect>;

    static State initial_state(const AggSpec& spec, std::uint64_t collect_max, CollectOrder order);

    Accumulator(AggFunc func, State state) : func_(func), state_(std::move(state)) {}

    Accumulator blank() const; // same function and configuration, nothing seen
    static void merge_by_time(Collect& c, const Collect& o); // collect in event-time order
    static int compare(const Number& a, const Number& b);
    void add_sum(Sum& s, const FieldValue& v);

    AggFunc func_;
    State state_;
};

} // namespace weir
