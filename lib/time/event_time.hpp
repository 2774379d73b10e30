#pragma once

// Reading a record's event time out of an already parsed simdjson DOM value
// (`--time FIELD`, DESIGN.md "Time"). Finding the field is the caller's job (a missing
// field is its own message); this turns the value found into a Timestamp, or into the
// WHAT of a reject message, e.g. for "field 'event_time': \"yesterday\" is not a
// timestamp" it supplies the part after the colon.
//
// What counts as an event time:
// - a string in RFC 3339 (see parse_rfc3339): "2024-03-01T12:00:00.25+01:00";
// - a number, taken as epoch s, ms or us per `unit` (see time_unit.hpp): int64 and
//   uint64 exactly, doubles rounded to the microsecond.
// A numeric string such as "1709294400" is NOT accepted: a quoted number is as often a
// year, an id or a version as a time, and a silent guess would put events in 1970. Such
// a feed needs converting upstream.
//
// Key invariant: no allocation, success or failure. The error detail lives in a small
// buffer inside the result; long strings in it are shortened with "...".

#include "time/time_unit.hpp"
#include "time/timestamp.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

class EventTimeResult {
public:
    static constexpr std::size_t error_capacity = 112;

    static EventTimeResult success(Timestamp t) noexcept {
        EventTimeResult r;
        r.time_ = t;
        return r;
    }

    // Copies `detail`, shortened to error_capacity bytes if it must be.
    static EventTimeResult failure(std::string_view detail) noexcept;

    bool ok() const noexcept { return time_ != no_timestamp; }

    // The event time; no_timestamp when !ok().
    Timestamp time() const noexcept { return time_; }

    // Why the value is not a time, without the field name: "\"yesterday\" is not a
    // timestamp", "null is not a timestamp". Empty when ok(). Lives as long as *this.
    std::string_view error() const noexcept { return {error_, error_size_}; }

private:
    EventTimeResult() = default;

    Timestamp time_ = no_timestamp;
    std::uint8_t error_size_ = 0;
    // Left uninitialized on purpose: the success path writes nothing here.
    char error_[error_capacity];
};

// Converts a JSON value to an event time as described above. Never throws.
EventTimeResult event_time_from_json(simdjson::dom::element value, TimeUnit unit) noexcept;

} // namespace weir

namespace weir {

class FieldValue;

// The event time of a record from the value of its time field `field` (as found by a
// lookup or a FieldResolver; missing included). Returns true with `t` set, or false with
// `problem` set to the message every tool gives: "field 'event_time': missing",
// "field 'event_time': \"yesterday\" is not a timestamp". Allocates only on failure.
bool event_time_of_field(const FieldValue& v, std::string_view field, TimeUnit unit, Timestamp& t,
                         std::string& problem);

} // namespace weir
