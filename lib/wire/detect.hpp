#pragma once

// Input format detection: frames are recognised by their magic header (whose first byte
// can never begin text); everything else is NDJSON, or CSV when asked for. Compression
// (gzip, zstd) is peeled off before this, by io/open_input.

#include "io/byte_source.hpp"
#include "wire/reader.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace weir {

enum class InputFormat { auto_, ndjson, frames, csv };

// Throws Error(Exit::usage) for an unknown name.
InputFormat parse_input_format(std::string_view name);

struct ReaderOptions {
    InputFormat format = InputFormat::auto_;
    std::size_t max_record = 16 << 20;
    std::string source_name;        // default: the ByteSource's name
    std::uint64_t start_offset = 0; // resume: the source was skipped to here
    std::uint64_t start_line = 0;
    std::size_t buffer_size = std::size_t{1} << 20; // bytes read at a time
};

// A reader for `src` in the given (or detected) format. --format ndjson on a frames
// stream is an error naming the source (Exit::usage), not garbage records.
std::unique_ptr<RecordReader> make_reader(std::unique_ptr<ByteSource> src,
                                          const ReaderOptions& opts);

} // namespace weir
