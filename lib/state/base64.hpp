#pragma once

// Base64 (RFC 4648 section 4: the standard alphabet, `=` padding, no line breaks), for
// binary carried inside JSON text: dead-lettered records that are not valid UTF-8
// (run/dead_letter.cpp) and the mergeable sketch state weir-window writes with
// --sketches and reads back with --merge.
//
// The decoder is strict, so every byte string has exactly one accepted encoding: the
// length must be a multiple of 4, `=` may appear only as the last one or two characters,
// the bits a padded group leaves unused must be zero, and nothing else (no whitespace,
// no URL-safe alphabet) is accepted. Input that comes from records is untrusted, and a
// lenient decoder would let two different texts stand for one sketch.

#include <optional>
#include <string>
#include <string_view>

namespace weir {

// Appends the encoding of `in` to `out`. Allocates only when `out` grows.
void append_base64(std::string& out, std::string_view in);

// Decodes `in`; nullopt when it is not canonical base64 as described above.
std::optional<std::string> decode_base64(std::string_view in);

} // namespace weir
