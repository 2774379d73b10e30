#pragma once

// CSV input (RFC 4180) turned into records, for reference tables (weir-enrich) and for
// feeding spreadsheets exports into a pipeline. The first row is the header: its cells
// are the keys, and every later row becomes one JSON object with the members in header
// order:
//
//     id,name,score          ->   {"id":1,"name":"ann","score":9.5}
//     1,ann,9.5
//
// Cell values:
// - an unquoted cell that is a JSON number stays a number: `-12`, `3.25`, `1e6`. Not
//   `007`, `+1`, `.5`, `NaN`, nor integers outside 64 bits or floats beyond double
//   range (simdjson would reject them); those stay strings;
// - a quoted cell is always a string (`"42"` is "42"), so a writer can keep text that
//   looks like a number; `""` inside quotes is one quote, and quotes may hold the
//   delimiter, CR and LF;
// - an empty unquoted cell is "" (or null with CsvOptions::empty_as_null); a quoted
//   empty cell `""` is always "";
// - everything else (true, null, dates) is a string.
// Rows end with LF or CRLF; empty lines are skipped; a UTF-8 byte order mark before the
// header is dropped.
//
// Bad rows are data, not errors: a row with the wrong number of cells ("row has 3
// fields, header has 4"), text after a closing quote, an unclosed quote at end of input
// or invalid UTF-8 becomes an InputKind::invalid event with the raw row bytes, and a row
// longer than CsvOptions::max_record becomes one with Reason::too_long (its first
// max_record bytes). A header that cannot be used (invalid UTF-8, a name given twice)
// is fatal: Error(Exit::data).
//
// Positions: record.line is the 1-based line where the row starts (quoted newlines
// count), record.offset the byte offset of the row in the source. The reader reads 1 MiB
// blocks and builds each record in one reused buffer: no allocation per record after
// warm-up.

#include "io/byte_source.hpp"
#include "wire/reader.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

struct CsvOptions {
    char delimiter = ',';
    bool empty_as_null = false;        // empty unquoted cells become null, not ""
    std::size_t max_record = 16 << 20; // longest row accepted, in bytes
};

class CsvReader final : public RecordReader {
public:
    // Reads `src`; `source_name` ("refs.csv", "<stdin>") is interned as source 0 and
    // used in messages. Nothing is read before the first next(). Throws
    // Error(Exit::usage) for a delimiter that is a quote, CR or LF.
    CsvReader(std::unique_ptr<ByteSource> src, std::string_view source_name, CsvOptions opts = {});

    // Throws Error(Exit::io) from the source, Error(Exit::data) for an unusable header.
    InputKind next(InputEvent& ev) override;

    const SourceTable& sources() const override { return sources_; }

    std::uint64_t bytes_read() const override { return consumed_; }

    std::uint64_t bytes_total() const override { return src_->size(); }

    // The header's names, once the first next() has read the header.
    const std::vector<std::string>& columns() const { return columns_; }

private:
    enum class Scan : std::uint8_t { field_start, unquoted, quoted, quote_in_quoted };
    enum class Step : std::uint8_t { row, too_long, idle, end };

    Step next_row(std::string_view& row);
    bool fill();
    void read_header(std::string_view row);
    InputKind build(std::string_view row, InputEvent& ev);
    InputKind reject(InputEvent& ev, std::string_view raw, Reason r, std::string_view detail);

    std::unique_ptr<ByteSource> src_;
    CsvOptions opts_;
    SourceTable sources_;
    std::uint32_t source_id_ = 0;

    std::vector<char> in_; // bytes read; the pending row is in [begin_, end_)
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::size_t scan_ = 0; // next byte to scan for the end of the pending row
    Scan state_ = Scan::field_start;
    std::uint64_t row_lines_ = 0; // newlines seen in the pending row
    bool eof_ = false;
    bool idle_sent_ = false;
    bool skipping_ = false; // discarding the rest of a too-long row
    bool header_done_ = false;

    std::uint64_t consumed_ = 0; // bytes of the source before begin_
    std::uint64_t row_offset_ = 0;
    std::uint64_t line_ = 1;     // line where the pending row starts
    std::uint64_t row_line_ = 0; // line of the row last returned by next_row

    std::vector<std::string> columns_;
    std::vector<std::string> keys_; // `"name":` per column, escaped once
    std::string out_;               // the record being built
    std::string cell_;              // a quoted cell with "" resolved
    std::string detail_;
};

namespace detail {

// True when an unquoted CSV cell is a JSON number that simdjson accepts (see above).
bool csv_number(std::string_view s);

} // namespace detail

} // namespace weir
