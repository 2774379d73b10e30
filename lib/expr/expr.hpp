#pragma once

// The expression language shared by every tool that needs a predicate or a computed
// value: weir-validate `--rule 'NAME: EXPR'`, fanout routes, sessionize funnel steps,
// window filters. docs/expr.md is the full reference; weir-expr(7) the user's page.
//
//   auto e = weir::expr::Expr::compile("amount > 100 && device.os in [\"ios\", \"android\"]",
//                                      "--rule big_spend");
//   if (e.test(doc.root())) ...
//
// An expression is compiled once, at start-up: every syntax error, unknown function,
// wrong argument count or bad regex is reported then, as Error(Exit::usage) with the
// column and a caret. Evaluation never throws and never fails: a missing field, a null,
// a value of the wrong kind, an overflow or a division by zero each have a defined
// result (usually null), so bad data can never stop a tool.
//
// Evaluation reads each distinct field path at most once per record (a slot table)
// and, once warm, allocates nothing: strings made by lower/upper/str/+ go to scratch
// buffers owned by the Expr. So an Expr is not thread-safe, and a Value returned by
// eval() is valid only until the next eval() and while the record's JsonDoc holds
// that record.

#include "expr/value.hpp"
#include "json/field_path.hpp"
#include "time/timestamp.hpp"

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir::expr {

class Expr {
public:
    // Compiles `source`. `where` names it in errors ("--rule big_spend"). Throws
    // Error(Exit::usage, "<where>: <what> at column N\n  <source>\n  <carets>").
    static Expr compile(std::string_view source, std::string_view where);

    Expr(Expr&&) noexcept;
    Expr& operator=(Expr&&) noexcept;
    ~Expr();

    // The source text as given to compile().
    const std::string& source() const;

    // Sets what now() returns (µs since the epoch, UTC); callers set it per record or
    // once (--now). no_timestamp (the default) makes now() read the system clock, once
    // per eval().
    void set_now(Timestamp now);

    // Evaluates over one record; `root` is its parsed object. Never throws.
    Value eval(simdjson::dom::element root);

    // eval() is boolean true (missing, null and every non-boolean are not true).
    bool test(simdjson::dom::element root);

    // Appends `v` as JSON: timestamps as RFC 3339 UTC strings, durations as strings in
    // their canonical form ("1h30m"), missing as null.
    static void append_json(std::string& out, const Value& v);

    // The distinct field paths the expression reads, in order of first appearance.
    const std::vector<FieldPath>& fields() const;

private:
    struct Impl;
    explicit Expr(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
};

} // namespace weir::expr
