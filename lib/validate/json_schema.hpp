#pragma once

// The JSON Schema gate of weir-validate (`--schema FILE`): a subset of JSON Schema
// (draft 6 and later) compiled once, at start-up, into a flat list of named checks run
// over each record's simdjson DOM.
//
// Supported keywords: type (a name or an array of names: string, number, integer,
// boolean, object, array, null), required, properties (nested to any depth), enum,
// const, minimum, maximum, exclusiveMinimum, exclusiveMaximum (numbers, the draft 6
// form), minLength and maxLength (in Unicode code points), pattern (RE2, searched
// unanchored), format "date-time" (RFC 3339, time/rfc3339.hpp), items (one schema for
// every element) and additionalProperties: false. The annotations $schema, $id, title,
// description, $comment, examples and default are accepted and ignored. Anything else
// (oneOf, anyOf, allOf, $ref, patternProperties, other formats, ...) stops start-up
// with a message naming the keyword and where it is: a schema that is silently only
// half enforced would pass records its author meant to quarantine.
//
// Semantics follow JSON Schema: a keyword applies only to instances of its type
// (minimum to numbers, pattern to strings, required to objects, items to arrays); the
// keywords of an absent property are not checked (only `required` reports absence); an
// integer is any number with a zero fraction (3.0 is one); numbers compare by value
// (enum [1] accepts 1.0). Patterns are RE2 syntax, which differs from ECMA 262 in
// corners such as backreferences and lookaround (RE2 rejects those at start-up).
//
// Each check has a stable name used in validation_errors: "schema:required:event_id",
// "schema:amount:minimum", "schema:device.os:enum", "schema:tags[]:type", and
// "schema:$:type" for the root. Paths escape as field paths do (json/field_path.hpp):
// a property named "a.b" is written `a\.b`.
//
// Key invariant: check() never throws and, once `failed` has room for every check,
// never allocates; a failed check is reported once however many array elements fail it.

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

namespace detail {
struct CompiledSchema;
}

class JsonSchema {
public:
    // A schema with no checks: every record passes.
    JsonSchema();

    // Compiles the schema in `json_text`; `origin` (its file name) starts every message.
    // Throws Error(Exit::usage) on bad JSON ("schema.json: invalid JSON: unclosed
    // string"), a bad keyword value ("schema.json: 'minimum' must be a number at
    // /properties/amount") or an unsupported keyword ("schema.json: unsupported keyword
    // 'oneOf' at /properties/x"). Locations are JSON Pointers into the schema; "/" is
    // the root.
    static JsonSchema compile(std::string_view json_text, std::string_view origin);

    // Reads and compiles the schema file at `path`. Throws Error(Exit::no_input) when it
    // cannot be read, else as compile().
    static JsonSchema load(const std::string& path);

    // One name per check, in the order its keyword appears in the schema.
    const std::vector<std::string>& check_names() const;

    // Checks `root` (a record's root object; any element works), appending the index
    // (into check_names()) of each failed check to `failed`, each at most once, in
    // increasing order. Entries already in `failed` are left alone. Never throws;
    // allocates only if `failed` must grow.
    void check(simdjson::dom::element root, std::vector<std::uint32_t>& failed) const;

private:
    explicit JsonSchema(std::shared_ptr<const detail::CompiledSchema> impl);

    // Immutable once compiled, so copies of a JsonSchema share it.
    std::shared_ptr<const detail::CompiledSchema> impl_;
};

} // namespace weir
