// Evaluation: one walk of the Program's tree per record. Fields come from the slot
// table (looked up on first use in this record), strings are made in per-node scratch
// buffers, and nothing here throws.
#include "expr/eval.hpp"

#include "expr/functions.hpp"
#include "expr/operators.hpp"
#include "json/document.hpp"

#include <chrono>

namespace weir::expr::detail {

namespace {

Value field(const Node& n, const Program& program, EvalState& state) {
    if (state.slot_epoch[n.index] != state.epoch) {
        FieldValue f = lookup(state.root, program.fields[n.index]);
        state.slots[n.index] = f.is_missing() ? Value() : Value::from_json(f.element());
        state.slot_epoch[n.index] = state.epoch;
    }
    return state.slots[n.index];
}

Value coalesce(const Node& n, const Program& program, EvalState& state) {
    for (std::uint32_t k = 0; k < n.count; ++k) {
        Value v = evaluate(program, program.args[n.first + k], state);
        if (!v.is_absent())
            return v;
    }
    return Value::null();
}

Value call_node(const Node& n, const Program& program, EvalState& state) {
    Value args[max_fixed_args];
    for (std::uint32_t k = 0; k < n.count; ++k)
        args[k] = evaluate(program, program.args[n.first + k], state);
    return call(program, n, args, state);
}

} // namespace

Timestamp current_now(EvalState& state) {
    if (state.fixed_now != no_timestamp)
        return state.fixed_now;
    if (state.clock_now == no_timestamp) {
        auto since = std::chrono::system_clock::now().time_since_epoch();
        state.clock_now = std::chrono::duration_cast<Duration>(since).count();
    }
    return state.clock_now;
}

void prepare(const Program& program, EvalState& state) {
    state.slots.assign(program.fields.size(), Value());
    state.slot_epoch.assign(program.fields.size(), 0);
    state.epoch = 0;
    state.scratch.resize(program.scratch_count);
}

Value evaluate(const Program& program, std::uint32_t index, EvalState& state) {
    const Node& n = program.nodes[index];
    switch (n.op) {
    case Op::literal:
        return n.literal;
    case Op::field:
        return field(n, program, state);
    case Op::neg:
        return negate(evaluate(program, n.lhs, state));
    case Op::not_:
        return Value::boolean(!evaluate(program, n.lhs, state).is_true());
    case Op::and_:
        return Value::boolean(evaluate(program, n.lhs, state).is_true() &&
                              evaluate(program, n.rhs, state).is_true());
    case Op::or_:
        return Value::boolean(evaluate(program, n.lhs, state).is_true() ||
                              evaluate(program, n.rhs, state).is_true());
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge: {
        Value a = evaluate(program, n.lhs, state);
        return comparison(n.op, a, evaluate(program, n.rhs, state));
    }
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::mod: {
        Value a = evaluate(program, n.lhs, state);
        Value b = evaluate(program, n.rhs, state);
        return arithmetic(n.op, a, b, state.scratch[n.scratch]);
    }
    case Op::in:
        return Value::boolean(program.sets[n.index].contains(evaluate(program, n.lhs, state)));
    case Op::call:
        return call_node(n, program, state);
    case Op::coalesce:
        return coalesce(n, program, state);
    }
    return Value::null();
}

Value run(const Program& program, EvalState& state, simdjson::dom::element root) {
    state.root = root;
    ++state.epoch; // every slot is stale now
    state.clock_now = no_timestamp;
    return evaluate(program, program.root, state);
}

} // namespace weir::expr::detail
