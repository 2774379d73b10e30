#pragma once

// Compile-time errors of the expression language, and the one message format they are
// shown in (docs/expr.md, "Errors"):
//
//   --rule big_spend: unknown function 'lenn' at column 1
//     lenn(name) > 3
//     ^^^^
//
// The lexer and parser throw SyntaxError with a byte range of the source; Expr::compile
// turns it into weir::Error(Exit::usage, format_syntax_error(...)). Columns count
// Unicode code points from 1, so the caret sits under the right character whatever
// the bytes before it.

#include <cstddef>
#include <string>
#include <string_view>

namespace weir::expr::detail {

struct SyntaxError {
    std::size_t pos; // byte offset of the offending text; == source size at the end
    std::size_t len; // its length in bytes (the caret line covers it; at least one caret)
    std::string what;
};

[[noreturn]] void fail(std::size_t pos, std::size_t len, std::string what);

// "<where>: <what> at column N\n  <source>\n  <carets>" (no trailing newline). Control
// characters and bytes that are not UTF-8 are shown as blanks and '?' so the
// message stays one readable line per part and the caret stays aligned.
std::string format_syntax_error(std::string_view where, std::string_view source,
                                const SyntaxError& e);

// Offset of the first byte of `s` that does not belong to valid UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or npos.
std::size_t first_invalid_utf8(std::string_view s);

} // namespace weir::expr::detail
