#pragma once

// One `--agg FUNC[:FIELD][=NAME]` of weir-window, parsed: which function, over which
// field, under which output name. Parsed once at start-up; every mistake is a usage
// error naming the flag value ("--agg 'sum': sum needs a field, as in sum:FIELD").
//
//   count                  records in the window                  -> "count"
//   count:FIELD            records where FIELD is present, not null -> "count_FIELD"
//   count_if:EXPR          records where EXPR is true (weir-expr(7)) -> "count_if"
//   sum|min|max|avg:FIELD  numeric                                -> "sum_amount"
//   first|last:FIELD       value at the earliest / latest event time -> "first_FIELD"
//   distinct:FIELD         exact distinct count                   -> "distinct_FIELD"
//   approx_distinct:FIELD  HyperLogLog estimate                   -> "approx_distinct_FIELD"
//   p50|p90|p95|p99:FIELD  quantile sketch                        -> "p90_latency_ms"
//   quantile(Q):FIELD      any Q in [0, 1]                        -> "p75_latency_ms" for 0.75
//   collect:FIELD          the values, capped by --collect-max    -> "collect_FIELD"
//
// Default names join the field's segments with '_' ("sum:order.total" -> "sum_order_total").
// quantile(Q) is named by Q as a percentage, written exactly as Q was ("quantile(0.999)"
// -> "p99.9_x", "quantile(0.5)" -> "p50_x"), so p90 and quantile(0.9) name the same thing.
//
// `=NAME` for count_if: an expression may itself contain '=' ("a == 1", "a >= b"), so
// the name is taken from the last '=' only when that '=' is not part of an operator
// (neither neighbour is '=', and it does not follow '!', '<' or '>') and what follows it
// is a plain name (letters, digits, '_', '-', '.'). "count_if:status >= 500=errors" names
// the aggregate "errors"; "count_if:a == b" has no name. Default names can collide (two
// count_if); check_unique_names() reports that.

#include "json/field_path.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

enum class AggFunc : std::uint8_t {
    count,
    count_if,
    sum,
    min,
    max,
    avg,
    first,
    last,
    distinct,
    approx_distinct,
    quantile, // p50, p90, p95, p99 and quantile(q)
    collect,
};

// "count", "count_if", ..., "quantile".
std::string_view agg_func_name(AggFunc f);

// Functions that read numbers: sum, min, max, avg, quantile. A non-number given to one
// is reported by Accumulator::add() as not_a_number.
bool agg_is_numeric(AggFunc f);

struct AggSpec {
    AggFunc func = AggFunc::count;
    std::optional<FieldPath> field; // none for count (without field) and count_if
    std::string expr;               // count_if only: the expression's source
    double q = 0;                   // quantile only: in [0, 1]
    std::string name;               // output field name, never empty
    std::string text;               // the --agg value as given, for messages
};

// Parses one --agg value. Throws Error(Exit::usage, "--agg 'VALUE': ...") for an unknown
// function, a missing or unexpected field, a bad field path, a q outside [0, 1] or an
// empty name. The count_if expression is not compiled here (see AggReader).
AggSpec parse_agg_spec(std::string_view text);

// Throws Error(Exit::usage, "--agg 'a' and --agg 'b' both write field 'x' ...") when two
// aggregates share an output name.
void check_unique_names(const std::vector<AggSpec>& specs);

} // namespace weir
