#include "ingest/ingest_reader.hpp"

#include "cli/error.hpp"
#include "cli/reporter.hpp"
#include "io/expand_inputs.hpp"
#include "io/open_input.hpp"
#include "json/document.hpp"
#include "run/stop_signal.hpp"
#include "state/state_io.hpp"
#include "time/event_time.hpp"
#include "wire/frame_format.hpp"

#include <simdjson.h>

#include <algorithm>
#include <fnmatch.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>

namespace weir {

// A resume point restored from a checkpoint, matched to a source when it opens.
struct IngestReader::Saved {
    std::string path;
    FileIdentity identity;
    std::uint64_t offset = 0;  // NDJSON: source offset after the last record handed out
    std::uint64_t line = 0;    // NDJSON: lines before that offset
    std::uint64_t records = 0; // records and rejects handed out (frames, CSV: skip count)
    bool done = false;         // read to its end
    bool used = false;
};

struct IngestReader::Cursor {
    std::string path;
    std::uint32_t source_id = 0;
    bool is_stdin = false;
    FileIdentity identity;
    bool has_identity = false;

    std::unique_ptr<RecordReader> reader;
    ByteSource* src = nullptr; // owned by reader; for ready()
    bool byte_offsets = false; // NDJSON: resume by offset; else by record count
    bool opened = false;
    bool exhausted = false;
    bool waiting = false; // follow: returned idle, check ready() before reading again

    // Resume point: just after the last record handed out.
    std::uint64_t offset = 0;
    std::uint64_t line = 0;
    std::uint64_t records = 0;
    std::uint64_t skip_records = 0;        // resuming by count: records still to discard
    bool skip_existing = false;            // --from latest: count what is there, pass nothing
    bool keep_sources = false;             // frames: records keep their own source labels
    std::vector<std::uint32_t> source_map; // the capture's source id -> ours

    // The head: the next event of this source, a view into its reader's buffer.
    bool has_head = false;
    InputEvent head;
    Timestamp head_time = no_timestamp; // merge key
    std::uint64_t head_offset_after = 0;
    std::uint64_t head_line_after = 0;

