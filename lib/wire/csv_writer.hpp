#pragma once

// CSV output: records flattened to the columns a user names (`--columns
// id,device.os`), for spreadsheets and for tools that do not read JSON. The header row
// holds the columns' paths as written; each record then gives one row:
//
// - a string is written as is, quoted when it holds the delimiter, a quote, CR or LF,
//   starts or ends with a space, is empty, or would read back as a number (`"42"`);
//   quotes inside are doubled;
// - numbers and booleans as their JSON text; floats keep a fraction ("1.0");
// - null and missing fields as an empty cell;
// - objects and arrays as their minified JSON, quoted (they hold quotes).
// So wire/csv_reader.hpp reads the rows back to the same values (null needs
// CsvOptions::empty_as_null; nested values come back as strings).
//
// Rows end with LF (a Unix filter; RFC 4180's CRLF is accepted on input). The header is
// written before the first row, or at end() for a stream without records, unless the
// output already holds bytes: a checkpointed run that resumes an output file must not
// write a second header into it.
//
// Records are parsed with one reused JsonDoc and rows built in one reused buffer: no
// allocation per record after warm-up.

#include "io/output_file.hpp"
#include "json/document.hpp"
#include "json/field_path.hpp"
#include "wire/writer.hpp"

#include <string>
#include <vector>

namespace weir {

class CsvWriter final : public RecordWriter {
public:
    // Writes to `out`, which must outlive the writer. Throws Error(Exit::usage) when
    // `columns` is empty.
    CsvWriter(OutputFile& out, std::vector<FieldPath> columns, char delimiter = ',');

    // Throws Error(Exit::internal) if `r.json` is not a valid JSON object: records reach
    // writers validated. Throws Error(Exit::io) from the output.
    void write(const Record& r) override;

    void barrier(std::uint64_t) override {}

    void watermark(Timestamp) override {}

    void end() override;
    void flush() override;

private:
    void header();
    void cell(std::string_view text, bool quote_always);

    OutputFile& out_;
    std::vector<FieldPath> columns_;
    char delimiter_;
    bool started_ = false;
    JsonDoc doc_;
    std::string row_;
    std::string value_; // scratch: a number's or a nested value's JSON text
};

} // namespace weir
