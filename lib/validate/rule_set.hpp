#pragma once

// The rules of a validation gate compiled into checks, in rule order: what
// weir-validate runs against every record.
//
// Semantics of the field rules (the expr rule and a JSON Schema have their own, see
// docs/expr.md and validate/json_schema.hpp):
// - require F: fails when F is missing or null.
// - every other field rule passes when its field is missing (pair it with --require to
//   demand the field), and judges any value that is present, null included:
//   - type F:T        string, number (any number), integer (a number with no fraction),
//                     bool, object, array, timestamp (an RFC 3339 string or an epoch
//                     number, as --time reads it);
//   - range F:A..B    A <= F <= B, either end optional; numbers, or RFC 3339 timestamps
//                     (then F is read as a timestamp); anything else fails;
//   - enum F:a,b      F equals one of the values: strings by their text, numbers by value
//                     (`3` matches 3 and 3.0), true/false/null as themselves;
//   - match F:RE      F is a string in which RE (RE2 syntax) matches somewhere;
//   - not_future F    F is a timestamp no later than now + skew;
//   - max_age F:D     F is a timestamp no earlier than now - D.
// Several specs may share a name (a rules-file table listing many required fields):
// the name is reported once per record however many of its checks fail.
//
// Key invariant: check() never throws on data and, after warm-up, never allocates.

#include "json/field_resolver.hpp"
#include "time/time_unit.hpp"
#include "time/timestamp.hpp"
#include "validate/rule_spec.hpp"

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace weir {

class JsonSchema;

class RuleSet {
public:
    // `unit`: how epoch numbers are read as timestamps (--time-unit).
    explicit RuleSet(TimeUnit unit = TimeUnit::auto_);
    ~RuleSet();
    RuleSet(RuleSet&&) noexcept;
    RuleSet& operator=(RuleSet&&) noexcept;

    // Compiles one rule. Throws Error(Exit::usage) naming spec.origin when a field path,
    // a range, a regex, a duration, a type name or an expression is wrong.
    void add(const RuleSpec& spec);

    // Appends every check of a schema, named as JsonSchema names them.
    void add_schema(JsonSchema schema);

    // Rule names, each once, in rule order: the values of validation_errors.
    const std::vector<std::string>& names() const { return names_; }

    bool empty() const { return checks_.empty(); }

    // Checks the record `root` (an object) against every rule at time `now`; appends the
    // index into names() of each failed rule, once, in rule order, to `failed`.
    void check(simdjson::dom::element root, Timestamp now, std::vector<std::uint32_t>& failed);

private:
    struct Check;

    std::uint32_t name_id(const std::string& name);
    void fail(std::uint32_t name, std::vector<std::uint32_t>& failed);

    TimeUnit unit_;
    FieldResolver fields_; // every rule's field, read in one walk per record
    std::vector<std::string> names_;
    std::vector<Check> checks_;
    std::vector<JsonSchema> schemas_;
    std::vector<std::vector<std::uint32_t>> schema_names_; // schema check -> name id
    std::vector<std::uint32_t> scratch_;                   // a schema's failures
    std::vector<std::uint64_t> seen_;                      // name id -> generation
    std::uint64_t generation_ = 0;
};

} // namespace weir
