#include "wire/frame_writer.hpp"

#include "cli/error.hpp"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace weir {

FrameWriter::FrameWriter(OutputFile& out, const SourceTable& sources, FrameWriterOptions opts)
    : out_(out)
    , sources_(sources)
    , opts_(opts) {
    if (opts_.zstd_level != 0) {
        if (opts_.zstd_level < ZSTD_minCLevel() || opts_.zstd_level > ZSTD_maxCLevel())
            throw Error(Exit::usage, "zstd level {} is out of range ({}..{})", opts_.zstd_level,
                        ZSTD_minCLevel(), ZSTD_maxCLevel());
        cctx_ = ZSTD_createCCtx();
        if (cctx_ == nullptr)
            throw Error(Exit::internal, "internal error: cannot create a zstd context");
        // Our own checksum covers the stored bytes; the content size lets a reader size
        // its buffer (and refuse an oversized frame) before decompressing.
        ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, opts_.zstd_level);
        ZSTD_CCtx_setParameter(cctx_, ZSTD_c_contentSizeFlag, 1);
        ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 0);
    }
    // A batch never needs to grow past max_frame_payload; start small so a tool writing
    // a few records does not pay for the full batch size.
    grow_batch(std::min<std::size_t>(opts_.batch_bytes, 64 << 10) + record_header_size);
    batch_used_ = frame_header_size;
}

FrameWriter::~FrameWriter() {
    ZSTD_freeCCtx(cctx_);
}

void FrameWriter::grow_batch(std::size_t need) {
    if (need <= batch_cap_)
        return;
    std::size_t cap = std::max(need, batch_cap_ * 2);
    auto bigger = std::make_unique<char[]>(cap);
    if (batch_used_ > 0)
        std::memcpy(bigger.get(), batch_.get(), batch_used_);
    batch_ = std::move(bigger);
    batch_cap_ = cap;
}

void FrameWriter::ensure_header() {
    if (header_written_)
        return;
    header_written_ = true;
    // A non-empty output is a capture being resumed: its stream header is already there.
    if (out_.length() > 0)
        return;
    char h[stream_header_size];
    store_stream_header(h);
    out_.append({h, sizeof h});
}

void FrameWriter::declare_sources(std::uint32_t upto) {
    // Declare every id new to the stream, in order, so the reader sees ids densely. Once
    // per source: the allocation here is not on the per-record path.
    std::string frame;
    for (; declared_ < upto; ++declared_) {
        std::string_view name = sources_.name(declared_);
        std::size_t size = 8 + name.size();
        frame.assign(frame_header_size + size, '\0');
        char* payload = frame.data() + frame_header_size;
        store_u32(payload, declared_);
        store_u32(payload + 4, static_cast<std::uint32_t>(name.size()));
        std::memcpy(payload + 8, name.data(), name.size());
        FrameHeader h{static_cast<std::uint8_t>(FrameKind::source), 0,
                      static_cast<std::uint32_t>(size), frame_checksum(payload, size)};
        store_frame_header(frame.data(), h);
        ensure_header();
        out_.append(frame);
        ++frames_;
    }
}

void FrameWriter::write(const Record& r) {
    if (ended_)
        throw Error(Exit::internal, "internal error: record written after the end frame");
    std::size_t len = r.json.size();
    if (len > max_record_bytes)
        throw Error(Exit::internal,
                    "internal error: record of {} bytes exceeds the frame limit "
                    "of {} bytes",
                    len, max_record_bytes);
    if (r.source >= declared_ && r.source < sources_.size())
        declare_sources(static_cast<std::uint32_t>(sources_.size()));

    std::size_t need = record_header_size + len;
    // Keep every payload within max_frame_payload, whatever batch_bytes says.
    if (batch_records_ > 0 && batch_used_ - frame_header_size + need > max_frame_payload)
        emit_batch();
    if (batch_used_ + need > batch_cap_)
        grow_batch(batch_used_ + need);

    char* p = batch_.get() + batch_used_;
    store_u32(p, static_cast<std::uint32_t>(len));
    store_i64(p + 4, r.event_time);
    store_u32(p + 12, r.source);
    store_u64(p + 16, r.line);
    store_u64(p + 24, r.offset);
    std::memcpy(p + record_header_size, r.json.data(), len);
    batch_used_ += need;
    ++batch_records_;
    ++records_;

    if (batch_used_ - frame_header_size >= opts_.batch_bytes)
        emit_batch();
}

void FrameWriter::emit_batch() {
    if (batch_records_ == 0)
        return;
    ensure_header();
    std::size_t raw_size = batch_used_ - frame_header_size;
    const char* payload = batch_.get() + frame_header_size;

    if (cctx_ != nullptr) {
        std::size_t bound = frame_header_size + ZSTD_compressBound(raw_size);
        if (bound > zbuf_cap_) {
            zbuf_ = std::make_unique<char[]>(bound);
            zbuf_cap_ = bound;
        }
        std::size_t z = ZSTD_compress2(cctx_, zbuf_.get() + frame_header_size,
                                       zbuf_cap_ - frame_header_size, payload, raw_size);
        if (ZSTD_isError(z))
            throw Error(Exit::internal, "internal error: zstd: {}", ZSTD_getErrorName(z));
        // Incompressible batches travel as they are: smaller, and cheaper to read.
        if (z < raw_size) {
            FrameHeader h{static_cast<std::uint8_t>(FrameKind::data), frame_compressed,
                          static_cast<std::uint32_t>(z),
                          frame_checksum(zbuf_.get() + frame_header_size, z)};
            store_frame_header(zbuf_.get(), h);
            out_.append({zbuf_.get(), frame_header_size + z});
            ++frames_;
            batch_used_ = frame_header_size;
            batch_records_ = 0;
            return;
        }
    }

    FrameHeader h{static_cast<std::uint8_t>(FrameKind::data), 0,
                  static_cast<std::uint32_t>(raw_size), frame_checksum(payload, raw_size)};
    store_frame_header(batch_.get(), h);
    out_.append({batch_.get(), batch_used_});
    ++frames_;
    batch_used_ = frame_header_size;
    batch_records_ = 0;
}

void FrameWriter::emit_small(FrameKind kind, const char* payload, std::size_t size) {
    emit_batch();
    ensure_header();
    char buf[frame_header_size + 8];
    FrameHeader h{static_cast<std::uint8_t>(kind), 0, static_cast<std::uint32_t>(size),
                  frame_checksum(payload, size)};
    store_frame_header(buf, h);
    if (size > 0)
        std::memcpy(buf + frame_header_size, payload, size);
    out_.append({buf, frame_header_size + size});
    ++frames_;
}

void FrameWriter::barrier(std::uint64_t epoch) {
    char p[8];
    store_u64(p, epoch);
    emit_small(FrameKind::barrier, p, sizeof p);
}

void FrameWriter::watermark(Timestamp wm) {
    if (have_watermark_ && wm == last_watermark_)
        return;
    have_watermark_ = true;
    last_watermark_ = wm;
    char p[8];
    store_i64(p, wm);
    emit_small(FrameKind::watermark, p, sizeof p);
}

void FrameWriter::end() {
    if (ended_)
        return;
    emit_small(FrameKind::end, nullptr, 0);
    ended_ = true;
    out_.flush();
}

void FrameWriter::flush() {
    emit_batch();
    ensure_header();
    out_.flush();
}

} // namespace weir
