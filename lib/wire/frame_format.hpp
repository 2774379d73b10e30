#pragma once

// The layout of weir's framed binary wire, version 1 (docs/wire.md is the specification;
// this header is its code). Writer and reader share these constants and helpers so the
// two sides cannot drift apart.
//
// A stream is a 16-byte stream header (magic, version, reserved bytes) followed by
// frames. Each frame is a 10-byte header `kind u8, flags u8, length u32, checksum u32`
// and `length` payload bytes. All integers are little-endian and unaligned: the helpers
// below load and store them with memcpy, which compiles to one move on x86 and ARM.
//
// Key invariants: no frame payload exceeds max_frame_payload (stored or decompressed),
// so a reader can bound its buffers before reading a byte of it; the checksum covers the
// payload as stored (compressed bytes when compressed), so corruption is caught before
// any decompression or parsing.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace weir {

// 0xFF never occurs in UTF-8, so no NDJSON or CSV text can begin like this; CR LF and
// ^Z catch a stream mangled by newline conversion, as in PNG's signature.
inline constexpr std::array<unsigned char, 8> frame_magic = {0xFF, 'W',  'E',  'I',
                                                             'R',  0x0D, 0x0A, 0x1A};
inline constexpr std::size_t stream_header_size = 16; // magic, version, 7 reserved bytes
inline constexpr std::uint8_t frame_version = 1;

inline constexpr std::size_t frame_header_size = 10;  // kind, flags, length, checksum
inline constexpr std::size_t record_header_size = 32; // len, time, source, line, offset

// Limits shared by both sides. A record carries at most max_record_bytes of JSON (the
// largest --max-record); a frame's payload, stored or decompressed, at most
// max_frame_payload, which leaves room for one largest record in any batch.
inline constexpr std::size_t max_record_bytes = 16 << 20;
inline constexpr std::size_t max_frame_payload = 32 << 20;

enum class FrameKind : std::uint8_t {
    data = 1,      // a batch of records
    source = 2,    // declares source id -> name
    barrier = 3,   // checkpoint barrier: u64 epoch
    watermark = 4, // i64 microseconds
    end = 5,       // end of stream; the last frame
};

// Flag bits of a frame header. Bits not listed here are reserved: writers leave them 0,
// readers refuse a known frame that sets one (it may change the payload's meaning).
inline constexpr std::uint8_t frame_compressed = 0x01; // payload is one zstd frame
inline constexpr std::uint8_t frame_may_skip = 0x02;   // readers that do not know the kind skip it
inline constexpr std::uint8_t frame_known_flags = frame_compressed | frame_may_skip;

// "data", "source", ...; "unknown" for any other value.
std::string_view frame_kind_name(std::uint8_t kind);

// The frame checksum: the low 32 bits of XXH3_64bits over the stored payload.
std::uint32_t frame_checksum(const char* payload, std::size_t size);

// True when `first_bytes` (a peek at the start of an input) looks like a frame stream:
// it is non-empty and agrees with the magic for as many bytes as both have. A stream cut
// inside its magic still counts, so the frame reader, not the NDJSON one, reports it.
bool is_frame_stream(std::string_view first_bytes);

namespace detail {

template <typename T>
inline T load_le(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) {
        auto u = static_cast<std::make_unsigned_t<T>>(v);
        std::make_unsigned_t<T> r = 0;
        for (std::size_t i = 0; i < sizeof u; ++i, u >>= 8)
            r = static_cast<std::make_unsigned_t<T>>((r << 8) | (u & 0xFF));
        v = static_cast<T>(r);
    }
    return v;
}

template <typename T>
inline void store_le(char* p, T v) {
    if constexpr (std::endian::native == std::endian::big) {
        auto u = static_cast<std::make_unsigned_t<T>>(v);
        std::make_unsigned_t<T> r = 0;
        for (std::size_t i = 0; i < sizeof u; ++i, u >>= 8)
            r = static_cast<std::make_unsigned_t<T>>((r << 8) | (u & 0xFF));
        v = static_cast<T>(r);
    }
    std::memcpy(p, &v, sizeof v);
}

} // namespace detail

inline std::uint32_t load_u32(const char* p) {
    return detail::load_le<std::uint32_t>(p);
}

inline std::uint64_t load_u64(const char* p) {
    return detail::load_le<std::uint64_t>(p);
}

inline std::int64_t load_i64(const char* p) {
    return detail::load_le<std::int64_t>(p);
}

inline void store_u32(char* p, std::uint32_t v) {
    detail::store_le(p, v);
}

inline void store_u64(char* p, std::uint64_t v) {
    detail::store_le(p, v);
}

inline void store_i64(char* p, std::int64_t v) {
    detail::store_le(p, v);
}

struct FrameHeader {
    std::uint8_t kind = 0;
    std::uint8_t flags = 0;
    std::uint32_t length = 0;   // stored payload bytes
    std::uint32_t checksum = 0; // frame_checksum() of the stored payload
};

// Reads/writes the frame_header_size bytes at p.
inline FrameHeader load_frame_header(const char* p) {
    return {static_cast<std::uint8_t>(p[0]), static_cast<std::uint8_t>(p[1]), load_u32(p + 2),
            load_u32(p + 6)};
}

inline void store_frame_header(char* p, const FrameHeader& h) {
    p[0] = static_cast<char>(h.kind);
    p[1] = static_cast<char>(h.flags);
    store_u32(p + 2, h.length);
    store_u32(p + 6, h.checksum);
}

// Writes the stream_header_size bytes of a version-1 stream header at p.
void store_stream_header(char* p);

} // namespace weir
