#include "wire/csv_reader.hpp"

#include "cli/error.hpp"
#include "json/escape.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <cstring>
#include <system_error>

namespace weir {

namespace {

constexpr std::size_t block_size = 1 << 20;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Splits one row (without its line ending) into cells.
class Cells {
public:
    enum class Result { cell, end, bad };

    Cells(std::string_view row, char delim) : row_(row), delim_(delim) {}

    // Next cell into `cell` (a view into the row, or into `scratch` for a quoted cell
    // with "" in it). On `bad`, `error` says why.
    Result next(std::string& scratch, std::string_view& cell, bool& quoted,
                std::string_view& error) {
        if (done_)
            return Result::end;
        quoted = p_ < row_.size() && row_[p_] == '"';
        if (quoted) {
            std::size_t i = p_ + 1;
            std::size_t q = row_.find('"', i);
            if (q == std::string_view::npos) {
                error = "unclosed quote";
                return Result::bad;
            }
            if (q + 1 < row_.size() && row_[q + 1] == '"') {
                // Escaped quotes: assemble the cell in scratch.
                scratch.clear();
                for (;;) {
                    if (q == std::string_view::npos) {
                        error = "unclosed quote";
                        return Result::bad;
                    }
                    scratch.append(row_.substr(i, q - i));
                    if (q + 1 < row_.size() && row_[q + 1] == '"') {
                        scratch += '"';
                        i = q + 2;
                        q = row_.find('"', i);
                        continue;
                    }
                    break;
                }
                cell = scratch;
            } else {
                cell = row_.substr(i, q - i);
            }
            p_ = q + 1;
            if (p_ < row_.size() && row_[p_] != delim_) {
                error = "text after a closing quote";
                return Result::bad;
            }
        } else {
            std::size_t q = row_.find(delim_, p_);
            if (q == std::string_view::npos)
                q = row_.size();
            cell = row_.substr(p_, q - p_);
            p_ = q;
        }
        if (p_ >= row_.size())
            done_ = true;
        else
            ++p_; // past the delimiter; a delimiter at the end leaves one empty cell
        return Result::cell;
    }

private:
    std::string_view row_;
    char delim_;
    std::size_t p_ = 0;
    bool done_ = false;
};

} // namespace

namespace detail {

bool csv_number(std::string_view s) {
    std::size_t i = 0;
    std::size_t n = s.size();
    if (i < n && s[i] == '-')
        ++i;
    if (i == n)
        return false;
    if (s[i] == '0') {
        ++i;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && is_digit(s[i]))
            ++i;
    } else {
        return false;
    }
    bool integer = true;
    if (i < n && s[i] == '.') {
        integer = false;
        std::size_t digits = ++i;
        while (i < n && is_digit(s[i]))
            ++i;
        if (i == digits)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        integer = false;
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            ++i;
        std::size_t digits = i;
        while (i < n && is_digit(s[i]))
            ++i;
        if (i == digits)
            return false;
    }
    if (i != n)
        return false;
    // The grammar is JSON's; the range is what simdjson 3.0.1 accepts (64-bit integers,
    // finite doubles), so a record built from the cell always parses.
    const char* end = s.data() + n;
    if (integer) {
        if (s[0] == '-') {
            std::int64_t v = 0;
            auto r = std::from_chars(s.data(), end, v);
            return r.ec == std::errc() && r.ptr == end;
        }
        std::uint64_t v = 0;
        auto r = std::from_chars(s.data(), end, v);
        return r.ec == std::errc() && r.ptr == end;
    }
    double d = 0;
    auto r = std::from_chars(s.data(), end, d);
    return r.ec == std::errc() && r.ptr == end;
}

} // namespace detail

CsvReader::CsvReader(std::unique_ptr<ByteSource> src, std::string_view source_name, CsvOptions opts)
    : src_(std::move(src))
    , opts_(opts) {
    source_id_ = sources_.intern(source_name);
    char d = opts_.delimiter;
    if (d == '"' || d == '\n' || d == '\r')
        throw Error(Exit::usage, "CSV delimiter cannot be a quote or a line break");
}

