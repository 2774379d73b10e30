#pragma once

// The lexer of the expression language: source text to tokens, once, at compile time.
// Literals are decoded here (strings unescaped, numbers, durations and timestamps
// parsed with the time/ parsers), so the parser only arranges them. Errors throw
// detail::SyntaxError with the byte range at fault.

#include "time/timestamp.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir::expr::detail {

enum class Tok : std::uint8_t {
    end,
    path,      // a field path: bare (`device.os`) or backtick-quoted; text = FieldPath syntax
    integer,   // i
    number,    // d
    duration,  // i (microseconds)
    string,    // text (unescaped)
    timestamp, // i (microseconds since the epoch)
    kw_true,
    kw_false,
    kw_null,
    kw_in,
    lparen,
    rparen,
    lbracket,
    rbracket,
    comma,
    plus,
    minus,
    star,
    slash,
    percent,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    and_,
    or_,
    not_,
};

struct Token {
    Tok kind = Tok::end;
    std::size_t pos = 0; // byte offset in the source
    std::size_t len = 0; // bytes of source text
    std::string text;
    std::int64_t i = 0;
    double d = 0;
    bool name = false; // a bare path of one plain segment: may name a function
};

// All tokens of `source`, ending with one Tok::end at source.size(). Throws SyntaxError.
std::vector<Token> tokenize(std::string_view source);

} // namespace weir::expr::detail
