#include "fanout/destination.hpp"

#include "cli/error.hpp"
#include "io/atomic_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

Timestamp bucket_of(Timestamp t, std::int64_t every) {
    Timestamp b = t / every;
    if (t % every < 0)
        --b;
    return b;
}

// Size of `path`, or -1 when it does not exist.
std::int64_t file_size(const std::string& path) {
    struct stat st {};

    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return -1;
        throw Error(Exit::io, "cannot stat '{}': {}", path, errno_text(errno));
    }
    return static_cast<std::int64_t>(st.st_size);
}

void rename_or_throw(const std::string& from, const std::string& to) {
    if (std::rename(from.c_str(), to.c_str()) != 0)
        throw Error(Exit::io, "cannot rename '{}' to '{}': {}", from, to, errno_text(errno));
}

} // namespace

std::size_t FileDestination::Hash::operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
}

FileDestination::FileDestination(std::string_view path_template, FileSpec spec, OpenFiles& open,
                                 std::string where)
    : template_(PathTemplate::parse(path_template, where))
    , spec_(std::move(spec))
    , open_(open)
    , where_(std::move(where)) {}

FileDestination::~FileDestination() {
    // Files still open are flushed by OutputFile's destructor; take them off the list.
    for (auto& p : parts_)
        if (p->file) {
            try {
                if (p->writer)
                    p->writer->flush();
            } catch (...) {
            }
            p->writer.reset();
            p->file.reset();
            open_.remove(p.get());
        }
}

Partition& FileDestination::partition(std::string_view path) {
    if (auto it = by_path_.find(path); it != by_path_.end())
        return *it->second;
    auto p = std::make_unique<Partition>();
    p->path = std::string(path);
    if (std::size_t slash = p->path.find_last_of('/'); slash != std::string::npos)
        p->dir = slash == 0 ? std::string("/") : p->path.substr(0, slash);
    Partition* raw = p.get();
    parts_.push_back(std::move(p));
    by_path_.emplace(raw->path, raw);
    return *raw;
}

void FileDestination::ensure_open(Partition& p) {
    if (p.file) {
        open_.touch(&p);
        if (!p.writer) // a frames file after a checkpoint (see sync())
            p.writer = make_file_writer(*p.file, spec_, *sources_);
        return;
    }
    open_.make_room([this](Partition* q) { close_partition(open_, *q); });
    if (!p.dir_ready) {
        make_dirs(p.dir, dirty_dirs_);
        p.dir_ready = true;
    }
    p.file = OutputFile::open(p.current_name(spec_), OutputFile::Mode::keep, spec_.buffer);
    p.writer = make_file_writer(*p.file, spec_, *sources_);
    open_.add(&p);
    p.end_on_close = is_compressed(spec_.format);
}

void FileDestination::create_current(Partition& p, Timestamp t) {
    open_.make_room([this](Partition* q) { close_partition(open_, *q); });
    if (!p.dir_ready) {
        make_dirs(p.dir, dirty_dirs_);
        p.dir_ready = true;
    }
    // The number moves on once the file exists, so a retried write (--on-error retry)
    // does not skip one.
    std::uint64_t seq = p.seq;
    if (spec_.rotates)
        ++p.seq;
    try {
        p.file = OutputFile::open(p.current_name(spec_), OutputFile::Mode::truncate, spec_.buffer);
    } catch (...) {
        p.seq = seq;
        throw;
    }
    p.writer = make_file_writer(*p.file, spec_, *sources_);
    open_.add(&p);
    p.end_on_close = is_compressed(spec_.format);
    p.active = true;
    p.bytes = 0;
    p.length = 0;
    p.bucket = spec_.rotate_every > 0 && t != no_timestamp ? bucket_of(t, spec_.rotate_every)
                                                           : no_timestamp;
    dirty_dirs_.push_back(p.dir);
}

void FileDestination::complete(Partition& p) {
    // A frames file ends with its end frame, so it reads as a whole stream.
    if (spec_.format == FileFormat::frames)
        ensure_open(p);
    if (p.file && p.writer)
        p.writer->end();
    close_partition(open_, p);
    std::string done = rotated_name(p.path, p.seq);
    rename_or_throw(p.current_name(spec_), done);
    unsynced_.push_back(std::move(done));
    p.unsynced = false;
    dirty_dirs_.push_back(p.dir);
    p.active = false;
    p.bytes = 0;
    p.length = 0;
}

void FileDestination::write(const Record& r, simdjson::dom::element root) {
    Partition* p = nullptr;
    if (template_.is_static()) {
        p = last_ != nullptr ? last_ : &partition(template_.literal_prefix());
    } else {
        template_.render(root, path_);
        p = last_ != nullptr && last_->path == path_ ? last_ : &partition(path_);
    }
    last_ = p;
    std::uint64_t n = r.json.size() + 1;
    if (spec_.rotates && p->active) {
        bool full = spec_.rotate_size > 0 && p->bytes > 0 && p->bytes + n > spec_.rotate_size;
        bool later = false;
        if (spec_.rotate_every > 0 && r.event_time != no_timestamp) {
            Timestamp b = bucket_of(r.event_time, spec_.rotate_every);
            if (p->bucket == no_timestamp)
                p->bucket = b; // the file's first record with a time sets its bucket
            else
                later = b > p->bucket;
        }
        if (full || later)
            complete(*p);
    }
    if (!p->active)
        create_current(*p, r.event_time);
    else
        ensure_open(*p);
    p->writer->write(r);
    p->bytes += n;
}

