#pragma once

// JSON string output. Every string weir writes into a record (spliced fields, CSV
// cells turned into records, keys of aggregates) goes through append_json_string, so
// escaping is done one way everywhere.
//
// The input is taken as UTF-8 and copied as it is, byte for byte, apart from the bytes
// JSON requires escaped: `"`, `\` and the control characters below 0x20. It does not
// validate UTF-8: a caller that builds a record from untrusted bytes validates them
// first (see wire/csv_reader.cpp), so a record's invariant (valid UTF-8) holds.

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

// Appends `s` to `out` as a quoted JSON string: `"` and `\` are backslash-escaped,
// control characters become \n \t \r \b \f or \u00XX. Runs of plain bytes are
// copied in one piece. Allocates only when `out` grows.
void append_json_string(std::string& out, std::string_view s);

// Appends the unescaped text of a JSON string body (the bytes between the quotes of a
// well-formed JSON string) to `out`: \uXXXX pairs become UTF-8. Malformed escapes are
// copied literally; callers pass validated JSON.
void append_unescaped_json(std::string& out, std::string_view body);

// The value of a hex digit (0-9, a-f, A-F), or -1.
int hex_value(char c);

// Code points in valid UTF-8 text: every byte that does not continue a sequence.
std::size_t count_code_points(std::string_view utf8);

// Appends code point `cp` (at most 0x10FFFF) as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);

} // namespace weir
