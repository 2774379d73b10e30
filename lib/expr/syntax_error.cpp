#include "expr/syntax_error.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace weir::expr::detail {

namespace {

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        auto b = static_cast<unsigned char>(s[i + k]);
        if (!is_continuation(b))
            return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms, surrogates, and beyond U+10FFFF.
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

// Code points in s[0, end), counting each invalid byte as one.
std::size_t columns(std::string_view s, std::size_t end) {
    std::size_t n = 0;
    std::size_t i = 0;
    while (i < end && i < s.size()) {
        std::size_t len = utf8_sequence(s, i);
        i += len == 0 ? 1 : len;
        ++n;
    }
    return n + (end > s.size() ? end - s.size() : 0);
}

// The source as one displayable line: control characters become blanks, invalid bytes '?'.
std::string displayable(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len = utf8_sequence(s, i);
        if (len == 0) {
            out += '?';
            ++i;
        } else if (len == 1 && (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7F)) {
            out += ' ';
            ++i;
        } else {
            out.append(s.substr(i, len));
            i += len;
        }
    }
    return out;
}

} // namespace

void fail(std::size_t pos, std::size_t len, std::string what) {
    throw SyntaxError{pos, len, std::move(what)};
}

std::string format_syntax_error(std::string_view where, std::string_view source,
                                const SyntaxError& e) {
    std::size_t pos = std::min(e.pos, source.size());
    std::size_t col = columns(source, pos);
    std::size_t width = std::max<std::size_t>(1, columns(source, pos + e.len) - col);
    // `what` may quote source text, control characters included: shown the same way.
    return fmt::format("{}: {} at column {}\n  {}\n  {}{}", where, displayable(e.what), col + 1,
                       displayable(source), std::string(col, ' '), std::string(width, '^'));
}

std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len = utf8_sequence(s, i);
        if (len == 0)
            return i;
        i += len;
    }
    return std::string_view::npos;
}

} // namespace weir::expr::detail
