#pragma once

// What one compiled expression keeps between evaluations, so that evaluating allocates
// nothing once warm: the slot table of field values (each distinct path is looked up
// at most once per record) and the scratch strings of nodes that make strings.

#include "expr/value.hpp"
#include "time/timestamp.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weir::expr::detail {

struct EvalState {
    simdjson::dom::element root;
    std::vector<Value> slots;
    std::vector<std::uint64_t> slot_epoch; // slots[i] holds this record's value when == epoch
    std::uint64_t epoch = 0;               // bumped per eval(): invalidates every slot at once
    std::vector<std::string> scratch;      // one per string-making node
    Timestamp fixed_now = no_timestamp;    // set_now()
    Timestamp clock_now = no_timestamp;    // the system clock, read once per eval()
};

// now() for this evaluation.
Timestamp current_now(EvalState& state);

} // namespace weir::expr::detail
