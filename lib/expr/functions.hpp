#pragma once

// The built-in functions of the expression language: the table the parser checks names
// and argument counts against, and their evaluation over already evaluated arguments.
// coalesce is listed here for its name but evaluated lazily by eval.cpp.

#include "expr/eval_state.hpp"
#include "expr/program.hpp"
#include "expr/value.hpp"

#include <cstdint>
#include <string_view>

namespace weir::expr::detail {

struct FunctionInfo {
    std::string_view name;
    Fn fn;
    std::uint8_t min_args;
    std::uint8_t max_args; // variadic_args: no limit
};

inline constexpr std::uint8_t variadic_args = 255;

// The most arguments a non-variadic function takes: evaluation keeps them on the stack.
inline constexpr std::size_t max_fixed_args = 2;

// nullptr for an unknown name.
const FunctionInfo* find_function(std::string_view name);

// Evaluates `node` (a call) over its evaluated arguments. Never throws.
Value call(const Program& program, const Node& node, const Value* args, EvalState& state);

} // namespace weir::expr::detail
