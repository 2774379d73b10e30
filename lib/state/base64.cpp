#include "state/base64.hpp"

#include <array>
#include <cstdint>

namespace weir {

namespace {

constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The value of each base64 digit, or -1; built once from `digits` so the two never disagree.
constexpr std::array<std::int8_t, 256> digit_values = [] {
    std::array<std::int8_t, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(digits[i])] = static_cast<std::int8_t>(i);
    return t;
}();

std::uint32_t byte_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]);
}

} // namespace

void append_base64(std::string& out, std::string_view in) {
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        std::uint32_t n = byte_at(in, i) << 16 | byte_at(in, i + 1) << 8 | byte_at(in, i + 2);
        out += digits[n >> 18];
        out += digits[(n >> 12) & 63];
        out += digits[(n >> 6) & 63];
        out += digits[n & 63];
    }
    if (std::size_t rest = in.size() - i; rest > 0) {
        std::uint32_t n = byte_at(in, i) << 16;
        if (rest == 2)
            n |= byte_at(in, i + 1) << 8;
        out += digits[n >> 18];
        out += digits[(n >> 12) & 63];
        out += rest == 2 ? digits[(n >> 6) & 63] : '=';
        out += '=';
    }
}

std::optional<std::string> decode_base64(std::string_view in) {
    if (in.size() % 4 != 0)
        return std::nullopt;
    std::size_t pad = 0;
    if (!in.empty() && in.back() == '=')
        pad = in.size() >= 2 && in[in.size() - 2] == '=' ? 2 : 1;
    std::string out;
    out.reserve(in.size() / 4 * 3);
    for (std::size_t i = 0; i < in.size(); i += 4) {
        bool last = i + 4 == in.size();
        std::size_t used = last ? 4 - pad : 4; // digits in this group
        std::uint32_t n = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            std::int8_t d = j < used ? digit_values[static_cast<unsigned char>(in[i + j])] : 0;
            if (d < 0)
                return std::nullopt; // also catches '=' before the final group
            n = n << 6 | static_cast<std::uint32_t>(d);
        }
        out += static_cast<char>(n >> 16);
        if (used >= 3)
            out += static_cast<char>((n >> 8) & 0xff);
        if (used == 4)
            out += static_cast<char>(n & 0xff);
        // Unused bits of a padded group must be zero: one encoding per byte string.
        if ((used == 2 && (n & 0xffff) != 0) || (used == 3 && (n & 0xff) != 0))
            return std::nullopt;
    }
    return out;
}

} // namespace weir
