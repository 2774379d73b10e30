#pragma once

// The NDJSON reader: turns a ByteSource into validated records, one per line. It is
// weir's hot path, so it frames lines with memchr over large blocks and hands out views
// into them: no allocation and no system call per record. The blocks come from one of
// two places, behind the same line splitting:
// - a regular uncompressed file (ByteSource::mappable(): a path or stdin redirected
//   from a file, from its start or a resume offset, after format detection peeked at it)
//   is mapped through a sliding MappedWindow (io/mapped_window.hpp; 4 MiB by
//   default): no read(2) copy, and memory bounded by the window, not the file. A line
//   that crosses the window end makes the next window start at the page holding it; a
//   line longer than the window grows it, up to what the too-long rule below needs.
//   Known limitation: truncating a file while it is mapped kills the process (SIGBUS).
// - everything else (pipes, FIFOs, decompressors, followed files, or a file mmap refuses)
//   is read into an owned buffer, one read(2) per block (1 MiB by default).
//
// Every line is fully validated with simdjson's DOM parser (well-formed JSON, UTF-8,
// root is an object) before it becomes a record; DESIGN.md explains why On Demand's lazy
// parsing is not enough. A line that fails becomes an `invalid` event carrying its raw
// bytes, the reason and a short detail, for the dead-letter file; it is never an
// exception. The parsed DOM of the last record stays available through parsed_root(),
// so the run loop can read the event time without parsing the line again.
//
// Key invariant: every record handed out has at least `record_padding` readable bytes
// after it (wire/record.hpp), so simdjson parses in place: the buffer is allocated with
// them, and a window is followed by a page of zeros.
//
// Line handling: LF ends a line, a CR before it is dropped; the last line needs no
// newline; empty and whitespace-only lines are skipped but counted; a UTF-8 byte order
// mark at offset 0 is skipped. A line longer than max_record is not buffered: the reader
// reports its first bytes (at most 1 KiB) as `too_long` and discards the rest.
//
// Latency: when nothing complete is left in the buffer and the source is not ready, the
// reader returns `idle` once so the run loop can flush; the following call blocks.

#include "io/byte_source.hpp"
#include "io/mapped_window.hpp"
#include "json/document.hpp"
#include "wire/reader.hpp"

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>

namespace weir {

struct NdjsonReaderOptions {
    std::size_t max_record = 16 << 20; // longest line accepted, without its newline
    std::string source_name;           // name in the SourceTable; default: src->name()

    // Resuming from a checkpoint: the caller has already skipped the ByteSource to
    // `start_offset`, which must be the start of a line, and `start_line` lines lie
    // before it. Line numbers and offsets of records continue from there.
    std::uint64_t start_offset = 0;
    // Bytes read at a time (the buffer; it grows only for a longer line): 1 MiB, so a
    // pipe or file moves in few system calls; smaller when many sources are open at
    // once (weir-ingest merging a directory).
    std::size_t buffer_size = std::size_t{1} << 20;
    std::uint64_t start_line = 0;
    // Map a regular uncompressed file instead of reading it (see above); false: always
    // read. The window's size in bytes; 0: 4 times buffer_size (at most 64 MiB) when
    // buffer_size is 1 MiB or more, else buffer_size.
    bool map = true;
    std::size_t map_window = 0;
};

class NdjsonReader final : public RecordReader {
public:
    // Takes ownership of `src`. Reads nothing yet. Throws Error(Exit::usage) when
    // max_record is 0.
    NdjsonReader(std::unique_ptr<ByteSource> src, NdjsonReaderOptions opts = {});

    // Next record, invalid line, idle or end (see reader.hpp). Records have event_time =
    // no_timestamp; `line` is 1-based, `offset` is the source offset of the line (after a
    // byte order mark), `json` is the line without its newline, CR and surrounding
    // whitespace. Invalid events carry the line without its newline and CR, or for
    // too_long its first bytes only. Views stay valid until the next call. Throws what
    // ByteSource::read throws (Error(Exit::io), Error(Exit::data)).
    InputKind next(InputEvent& ev) override;

    // The parsed DOM (an object) of the last `record` event; valid until the next call to
    // next(). Undefined after any other kind of event.
    simdjson::dom::element parsed_root() const { return doc_.root(); }

    // The same for the run loop, through RecordReader: false unless the last event was a
    // record.
    bool parsed_root(simdjson::dom::element& out) const override {
        if (!root_valid_)
            return false;
        out = doc_.root();
        return true;
    }

    const SourceTable& sources() const override { return sources_; }

    // Source offset just past the last line consumed: the offset to resume from. It
    // counts from the start of the source, so after a resume it includes start_offset.
    std::uint64_t bytes_read() const override { return consumed_offset_; }

    // Size of the source when known (regular uncompressed file), else 0.
    std::uint64_t bytes_total() const override { return src_->size(); }

    // Lines consumed so far, counting start_line: the start_line to resume with.
    std::uint64_t lines_read() const { return line_ - 1; }

    // True while the source is read through a mapping (tests, diagnostics).
    bool mapped() const { return map_ != nullptr; }

private:
    enum class Fill { data, idle, eof };

    Fill fill();
    Fill slide();
    void prefetch_ahead();
    InputKind line_event(InputEvent& ev, const char* begin, const char* end);
    InputKind too_long_event(InputEvent& ev, const char* begin, std::size_t avail,
                             std::uint64_t line);
    void grow();

    std::unique_ptr<ByteSource> src_;
    std::size_t max_record_;
    SourceTable sources_;
    std::uint32_t source_id_ = 0;

    // data_ is the block being split: buf_ (cap_ bytes of data plus record_padding) or
    // the window of map_. [pos_, end_) is unconsumed and [pos_, scan_) is known to hold no
    // newline.
    const char* data_ = nullptr;
    std::unique_ptr<char[]> buf_;
    std::size_t cap_ = 0;
    std::unique_ptr<MappedWindow> map_; // set while mapping
    std::size_t window_ = 0;            // bytes a window holds (a longer line grows it)
    std::size_t ahead_ = 0;             // data_[0, ahead_) was prefetched (mapped only)
    std::uint64_t file_delta_ = 0;      // file offset minus source offset (mod 2^64)
    std::size_t pos_ = 0;
    std::size_t scan_ = 0;
    std::size_t end_ = 0;
    std::uint64_t buf_offset_ = 0;      // source offset of data_[0]
    std::uint64_t consumed_offset_ = 0; // source offset just past the last line consumed
    std::uint64_t line_ = 1;            // number of the line starting at pos_
    bool eof_ = false;
    bool idled_ = false;    // idle returned since the last read
    bool skipping_ = false; // discarding the rest of a too-long line
    bool bom_pending_ = false;
    bool root_valid_ = false; // the last event was a record

    JsonDoc doc_;        // one parser for the reader's life: no allocation once warmed up
    std::string detail_; // too_long detail
};

} // namespace weir
