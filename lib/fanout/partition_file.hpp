#pragma once

// One output path of a weir-fanout file destination (a static path, or one rendering
// of a path template), with its rotation and checkpoint state, and the list of open
// files that --max-open bounds (least recently used closed first).
//
// File names. Without rotation the path is the file. With rotation the path
// "d/part.ndjson" names a series d/part-000001.ndjson, d/part-000002.ndjson, ...: the
// file being written is the hidden d/.part-000001.ndjson.inprogress, renamed to its
// final name when completed (rotation or end of input), so a completed file only ever
// appears under its final name.
//
// Durability. At a checkpoint every open file is flushed and fsynced; a file closed
// before (evicted by --max-open, or completed) is fsynced as it closes; directories
// that gained or lost a name are fsynced too. The committed length of each path's
// current file is what the snapshot records.

#include "io/output_file.hpp"
#include "json/field_path.hpp"
#include "time/timestamp.hpp"
#include "wire/source_table.hpp"
#include "wire/writer.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

enum class FileFormat { ndjson, frames, csv, ndjson_gz, ndjson_zst };

// Formats whose bytes depend on where the writer is cut (frames, compressed): flushed
// only at checkpoints, when a file closes, and when their buffers fill, never when the
// input goes idle, so that a restarted run writes the same bytes.
inline bool is_blocked(FileFormat f) {
    return f == FileFormat::frames || f == FileFormat::ndjson_gz || f == FileFormat::ndjson_zst;
}

inline bool is_compressed(FileFormat f) {
    return f == FileFormat::ndjson_gz || f == FileFormat::ndjson_zst;
}

// Format by extension: .frames, .csv, .gz / .zst (compressed NDJSON: a series of gzip
// members / zstd frames, one per checkpoint epoch); anything else is NDJSON (.ndjson,
// .jsonl, ...). Throws Error(Exit::usage) for compressed CSV or frames, naming `where`.
FileFormat file_format_of(std::string_view path, std::string_view where);

// The extension rotation keeps at the end of rotated names: ".ndjson" of "part.ndjson",
// ".ndjson.gz" of "x.ndjson.gz"; "" when the last component has no dot.
std::string_view rotation_extension(std::string_view path);

// d/part.ndjson, 3 -> d/part-000003.ndjson
std::string rotated_name(std::string_view path, std::uint64_t seq);

// d/part.ndjson, 3 -> d/.part-000003.ndjson.inprogress
std::string in_progress_name(std::string_view path, std::uint64_t seq);

// How files of one destination are written.
struct FileSpec {
    FileFormat format = FileFormat::ndjson;
    std::vector<FieldPath> csv_columns; // format csv
    bool rotates = false;               // rotate_size or rotate_every given
    std::uint64_t rotate_size = 0;      // 0: not by size
    std::int64_t rotate_every = 0;      // µs; 0: not by event time
    std::size_t buffer = 256 << 10;     // OutputFile buffer per open file
};

struct Partition {
    std::string path; // the rendered path (the file itself without rotation)
    std::string dir;  // its directory ("" for the current one)
    bool dir_ready = false;

    // Checkpointed state.
    std::uint64_t seq = 0;           // rotation: number of the current (or last) file
    bool active = false;             // the current file exists and is not completed
    std::uint64_t bytes = 0;         // record bytes (JSON + newline) in the current file
    Timestamp bucket = no_timestamp; // rotate_every: event-time bucket of the current file
    std::uint64_t length = 0;        // length of the current file when last synced/closed
    bool unsynced = false;           // closed since the last checkpoint, not yet fsynced
    bool end_on_close = false;       // compressed: end the gzip member / zstd frame

    // Open file, when open.
    std::unique_ptr<OutputFile> file;
    std::unique_ptr<RecordWriter> writer;
    Partition* prev = nullptr; // open-file list, most recently used first
    Partition* next = nullptr;

    // The name the current file has while written.
    std::string current_name(const FileSpec& spec) const {
        return spec.rotates ? in_progress_name(path, seq) : path;
    }
};

// Files open across all destinations, most recently used first; at most max_open.
class OpenFiles {
public:
    explicit OpenFiles(std::size_t max_open) : max_open_(max_open < 1 ? 1 : max_open) {}

    // `p` was just used: move it to the front. p must be open and listed.
    void touch(Partition* p);

    // `p` is about to be opened: close least recently used files until there is room.
    // `close` closes one (flush, fsync, close).
    template <typename Close>
    void make_room(Close&& close) {
        while (count_ >= max_open_ && tail_ != nullptr)
            close(tail_);
    }

    void add(Partition* p);    // newly opened: front
    void remove(Partition* p); // closed

    std::size_t count() const { return count_; }

    std::size_t max_open() const { return max_open_; }

private:
    std::size_t max_open_;
    std::size_t count_ = 0;
    Partition* head_ = nullptr;
    Partition* tail_ = nullptr;
};

// Makes `dir` and its missing parents ("" and "." exist); each directory made is added
// to `made_in` (the parent that gained an entry, to fsync). Throws Error(cant_create).
void make_dirs(const std::string& dir, std::vector<std::string>& made_in);

// Opens the writer for `file` in `spec`'s format.
std::unique_ptr<RecordWriter> make_file_writer(OutputFile& file, const FileSpec& spec,
                                               const SourceTable& sources);

} // namespace weir

namespace weir {

// Closes p's open file: flush, record its length, take it off the open-file list, and
// mark it unsynced: the next checkpoint fsyncs it by name (one fsync per file and
// epoch, not one per eviction).
void close_partition(OpenFiles& open, Partition& p);

// fsyncs the file at `path`. Throws Error(Exit::io).
void fsync_path(const std::string& path);

} // namespace weir
