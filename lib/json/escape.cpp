#include "json/escape.hpp"

#include <array>
#include <cstdint>

namespace weir {

namespace {

// 0: copy as is; otherwise the letter after the backslash, or 'u' for \u00XX.
constexpr std::array<char, 256> make_escape_table() {
    std::array<char, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[c] = 'u';
    t['\b'] = 'b';
    t['\f'] = 'f';
    t['\n'] = 'n';
    t['\r'] = 'r';
    t['\t'] = 't';
    t['"'] = '"';
    t['\\'] = '\\';
    return t;
}

constexpr std::array<char, 256> escape_table = make_escape_table();

// Four hex digits at s[i..i+4), or -1.
long hex4(std::string_view s, std::size_t i) {
    if (i + 4 > s.size())
        return -1;
    long v = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
        int h = hex_value(s[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

} // namespace

std::size_t count_code_points(std::string_view utf8) {
    std::size_t n = 0;
    for (char c : utf8)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0; // start of the current run of plain bytes
    for (std::size_t i = 0; i < s.size(); ++i) {
        char e = escape_table[static_cast<unsigned char>(s[i])];
        if (e == 0)
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', e, '0', '0', 0, 0};
        if (e == 'u') {
            auto c = static_cast<unsigned char>(s[i]);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xF];
            out.append(esc, 6);
        } else {
            out.append(esc, 2);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void append_unescaped_json(std::string& out, std::string_view body) {
    std::size_t i = 0;
    while (i < body.size()) {
        std::size_t bs = body.find('\\', i);
        if (bs == std::string_view::npos || bs + 1 == body.size()) {
            out.append(body.substr(i));
            return;
        }
        out.append(body.substr(i, bs - i));
        char e = body[bs + 1];
        i = bs + 2;
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            long cp = hex4(body, i);
            if (cp < 0) {
                out.append(body.substr(bs, 2));
                break;
            }
            i += 4;
            // A high surrogate followed by a low one encodes one code point.
            if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < body.size() && body[i] == '\\' &&
                body[i + 1] == 'u') {
                long lo = hex4(body, i + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            append_utf8(out, static_cast<std::uint32_t>(cp));
            break;
        }
        default:
            out += e;
            break; // \" \\ \/
        }
    }
}

} // namespace weir
