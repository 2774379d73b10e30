#pragma once

// Why a record was rejected. Every reject channel (dead-letter file, quarantine, late,
// duplicates, unmatched) counts records per reason code, and the final metrics line
// states records in = records out + rejects per channel and reason. The names are
// stable: they appear in dead-letter records and in metrics.

#include <cstdint>
#include <string_view>

namespace weir {

enum class Reason : std::uint8_t {
    invalid_json,  // not well-formed JSON
    invalid_utf8,  // bytes that are not UTF-8
    not_object,    // well-formed JSON, but not an object
    too_long,      // longer than --max-record
    bad_time,      // event-time field missing or not a timestamp
    bad_field,     // a field an operator needs is missing or of the wrong type
    bad_csv,       // a CSV row that cannot be turned into a record
    unprocessable, // anything else an operator cannot process
    count_         // number of reasons; not a reason
};

constexpr std::string_view reason_name(Reason r) {
    switch (r) {
    case Reason::invalid_json:
        return "invalid_json";
    case Reason::invalid_utf8:
        return "invalid_utf8";
    case Reason::not_object:
        return "not_object";
    case Reason::too_long:
        return "too_long";
    case Reason::bad_time:
        return "bad_time";
    case Reason::bad_field:
        return "bad_field";
    case Reason::bad_csv:
        return "bad_csv";
    case Reason::unprocessable:
        return "unprocessable";
    case Reason::count_:
        break;
    }
    return "unknown";
}

constexpr std::size_t reason_count = static_cast<std::size_t>(Reason::count_);

} // namespace weir