bool CsvReader::fill() {
    // Move the pending row to the front, then make room for a block after it.
    if (begin_ > 0) {
        std::memmove(in_.data(), in_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        scan_ -= begin_;
        begin_ = 0;
    }
    if (in_.size() < end_ + block_size + record_padding)
        in_.resize(end_ + block_size + record_padding);
    std::size_t n = src_->read(in_.data() + end_, block_size);
    end_ += n;
    return n > 0;
}

CsvReader::Step CsvReader::next_row(std::string_view& row) {
    const char delim = opts_.delimiter;
    for (;;) {
        // Find the end of the pending row: an LF outside quotes. The state survives
        // between blocks, so a long row is scanned once.
        const char* d = in_.data();
        std::size_t i = scan_;
        Scan st = state_;
        bool found = false;
        for (; i < end_ && !found; ++i) {
            char c = d[i];
            switch (st) {
            case Scan::field_start:
                if (c == '"') {
                    st = Scan::quoted;
                    break;
                }
                [[fallthrough]];
            case Scan::unquoted:
                if (c == '\n')
                    found = true;
                else
                    st = c == delim ? Scan::field_start : Scan::unquoted;
                break;
            case Scan::quoted:
                if (c == '"')
                    st = Scan::quote_in_quoted;
                else if (c == '\n')
                    ++row_lines_;
                break;
            case Scan::quote_in_quoted:
                if (c == '"')
                    st = Scan::quoted;
                else if (c == '\n')
                    found = true;
                else
                    st = c == delim ? Scan::field_start : Scan::unquoted;
                break;
            }
        }
        scan_ = i;
        state_ = st;

        if (found || (eof_ && begin_ < end_)) {
            // A whole row: [begin_, stop) plus its LF, if any.
            std::size_t stop = found ? i - 1 : end_;
            std::size_t len = stop - begin_;
            if (len > 0 && d[stop - 1] == '\r')
                --len;
            row = std::string_view(d + begin_, len);
            row_line_ = line_;
            row_offset_ = consumed_;
            line_ += row_lines_ + (found ? 1 : 0);
            consumed_ += scan_ - begin_;
            begin_ = scan_;
            state_ = Scan::field_start;
            row_lines_ = 0;
            if (skipping_) {
                skipping_ = false; // the tail of a too-long row, already reported
                continue;
            }
            if (row.empty())
                continue;
            if (row.size() > opts_.max_record) {
                row = row.substr(0, opts_.max_record);
                return Step::too_long;
            }
            return Step::row;
        }

        if (skipping_) {
            // Drop what was scanned of a too-long row; only the scan state matters.
            consumed_ += end_ - begin_;
            begin_ = end_;
        } else if (end_ - begin_ > opts_.max_record) {
            row = std::string_view(d + begin_, opts_.max_record);
            row_line_ = line_;
            row_offset_ = consumed_;
            skipping_ = true;
            return Step::too_long;
        }

        if (eof_)
            return Step::end;
        // Let the loop flush before a read that may block.
        if (!idle_sent_ && !src_->ready()) {
            idle_sent_ = true;
            return Step::idle;
        }
        idle_sent_ = false;
        if (!fill())
            eof_ = true;
    }
}

void CsvReader::read_header(std::string_view row) {
    std::string_view name = sources_.name(source_id_);
    if (row.substr(0, 3) == "\xEF\xBB\xBF")
        row.remove_prefix(3);
    if (!simdjson::validate_utf8(row.data(), row.size()))
        throw Error(Exit::data, "'{}': CSV header is not valid UTF-8", name);
    Cells cells(row, opts_.delimiter);
    std::string_view cell;
    std::string_view error;
    bool quoted = false;
    for (;;) {
        Cells::Result r = cells.next(cell_, cell, quoted, error);
        if (r == Cells::Result::end)
            break;
        if (r == Cells::Result::bad)
            throw Error(Exit::data, "'{}': CSV header: {}", name, error);
        for (const std::string& c : columns_)
            if (c == cell)
                throw Error(Exit::data, "'{}': CSV header names column '{}' twice", name, cell);
        columns_.emplace_back(cell);
        std::string key;
        append_json_string(key, cell);
        key += ':';
        keys_.push_back(std::move(key));
    }
    header_done_ = true;
}

InputKind CsvReader::reject(InputEvent& ev, std::string_view raw, Reason r,
                            std::string_view detail) {
    ev.kind = InputKind::invalid;
    ev.record = Record{raw, no_timestamp, source_id_, row_line_, row_offset_};
    ev.reason = r;
    ev.detail = detail;
    return ev.kind;
}

InputKind CsvReader::build(std::string_view row, InputEvent& ev) {
    if (!simdjson::validate_utf8(row.data(), row.size()))
        return reject(ev, row, Reason::invalid_utf8, "invalid UTF-8");

    out_.clear();
    out_ += '{';
    Cells cells(row, opts_.delimiter);
    std::string_view cell;
    std::string_view error;
    bool quoted = false;
    std::size_t n = 0;
    for (;;) {
        Cells::Result r = cells.next(cell_, cell, quoted, error);
        if (r == Cells::Result::end)
            break;
        if (r == Cells::Result::bad) {
            detail_.clear();
            fmt::format_to(std::back_inserter(detail_), "field {}: {}", n + 1, error);
            return reject(ev, row, Reason::bad_csv, detail_);
        }
        if (n < columns_.size()) {
            if (n > 0)
                out_ += ',';
            out_ += keys_[n];
            if (quoted)
                append_json_string(out_, cell);
            else if (cell.empty())
                out_ += opts_.empty_as_null ? "null" : "\"\"";
            else if (detail::csv_number(cell))
                out_ += cell;
            else
                append_json_string(out_, cell);
        }
        ++n;
    }
    if (n != columns_.size()) {
        detail_.clear();
        fmt::format_to(std::back_inserter(detail_), "row has {} field{}, header has {}", n,
                       n == 1 ? "" : "s", columns_.size());
        return reject(ev, row, Reason::bad_csv, detail_);
    }
    out_ += '}';
    std::size_t len = out_.size();
    out_.resize(len + record_padding); // readable padding after the record (record.hpp)
    ev.kind = InputKind::record;
    ev.record = Record{std::string_view(out_.data(), len), no_timestamp, source_id_, row_line_,
                       row_offset_};
    return ev.kind;
}

InputKind CsvReader::next(InputEvent& ev) {
    for (;;) {
        std::string_view row;
        switch (next_row(row)) {
        case Step::idle:
            ev.kind = InputKind::idle;
            return ev.kind;
        case Step::end:
            ev.kind = InputKind::end;
            return ev.kind;
        case Step::too_long:
            if (!header_done_)
                throw Error(Exit::data, "'{}': CSV header longer than {} bytes",
                            sources_.name(source_id_), opts_.max_record);
            detail_.clear();
            fmt::format_to(std::back_inserter(detail_), "row longer than {} bytes",
                           opts_.max_record);
            return reject(ev, row, Reason::too_long, detail_);
        case Step::row:
            if (!header_done_) {
                read_header(row);
                continue;
            }
            return build(row, ev);
        }
    }
}

} // namespace weir