void FileDestination::flush() {
    // A frames file is cut into frames only at checkpoints and when a batch is full, so
    // its bytes do not depend on when the input went idle (or on a restart).
    if (is_blocked(spec_.format))
        return;
    for (auto& p : parts_)
        if (p->file)
            p->writer->flush();
}

void FileDestination::sync() {
    for (auto& p : parts_) {
        if (p->file) {
            // Compressed: each epoch ends its member/frame, so the committed length is
            // a valid file.
            if (p->writer && is_compressed(spec_.format))
                p->writer->end();
            else if (p->writer)
                p->writer->flush();
            p->file->sync();
            p->length = p->file->length();
            // Frames and compressed: each epoch starts a new writer (frames declare their
            // sources again), as a run resuming from this checkpoint does: the bytes are
            // the same either way.
            if (is_blocked(spec_.format))
                p->writer.reset();
        } else if (p->unsynced) {
            fsync_path(p->current_name(spec_));
        }
        p->unsynced = false;
    }
    for (const std::string& f : unsynced_)
        fsync_path(f);
    unsynced_.clear();
    std::sort(dirty_dirs_.begin(), dirty_dirs_.end());
    dirty_dirs_.erase(std::unique(dirty_dirs_.begin(), dirty_dirs_.end()), dirty_dirs_.end());
    for (const std::string& d : dirty_dirs_)
        fsync_dir(d);
    dirty_dirs_.clear();
}

void FileDestination::finish() {
    for (auto& p : parts_) {
        if (!p->active)
            continue;
        if (spec_.rotates) {
            complete(*p);
            continue;
        }
        if (spec_.format == FileFormat::frames)
            ensure_open(*p);
        if (p->file && p->writer)
            p->writer->end();
    }
}

void FileDestination::snapshot(StateWriter& w) const {
    w.begin_list("partitions", parts_.size());
    for (const auto& p : parts_) {
        w.begin_object("partition");
        w.str("path", p->path);
        w.u64("seq", p->seq);
        w.boolean("active", p->active);
        w.u64("bytes", p->bytes);
        w.i64("bucket", p->bucket);
        w.u64("length", p->length);
        w.end_object();
    }
    w.end_list();
}

void FileDestination::remove_after(const Partition& p) {
    // Files numbered after the committed one were made after the commit.
    for (std::uint64_t s = p.seq + 1;; ++s) {
        std::string done = rotated_name(p.path, s);
        std::string partial = in_progress_name(p.path, s);
        bool any = false;
        for (const std::string* f : {&done, &partial})
            if (::unlink(f->c_str()) == 0)
                any = true;
            else if (errno != ENOENT)
                throw Error(Exit::io, "cannot remove '{}': {}", *f, errno_text(errno));
        if (!any)
            break;
        dirty_dirs_.push_back(p.dir);
    }
    if (!p.active && p.seq > 0)
        ::unlink(in_progress_name(p.path, p.seq).c_str());
}

void FileDestination::restore(StateReader& r) {
    std::uint64_t n = r.begin_list("partitions");
    for (std::uint64_t i = 0; i < n; ++i) {
        r.begin_object("partition");
        Partition& p = partition(r.str("path"));
        p.seq = r.u64("seq");
        p.active = r.boolean("active");
        p.bytes = r.u64("bytes");
        p.bucket = r.i64("bucket");
        p.length = r.u64("length");
        r.end_object();

        if (p.active) {
            std::string cur = p.current_name(spec_);
            std::int64_t size = file_size(cur);
            if (size < 0 && spec_.rotates) {
                // Completed after the commit: take it back and cut it to its committed part.
                std::string done = rotated_name(p.path, p.seq);
                if (file_size(done) >= 0) {
                    rename_or_throw(done, cur);
                    dirty_dirs_.push_back(p.dir);
                    size = file_size(cur);
                }
            }
            if (size < 0 && p.length > 0)
                throw Error(Exit::io,
                            "'{}' is missing but the checkpoint committed {} bytes of it: it was "
                            "removed outside weir",
                            cur, p.length);
            if (size >= 0 && static_cast<std::uint64_t>(size) < p.length)
                throw Error(Exit::io,
                            "'{}' is {} bytes but the checkpoint committed {}: it was truncated "
                            "or replaced outside weir",
                            cur, size, p.length);
            if (size > 0 && static_cast<std::uint64_t>(size) > p.length &&
                ::truncate(cur.c_str(), static_cast<off_t>(p.length)) != 0)
                throw Error(Exit::io, "cannot truncate '{}': {}", cur, errno_text(errno));
        }
        if (spec_.rotates)
            remove_after(p);
    }
    r.end_list();
}

} // namespace weir
