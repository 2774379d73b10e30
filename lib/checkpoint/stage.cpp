#include "checkpoint/stage.hpp"

#include "checkpoint/lock.hpp"
#include "checkpoint/snapshot_file.hpp"
#include "checkpoint/store.hpp"
#include "cli/error.hpp"
#include "io/atomic_file.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

struct StageCheckpoint::Impl {
    std::string dir;
    std::string stage;
    std::string path; // DIR/<stage>
    StageLock lock;
    // The epoch this run started from. Garbage collection keeps its snapshot for the
    // whole run, so a stage that joins the running pipeline can join at it.
    std::uint64_t start_epoch = 0;
    // restore_point() threw away a snapshot newer than the committed epoch: the last run
    // did not commit. When that keeps happening, a stage that left is the usual cause.
    bool discarded_partial = false;
};

namespace {

// mkdir -p; the directory entries are synced so a registration cannot outlive its dir.
void make_dirs(const std::string& path) {
    std::string cur;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        cur = path.substr(0, slash);
        pos = slash + 1;
        if (cur.empty() || cur == "." || cur == "..")
            continue;
        if (::mkdir(cur.c_str(), 0755) == 0) {
            std::size_t up = cur.find_last_of('/');
            fsync_dir(up == std::string::npos ? "." : (up == 0 ? "/" : cur.substr(0, up)));
        } else if (errno != EEXIST) {
            int err = errno;
            throw Error(Exit::cant_create, "cannot create checkpoint directory '{}': {}", cur,
                        errno_text(err));
        }
    }

    struct stat st {};

    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(Exit::cant_create, "cannot create checkpoint directory '{}': {}", path,
                    errno_text(ENOTDIR));
}

const StageInfo* find_stage(const std::vector<StageInfo>& stages, std::string_view name) {
    for (const StageInfo& s : stages)
        if (s.name == name)
            return &s;
    return nullptr;
}

// A malformed registration, or snapshots lost behind weir's back, make the committed
// epoch unknowable: stop rather than guess, since a guess too low rewinds every stage.
void check_consistent(const std::string& dir, const std::vector<StageInfo>& stages) {
    for (const StageInfo& s : stages)
        if (!s.problem.empty())
            throw Error(Exit::temp_fail, "checkpoint '{}': {}; see 'weir checkpoint verify {}'",
                        stage_path(dir, s.name), s.problem, dir);
    std::uint64_t e = oldest_newest(stages);
    std::vector<std::string> missing = stages_missing(stages, e);
    if (!missing.empty())
        throw Error(Exit::temp_fail,
                    "checkpoint '{}': stage '{}' lacks epoch {}, which the other stages need; "
                    "see 'weir checkpoint verify {}'",
                    dir, missing.front(), e, dir);
}

// The epoch a new stage joins after (docs/checkpoints.md, "Joining"). Normally the
// committed epoch: the stage sees only what comes after it. But stages of the same
// process group (one shell pipeline) that are running now may already have committed
// epochs whose records are still in this stage's input pipe; then join at the epoch
// that run started from (or the oldest complete epoch after it). Only running stages
// count: lowering the join epoch below what a finished run committed would make the
// next run rewind past it.
std::uint64_t join_epoch(const std::string& dir, const std::vector<StageInfo>& stages,
                         std::uint64_t committed) {
    std::uint64_t run_start = committed;
    long pgid = ::getpgrp();
    for (const StageInfo& s : stages) {
        if (!s.registered)
            continue;
        std::string lock = join_path(stage_path(dir, s.name), "lock");
        std::optional<LockInfo> info = read_lock_info(lock);
        if (info && info->pgid == pgid && info->start_epoch && lock_holder(lock))
            run_start = std::min(run_start, *info->start_epoch);
    }
    if (run_start >= committed)
        return committed;
    std::vector<std::uint64_t> candidates{0, committed};
    for (const StageInfo& s : stages) {
        candidates.push_back(s.joined_after);
        candidates.insert(candidates.end(), s.epochs.begin(), s.epochs.end());
    }
    std::sort(candidates.begin(), candidates.end());
    for (std::uint64_t e : candidates)
        if (e >= run_start && e <= committed && epoch_complete(stages, e))
            return e;
    return committed;
}

void remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        int err = errno;
        throw Error(Exit::io, "cannot remove '{}': {}", path, errno_text(err));
    }
}

} // namespace

