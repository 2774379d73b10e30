#pragma once

// The output side of every tool: NDJSON (the default, so everything composes with jq and
// grep) or frames (weir to weir). Writers buffer into large blocks and make no system
// call per record; the run loop calls flush() when the input is idle or at a barrier.

#include "wire/record.hpp"
#include "wire/source_table.hpp"

#include <cstdint>

namespace weir {

class RecordWriter {
public:
    virtual ~RecordWriter() = default;

    // Appends one record. `r.json` is written byte for byte. Frames also carry
    // r.event_time and the source position (names come from the table given at
    // construction, declared in the stream before first use).
    virtual void write(const Record& r) = 0;

    // Control signals; NDJSON has no place for them and ignores them.
    virtual void barrier(std::uint64_t epoch) = 0;
    virtual void watermark(Timestamp wm) = 0;
    virtual void end() = 0; // end of stream (frames: an end frame); then flush

    // Pushes everything buffered to the sink (one large write).
    virtual void flush() = 0;
};

} // namespace weir
