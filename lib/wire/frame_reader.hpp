#pragma once

// The frames side of RecordReader: reads a stream written by FrameWriter (docs/wire.md)
// and hands out its records and control signals as InputEvents.
//
// It pulls large blocks (1 MiB) from the ByteSource into one buffer and parses frames in
// place: a record of an uncompressed data frame is a view straight into that buffer, a
// record of a compressed one a view into a reusable decompression buffer. Nothing is
// allocated per record, and the JSON is not validated again: frames carry records weir
// already validated, and each frame's checksum is verified before any of it is used.
//
// Key invariant (wire/record.hpp): both buffers keep record_padding spare bytes past
// their usable end that nothing ever fills, so every record's JSON, even the last of a
// frame, has at least record_padding readable bytes after it.
//
// Latency: when no complete frame is buffered and the source is not ready, next()
// returns `idle` once so the run loop can flush; the following call blocks, if need be
// several times, until it has an event: the loop has nothing new to flush meanwhile.
//
// Damage is never a crash: a bad magic, an unsupported version, a checksum mismatch, a
// frame cut short, an unknown frame kind without the may-skip flag or a malformed payload
// each throw Error(Exit::data) saying where. A stream that stops cleanly between frames
// without an end frame (upstream killed) ends normally; saw_end_frame() tells the two
// apart.

#include "io/byte_source.hpp"
#include "wire/frame_format.hpp"
#include "wire/reader.hpp"

#include <cstdint>
#include <memory>

struct ZSTD_DCtx_s;

namespace weir {

class FrameReader final : public RecordReader {
public:
    // Takes ownership of `src`, positioned at the stream header. Reads nothing yet.
    // `block_bytes` is the read size (and initial buffer size); tests make it small.
    explicit FrameReader(std::unique_ptr<ByteSource> src, std::size_t block_bytes = 1 << 20);
    ~FrameReader() override;

    FrameReader(const FrameReader&) = delete;
    FrameReader& operator=(const FrameReader&) = delete;

    // Next record, barrier, watermark, idle or end (see reader.hpp); never `invalid`.
    // Records carry the event time and source position from the frame. Views stay valid
    // until the next call. Throws Error(Exit::data) "<source>: frame at byte N: ..." for a
    // damaged or unsupported stream, and what ByteSource::read throws. After `end` (end
    // frame, or end of input between frames) every call returns `end`.
    InputKind next(InputEvent& ev) override;

    // Filled from source frames as they arrive.
    const SourceTable& sources() const override { return sources_; }

    // Stream bytes consumed: the stream header and every frame handed out so far.
    std::uint64_t bytes_read() const override { return consumed_; }

    std::uint64_t bytes_total() const override { return src_->size(); }

    // True once the end frame was read. False at `end` means the stream stopped without
    // one: the writer died, and its last epoch must not be trusted as complete.
    bool saw_end_frame() const { return saw_end_; }

    bool ended_cleanly() const override { return saw_end_; }

private:
    enum class Fill { ok, idle, eof };

    InputKind next_event(InputEvent& ev);
    Fill fill(std::size_t need);
    bool read_stream_header(InputEvent& ev, InputKind& kind);
    [[noreturn]] void fail(std::uint64_t at, std::string_view what) const;
    void decompress(const FrameHeader& h, const char* stored, const char*& payload,
                    std::size_t& size);

    std::unique_ptr<ByteSource> src_;
    SourceTable sources_;

    // Stream bytes [pos_, end_) of buf_ are read but not consumed; buf_ holds
    // cap_ + record_padding bytes, and reads never touch the padding.
    std::unique_ptr<char[]> buf_;
    std::size_t cap_ = 0;
    std::size_t block_ = 0;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    std::uint64_t consumed_ = 0; // stream offset of buf_[pos_]

    // Records left in the current data frame: [rec_, rec_end_).
    const char* rec_ = nullptr;
    const char* rec_end_ = nullptr;
    std::uint64_t frame_at_ = 0; // stream offset of the current frame, for messages

    // Decompressed payloads: zcap_ + record_padding bytes.
    ZSTD_DCtx_s* dctx_ = nullptr;
    std::unique_ptr<char[]> zbuf_;
    std::size_t zcap_ = 0;

    bool header_done_ = false;
    bool idle_sent_ = false;
    bool done_ = false;
    bool saw_end_ = false;
};

} // namespace weir