StageCheckpoint StageCheckpoint::open(const std::string& dir, const std::string& stage) {
    if (!valid_stage_name(stage))
        throw Error(Exit::usage, "invalid checkpoint stage name '{}'", stage);
    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    impl->stage = stage;
    impl->path = stage_path(dir, stage);

    // 1. Directories, then the stage lock: from here on this run owns DIR/<stage>.
    make_dirs(impl->path);
    impl->lock = StageLock::acquire(dir, stage);

    // 2. Temp files of a crashed write are garbage; only the owner may remove them.
    {
        std::vector<std::string> stale;
        if (DIR* d = ::opendir(impl->path.c_str())) {
            while (dirent* e = ::readdir(d))
                if (std::string_view(e->d_name).find(".tmp.") != std::string_view::npos)
                    stale.emplace_back(e->d_name); // write_file_atomic's temp names
            ::closedir(d);
        }
        for (const std::string& name : stale)
            remove_file(join_path(impl->path, name));
    }

    // 3. Register (once, atomically) and record where this run starts, under the DIR
    //    lock so that no other stage restores or collects garbage meanwhile.
    DirLock dir_lock(dir);
    std::vector<StageInfo> stages = scan_stages(dir);
    check_consistent(dir, stages);
    const StageInfo* me = find_stage(stages, stage);
    if (me == nullptr || !me->registered) {
        std::uint64_t joined = join_epoch(dir, stages, weir::committed_epoch(stages));
        write_file_atomic(join_path(impl->path, "stage.json"), registration_json(stage, joined));
        stages = scan_stages(dir);
    }
    impl->start_epoch = weir::committed_epoch(stages);
    impl->lock.record(impl->start_epoch);
    return StageCheckpoint(impl.release());
}

StageCheckpoint::StageCheckpoint(Impl* impl) : impl_(impl) {}

StageCheckpoint::StageCheckpoint(StageCheckpoint&& o) noexcept : impl_(o.impl_) {
    o.impl_ = nullptr;
}

StageCheckpoint& StageCheckpoint::operator=(StageCheckpoint&& o) noexcept {
    if (this != &o) {
        delete impl_;
        impl_ = o.impl_;
        o.impl_ = nullptr;
    }
    return *this;
}

StageCheckpoint::~StageCheckpoint() {
    delete impl_;
}

std::uint64_t StageCheckpoint::committed_epoch() const {
    return weir::committed_epoch(scan_stages(impl_->dir));
}

