#pragma once

// Decompressing ByteSources: GzipSource (zlib) and ZstdSource (libzstd streaming),
// each wrapping the source of compressed bytes. open_input() picks one by magic bytes
// (gzip 1f 8b, zstd 28 b5 2f fd), so tools read `x.ndjson.gz` like `x.ndjson`.
//
// Both read concatenations as their command-line tools do: gzip members one after
// another, zstd frames (and skippable frames) one after another. gzip's trailing
// garbage after a complete member is ignored, as gzip(1) does (it only warns).
//
// Damage is never silent and never loses data: when the stream is truncated or corrupt,
// read() first returns every byte decompressed so far, then throws
// Error(Exit::data, "'x.gz': compressed data truncated after N bytes (kept what was
// read)") — N counts decompressed bytes returned — and throws it again on every later
// call. weir-ingest catches it, reports it and carries on with the next source.
// Corruption is found where the format can find it: deflate is only checked by the
// member's CRC at its end, so some bytes before a "corrupt" error may already be wrong.

#include "io/byte_source.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

namespace detail {

// What both decompressors share: the inner source, its input buffer, the output count
// and the deferred error.
class DecompressBase : public ByteSource {
public:
    const std::string& name() const override { return inner_->name(); }

    // Decompressed bytes returned so far.
    std::uint64_t decompressed() const { return total_out_; }

protected:
    explicit DecompressBase(std::unique_ptr<ByteSource> inner);

    // Reads more compressed input, keeping the `keep` unconsumed bytes at in_[in_pos_..]
    // in front. Returns false at the inner source's end.
    bool refill();
    // Fails now (returning the bytes already produced first if there are any).
    std::size_t fail(std::size_t produced, const char* what);
    [[noreturn]] void rethrow() const;

    std::unique_ptr<ByteSource> inner_;
    std::vector<char> in_;
    std::size_t in_pos_ = 0; // next unconsumed input byte
    std::size_t in_end_ = 0; // end of valid input
    bool in_eof_ = false;
    std::uint64_t total_out_ = 0;
    std::optional<std::string> error_; // set once the stream is known damaged
};

} // namespace detail

class GzipSource final : public detail::DecompressBase {
public:
    // Throws Error(Exit::internal) if zlib cannot initialise.
    explicit GzipSource(std::unique_ptr<ByteSource> inner);
    ~GzipSource() override;
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;

    // Input already buffered counts as ready; it may not be enough for a whole byte of
    // output, in which case read() waits for the inner source after all.
    bool ready() override;

protected:
    std::size_t read_some(char* buf, std::size_t n) override;

private:
    struct Stream;
    std::unique_ptr<Stream> z_;
    bool member_done_ = false; // between members: Z_STREAM_END seen
};

class ZstdSource final : public detail::DecompressBase {
public:
    // Throws Error(Exit::internal) if libzstd cannot allocate its context.
    explicit ZstdSource(std::unique_ptr<ByteSource> inner);
    ~ZstdSource() override;
    ZstdSource(const ZstdSource&) = delete;
    ZstdSource& operator=(const ZstdSource&) = delete;

    bool ready() override;

protected:
    std::size_t read_some(char* buf, std::size_t n) override;

private:
    void* ds_;                // ZSTD_DStream*, kept out of the header
    bool at_boundary_ = true; // no frame half-decoded
};

// True when `head` starts with the gzip / zstd magic bytes.
bool is_gzip_magic(std::string_view head);
bool is_zstd_magic(std::string_view head);

} // namespace weir
