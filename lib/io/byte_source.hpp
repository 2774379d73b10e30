#pragma once

// A source of bytes: a file, stdin, a pipe, a FIFO, or a decompressor over one of those.
// Readers (wire/) pull large blocks from it. Everything that differs between kinds of
// input (compression, following a growing file, pipe buffer sizes) hides behind this.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace weir {

// A regular, uncompressed file that a reader may map (io/mapped_window.hpp) instead of
// reading: its descriptor, and the file offset of the next byte read() would return.
struct MappableFile {
    int fd = -1;
    std::uint64_t offset = 0;
};

class ByteSource {
public:
    virtual ~ByteSource() = default;

    // Reads up to n bytes into buf; returns 0 only at end of input. Blocks until at
    // least one byte (or end) is available. Throws Error(Exit::io) naming the source on a
    // read error, and Error(Exit::data) for a corrupt compressed stream, saying where it
    // broke (bytes already returned stay valid: what was read is kept).
    std::size_t read(char* buf, std::size_t n);

    // Up to n leading bytes, without consuming them (format detection). Only valid
    // before the first read().
    std::string_view peek(std::size_t n);

    // True when read() would not block (data or end of input ready). Regular files are
    // always ready; pipes are polled with a zero timeout.
    virtual bool ready() = 0;

    // Name for messages: the path as given, or "<stdin>".
    virtual const std::string& name() const = 0;

    // Total decompressed size when known (regular uncompressed file), else 0.
    virtual std::uint64_t size() const { return 0; }

    // Skips n bytes from the current position (resume from a checkpointed offset).
    // Regular uncompressed files seek; everything else reads and discards.
    virtual void skip(std::uint64_t n);

    // The file under this source when a reader may map it instead of calling read(): a
    // regular file read as is (FdSource; not a pipe, a decompressor or a followed file).
    // The offset accounts for peeked bytes not yet consumed, and for skip(). Changes
    // nothing: a reader that maps consumes nothing through the source, and must then use
    // only the mapping (or, if mapping fails before any byte is taken, only read()).
    virtual std::optional<MappableFile> mappable() { return std::nullopt; }

protected:
    virtual std::size_t read_some(char* buf, std::size_t n) = 0;

    // Drops up to n peeked-but-unread bytes (skip() of a subclass that seeks: those
    // bytes were already taken from its descriptor). Returns how many were dropped.
    std::uint64_t skip_peeked(std::uint64_t n);

    // Peeked bytes not yet handed out by read().
    std::size_t peeked_pending() const { return peeked_.size() - peeked_pos_; }

private:
    std::string peeked_; // bytes peeked but not yet consumed
    std::size_t peeked_pos_ = 0;
};

} // namespace weir
