#pragma once

// A compiled expression: a tree of nodes in one vector (children by index), with the
// tables evaluation needs beside it. The parser builds it once; eval.cpp walks it per
// record and never changes it. Everything a node refers to (literal strings, regexes,
// `in` sets, field paths) lives here, so the Program owns all memory an evaluation
// reads apart from the record and the evaluation's scratch (EvalState).

#include "expr/value.hpp"
#include "expr/value_set.hpp"
#include "json/field_path.hpp"

#include <re2/re2.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace weir::expr::detail {

enum class Op : std::uint8_t {
    literal, // literal
    field,   // index: slot of the field path
    neg,     // -lhs
    not_,    // !lhs
    and_,    // lhs && rhs (short-circuit)
    or_,     // lhs || rhs (short-circuit)
    eq,      // lhs == rhs, and the rest of the binary operators
    ne,
    lt,
    le,
    gt,
    ge,
    add, // scratch: for string concatenation
    sub,
    mul,
    div,
    mod,
    in,       // lhs in sets[index]
    call,     // fn over args[first, first + count); scratch; index: regex for matches
    coalesce, // the first of args[first, first + count) neither missing nor null (lazy)
};

enum class Fn : std::uint8_t {
    exists,
    is_null,
    type,
    len,
    lower,
    upper,
    starts_with,
    ends_with,
    contains,
    matches,
    ts,
    now,
    int_,
    float_,
    str,
    coalesce,
};

struct Node {
    Op op = Op::literal;
    Fn fn = Fn::exists;
    std::uint32_t lhs = 0;
    std::uint32_t rhs = 0;
    std::uint32_t first = 0; // call, coalesce: arguments in Program::args
    std::uint32_t count = 0;
    std::uint32_t index = 0;   // field slot, set, or regex
    std::uint32_t scratch = 0; // scratch buffer, for nodes that make strings
    Value literal;
};

struct Program {
    std::vector<Node> nodes;
    std::uint32_t root = 0;
    std::vector<std::uint32_t> args;
    std::vector<FieldPath> fields; // by slot
    std::vector<ValueSet> sets;
    std::vector<std::unique_ptr<re2::RE2>> regexes;
    std::deque<std::string> strings; // bytes of string literals; a deque never moves them
    std::uint32_t scratch_count = 0;
};

// Parses `source` into a Program. Throws SyntaxError.
Program parse(std::string_view source);

} // namespace weir::expr::detail
