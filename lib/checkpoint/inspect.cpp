#include "checkpoint/inspect.hpp"

#include "checkpoint/lock.hpp"
#include "checkpoint/snapshot_file.hpp"
#include "checkpoint/store.hpp"
#include "cli/error.hpp"
#include "io/atomic_file.hpp"
#include "state/state_io.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

void require_dir(const std::string& dir) {
    struct stat st {};

    if (::stat(dir.c_str(), &st) != 0) {
        int err = errno;
        throw Error(Exit::no_input, "cannot open checkpoint '{}': {}", dir, errno_text(err));
    }
    if (!S_ISDIR(st.st_mode))
        throw Error(Exit::no_input, "cannot open checkpoint '{}': {}", dir, errno_text(ENOTDIR));
}

// One `"name":value` pair, escaped by state_to_json so that show needs no JSON writer
// of its own.
std::string json_member(const StateWriter& w) {
    std::string obj = state_to_json(w.data());
    return obj.substr(1, obj.size() - 2);
}

std::string json_state(std::string_view data) {
    try {
        return state_to_json(data);
    } catch (const Error& e) {
        StateWriter w;
        w.str("malformed", e.what());
        return state_to_json(w.data());
    }
}

const char* plural(std::size_t n) {
    return n == 1 ? "" : "s";
}

} // namespace

CheckpointListing list_checkpoint(const std::string& dir) {
    require_dir(dir);
    std::vector<StageInfo> stages = scan_stages(dir);
    CheckpointListing out;
    out.committed = committed_epoch(stages);
    for (StageInfo& s : stages) {
        StageListing l;
        l.name = s.name;
        l.registered = s.registered;
        l.problem = s.problem;
        l.joined_after = s.joined_after;
        l.epochs = std::move(s.epochs);
        l.lock_pid = lock_holder(join_path(stage_path(dir, s.name), "lock"));
        out.stages.push_back(std::move(l));
    }
    return out;
}

void print_listing(std::FILE* out, const CheckpointListing& listing) {
    fmt::print(out, "committed epoch {}\n", listing.committed);
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"stage", "newest", "snapshots", "joined_after", "lock"});
    for (const StageListing& s : listing.stages) {
        std::string joined = s.registered         ? fmt::format("{}", s.joined_after)
                             : !s.problem.empty() ? std::string("malformed")
                                                  : std::string("unregistered");
        rows.push_back({s.name, s.epochs.empty() ? "-" : fmt::format("{}", s.epochs.back()),
                        fmt::format("{}", s.epochs.size()), joined,
                        s.lock_pid ? fmt::format("pid {}", *s.lock_pid) : "-"});
    }
    std::vector<std::size_t> width(rows[0].size(), 0);
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c)
            width[c] = std::max(width[c], r[c].size());
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            line += r[c];
            if (c + 1 < r.size())
                line.append(width[c] - r[c].size() + 2, ' ');
        }
        fmt::print(out, "{}\n", line);
    }
}

LoadedSnapshot load_snapshot(const std::string& dir, const std::string& stage,
                             std::optional<std::uint64_t> epoch) {
    if (!valid_stage_name(stage))
        throw Error(Exit::usage, "invalid checkpoint stage name '{}'", stage);
    require_dir(dir);
    std::vector<StageInfo> stages = scan_stages(dir);
    auto it = std::find_if(stages.begin(), stages.end(),
                           [&](const StageInfo& s) { return s.name == stage; });
    if (it == stages.end())
        throw Error(Exit::no_input, "no stage '{}' in checkpoint '{}'", stage, dir);
    if (!epoch) {
        if (it->epochs.empty())
            throw Error(Exit::no_input, "checkpoint '{}' holds no snapshot",
                        stage_path(dir, stage));
        epoch = it->epochs.back();
    }
    LoadedSnapshot out;
    out.stage = stage;
    out.path = join_path(stage_path(dir, stage), snapshot_file_name(*epoch));
    std::optional<std::string> bytes = read_file(out.path);
    if (!bytes)
        throw Error(Exit::no_input, "checkpoint '{}' holds no snapshot of epoch {}",
                    stage_path(dir, stage), *epoch);
    std::string why;
    if (!decode_snapshot(*bytes, out.snapshot, why))
        throw Error(Exit::temp_fail, "checkpoint '{}': {}", out.path, why);
    return out;
}

std::string snapshot_to_json(const LoadedSnapshot& s) {
    const Snapshot& snap = s.snapshot;
    std::vector<std::string> lines;
    auto member = [&](auto&& fill) {
        StateWriter w;
        fill(w);
        lines.push_back(json_member(w));
    };
    member([&](StateWriter& w) { w.str("stage", s.stage); });
    member([&](StateWriter& w) { w.u64("epoch", snap.epoch); });
    member([&](StateWriter& w) { w.str("file", s.path); });
    member([&](StateWriter& w) { w.str("tool", snap.tool); });
    member([&](StateWriter& w) { w.str("op_name", snap.op_name); });
    member([&](StateWriter& w) { w.u64("state_version", snap.state_version); });
    member([&](StateWriter& w) {
        w.begin_object("meaning_flags");
        for (const auto& [flag, value] : snap.meaning_flags)
            w.str(flag, value);
        w.end_object();
    });
    member([&](StateWriter& w) {
        w.begin_object("file_lengths");
        for (const auto& [path, length] : snap.file_lengths)
            w.u64(path, length);
        w.end_object();
    });
    lines.push_back("\"source_state\":" + json_state(snap.source_state));
    lines.push_back("\"op_state\":" + json_state(snap.op_state));

    std::string out = "{\n";
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += "  " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    out += "}\n";
    return out;
}

