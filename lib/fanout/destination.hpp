#pragma once

// A file destination of weir-fanout: a path template (a static path is a template
// without fields), each rendering of which is a Partition (fanout/partition_file.hpp)
// found by hash. Records go to their partition's current file as their exact bytes
// (NDJSON, frames) or as a CSV row; with rotation, a file is completed (renamed to its
// final name) when the next record would take it past --rotate-size, or when a record's
// event time falls in a later --rotate-every bucket.
//
// Exactly once: snapshot() records every partition's current file, its committed
// length and its rotation number; restore() cuts each current file back to that
// length (renaming back a file completed after the commit), and removes rotated files
// numbered after it. Partitions first seen after the commit are created afresh
// (truncated) when the replay reaches them again.

#include "fanout/partition_file.hpp"
#include "fanout/path_template.hpp"
#include "state/state_io.hpp"
#include "wire/record.hpp"

#include <simdjson.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weir {

class FileDestination {
public:
    // `where` names the destination in errors ("--to 'out/{type}.ndjson'"). Throws
    // Error(Exit::usage) for a bad template. `open` is shared by all destinations.
    FileDestination(std::string_view path_template, FileSpec spec, OpenFiles& open,
                    std::string where);
    ~FileDestination();

    FileDestination(const FileDestination&) = delete;
    FileDestination& operator=(const FileDestination&) = delete;

    // True when write() needs the parsed record (the template has fields).
    bool needs_root() const { return !template_.is_static(); }

    // The table frames files name sources from; must be set before the first write.
    void set_sources(const SourceTable* sources) { sources_ = sources; }

    // Writes one record. `root`: the parsed record when needs_root(). Throws
    // Error(Exit::io / cant_create) when a file cannot be made or written.
    void write(const Record& r, simdjson::dom::element root);

    void flush();  // buffered bytes of open files to the kernel
    void sync();   // flush + fsync open files and touched directories
    void finish(); // end of input: end each file's stream; complete rotated files

    std::size_t partitions() const { return parts_.size(); }

    void snapshot(StateWriter& w) const;
    void restore(StateReader& r); // before the first record; repairs files on disk

private:
    struct Hash {
        using is_transparent = void;

        std::size_t operator()(std::string_view s) const noexcept;
    };

    struct Eq {
        using is_transparent = void;

        bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
    };

    Partition& partition(std::string_view path);
    void ensure_open(Partition& p);
    void create_current(Partition& p, Timestamp t);
    void complete(Partition& p); // rotation: close and rename to the final name
    void close(Partition& p);    // flush, fsync, close (stays current)
    void remove_after(const Partition& p);

    PathTemplate template_;
    FileSpec spec_;
    OpenFiles& open_;
    std::string where_;
    const SourceTable* sources_ = nullptr;
    std::vector<std::unique_ptr<Partition>> parts_; // in order of first use
    std::unordered_map<std::string, Partition*, Hash, Eq> by_path_;
    Partition* last_ = nullptr; // the partition of the previous record: most often again
    std::string path_;          // scratch: the rendered path
    std::vector<std::string> dirty_dirs_;
    std::vector<std::string> unsynced_; // completed since the last checkpoint
};

} // namespace weir
