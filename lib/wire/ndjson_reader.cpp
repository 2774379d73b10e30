#include "wire/ndjson_reader.hpp"

#include "cli/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace weir {

namespace {

// How much of a too-long line is kept for the dead-letter file.
constexpr std::size_t too_long_prefix = 1024;

// How far ahead of the line being parsed a mapped window is prefetched: one page, so the
// next page is on its way before memchr reaches it. Measured on a 500 MB file: without
// it, mapping was slower than read(2) (0.50 s against 0.42 s); with 0.5-16 KiB, 0.39 s;
// at 64 KiB, 0.46 s (beyond the pages a fault maps, prefetches are dropped).
constexpr std::size_t prefetch_distance = 4096;

// What data_ points to before a mapped reader's first window: empty, but not null (memchr
// and memcmp of 0 bytes still want a valid pointer).
constexpr char no_data[1] = {};

// simdjson's DOM cannot hold a document beyond this, so no line may be longer.
constexpr std::size_t max_record_limit = simdjson::SIMDJSON_MAXSIZE_BYTES - record_padding;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

NdjsonReader::NdjsonReader(std::unique_ptr<ByteSource> src, NdjsonReaderOptions opts)
    : src_(std::move(src))
    , max_record_(std::min(opts.max_record, max_record_limit)) {
    if (max_record_ == 0)
        throw Error(Exit::usage, "--max-record must be at least 1");
    source_id_ = sources_.intern(opts.source_name.empty() ? std::string_view(src_->name())
                                                          : std::string_view(opts.source_name));
    cap_ = std::max<std::size_t>(opts.buffer_size, 4096);
    std::optional<MappableFile> file = opts.map ? src_->mappable() : std::nullopt;
    if (file) {
        // Windows in whole pages; the buffer is only needed if mapping fails. 4 MiB for
        // the default 1 MiB buffer: as fast as 64 MiB on a 500 MB file, and little RSS.
        // weir-ingest merging many files asks for smaller buffers to bound its memory in
        // all; their windows keep that bound.
        std::size_t page = MappedWindow::page_size();
        std::size_t one_mib = std::size_t{1} << 20;
        window_ = opts.map_window != 0 ? opts.map_window
                  : cap_ >= one_mib    ? std::min(cap_ * 4, std::size_t{64} << 20)
                                       : cap_;
        window_ = (window_ + page - 1) / page * page;
        map_ = std::make_unique<MappedWindow>(file->fd, src_->name());
        data_ = no_data; // until the first window
        file_delta_ = file->offset - opts.start_offset;
    } else {
        buf_ = std::make_unique<char[]>(cap_ + record_padding);
        data_ = buf_.get();
    }
    buf_offset_ = opts.start_offset;
    consumed_offset_ = opts.start_offset;
    line_ = opts.start_line + 1;
    bom_pending_ = opts.start_offset == 0;
}

InputKind NdjsonReader::next(InputEvent& ev) {
    root_valid_ = false;
    for (;;) {
        if (skipping_) {
            // The rest of a too-long line: drop it block by block, never buffering it.
            const char* p = data_;
            if (const void* nl = std::memchr(p + pos_, '\n', end_ - pos_)) {
                pos_ = scan_ = static_cast<std::size_t>(static_cast<const char*>(nl) - p) + 1;
                consumed_offset_ = buf_offset_ + pos_;
                ++line_;
                skipping_ = false;
                continue;
            }
            pos_ = scan_ = end_;
            if (eof_) {
                consumed_offset_ = buf_offset_ + end_;
                ++line_;
                skipping_ = false;
                continue;
            }
        } else if (bom_pending_) {
            // A byte order mark may arrive split over several reads.
            static constexpr char bom[] = {'\xEF', '\xBB', '\xBF'};
            std::size_t have = std::min<std::size_t>(end_ - pos_, sizeof bom);
            if (std::memcmp(data_ + pos_, bom, have) != 0 || (have < sizeof bom && eof_)) {
                bom_pending_ = false;
            } else if (have == sizeof bom) {
                pos_ = scan_ = pos_ + sizeof bom;
                consumed_offset_ = buf_offset_ + pos_;
                bom_pending_ = false;
            }
            if (!bom_pending_)
                continue;
        } else {
            const char* p = data_;
            if (const void* nl = std::memchr(p + scan_, '\n', end_ - scan_)) {
                const char* begin = p + pos_;
                const char* end = static_cast<const char*>(nl);
                pos_ = scan_ = static_cast<std::size_t>(end - p) + 1;
                if (map_)
                    prefetch_ahead();
                if (InputKind k = line_event(ev, begin, end); k != InputKind::idle)
                    return k;
                continue;
            }
            scan_ = end_;
            if (eof_) {
                if (pos_ == end_)
                    return ev.kind = InputKind::end;
                const char* begin = p + pos_;
                pos_ = scan_ = end_;
                if (InputKind k = line_event(ev, begin, p + end_); k != InputKind::idle)
                    return k;
                continue;
            }
            // Even if the next byte is the newline and the last one a CR, this line is
            // longer than max_record: report its start now and skip the rest unread.
            if (end_ - pos_ >= max_record_ + 2) {
                const char* begin = p + pos_;
                std::size_t avail = end_ - pos_;
                pos_ = scan_ = end_;
                skipping_ = true;
                return too_long_event(ev, begin, avail, line_);
            }
        }

        if (fill() == Fill::idle) {
            ev.record = Record{};
            return ev.kind = InputKind::idle;
        }
    }
}

// The event for the complete line [begin, end) (without its newline), at line_. Returns
// idle (never a real result here) when the line is blank and was skipped.
InputKind NdjsonReader::line_event(InputEvent& ev, const char* begin, const char* end) {
    std::uint64_t line = line_++;
    std::uint64_t offset = buf_offset_ + static_cast<std::size_t>(begin - data_);
    consumed_offset_ = buf_offset_ + pos_;

    if (end > begin && end[-1] == '\r')
        --end;
    std::size_t len = static_cast<std::size_t>(end - begin);
    if (len > max_record_)
        return too_long_event(ev, begin, len, line);

    // Records nearly always start with '{' and end with '}': two compares in the
    // common case.
    const char* b = begin;
    const char* e = end;
    while (b < e && is_space(*b))
        ++b;
    if (b == e)
        return InputKind::idle;
    while (is_space(e[-1]))
        --e;

    ev.record.event_time = no_timestamp;
    ev.record.source = source_id_;
    ev.record.line = line;
    ev.record.offset = offset;

    // In place: the buffer keeps record_padding bytes after every line.
    std::string_view json(b, static_cast<std::size_t>(e - b));
    if (!doc_.parse(json)) {
        ev.record.json = std::string_view(begin, len);
        ev.reason = doc_.reason();
        ev.detail = doc_.detail();
        return ev.kind = InputKind::invalid;
    }
    ev.record.json = json;
    root_valid_ = true;
    return ev.kind = InputKind::record;
}

// A too_long event for line number `line` starting at `begin`, of which `avail` bytes
// (more than max_record_) are known. The prefix depends only on those bytes, so it is the
// same whether the line was seen whole or only its start.
InputKind NdjsonReader::too_long_event(InputEvent& ev, const char* begin, std::size_t avail,
                                       std::uint64_t line) {
    std::size_t keep = std::min(too_long_prefix, max_record_ + 1);
    // Cut at a character boundary, so the prefix is not invalid UTF-8 just by the cut.
    for (int i = 0; i < 3 && keep > 0 && keep < avail &&
                    (static_cast<unsigned char>(begin[keep]) & 0xC0) == 0x80;
         ++i)
        --keep;
    ev.record = Record{};
    ev.record.json = std::string_view(begin, keep);
    ev.record.source = source_id_;
    ev.record.line = line;
    ev.record.offset = buf_offset_ + static_cast<std::size_t>(begin - data_);
    ev.reason = Reason::too_long;
    detail_ = fmt::format("line longer than {} bytes (--max-record)", max_record_);
    ev.detail = detail_;
    return ev.kind = InputKind::invalid;
}

// Makes room after end_ and reads one block. Before a read that would block, returns
// idle once instead.
NdjsonReader::Fill NdjsonReader::fill() {
    if (map_)
        return slide();
    if (!idled_ && !src_->ready()) {
        idled_ = true;
        return Fill::idle;
    }
    if (pos_ == end_) {
        buf_offset_ += pos_;
        pos_ = scan_ = end_ = 0;
    } else if (cap_ - end_ < cap_ / 4) {
        // Move the partial line to the front only when the tail runs short, so reads of a
        // few bytes at a time do not copy the same partial line again and again.
        std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
        buf_offset_ += pos_;
        end_ -= pos_;
        scan_ -= pos_;
        pos_ = 0;
    }
    if (end_ == cap_)
        grow();
    std::size_t n = src_->read(buf_.get() + end_, cap_ - end_);
    idled_ = false;
    if (n == 0) {
        eof_ = true;
        return Fill::eof;
    }
    end_ += n;
    return Fill::data;
}

// The buffer is one partial line: double it, up to what the longest line needs to be
// recognised as too long.
void NdjsonReader::grow() {
    std::size_t cap = std::min(cap_ * 2, max_record_ + 2);
    auto buf = std::make_unique<char[]>(cap + record_padding);
    std::memcpy(buf.get(), buf_.get(), end_);
    buf_ = std::move(buf);
    data_ = buf_.get();
    cap_ = cap;
}

// Mapped windows come cold from the page cache, and the hardware prefetcher does not cross
// page boundaries: ask for the cache lines a few KiB ahead of the line being parsed.
void NdjsonReader::prefetch_ahead() {
    std::size_t stop = std::min(scan_ + prefetch_distance, end_);
    for (; ahead_ < stop; ahead_ += 64)
        __builtin_prefetch(data_ + ahead_);
}

// Mapped: moves the window forward so it starts at the unconsumed bytes (the start of a
// partial line, or the end of the last window). A partial line that fills half the
// window or more gets a window twice its length, up to what the too-long check needs:
// next() reports a line as too long once max_record_ + 2 bytes of it are in view, as
// with the buffer.
NdjsonReader::Fill NdjsonReader::slide() {
    std::uint64_t from = buf_offset_ + pos_;
    std::size_t keep = end_ - pos_;
    std::size_t scanned = scan_ - pos_;
    std::size_t want = std::max(window_, std::min(keep * 2, max_record_ + 2));
    if (!map_->map(from + file_delta_, want)) {
        // mmap refused this file before anything was taken: read it instead.
        map_.reset();
        buf_ = std::make_unique<char[]>(cap_ + record_padding);
        data_ = buf_.get();
        return fill();
    }
    data_ = map_->data();
    ahead_ = 0;
    buf_offset_ = from;
    pos_ = 0;
    std::size_t size = map_->size();
    if (size <= keep) {
        // Nothing past the partial line: the end of the file, as a read returning 0.
        end_ = size;
        scan_ = std::min(scanned, end_);
        eof_ = true;
        return Fill::eof;
    }
    end_ = size;
    scan_ = scanned;
    return Fill::data;
}

} // namespace weir
