#pragma once

// Evaluation of a compiled Program over one record (see eval.cpp).

#include "expr/eval_state.hpp"
#include "expr/program.hpp"

#include <simdjson.h>

namespace weir::expr::detail {

// Sizes `state` for `program`: one slot per field path, one scratch string per node
// that makes strings. Once, after compiling.
void prepare(const Program& program, EvalState& state);

// Evaluates the whole program over `root`. Never throws.
Value run(const Program& program, EvalState& state, simdjson::dom::element root);

// Evaluates one node (and its subtree) of the current record.
Value evaluate(const Program& program, std::uint32_t index, EvalState& state);

} // namespace weir::expr::detail
