#pragma once

// The frames side of RecordWriter: weir-to-weir pipes and capture files (docs/wire.md).
// Records go into a data batch in a reusable buffer, laid out exactly as they travel
// (32-byte record header, then the JSON bytes), so write() is two memcpys and no
// allocation once the buffer has grown to batch size. A batch leaves as one data frame,
// optionally zstd-compressed, when it reaches batch_bytes, before any control frame, and
// on flush().
//
// Key invariant: the stream stays in the order the caller gave. A source frame precedes
// the first record that uses its id; records written before barrier(), watermark() or
// end() precede that control frame. So a watermark or barrier cuts the batch: callers
// should send them at a coarse rate (per epoch, per watermark advance), not per record.
//
// The stream header goes out with the first frame (or the first flush()), and only when
// the output is empty: a checkpointed run that resumes an existing capture file (cut
// back to a frame boundary) continues the stream already there, declaring its sources
// again from id 0.

#include "io/output_file.hpp"
#include "wire/frame_format.hpp"
#include "wire/writer.hpp"

#include <cstdint>
#include <memory>

struct ZSTD_CCtx_s;

namespace weir {

struct FrameWriterOptions {
    std::size_t batch_bytes = 256 << 10; // emit a data frame once a batch holds this much
    int zstd_level = 0; // 0: no compression; else a zstd level (negative: fast levels)
};

class FrameWriter final : public RecordWriter {
public:
    // Writes to `out`, naming sources from `sources`; both must outlive the writer.
    // Sources may be added to the table while writing. Writes nothing yet. Throws
    // Error(Exit::usage) for a zstd level out of zstd's range.
    FrameWriter(OutputFile& out, const SourceTable& sources, FrameWriterOptions opts = {});
    ~FrameWriter() override; // writes nothing: call end() or flush() first

    FrameWriter(const FrameWriter&) = delete;
    FrameWriter& operator=(const FrameWriter&) = delete;

    // Appends r to the batch (declaring r.source first if it is new to the stream). A
    // source id not in the table is written undeclared (readers name it "<unknown>").
    // Throws Error(Exit::internal) for JSON longer than max_record_bytes or a write after
    // end(), and what OutputFile throws.
    void write(const Record& r) override;

    // Emit the pending batch, then the control frame. A watermark equal to the last one
    // written is dropped (it says nothing new). end() also flushes; later calls to end()
    // do nothing.
    void barrier(std::uint64_t epoch) override;
    void watermark(Timestamp wm) override;
    void end() override;

    // Emits the pending batch (and the stream header if not yet written), then
    // out.flush(). Throws what OutputFile throws.
    void flush() override;

    // Counters for metrics and tests.
    std::uint64_t frames_written() const { return frames_; }

    std::uint64_t records_written() const { return records_; }

private:
    void ensure_header();
    void declare_sources(std::uint32_t upto);
    void emit_batch();
    void emit_small(FrameKind kind, const char* payload, std::size_t size);
    void grow_batch(std::size_t need);

    OutputFile& out_;
    const SourceTable& sources_;
    FrameWriterOptions opts_;
    bool header_written_ = false;
    bool ended_ = false;
    std::uint32_t declared_ = 0; // ids [0, declared_) are declared in this stream
    Timestamp last_watermark_ = no_timestamp;
    bool have_watermark_ = false;

    // The batch: frame_header_size bytes reserved for the header, then records.
    std::unique_ptr<char[]> batch_;
    std::size_t batch_cap_ = 0;
    std::size_t batch_used_ = 0; // including the reserved header
    std::size_t batch_records_ = 0;

    // Compression: a reused context and output buffer (header space, then the zstd frame).
    ZSTD_CCtx_s* cctx_ = nullptr;
    std::unique_ptr<char[]> zbuf_;
    std::size_t zbuf_cap_ = 0;

    std::uint64_t frames_ = 0;
    std::uint64_t records_ = 0;
};

} // namespace weir
