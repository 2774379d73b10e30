#pragma once

// Adding fields to a record without re-serializing it (DESIGN.md, "Records and the
// wire"): the new members are spliced in before the record's closing brace, and every
// other byte of the record stays as it was.
//
// Names that already exist. By default (SpliceMode::replace) a top-level member of the
// same name is cut out of the record first, so the output never holds a name twice; the
// new member then comes last, and the rest of the record is untouched. This costs one
// scan of the record per added field, skipped when the name plainly does not occur in
// the record. SpliceMode::append skips that work and appends whatever the record holds,
// which can yield duplicate names: legal JSON, read as the last one by jq, JavaScript,
// Python and weir's own lookup() (json/document.hpp). Use it only for names the caller
// knows are new.
//
// A Splicer owns one buffer, reused for every record: after warm-up it allocates
// nothing. Usage, per record:
//
//     splicer.begin(rec.json);
//     splicer.add_string("window_start", ts_text);
//     splicer.add_int("count", n);
//     std::string_view out = splicer.finish();

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

enum class SpliceMode : std::uint8_t {
    replace, // remove top-level members of the same name first (default)
    append,  // append only; duplicate names possible
};

class Splicer {
public:
    explicit Splicer(SpliceMode mode = SpliceMode::replace) : mode_(mode) {}

    // Starts a new record. `record_json` must be one validated JSON object (a Record's
    // bytes); whitespace around it and before its closing brace is kept. It is copied,
    // so it need not outlive the call.
    void begin(std::string_view record_json);

    // Replace or append, for the members added from now on: a caller that knows the
    // record lacks the field (from its parsed DOM) appends and saves the scan.
    void set_mode(SpliceMode mode) { mode_ = mode; }

    // Adds a member already encoded as `"name":value` (cached by callers that add the
    // same member to many records); `name` is its unescaped name, for replace mode.
    void add_encoded(std::string_view name, std::string_view encoded_member);

    // Adds member `name` with `json_value`, which must be valid JSON text (it is copied
    // as is; nothing checks it).
    void add_raw(std::string_view name, std::string_view json_value);

    void add_string(std::string_view name, std::string_view value); // escaped here
    void add_int(std::string_view name, std::int64_t value);
    void add_uint(std::string_view name, std::uint64_t value);
    void add_double(std::string_view name, double value); // NaN, inf: null
    void add_bool(std::string_view name, bool value);
    void add_null(std::string_view name);

    // Closes the record and returns it. The view is followed by record_padding readable
    // bytes (a valid Record) and stays valid until the next begin().
    std::string_view finish();

private:
    void key(std::string_view name);
    void remove(std::string_view name);

    SpliceMode mode_;
    bool has_members_ = false;
    std::string buf_;     // the record without its closing brace, then the new members
    std::string tail_;    // whitespace after the record's closing brace
    std::string key_;     // scratch: the quoted name
    std::string scratch_; // scratch: unescaped member names
};

} // namespace weir
