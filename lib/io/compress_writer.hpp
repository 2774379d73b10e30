#pragma once

// Compressed output: gzip members or zstd frames appended to an OutputFile, for files
// named *.gz / *.zst. Input is buffered and compressed in 1 MiB chunks (streaming, one
// reused context), so no call per record reaches zlib or libzstd.
//
// end_frame() closes the current gzip member / zstd frame. A file is then a
// concatenation of complete members/frames, which gzip, zstd and weir's readers
// (io/decompress.hpp) read as one stream; cutting the file back to the length it had
// after an end_frame() (checkpoint recovery) leaves it valid. Where frames end depends
// only on the bytes written and on the end_frame() calls, never on timing.

#include <cstdint>
#include <string>
#include <string_view>

struct ZSTD_CCtx_s;
struct z_stream_s;

namespace weir {

class OutputFile;

class CompressWriter {
public:
    enum class Codec { gzip, zstd };

    // Writes to `out` (which must outlive it). level: 0 picks the default (gzip 6,
    // zstd 3). Throws Error(Exit::internal) if the library cannot allocate.
    CompressWriter(OutputFile& out, Codec codec, int level = 0);
    ~CompressWriter(); // writes nothing: call end_frame() first

    CompressWriter(const CompressWriter&) = delete;
    CompressWriter& operator=(const CompressWriter&) = delete;

    void write(std::string_view bytes) {
        if (bytes.size() > capacity - in_.size())
            write_slow(bytes);
        else
            in_.append(bytes);
    }

    // Compresses what is buffered and ends the member/frame; nothing when no byte was
    // written since the last end. Throws what OutputFile throws.
    void end_frame();

private:
    static constexpr std::size_t capacity = 1 << 20;

    void write_slow(std::string_view bytes);
    void compress(bool end); // in_ -> out_, then cleared

    OutputFile& out_;
    Codec codec_;
    int level_;
    bool in_frame_ = false;
    ZSTD_CCtx_s* zstd_ = nullptr;
    z_stream_s* zlib_ = nullptr;
    std::string in_;
    std::string buf_; // compressed output, reused
};

} // namespace weir
