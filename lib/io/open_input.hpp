#pragma once

// open_input(): the one way tools open an input argument. "-" is stdin; anything else
// is a path. Compressed inputs are recognised by their magic bytes, not their names, so
// `weir cat < x.gz` works as well as `weir cat x.gz`; the result is a ByteSource that
// yields decompressed bytes. With `follow`, a path is read like `tail -F` instead (no
// decompression: a growing compressed file cannot be followed).

#include "io/byte_source.hpp"
#include "io/follow_source.hpp"

#include <memory>
#include <string>

namespace weir {

struct OpenOptions {
    bool decompress = true; // detect gzip / zstd by magic bytes and wrap
    bool follow = false;    // paths become FollowSources (stdin is read as is)
    FollowOptions follow_options;
};

// Opens `path` ("-": stdin, named "<stdin>"). Throws Error(Exit::no_input):
//   "cannot open 'x': No such file or directory" (or another errno text)
//   "'x' is a directory"
// With `follow`, a missing path is not an error: it is waited for.
std::unique_ptr<ByteSource> open_input(const std::string& path, const OpenOptions& opts = {});

// Wraps `src` in a GzipSource or ZstdSource when its first bytes are a gzip or zstd
// magic number (peek(), so nothing is consumed); otherwise returns it unchanged.
std::unique_ptr<ByteSource> wrap_decompress(std::unique_ptr<ByteSource> src);

} // namespace weir
