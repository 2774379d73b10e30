#include "wire/frame_reader.hpp"

#include "cli/error.hpp"

#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace weir {

namespace {

// A buffer of `usable` bytes plus zeroed padding. The usable part is left uninitialised:
// a damaged header may announce a large frame, and the bytes are about to be read anyway.
std::unique_ptr<char[]> padded_buffer(std::size_t usable) {
    auto buf = std::make_unique_for_overwrite<char[]>(usable + record_padding);
    std::memset(buf.get() + usable, 0, record_padding);
    return buf;
}

} // namespace

FrameReader::FrameReader(std::unique_ptr<ByteSource> src, std::size_t block_bytes)
    : src_(std::move(src))
    , cap_(std::max<std::size_t>(block_bytes, stream_header_size))
    , block_(cap_) {
    buf_ = padded_buffer(cap_);
}

FrameReader::~FrameReader() {
    ZSTD_freeDCtx(dctx_);
}

void FrameReader::fail(std::uint64_t at, std::string_view what) const {
    throw Error(Exit::data, "{}: frame at byte {}: {}", src_->name(), at, what);
}

// Makes at least `need` unconsumed bytes available in buf_[pos_, end_). Only called when
// no record of the current frame is still out, so moving the bytes is safe.
FrameReader::Fill FrameReader::fill(std::size_t need) {
    while (end_ - pos_ < need) {
        // Just before a read that would block: give the loop its chance to flush, once.
        if (!idle_sent_ && !src_->ready()) {
            idle_sent_ = true;
            return Fill::idle;
        }
        std::size_t have = end_ - pos_;
        if (need > cap_) {
            // A frame larger than the buffer (a big record): grow to hold it whole.
            std::size_t cap =
                std::max(need, std::min(cap_ * 2, frame_header_size + max_frame_payload));
            auto bigger = padded_buffer(cap);
            std::memcpy(bigger.get(), buf_.get() + pos_, have);
            buf_ = std::move(bigger);
            cap_ = cap;
            pos_ = 0;
            end_ = have;
        } else if (pos_ > 0 && (cap_ - pos_ < need || cap_ - end_ < block_ / 4)) {
            // Move the partial frame to the front so the next read is a large one.
            std::memmove(buf_.get(), buf_.get() + pos_, have);
            pos_ = 0;
            end_ = have;
        }
        std::size_t n = src_->read(buf_.get() + end_, cap_ - end_);
        if (n == 0)
            return Fill::eof;
        end_ += n;
    }
    return Fill::ok;
}

// Consumes the stream header; false when `kind` was set (idle, or end of an empty input).
bool FrameReader::read_stream_header(InputEvent& ev, InputKind& kind) {
    switch (fill(stream_header_size)) {
    case Fill::ok:
        break;
    case Fill::idle:
        kind = ev.kind = InputKind::idle;
        return false;
    case Fill::eof:
        // An empty input: the writer died before its first frame.
        if (end_ == pos_) {
            done_ = true;
            kind = ev.kind = InputKind::end;
            return false;
        }
        if (!is_frame_stream({buf_.get() + pos_, end_ - pos_}))
            throw Error(Exit::data, "'{}' is not a weir frame stream", src_->name());
        throw Error(Exit::data, "{}: stream header cut short: the input ends after {} of {} bytes",
                    src_->name(), end_ - pos_, stream_header_size);
    }
    const char* p = buf_.get() + pos_;
    if (std::memcmp(p, frame_magic.data(), frame_magic.size()) != 0)
        throw Error(Exit::data, "'{}' is not a weir frame stream", src_->name());
    auto version = static_cast<std::uint8_t>(p[frame_magic.size()]);
    if (version != frame_version)
        throw Error(Exit::data,
                    "{}: frame stream version {} is not supported (this weir reads version {})",
                    src_->name(), version, frame_version);
    pos_ += stream_header_size;
    consumed_ += stream_header_size;
    header_done_ = true;
    return true;
}

void FrameReader::decompress(const FrameHeader& h, const char* stored, const char*& payload,
                             std::size_t& size) {
    unsigned long long content = ZSTD_getFrameContentSize(stored, h.length);
    if (content == ZSTD_CONTENTSIZE_ERROR)
        fail(frame_at_, "compressed payload is not a zstd frame");
    if (content == ZSTD_CONTENTSIZE_UNKNOWN)
        fail(frame_at_, "compressed payload does not state its size");
    if (content > max_frame_payload)
        fail(frame_at_, fmt::format("decompressed payload of {} bytes exceeds the limit of {}",
                                    content, max_frame_payload));
    if (content > zcap_ || !zbuf_) {
        zcap_ = std::max<std::size_t>(static_cast<std::size_t>(content), 64 << 10);
        zbuf_ = padded_buffer(zcap_);
    }
    if (dctx_ == nullptr && (dctx_ = ZSTD_createDCtx()) == nullptr)
        throw Error(Exit::internal, "internal error: cannot create a zstd context");
    std::size_t n = ZSTD_decompressDCtx(dctx_, zbuf_.get(), static_cast<std::size_t>(content),
                                        stored, h.length);
    if (ZSTD_isError(n))
        fail(frame_at_, fmt::format("cannot decompress payload: {}", ZSTD_getErrorName(n)));
    if (n != content)
        fail(frame_at_,
             fmt::format("decompressed payload is {} bytes, its header says {}", n, content));
    payload = zbuf_.get();
    size = n;
}