bool VerifyReport::ok() const {
    return stage_problems.empty() &&
           std::all_of(files.begin(), files.end(), [](const File& f) { return f.problem.empty(); });
}

VerifyReport verify_checkpoint(const std::string& dir) {
    require_dir(dir);
    std::vector<StageInfo> stages = scan_stages(dir);
    VerifyReport report;
    report.committed = committed_epoch(stages);

    // What the stages would hold once every damaged snapshot is set aside: its
    // committed epoch is where the next runs restart.
    std::vector<StageInfo> healthy = stages;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const StageInfo& s = stages[i];
        std::string path = stage_path(dir, s.name);
        if (!s.problem.empty())
            report.stage_problems.push_back(fmt::format("{}: {}", path, s.problem));
        else if (!s.registered && !s.epochs.empty())
            report.stage_problems.push_back(
                fmt::format("{}: snapshots without a registration (stage.json)", path));
        for (std::uint64_t e : s.epochs) {
            VerifyReport::File f;
            f.path = join_path(path, snapshot_file_name(e));
            std::optional<std::string> bytes = read_file(f.path);
            if (!bytes)
                continue; // collected by a running stage since the scan
            Snapshot snap;
            if (decode_snapshot(*bytes, snap, f.problem) && snap.epoch != e)
                f.problem = fmt::format("holds epoch {}", snap.epoch);
            if (!f.problem.empty()) {
                auto& held = healthy[i].epochs;
                held.erase(std::remove(held.begin(), held.end(), e), held.end());
                if (e == report.committed && report.committed > s.joined_after)
                    report.committed_restorable = false;
            }
            report.files.push_back(std::move(f));
        }
        if (DIR* d = ::opendir(path.c_str())) {
            std::vector<std::string> aside;
            while (dirent* ent = ::readdir(d)) {
                std::string_view n = ent->d_name;
                if (n.size() > 8 && n.substr(n.size() - 8) == ".damaged")
                    aside.push_back(join_path(path, n));
            }
            ::closedir(d);
            std::sort(aside.begin(), aside.end());
            report.set_aside.insert(report.set_aside.end(), aside.begin(), aside.end());
        }
    }
    // Every stage's newest epoch is held by all: otherwise snapshots were removed by
    // hand, and a run refuses to start rather than rewind (store.hpp, oldest_newest).
    std::uint64_t oldest = oldest_newest(stages);
    for (const std::string& name : stages_missing(stages, oldest))
        report.stage_problems.push_back(
            fmt::format("{}: lacks epoch {}, which the other stages need (removed by hand?)",
                        stage_path(dir, name), oldest));
    report.fallback = committed_epoch(healthy);
    return report;
}

void print_verify(std::FILE* out, const VerifyReport& report) {
    std::size_t damaged = 0;
    for (const VerifyReport::File& f : report.files) {
        if (f.problem.empty()) {
            fmt::print(out, "ok       {}\n", f.path);
        } else {
            fmt::print(out, "damaged  {}: {}\n", f.path, f.problem);
            ++damaged;
        }
    }
    for (const std::string& p : report.set_aside)
        fmt::print(out, "aside    {}: damaged, set aside by an earlier restore\n", p);
    for (const std::string& p : report.stage_problems)
        fmt::print(out, "problem  {}\n", p);
    if (report.committed_restorable)
        fmt::print(out, "committed epoch {}: restorable\n", report.committed);
    else
        fmt::print(out,
                   "committed epoch {}: damaged; the next run sets it aside and restarts "
                   "from epoch {}\n",
                   report.committed, report.fallback);
    fmt::print(out, "{} snapshot{} checked, {} damaged\n", report.files.size(),
               plural(report.files.size()), damaged);
}

std::size_t reset_stage(const std::string& dir, const std::string& stage) {
    if (!valid_stage_name(stage))
        throw Error(Exit::usage, "invalid checkpoint stage name '{}'", stage);
    require_dir(dir);
    std::string path = stage_path(dir, stage);

    struct stat st {};

    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(Exit::no_input, "no stage '{}' in checkpoint '{}'", stage, dir);

    // The stage lock first (as a run takes it), then the DIR lock, so no run of the
    // stage starts or restores while it is being removed.
    StageLock lock = StageLock::acquire(dir, stage);
    DirLock dir_lock(dir);

    // Unregister first: from this instant the other stages commit without it, and a
    // crash part way leaves an unregistered directory that nothing counts.
    auto remove_entry = [&](const std::string& name) {
        std::string p = join_path(path, name);
        if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
            int err = errno;
            throw Error(Exit::io, "cannot remove '{}': {}", p, errno_text(err));
        }
    };
    remove_entry("stage.json");
    fsync_dir(path);

    std::vector<std::string> names;
    if (DIR* d = ::opendir(path.c_str())) {
        while (dirent* ent = ::readdir(d)) {
            std::string_view n = ent->d_name;
            if (n != "." && n != ".." && n != "lock")
                names.emplace_back(n);
        }
        ::closedir(d);
    }
    std::size_t snapshots = 0;
    for (const std::string& n : names) {
        if (parse_snapshot_file_name(n))
            ++snapshots;
        remove_entry(n);
    }
    remove_entry("lock");
    // A run of the stage that started meanwhile has created a new lock file; the
    // directory then stays, and that run registers afresh.
    if (::rmdir(path.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST) {
        int err = errno;
        throw Error(Exit::io, "cannot remove '{}': {}", path, errno_text(err));
    }
    fsync_dir(dir);
    return snapshots;
}

} // namespace weir
