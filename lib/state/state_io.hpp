#pragma once

// StateWriter / StateReader: how an operator (or a source) turns its State into bytes for
// a checkpoint snapshot and back. The encoding is self-describing: every value carries a
// type tag and a field name, so `weir checkpoint show` can print any stage's state as
// readable JSON without knowing the tool, and a reader that expects another layout fails
// with a clear message instead of loading garbage.
//
// Writers and readers must visit the fields in the same order. Bulk data (a dedup table
// of 100M fingerprints) goes in one `bytes` value, not one value per key.
//
//   w.u64("offset", off);            r.u64("offset")
//   w.begin_list("sources", n);      n = r.begin_list("sources");
//     w.str("path", p); ...            p = r.str("path"); ...
//   w.end_list();                    r.end_list();

#include "time/timestamp.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

class StateWriter {
public:
    void u64(std::string_view name, std::uint64_t v);
    void i64(std::string_view name, std::int64_t v);
    void f64(std::string_view name, double v);
    void boolean(std::string_view name, bool v);
    void str(std::string_view name, std::string_view v);   // UTF-8 text
    void bytes(std::string_view name, std::string_view v); // opaque binary
    void begin_list(std::string_view name, std::uint64_t count);
    void end_list();
    void begin_object(std::string_view name);
    void end_object();

    const std::string& data() const { return out_; }

    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class StateReader {
public:
    explicit StateReader(std::string_view data) : in_(data) {}

    // Each reads the next value, checking its tag and name. A mismatch or truncated
    // data throws Error(Exit::temp_fail) with a message naming the field expected.
    std::uint64_t u64(std::string_view name);
    std::int64_t i64(std::string_view name);
    double f64(std::string_view name);
    bool boolean(std::string_view name);
    std::string str(std::string_view name);
    std::string_view bytes(std::string_view name); // view into the data
    std::uint64_t begin_list(std::string_view name);
    void end_list();
    void begin_object(std::string_view name);
    void end_object();

    bool at_end() const { return pos_ == in_.size(); }

private:
    std::string_view in_;
    std::size_t pos_ = 0;
};

// Renders encoded state as JSON (for `weir checkpoint show`): objects for objects,
// arrays for lists, bytes as {"bytes": N, "xxh64": "..."}. Throws Error(Exit::temp_fail)
// on malformed data.
std::string state_to_json(std::string_view data);

} // namespace weir
