#pragma once

// Arithmetic and comparison over Values (docs/expr.md, "Types"). Every operator is
// total: a missing or null operand, a kind the operator does not take, an integer
// overflow, a division by zero or a result out of range yields null. Never throws.

#include "expr/program.hpp"
#include "expr/value.hpp"

#include <string>

namespace weir::expr::detail {

// + - * / % for `op`; `scratch` holds the bytes of a string concatenation.
Value arithmetic(Op op, const Value& a, const Value& b, std::string& scratch);

// Unary minus.
Value negate(const Value& a);

// == != < <= > >=. == and != are boolean for any operands; the orderings are null
// when the operands do not order (see compare()).
Value comparison(Op op, const Value& a, const Value& b);

} // namespace weir::expr::detail