std::optional<Snapshot> StageCheckpoint::restore_point() {
    DirLock dir_lock(impl_->dir);
    for (;;) {
        std::vector<StageInfo> stages = scan_stages(impl_->dir);
        check_consistent(impl_->dir, stages);
        std::uint64_t committed = weir::committed_epoch(stages);
        const StageInfo* me = find_stage(stages, impl_->stage);
        if (me == nullptr || !me->registered)
            throw Error(Exit::temp_fail, "checkpoint '{}': the stage was reset during the run",
                        impl_->path);

        // Snapshots newer than the committed epoch belong to epochs a crash cut short.
        bool removed = false;
        for (std::uint64_t e : me->epochs)
            if (e > committed) {
                remove_file(join_path(impl_->path, snapshot_file_name(e)));
                removed = true;
            }
        impl_->discarded_partial = impl_->discarded_partial || removed;
        if (removed)
            fsync_dir(impl_->path);

        // So are other stages' snapshots newer than it, and they go now too, while no
        // stage of this run can have written past the committed epoch: otherwise a stage
        // that restores late could pair its stale snapshot of epoch e with a new one of
        // e that an early stage has written since, and restore e while the others
        // restored the epoch before (an upstream killed after its end frame but before
        // its snapshot leaves exactly that). A stage whose lock is held is running and
        // removes its own.
        for (const StageInfo& other : stages) {
            if (other.name == impl_->stage || other.epochs.empty() ||
                other.epochs.back() <= committed)
                continue;
            std::string other_path = stage_path(impl_->dir, other.name);
            if (lock_holder(join_path(other_path, "lock")))
                continue;
            for (std::uint64_t e : other.epochs)
                if (e > committed)
                    remove_file(join_path(other_path, snapshot_file_name(e)));
            fsync_dir(other_path);
        }

        impl_->start_epoch = committed;
        impl_->lock.record(committed);
        if (!me->holds(committed)) {
            if (committed <= me->joined_after)
                return std::nullopt; // nothing committed since this stage joined
            throw Error(Exit::temp_fail,
                        "checkpoint '{}': the snapshot of committed epoch {} is missing; see "
                        "'weir checkpoint verify {}'",
                        impl_->path, committed, impl_->dir);
        }

        std::string file = join_path(impl_->path, snapshot_file_name(committed));
        std::optional<std::string> bytes = read_file(file);
        Snapshot snap;
        std::string why = "missing";
        if (bytes && decode_snapshot(*bytes, snap, why)) {
            if (snap.epoch == committed)
                return snap;
            why = fmt::format("holds epoch {}", snap.epoch);
        }

        // Damaged. Set it aside, so the committed epoch falls back for every stage to
        // the one before (which garbage collection keeps for this), then decide whether
        // this run may fall back alone.
        std::fprintf(stderr, "%s: checkpoint '%s': %s\n", program_invocation_short_name,
                     file.c_str(), why.c_str());
        if (::rename(file.c_str(), (file + ".damaged").c_str()) != 0) {
            int err = errno;
            throw Error(Exit::io, "cannot rename '{}': {}", file, errno_text(err));
        }
        fsync_dir(impl_->path);
        stages = scan_stages(impl_->dir);
        std::uint64_t fallback = weir::committed_epoch(stages);
        bool alone = std::none_of(stages.begin(), stages.end(), [&](const StageInfo& s) {
            return s.registered && s.name != impl_->stage;
        });
        // Other stages may already have restored the damaged epoch and be reading past
        // it; falling back here alone would lose that epoch's records. The next run
        // starts every stage from the fallback epoch together.
        if (!alone)
            throw Error(Exit::temp_fail,
                        "checkpoint '{}': epoch {} is damaged and was set aside; run the "
                        "pipeline again to restart it from epoch {} (see 'weir checkpoint "
                        "verify {}')",
                        impl_->path, committed, fallback, impl_->dir);
    }
}

void StageCheckpoint::write(const Snapshot& s) {
    if (s.epoch == 0)
        throw Error(Exit::internal, "internal error: checkpoint '{}': snapshot for epoch 0",
                    impl_->path);
    write_file_atomic(join_path(impl_->path, snapshot_file_name(s.epoch)), encode_snapshot(s));
}

void StageCheckpoint::collect_garbage() {
    DirLock dir_lock(impl_->dir);
    std::vector<StageInfo> stages = scan_stages(impl_->dir);
    std::uint64_t committed = weir::committed_epoch(stages);
    const StageInfo* me = find_stage(stages, impl_->stage);
    if (me == nullptr)
        return;
    // Keep the committed epoch, the one before it (the fallback should the committed
    // snapshot prove damaged) and the epoch this run started from (for joiners).
    bool removed = false;
    for (std::uint64_t e : me->epochs)
        if (e + 1 < committed && e != impl_->start_epoch) {
            remove_file(join_path(impl_->path, snapshot_file_name(e)));
            removed = true;
        }
    if (removed)
        fsync_dir(impl_->path);
}

std::vector<StalledStage> StageCheckpoint::stalled() const {
    std::vector<StageInfo> stages = scan_stages(impl_->dir);
    std::uint64_t newest = 0;
    for (const StageInfo& s : stages)
        if (s.registered)
            newest = std::max(newest, s.newest());
    std::vector<StalledStage> out;
    for (const StageInfo& s : stages) {
        // A running stage that lags is only slow; one that holds no lock has left. Right
        // after this stage committed, an idle stage one epoch behind holds that epoch
        // back; if the previous run's epoch was lost the same way, that is the trap of
        // a stage that left the pipeline (a stage merely slow to start is not).
        std::uint64_t behind = impl_->discarded_partial ? 1 : 2;
        if (!s.registered || s.name == impl_->stage || s.newest() + behind > newest)
            continue;
        if (lock_holder(join_path(stage_path(impl_->dir, s.name), "lock")))
            continue;
        out.push_back({s.name, s.newest(), newest});
    }
    return out;
}

const std::string& StageCheckpoint::dir() const {
    return impl_->dir;
}

const std::string& StageCheckpoint::stage() const {
    return impl_->stage;
}

} // namespace weir
