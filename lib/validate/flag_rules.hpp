#pragma once

// Rules written as flags: `--require a,b`, `--type F:T`, `--range F:A..B`,
// `--enum F:x,y`, `--match F:RE`, `--not-future F[:SKEW]`, `--max-age F:D`,
// `--rule 'NAME: EXPR'`. Each becomes one RuleSpec per field, named after the flag and
// the field ("require:user_id", "range:amount"), or NAME for --rule.
//
// The field ends at the first ':', so a field whose name holds a ':' needs a rules
// file. Enum values are matched as the string written and, when the text is also a
// JSON number, true, false or null, as that value: `--enum code:1,2` accepts 1 and "1".

#include "validate/rule_spec.hpp"

#include <string_view>
#include <vector>

namespace weir {

// `flag` is the option with its dashes ("--range"). Throws Error(Exit::usage) when the
// value has not the flag's shape; field paths and arguments are checked when compiled.
std::vector<RuleSpec> rules_from_flag(std::string_view flag, std::string_view value);

} // namespace weir
