#include "wire/frame_format.hpp"

#include <xxhash.h>

#include <algorithm>

namespace weir {

std::string_view frame_kind_name(std::uint8_t kind) {
    switch (static_cast<FrameKind>(kind)) {
    case FrameKind::data:
        return "data";
    case FrameKind::source:
        return "source";
    case FrameKind::barrier:
        return "barrier";
    case FrameKind::watermark:
        return "watermark";
    case FrameKind::end:
        return "end";
    }
    return "unknown";
}

std::uint32_t frame_checksum(const char* payload, std::size_t size) {
    return static_cast<std::uint32_t>(XXH3_64bits(payload, size));
}

bool is_frame_stream(std::string_view first_bytes) {
    if (first_bytes.empty())
        return false;
    std::size_t n = std::min(first_bytes.size(), frame_magic.size());
    return std::memcmp(first_bytes.data(), frame_magic.data(), n) == 0;
}

void store_stream_header(char* p) {
    std::memcpy(p, frame_magic.data(), frame_magic.size());
    p[frame_magic.size()] = static_cast<char>(frame_version);
    std::memset(p + frame_magic.size() + 1, 0, stream_header_size - frame_magic.size() - 1);
}

} // namespace weir
