#pragma once

// LEB128 unsigned varints, the one length/number encoding of weir's own byte formats
// (snapshots, group and join keys, key arenas): 7 bits a byte, low bits first, the high
// bit set on every byte but the last; at most 10 bytes for 64 bits.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

// Writes v into buf (room for 10 bytes); returns the bytes written.
inline std::size_t encode_varint(char* buf, std::uint64_t v) {
    std::size_t k = 0;
    while (v >= 0x80) {
        buf[k++] = static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    buf[k++] = static_cast<char>(v);
    return k;
}

inline void append_varint(std::string& out, std::uint64_t v) {
    char buf[10];
    out.append(buf, encode_varint(buf, v));
}

// Reads a varint at `pos`, moving `pos` past it. False when the bytes run out first or
// encode more than 64 bits (damaged input).
inline bool read_varint(std::string_view in, std::size_t& pos, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.size())
            return false;
        auto b = static_cast<unsigned char>(in[pos++]);
        if (shift == 63 && b > 1)
            return false;
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0)
            return true;
    }
    return false;
}

} // namespace weir
