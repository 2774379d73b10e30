#pragma once

// Path templates of weir-fanout destinations, Hive style:
//
//   out/date={event_time:%Y-%m-%d}/type={event_type}/part.ndjson
//
// Literal text, and fields in braces: `{PATH}` (a dotted field path, json/field_path.hpp)
// or `{PATH:FORMAT}`, where the field is read as a time (RFC 3339 string or epoch
// number, time/event_time.hpp) and written with a strftime-like FORMAT (%Y %m %d %H %M
// %S %j %%; UTC). `{{` and `}}` are literal braces.
//
// Field values become path text as Hive writes partition values:
// - strings as they are, numbers and booleans as their JSON text, objects and arrays
//   as minified JSON;
// - missing, null, the empty string, and a time field that is not a time give
//   `__HIVE_DEFAULT_PARTITION__`;
// - bytes that cannot or should not appear in a file name are %XX-escaped (Hive's
//   list: control bytes, `"#%'*/:=?\{[]^` and DEL; also a leading `.`, so no value
//   makes a hidden file, `.` or `..`);
// - a value longer than 200 bytes is cut to 180 and given `~` and 16 hex digits of a
//   hash of the whole value, so it still fits in a file name and stays distinct.
//
// render() writes into a caller's reused buffer and allocates nothing once warm.

#include "json/field_path.hpp"
#include "json/field_resolver.hpp"
#include "time/timestamp.hpp"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace weir {

class PathTemplate {
public:
    // Parses `text`. `where` names it in errors. Throws Error(Exit::usage) for an
    // unclosed brace, an empty or bad field path, or an unknown % conversion.
    static PathTemplate parse(std::string_view text, std::string_view where);

    const std::string& text() const { return text_; }

    // No fields: the template is one fixed path.
    bool is_static() const { return fields_.empty(); }

    // The longest literal prefix (up to the first field): for static templates, the path.
    std::string_view literal_prefix() const;

    // Renders the path for one record: `root` is the parsed record. `out` is cleared.
    void render(simdjson::dom::element root, std::string& out);

    // The fields the template reads, in order.
    std::vector<FieldPath> fields() const;

private:
    struct Piece {
        std::string literal; // text before the field (or the tail, for the last piece)
        bool has_field = false;
        std::size_t slot = 0; // in resolver_
        std::string format;   // empty: the value as is; else a time format
    };

    std::string text_;
    std::vector<Piece> pieces_;
    std::vector<FieldPath> fields_;
    FieldResolver resolver_;
    std::string value_; // scratch: a value's text before escaping
};

// Appends `value` to `out` escaped for one path component (rules above).
void append_path_value(std::string& out, std::string_view value);

// Appends `t` formatted by `format` (%Y %m %d %H %M %S %j %%), UTC.
void append_time_format(std::string& out, Timestamp t, std::string_view format);

// The text Hive uses for a missing or null partition value.
inline constexpr std::string_view default_partition = "__HIVE_DEFAULT_PARTITION__";

} // namespace weir
