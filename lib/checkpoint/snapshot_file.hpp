#pragma once

// The bytes of one snapshot file, DIR/<stage>/epoch-<20 digits>.snap (the layout is
// specified in weir-checkpoint(5)). A file is only trusted after its checksum matches:
// a torn or bit-rotted snapshot is reported, never loaded.
//
//   offset  size  field
//   0       8     magic "WEIRSNAP"
//   8       4     format version (little endian; this weir writes 1)
//   12      4     flags (0; reserved)
//   16      8     length of the body once decompressed
//   24      8     length of the compressed body that follows the header
//   32      8     XXH3-64 of bytes 0..31 followed by the compressed body
//   40      ...   the body: one zstd frame
//
// The body is itself StateWriter data (self-describing), holding the Snapshot's fields
// in order: epoch, tool, op_name, state_version, meaning_flags, file_lengths,
// source_state, op_state. So `weir checkpoint show` can print it without knowing the
// tool.
//
// This module does no I/O; stage.cpp and inspect.cpp read and write the files.

#include "checkpoint/stage.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir {

inline constexpr std::uint32_t snapshot_format_version = 1;

// The whole file for `s`. Throws Error(Exit::internal) if compression fails.
std::string encode_snapshot(const Snapshot& s);

// Checks and decodes a whole file. On success fills `out` and returns true; otherwise
// leaves `out` unspecified, sets `why` to what is wrong ("checksum mismatch", "not a
// weir snapshot", "truncated", "format version 9 is newer than this weir reads (1)")
// and returns false. Never throws for bad data.
bool decode_snapshot(std::string_view file, Snapshot& out, std::string& why);

// "epoch-00000000000000000042.snap": zero padded so names sort in epoch order.
std::string snapshot_file_name(std::uint64_t epoch);

// The epoch of a snapshot file name; nullopt for any other name (temp files, set-aside
// damaged files, the lock).
std::optional<std::uint64_t> parse_snapshot_file_name(std::string_view name);

} // namespace weir
