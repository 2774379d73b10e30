#pragma once

// A validation rule as the user wrote it, before it is compiled into a check. Flags
// (`--range amount:0..1000`) and the rules file (a TOML table per rule) both produce
// RuleSpecs, so both spell a rule the same way and compile it the same way
// (validate/rule_set.hpp). A JSON Schema is compiled separately (validate/json_schema.hpp)
// because one schema yields many checks.

#include <string>
#include <vector>

namespace weir {

enum class RuleKind {
    require,    // field present and not null
    type,       // arg: string|number|integer|bool|object|array|timestamp
    range,      // arg: "MIN..MAX", either end optional
    enum_of,    // values: the allowed values, as JSON scalars' text ("\"view\"", "3")
    match,      // arg: RE2 pattern, searched (unanchored) in a string field
    not_future, // arg: allowed skew as a duration ("" = 0)
    max_age,    // arg: a duration
    expr,       // arg: an expression (docs/expr.md); valid when it is true
};

struct RuleSpec {
    std::string name;  // reported in validation_errors: "range:amount", "big_spend"
    RuleKind kind = RuleKind::require;
    std::string field; // the field path; empty for expr
    std::string arg;
    std::vector<std::string> values;
    std::string origin; // where it was written, for errors: "--range", "rules.toml [ids]"
};

} // namespace weir
