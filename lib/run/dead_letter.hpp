#pragma once

// The dead-letter file (--dlq FILE): one NDJSON line per record a tool could not
// process, with everything needed to find and replay it:
//   {"tool":"weir-ingest","reason":"invalid_json","detail":"invalid JSON: ...",
//    "source":"events.ndjson","line":42,"offset":8190,"record":"{\"a\":"}
// The original bytes go in "record" as a JSON string when they are valid UTF-8, else
// base64 in "record_base64", so nothing is lost or altered.

#include "cli/position.hpp"
#include "cli/reason.hpp"

#include <string>
#include <string_view>

namespace weir {

class OutputFile;

// Appends the dead-letter line for one record to `out` (reused buffer `scratch`).
void format_dead_letter(std::string& out, std::string_view tool, Reason why,
                        std::string_view detail, const Position& where, std::string_view raw);

// The same line for a record sent to another side file (--late, --duplicates), so that
// every file of set-aside records reads and replays alike; `reason` names why ("late").
void format_side_record(std::string& out, std::string_view tool, std::string_view reason,
                        std::string_view detail, const Position& where, std::string_view raw);

class DeadLetterWriter {
public:
    DeadLetterWriter(OutputFile& file, std::string tool) : file_(file), tool_(std::move(tool)) {}

    void write(Reason why, std::string_view detail, const Position& where, std::string_view raw);

private:
    OutputFile& file_;
    std::string tool_;
    std::string line_;
};

} // namespace weir
