#pragma once

// Join keys: the values of the key fields of a record or a row, encoded as bytes so
// that equal keys are equal byte strings (the hash index compares bytes). Used by both
// sides of a join, so they agree by construction.
//
// Each part is a kind tag and a canonical text: strings as their unescaped bytes,
// integers in decimal, other numbers in the shortest round-trip form (so 3.0 and 3 are
// one key), booleans as true/false. A string "42" and the number 42 differ unless
// `loose`, which encodes numbers and booleans as strings of their text. Parts are
// separated so that ("a","bc") differs from ("ab","c"). Objects and arrays are not keys.
//
// Layout, per part: a tag byte ('s' string, 'n' number, 'b' boolean; 's' for all three
// when loose), then for every part but the last the text's length (LEB128), then the
// text. A one-part key is thus its tag and its text: "sabc", "n42". Integral doubles
// within 64 bits print as integers (3.0 -> "3", 1e19 -> "10000000000000000000", -0.0 ->
// "0"); other doubles in std::to_chars' shortest form ("0.1", "1e+300").
//
// No allocation once `out` has grown to the longest key.

#include "json/document.hpp"

#include <string>

namespace weir {

enum class KeyResult { ok, missing, null, not_scalar };

// Appends the encoding of one key made of `n` parts to `out` (cleared first). Returns
// ok, or why the value cannot be a key (out is then unspecified).
KeyResult encode_key(const FieldValue* parts, std::size_t n, bool loose, std::string& out);

} // namespace weir
