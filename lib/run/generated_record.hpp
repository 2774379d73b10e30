#pragma once

// Emitting a record the operator built (an aggregate, a session): its JSON in a reused
// buffer, followed by the padding every Record carries, counted as generated.

#include "run/operator.hpp"

#include <string>

namespace weir {

// Emits `json` (cleared afterwards) with `event_time` as the record's time.
inline void emit_generated(Context& ctx, std::string& json, Timestamp event_time) {
    std::size_t size = json.size();
    json.append(record_padding, ' ');
    Record r;
    r.json = std::string_view(json.data(), size);
    r.event_time = event_time;
    ctx.emit(r);
    ctx.generated(1);
    json.clear();
}

} // namespace weir
