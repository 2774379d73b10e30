#pragma once

// The input side of every tool: a stream of events read from NDJSON, CSV or frames.
// The run loop pulls events one at a time; readers never allocate per record.
//
// `idle` is how a tool keeps latency low on a trickling input: a reader returns it
// once, just before it would block waiting for more bytes, so the loop can flush its
// outputs first (DESIGN.md, "Latency and accounting"). The next call then blocks.

#include "cli/reason.hpp"
#include "wire/record.hpp"
#include "wire/source_table.hpp"

#include <cstdint>
#include <string_view>

namespace simdjson::dom {
class element;
}

namespace weir {

class StateWriter;
class StateReader;

enum class InputKind : std::uint8_t {
    record,    // `record` holds a validated record
    invalid,   // `record.json` holds the raw bytes of a line that is not a valid record;
               // `reason` and `detail` say why ("invalid JSON: ..."); position is set
    barrier,   // checkpoint barrier: `epoch` ends (frames only)
    watermark, // `watermark` is the new watermark (frames only)
    idle,      // nothing is ready right now; the next call may block
    end,       // end of input; every later call returns end again
};

struct InputEvent {
    InputKind kind = InputKind::end;
    Record record;
    Reason reason = Reason::invalid_json; // invalid
    std::string_view detail;              // invalid: human-readable detail
    std::uint64_t epoch = 0;              // barrier
    Timestamp watermark = no_timestamp;   // watermark
};

class RecordReader {
public:
    virtual ~RecordReader() = default;

    // Fills `ev` with the next event and returns its kind. Views in `ev` stay valid until
    // the next call. Throws Error(Exit::io) on a read error.
    virtual InputKind next(InputEvent& ev) = 0;

    // Names of the sources that records' `source` ids refer to.
    virtual const SourceTable& sources() const = 0;

    // Bytes consumed so far and the total when known (0: unknown), for progress lines.
    virtual std::uint64_t bytes_read() const = 0;

    virtual std::uint64_t bytes_total() const { return 0; }

    // The parsed DOM of the record last returned, when the reader parsed it to validate
    // it (NDJSON, CSV): lets the loop read the event time without parsing again. False
    // when not available (frames carry the event time already).
    virtual bool parsed_root(simdjson::dom::element& /*out*/) const { return false; }

    // Readers that resume from a checkpoint (weir-ingest's sources) save and restore
    // their positions with the operator's state.
    virtual bool checkpointed() const { return false; }

    virtual void snapshot(StateWriter& /*w*/) const {}

    virtual void restore(StateReader& /*r*/) {}

    // True when the input ended cleanly, as opposed to a frames stream that stopped
    // without its end frame (a killed upstream): such an epoch is never committed.
    virtual bool ended_cleanly() const { return true; }
};

} // namespace weir
