#pragma once

// A record as it moves through weir: the exact JSON bytes of one object, plus what the
// wire carries beside them (parsed event time and source position).
//
// Invariants every producer of a Record keeps:
// - `json` is one complete JSON object, already validated (well-formed, UTF-8), without
//   the trailing newline;
// - at least `record_padding` readable bytes follow `json.data() + json.size()` in
//   memory, so simdjson may parse the view in place without copying;
// - the views stay valid only until the producer's next call (next record).

#include "time/timestamp.hpp"

#include <cstdint>
#include <string_view>

namespace weir {

// simdjson's SIMDJSON_PADDING in 3.0.1; checked by a static_assert in json/document.cpp.
inline constexpr std::size_t record_padding = 64;

struct Record {
    std::string_view json;               // exact bytes, no newline
    Timestamp event_time = no_timestamp; // parsed event time, or no_timestamp
    std::uint32_t source = 0;            // index into the stream's SourceTable
    std::uint64_t line = 0;              // 1-based line in the source (0: unknown)
    std::uint64_t offset = 0;            // byte offset of the record in the source
};

} // namespace weir
