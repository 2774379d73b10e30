#pragma once

// Where a record came from, for messages and dead-letter records: "events.ndjson:42".
// In frames mode this is the original source position carried in the frame, so a tool
// far down a pipe still points at the file and line a user can open.

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace weir {

struct Position {
    std::string_view source;  // file name, label, or "<stdin>"
    std::uint64_t line = 0;   // 1-based; 0 when unknown
    std::uint64_t offset = 0; // byte offset in the source
};

} // namespace weir

template <>
struct fmt::formatter<weir::Position> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const weir::Position& p, FormatContext& ctx) const {
        if (p.line == 0)
            return fmt::format_to(ctx.out(), "{}", p.source);
        return fmt::format_to(ctx.out(), "{}:{}", p.source, p.line);
    }
};
