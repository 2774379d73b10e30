#pragma once

// The rules file of weir-validate (`--rules FILE`): named rules written as TOML, one
// table per rule, the table name being the rule name reported in validation_errors.
//
//   [ids]
//   require = ["event_id", "user_id"]   # one RuleSpec per field, each named "ids"
//   [amount_sane]
//   field = "amount"
//   range = "0..10000"                  # or min = 0 / max = 10000
//   [kind]
//   field = "event_type"
//   enum = ["view", "purchase", 3]
//   [os]
//   field = "device.os"
//   match = "^(ios|android)$"
//   [typed]
//   field = "amount"
//   type = "number"
//   [fresh]
//   field = "event_time"
//   not_future = "5m"
//   [recent]
//   field = "event_time"
//   max_age = "7d"
//   [purchase_has_customer]
//   expr = "event_type != 'purchase' || exists(customer_id)"
//   description = "free text, allowed on any rule"
//
// Each table holds exactly one rule-kind key (min and max together count as one, range),
// plus `field` (required for every kind but require and expr, which take none) and an
// optional `description`. The file is the same language as the flags: it produces
// RuleSpecs (validate/rule_spec.hpp) that are compiled like flag rules.
//
// Key invariant: whatever the file says, a user mistake is found here, at start-up,
// with the file, line and table named, never later on a record. Everything is checked
// that can be without compiling the rule: field paths, durations, type names, range
// text, and patterns (compiled once with RE2 and thrown away). Expressions are checked
// when they are compiled (validate/rule_set.hpp), since the language lives in expr/.
//
// Rules come out in the order they are written in the file, whatever order toml++'s
// tables keep, so validation_errors lists failed rules in a stable, readable order.

#include "validate/rule_spec.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace weir {

// Reads and checks the rules file at `path`. Each RuleSpec gets origin "PATH [name]".
// Throws Error(Exit::no_input) when the file cannot be read, and Error(Exit::usage) on
// any mistake in it: "rules.toml:7: [kind] 'enum' must be an array, not a string";
// TOML syntax errors carry the column too: "rules.toml:3:9: <toml++'s description>".
std::vector<RuleSpec> read_rules_file(const std::string& path);

// The same for TOML text already in memory; `path` is used in messages and origins.
std::vector<RuleSpec> parse_rules_text(std::string_view text, const std::string& path);

} // namespace weir
