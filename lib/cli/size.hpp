#pragma once

// Byte sizes on the command line: "16MiB", "500M", "1G", "4096". K/M/G/T are powers of
// 1024 with or without "iB" (as dd and zstd read them); a bare number is bytes.

#include <cstdint>
#include <optional>
#include <string_view>

namespace weir {

std::optional<std::uint64_t> try_parse_size(std::string_view text);

// Throws Error(Exit::usage, "'x' is not a size (e.g. 4096, 64K, 16MiB, 1G)").
std::uint64_t parse_size(std::string_view text);

} // namespace weir