    Timestamp max_time = no_timestamp;
    Timestamp last_time = no_timestamp;
    std::string time_problem; // scratch
    JsonDoc doc;              // for readers that do not parse (frames with --time)
};

IngestReader::IngestReader(IngestOptions opts, Reporter& reporter)
    : opts_(std::move(opts))
    , reporter_(reporter)
    , epoch_(opts_.first_epoch) {
    if (opts_.max_rate > 0)
        limiter_.emplace(opts_.max_rate);
    if (opts_.replay_speed > 0)
        pacer_.emplace(opts_.replay_speed);
    if (opts_.inputs.empty())
        opts_.inputs.emplace_back("-");
}

IngestReader::~IngestReader() = default;

std::string IngestReader::label_for(const std::string& path) const {
    for (const auto& [name, glob] : opts_.labels)
        if (::fnmatch(glob.c_str(), path.c_str(), 0) == 0)
            return name;
    return path == "-" ? std::string("<stdin>") : path;
}

void IngestReader::add_source(const std::string& path) {
    auto c = std::make_unique<Cursor>();
    c->path = path;
    c->is_stdin = path == "-";
    c->source_id = sources_.intern(label_for(path));
    cursors_.push_back(std::move(c));
}

void IngestReader::open_all() {
    opened_ = true;
    epoch_started_ = std::chrono::steady_clock::now();
    last_rescan_ = epoch_started_;
    ExpandOptions eo;
    eo.skip_missing = opts_.skip_missing || opts_.follow;
    for (const std::string& p : expand_inputs(opts_.inputs, eo))
        add_source(p);
    // A followed path that does not exist yet is still a source: it is read once it
    // appears. Plain runs only know the paths that exist.
    if (opts_.follow)
        for (const std::string& p : opts_.inputs)
            if (p != "-" && p.find_first_of("*?[") == std::string::npos &&
                std::none_of(cursors_.begin(), cursors_.end(),
                             [&](const auto& c) { return c->path == p; }) &&
                ::access(p.c_str(), F_OK) != 0)
                add_source(p);
    // Merging keeps every source open with its buffer: a directory of thousands of
    // files needs the descriptors, and smaller buffers (about 64 MiB in all).
    if (!opts_.concat && cursors_.size() > 64) {
        rlimit lim{};
        if (::getrlimit(RLIMIT_NOFILE, &lim) == 0) {
            if (lim.rlim_cur < lim.rlim_max) {
                lim.rlim_cur = lim.rlim_max;
                ::setrlimit(RLIMIT_NOFILE, &lim);
                ::getrlimit(RLIMIT_NOFILE, &lim);
            }
            if (lim.rlim_cur != RLIM_INFINITY && cursors_.size() + 32 > lim.rlim_cur)
                throw Error(Exit::no_input,
                            "merging {} sources by event time keeps them all open, but only "
                            "{} files may be open (ulimit -n): raise the limit, or read them "
                            "one after another with --concat",
                            cursors_.size(), lim.rlim_cur);
        }
        buffer_size_ = std::clamp<std::size_t>((std::size_t{64} << 20) / cursors_.size(),
                                               std::size_t{64} << 10, std::size_t{1} << 20);
    }
    for (auto& c : cursors_)
        open_cursor(*c);
    // Event times order the merge, make watermarks, pace replays and travel in frames;
    // one source read to NDJSON without pacing needs none of that, and reading them
    // would cost a tenth of the time.
    needs_time_ =
        opts_.time_field.has_value() && (opts_.barriers || opts_.replay_speed > 0 || opts_.follow ||
                                         (!opts_.concat && cursors_.size() > 1));
}

void IngestReader::rescan() {
    // Follow mode: files that appeared in a followed directory or glob are picked up.
    ExpandOptions eo;
    eo.skip_missing = true;
    std::vector<std::string> now;
    try {
        now = expand_inputs(opts_.inputs, eo);
    } catch (const Error&) {
        return;
    }
    for (const std::string& p : now) {
        if (std::any_of(cursors_.begin(), cursors_.end(),
                        [&](const auto& c) { return c->path == p; }))
            continue;
        add_source(p);
        open_cursor(*cursors_.back());
    }
}

void IngestReader::open_cursor(Cursor& c) {
    c.opened = true;
    const Saved* saved = nullptr;

    // Only regular files have an identity and a resume point. A named pipe is read as
    // it comes, like stdin: fingerprinting it would consume (and lose) its first bytes.
    struct stat st {};

    bool exists = !c.is_stdin && ::stat(c.path.c_str(), &st) == 0;
    if (!c.is_stdin && !exists && !opts_.follow && opts_.skip_missing) {
        // The expansion listed it, and it vanished since: say so, go on.
        reporter_.warningf("cannot open '{}': {}", c.path, errno_text(errno));
        c.exhausted = true;
        return;
    }
    if (exists && S_ISREG(st.st_mode)) {
        c.identity = identify(c.path);
        c.has_identity = true;
        for (Saved& s : saved_)
            if (!s.used && same_file(s.identity, c.path)) {
                s.used = true;
                saved = &s;
                break;
            }
    }

    // Files read to their end in an earlier run, and unchanged since, are skipped.
    if (saved != nullptr && saved->done && !opts_.follow &&
        c.identity.size == saved->identity.size) {
        c.identity = saved->identity;
        c.offset = saved->offset;
        c.line = saved->line;
        c.records = saved->records;
        c.exhausted = true;
        return;
    }

    OpenOptions oo;
    oo.follow = opts_.follow && !c.is_stdin;
    oo.follow_options.poll_interval = opts_.poll_interval;
    oo.follow_options.stop = &stop_flag();
    std::unique_ptr<ByteSource> src = open_input(c.path, oo);
    c.src = src.get();
    if (!opts_.follow && src->size() > 0)
        bytes_total_ += src->size();

    ReaderOptions ro;
    ro.format = opts_.format;
    ro.max_record = opts_.max_record;
    ro.source_name = sources_.name(c.source_id);
    ro.buffer_size = buffer_size_;
    bool frames = is_frame_stream(src->peek(1)); // one byte decides; more could block
    c.byte_offsets = !frames && opts_.format != InputFormat::csv;
    // A capture (frames) keeps the labels of the sources it was made from, unless a
    // --label names the capture itself.
    c.keep_sources =
        frames && std::none_of(opts_.labels.begin(), opts_.labels.end(), [&](const auto& l) {
            return ::fnmatch(l.second.c_str(), c.path.c_str(), 0) == 0;
        });
    if (saved != nullptr) {
        c.records = saved->records;
        if (c.byte_offsets) {
            src->skip(saved->offset);
            c.offset = ro.start_offset = saved->offset;
            c.line = ro.start_line = saved->line;
        } else {
            c.skip_records = saved->records;
        }
    } else if (opts_.from_latest && !c.is_stdin && c.has_identity) {
        // --from latest: a source the checkpoint does not know starts at its end. A plain
        // NDJSON file seeks there; compressed, CSV and frames sources are read through
        // and their records counted, not passed, so a resume point exists.
        if (c.byte_offsets && src->size() > 0 && src->size() == c.identity.size) {
            src->skip(c.identity.size);
            c.offset = ro.start_offset = c.identity.size;
        } else {
            c.skip_existing = true;
        }
    }
    c.reader = make_reader(std::move(src), ro);
}

void IngestReader::extract_time(Cursor& c, Record& r) {
    if (!needs_time_)
        return;
    if (r.event_time == no_timestamp) {
        simdjson::dom::element root;
        if (!c.reader->parsed_root(root)) {
            if (!c.doc.parse(r.json))
                return;
            root = c.doc.root();
        }
        FieldValue v = lookup(root, *opts_.time_field);
        if (!v.is_missing()) {
            EventTimeResult t = event_time_from_json(v.element(), opts_.time_unit);
            if (t.ok())
                r.event_time = t.time();
        }
    }
}

// Makes c.has_head true if a record or reject is available. Returns false when the
// source has nothing now: it ended (c.exhausted), or, only when !may_block, it would
// block (its reader returned idle).
bool IngestReader::fill_head(Cursor& c, bool may_block) {
    if (c.has_head)
        return true;
    if (c.exhausted)
        return false;
    if (c.waiting) {
        if (!may_block && !c.src->ready())
            return false;
        c.waiting = false;
    }
    for (;;) {
        InputKind kind;
        try {
            kind = c.reader->next(c.head);
        } catch (const Error& e) {
            // A truncated or corrupt compressed file: keep what was read, say where it
            // broke, go on with the other sources.
            if (e.code() != Exit::data)
                throw;
            reporter_.warning(e.what());
            c.exhausted = true;
            return false;
        }
        switch (kind) {
        case InputKind::idle:
            c.skip_existing = false; // followed: what comes from now on is new
            c.waiting = true;
            if (!may_block)
                return false;
            c.waiting = false;
            continue;
        case InputKind::end:
            c.exhausted = true;
            return false;
        case InputKind::barrier:
        case InputKind::watermark:
            continue; // ingest makes its own control events
        case InputKind::record:
        case InputKind::invalid:
            break;
        }
        if (c.skip_records > 0) {
            --c.skip_records;
            continue;
        }
        if (c.skip_existing) {
            ++c.records;
            c.offset = c.reader->bytes_read();
            c.line = c.head.record.line;
            continue;
        }
        if (c.keep_sources) {
            std::uint32_t theirs = c.head.record.source;
            const SourceTable& names = c.reader->sources();
            while (c.source_map.size() < names.size())
                c.source_map.push_back(
                    sources_.intern(names.name(static_cast<std::uint32_t>(c.source_map.size()))));
            c.head.record.source = theirs < c.source_map.size()
                                       ? c.source_map[theirs]
                                       : sources_.intern(names.name(theirs));
        } else {
            c.head.record.source = c.source_id;
        }
        if (kind == InputKind::record)
            extract_time(c, c.head.record);
        c.head_time =
            c.head.record.event_time != no_timestamp ? c.head.record.event_time : c.last_time;
        c.head_offset_after = c.reader->bytes_read();
        c.head_line_after = c.head.record.line;
        c.has_head = true;
        return true;
    }
}

// The cursor whose head goes next, or nullptr when none is ready. Sets idled_-worthy
// state: returns nullptr with some source waiting (idle) or all exhausted (end).
IngestReader::Cursor* IngestReader::pick() {
    Cursor* best = nullptr;
    for (auto& cp : cursors_) {
        Cursor& c = *cp;
        if (c.exhausted && !c.has_head)
            continue;
        // Without follow, the merge needs every source's head to choose (a pipe that is
        // slow holds the merge, as it must for event-time order). Blocking is allowed
        // only after the loop had its chance to flush (idled_).
        bool may_block = !opts_.follow && idled_;
        if (!fill_head(c, may_block)) {
            if (c.exhausted)
                continue;
            if (!opts_.follow)
                return nullptr; // idle: flush first, then block on it
            continue;           // follow: a quiet source does not hold the others
        }
        if (opts_.concat)
            return &c;
        if (best == nullptr || c.head_time < best->head_time)
            best = &c;
    }
    return best;
}

Timestamp IngestReader::watermark() const {
    // The minimum over active sources of their maximum event time; once every source
    // has finished, nothing holds it back: the maximum over all.
    Timestamp wm = no_timestamp;
    Timestamp all = no_timestamp;
    bool active = false;
    for (const auto& c : cursors_) {
        all = std::max(all, c->max_time);
        if (c->exhausted && !c->has_head)
            continue;
        active = true;
        if (c->max_time == no_timestamp)
            continue;
        wm = wm == no_timestamp ? c->max_time : std::min(wm, c->max_time);
    }
    return active ? wm : all;
}

bool IngestReader::control(InputEvent& ev) {
    // A watermark that advanced goes out before the barrier that ends the epoch.
    if (opts_.barriers) {
        Timestamp wm = watermark();
        if (wm != no_timestamp && (last_watermark_ == no_timestamp || wm > last_watermark_)) {
            last_watermark_ = wm;
            ev.kind = InputKind::watermark;
            ev.watermark = wm;
            return true;
        }
    }
    watermark_due_ = false;
    if (barrier_due_ || (ending_ && opts_.barriers && since_barrier_ > 0)) {
        barrier_due_ = false;
        since_barrier_ = 0;
        epoch_started_ = std::chrono::steady_clock::now();
        ev.kind = InputKind::barrier;
        ev.epoch = epoch_++;
        return true;
    }
    if (!ending_)
        return false;
    ended_ = true;
    ev.kind = InputKind::end;
    return true;
}

InputKind IngestReader::next(InputEvent& ev) {
    if (ended_) {
        ev.kind = InputKind::end;
        return ev.kind;
    }
    if (!opened_)
        open_all();
    if (stop_requested() != 0)
        ending_ = true;
    if ((watermark_due_ || barrier_due_ || ending_) && control(ev))
        return ev.kind;

    if (pending_ == nullptr) {
        for (;;) {
            pending_ = pick();
            if (pending_ != nullptr)
                break;
            bool all_done = std::all_of(cursors_.begin(), cursors_.end(),
                                        [](const auto& c) { return c->exhausted && !c->has_head; });
            if (all_done && !opts_.follow) {
                ending_ = true;
                control(ev);
                return ev.kind;
            }
            if (!idled_) {
                idled_ = true;
                ev.kind = InputKind::idle;
                return ev.kind;
            }
            if (!opts_.follow)
                continue; // idled: now pick() may block
            // Follow mode, nothing new anywhere: wait a poll interval, look for new
            // files, end an epoch whose time is up, stop when asked.
            if (stop_requested() != 0) {
                ending_ = true;
                control(ev);
                return ev.kind;
            }
            auto now = std::chrono::steady_clock::now();
            if (opts_.barriers && opts_.checkpoint_every_time.count() > 0 && since_barrier_ > 0 &&
                now - epoch_started_ >= opts_.checkpoint_every_time) {
                barrier_due_ = true;
                control(ev);
                return ev.kind;
            }
            if (now - last_rescan_ >= opts_.poll_interval) {
                last_rescan_ = now;
                rescan();
            }
            std::this_thread::sleep_for(opts_.poll_interval / 4);
        }
    }

    Cursor& c = *pending_;
    if ((limiter_ || pacer_) && c.head.kind == InputKind::record) {
        auto now = std::chrono::steady_clock::now();
        auto wait = std::chrono::steady_clock::duration::zero();
        if (pacer_)
            wait = pacer_->wait_for(c.head.record.event_time, now);
        if (wait.count() > 0) {
            // Flush what is out before sleeping, so a replay shows each record at once.
            if (!idled_) {
                idled_ = true;
                ev.kind = InputKind::idle;
                return ev.kind;
            }
            std::this_thread::sleep_for(wait);
        }
        if (limiter_) {
            for (;;) {
                auto w = limiter_->acquire(std::chrono::steady_clock::now());
                if (w.count() == 0)
                    break;
                std::this_thread::sleep_for(w);
            }
        }
    }
    pending_ = nullptr;
    return finish_event(c, ev);
}

bool IngestReader::parsed_root(simdjson::dom::element& out) const {
    // The cursor's reader has not moved since it handed out the record, so its DOM is
    // still the record's; a reader that did not parse (frames) says so.
    return last_ != nullptr && last_->reader && last_->reader->parsed_root(out);
}

InputKind IngestReader::finish_event(Cursor& c, InputEvent& ev) {
    idled_ = false;
    last_ = &c;
    ev = c.head;
    c.has_head = false;
    if (c.byte_offsets) {
        c.offset = c.head_offset_after;
        c.line = c.head_line_after;
    }
    ++c.records;
    if (ev.kind == InputKind::record && ev.record.event_time != no_timestamp) {
        c.last_time = ev.record.event_time;
        c.max_time = std::max(c.max_time, ev.record.event_time);
    }
    if (opts_.barriers) {
        ++since_barrier_;
        if (opts_.checkpoint_every_records > 0 && since_barrier_ >= opts_.checkpoint_every_records)
            barrier_due_ = true;
        else if (opts_.checkpoint_every_time.count() > 0 && (since_barrier_ & 255) == 0 &&
                 std::chrono::steady_clock::now() - epoch_started_ >= opts_.checkpoint_every_time)
            barrier_due_ = true;
        if (++since_watermark_ >= opts_.watermark_every) {
            since_watermark_ = 0;
            watermark_due_ = true;
        }
    }
    return ev.kind;
}

std::uint64_t IngestReader::bytes_read() const {
    std::uint64_t n = 0;
    for (const auto& c : cursors_)
        n += c->reader ? c->reader->bytes_read() : c->offset;
    return n;
}

void IngestReader::snapshot(StateWriter& w) const {
    std::uint64_t n = 0;
    for (const auto& c : cursors_)
        n += c->has_identity ? 1 : 0;
    // Sources the checkpoint knew but this run did not open (a file moved out of the
    // glob for a while) keep their resume points.
    for (const Saved& s : saved_)
        n += s.used ? 0 : 1;
    w.begin_list("sources", n);
    auto put = [&](const std::string& path, const FileIdentity& id, std::uint64_t offset,
                   std::uint64_t line, std::uint64_t records, bool done) {
        w.begin_object("source");
        w.str("path", path);
        w.u64("dev", id.dev);
        w.u64("inode", id.inode);
        w.u64("size", id.size);
        w.u64("fingerprint", id.fingerprint);
        w.u64("fingerprint_len", id.fingerprint_len);
        w.u64("offset", offset);
        w.u64("line", line);
        w.u64("records", records);
        w.boolean("done", done);
        w.end_object();
    };
    for (const auto& c : cursors_) {
        if (!c->has_identity)
            continue;
        // The size stays the one seen at open: a file that grew while it was read is
        // not "done" next time, and resumes at its offset.
        put(c->path, c->identity, c->offset, c->line, c->records, c->exhausted && !c->has_head);
    }
    for (const Saved& s : saved_)
        if (!s.used)
            put(s.path, s.identity, s.offset, s.line, s.records, s.done);
    w.end_list();
}

void IngestReader::restore(StateReader& r) {
    std::uint64_t n = r.begin_list("sources");
    for (std::uint64_t i = 0; i < n; ++i) {
        Saved s;
        r.begin_object("source");
        s.path = r.str("path");
        s.identity.dev = r.u64("dev");
        s.identity.inode = r.u64("inode");
        s.identity.size = r.u64("size");
        s.identity.fingerprint = r.u64("fingerprint");
        s.identity.fingerprint_len = static_cast<std::uint32_t>(r.u64("fingerprint_len"));
        s.offset = r.u64("offset");
        s.line = r.u64("line");
        s.records = r.u64("records");
        s.done = r.boolean("done");
        r.end_object();
        saved_.push_back(std::move(s));
    }
    r.end_list();
}

} // namespace weir