InputKind FrameReader::next(InputEvent& ev) {
    InputKind kind = next_event(ev);
    // One idle per wait: after a read that brought only part of a frame, the loop has
    // nothing new to flush, so the next read may block without asking again.
    if (kind != InputKind::idle)
        idle_sent_ = false;
    return kind;
}

InputKind FrameReader::next_event(InputEvent& ev) {
    for (;;) {
        // 1. Hand out the next record of the current data frame.
        if (rec_ != rec_end_) {
            auto left = static_cast<std::size_t>(rec_end_ - rec_);
            if (left < record_header_size)
                fail(frame_at_, "data frame: record header cut short");
            std::uint32_t len = load_u32(rec_);
            if (len > left - record_header_size)
                fail(frame_at_,
                     fmt::format("data frame: record of {} bytes overruns the frame", len));
            ev.kind = InputKind::record;
            ev.record.json = std::string_view(rec_ + record_header_size, len);
            ev.record.event_time = load_i64(rec_ + 4);
            ev.record.source = load_u32(rec_ + 12);
            ev.record.line = load_u64(rec_ + 16);
            ev.record.offset = load_u64(rec_ + 24);
            rec_ += record_header_size + len;
            return InputKind::record;
        }
        if (done_) {
            ev.kind = InputKind::end;
            return InputKind::end;
        }
        if (!header_done_) {
            InputKind kind{};
            if (!read_stream_header(ev, kind))
                return kind;
        }

        // 2. Frame header.
        switch (fill(frame_header_size)) {
        case Fill::ok:
            break;
        case Fill::idle:
            ev.kind = InputKind::idle;
            return InputKind::idle;
        case Fill::eof:
            if (end_ == pos_) {
                // Between frames: the writer stopped (or was killed) without an end frame.
                done_ = true;
                continue;
            }
            fail(consumed_, fmt::format("frame header cut short: the input ends after {} of {} "
                                        "bytes",
                                        end_ - pos_, frame_header_size));
        }
        FrameHeader h = load_frame_header(buf_.get() + pos_);
        if (h.length > max_frame_payload)
            fail(consumed_, fmt::format("{} frame of {} bytes exceeds the limit of {}",
                                        frame_kind_name(h.kind), h.length, max_frame_payload));

        // 3. The whole frame, then its checksum before anything else looks at it.
        std::size_t frame_size = frame_header_size + h.length;
        switch (fill(frame_size)) {
        case Fill::ok:
            break;
        case Fill::idle:
            ev.kind = InputKind::idle;
            return InputKind::idle;
        case Fill::eof:
            fail(consumed_,
                 fmt::format("{} frame cut short: the input ends after {} of {} "
                             "payload bytes",
                             frame_kind_name(h.kind), end_ - pos_ - frame_header_size, h.length));
        }
        const char* stored = buf_.get() + pos_ + frame_header_size;
        frame_at_ = consumed_;
        // The bytes stay where they are until the next fill(), which waits for rec_end_.
        pos_ += frame_size;
        consumed_ += frame_size;
        if (frame_checksum(stored, h.length) != h.checksum)
            fail(frame_at_, "checksum mismatch");

        // 4. Kind and flags.
        if (h.kind < static_cast<std::uint8_t>(FrameKind::data) ||
            h.kind > static_cast<std::uint8_t>(FrameKind::end)) {
            if (h.flags & frame_may_skip)
                continue;
            fail(frame_at_,
                 fmt::format("unknown frame kind {} (written by a newer weir?)", h.kind));
        }
        if (h.flags & ~frame_known_flags)
            fail(frame_at_, fmt::format("{} frame has unknown flags 0x{:02x}",
                                        frame_kind_name(h.kind), h.flags));
        const char* payload = stored;
        std::size_t size = h.length;
        if (h.flags & frame_compressed)
            decompress(h, stored, payload, size);

        // 5. The payload. Fixed fields may be followed by bytes a later version adds.
        auto kind = static_cast<FrameKind>(h.kind);
        if (kind != FrameKind::data && kind != FrameKind::end && size < 8)
            fail(frame_at_, fmt::format("{} frame payload of {} bytes is too short",
                                        frame_kind_name(h.kind), size));
        switch (kind) {
        case FrameKind::data:
            rec_ = payload;
            rec_end_ = payload + size;
            continue;
        case FrameKind::source: {
            std::uint32_t id = load_u32(payload);
            std::uint32_t len = load_u32(payload + 4);
            if (len > size - 8)
                fail(frame_at_, fmt::format("source name of {} bytes overruns the frame", len));
            // Ids are declared densely; a resumed writer declares them again from 0.
            if (id > sources_.size())
                fail(frame_at_,
                     fmt::format("source id {} declared before id {}", id, sources_.size()));
            sources_.set(id, std::string_view(payload + 8, len));
            continue;
        }
        case FrameKind::barrier:
            ev.kind = InputKind::barrier;
            ev.epoch = load_u64(payload);
            return InputKind::barrier;
        case FrameKind::watermark:
            ev.kind = InputKind::watermark;
            ev.watermark = load_i64(payload);
            return InputKind::watermark;
        case FrameKind::end:
            // Nothing after the end frame is read: upstream may still be running.
            done_ = true;
            saw_end_ = true;
            ev.kind = InputKind::end;
            return InputKind::end;
        }
    }
}

} // namespace weir
