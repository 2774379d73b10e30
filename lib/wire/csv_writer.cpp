#include "wire/csv_writer.hpp"

#include "cli/error.hpp"
#include "wire/csv_reader.hpp"

namespace weir {

CsvWriter::CsvWriter(OutputFile& out, std::vector<FieldPath> columns, char delimiter)
    : out_(out)
    , columns_(std::move(columns))
    , delimiter_(delimiter) {
    if (columns_.empty())
        throw Error(Exit::usage, "CSV output needs at least one column");
}

void CsvWriter::cell(std::string_view text, bool quote_always) {
    bool quote = quote_always || text.empty() || text.front() == ' ' || text.back() == ' ';
    if (!quote) {
        for (char c : text) {
            if (c == delimiter_ || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
    }
    if (!quote) {
        row_ += text;
        return;
    }
    row_ += '"';
    std::size_t from = 0;
    for (std::size_t q = text.find('"'); q != std::string_view::npos; q = text.find('"', q + 1)) {
        row_.append(text.substr(from, q + 1 - from));
        row_ += '"';
        from = q + 1;
    }
    row_.append(text.substr(from));
    row_ += '"';
}

void CsvWriter::header() {
    started_ = true;
    if (out_.length() > 0)
        return; // resuming an output that has its header
    row_.clear();
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (i > 0)
            row_ += delimiter_;
        cell(columns_[i].text(), false);
    }
    row_ += '\n';
    out_.append(row_);
}

void CsvWriter::write(const Record& r) {
    if (!started_)
        header();
    if (!doc_.parse(r.json))
        throw Error(Exit::internal, "internal error: CSV writer given a bad record ({})",
                    doc_.detail());
    row_.clear();
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (i > 0)
            row_ += delimiter_;
        FieldValue v = lookup(doc_.root(), columns_[i]);
        switch (v.kind()) {
        case FieldKind::missing:
        case FieldKind::null:
            break;
        case FieldKind::string: {
            std::string_view s = v.as_string();
            // Quote text a reader would take for a number, so it reads back as text.
            cell(s, detail::csv_number(s));
            break;
        }
        default:
            value_.clear();
            append_json_value(value_, v.element());
            cell(value_, false);
            break;
        }
    }
    row_ += '\n';
    out_.append(row_);
}

void CsvWriter::end() {
    if (!started_)
        header();
    out_.flush();
}

void CsvWriter::flush() {
    out_.flush();
}

} // namespace weir
