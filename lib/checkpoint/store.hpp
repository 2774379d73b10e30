#pragma once

// The checkpoint directory as files, and the one rule that decides what is committed.
// stage.cpp (the run-time protocol) and inspect.cpp (`weir checkpoint`) both read DIR
// through these functions, so they can never disagree on what a file means.
//
//   DIR/.lock                           DirLock (lock.hpp)
//   DIR/<stage>/stage.json              registration: {"stage": S, "joined_after": J}
//   DIR/<stage>/lock                    StageLock: pid, process group, start epoch
//   DIR/<stage>/epoch-<20 digits>.snap  one snapshot per epoch (snapshot_file.hpp)
//   DIR/<stage>/*.tmp.*                 a write in progress (or torn by a crash)
//   DIR/<stage>/epoch-*.snap.damaged    a damaged snapshot set aside on restore
//
// Committed epoch: the largest e such that every registered stage s either joined at or
// after e (e <= joined_after(s)) or holds a snapshot file for e. docs/checkpoints.md
// argues why this is the right rule; the main point is that a stage writes its epochs
// in order, each after the one before, as the barriers reach it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

struct StageInfo {
    std::string name;
    bool registered = false; // stage.json present and readable
    std::string problem;     // why stage.json could not be read, if so
    std::uint64_t joined_after = 0;
    std::vector<std::uint64_t> epochs; // snapshot files present, ascending

    // The newest epoch this stage accounts for: its newest snapshot, or the epoch it
    // joined after when it has written none since.
    std::uint64_t newest() const {
        return epochs.empty() || epochs.back() < joined_after ? joined_after : epochs.back();
    }

    bool holds(std::uint64_t e) const;
};

// "DIR/NAME", without doubling a trailing slash of DIR.
std::string join_path(std::string_view dir, std::string_view name);

inline std::string stage_path(std::string_view dir, std::string_view stage) {
    return join_path(dir, stage);
}

// A stage name is a single path component: not empty, no '/', not starting with '.'.
bool valid_stage_name(std::string_view name);

// Every stage directory in DIR, sorted by name; empty when DIR does not exist. Throws
// Error(Exit::io) when DIR or a stage directory cannot be read.
std::vector<StageInfo> scan_stages(const std::string& dir);

// Does every registered stage hold epoch e (or not need to, having joined later)?
bool epoch_complete(const std::vector<StageInfo>& stages, std::uint64_t e);

// The newest committed epoch (0: none).
std::uint64_t committed_epoch(const std::vector<StageInfo>& stages);

// Registered stages that need epoch e (joined before it) but hold no snapshot of it.
std::vector<std::string> stages_missing(const std::vector<StageInfo>& stages, std::uint64_t e);

// The oldest of the registered stages' newest() epochs. Since every stage writes each
// epoch after the previous one and garbage collection keeps the committed epoch, in an
// intact DIR this epoch is complete and equals committed_epoch(). When it is not
// complete, snapshots were removed behind weir's back, and committed_epoch() would
// rewind the pipeline past epochs it had committed.
std::uint64_t oldest_newest(const std::vector<StageInfo>& stages);

// The whole file; nullopt when it does not exist. Throws Error(Exit::io) on other
// errors.
std::optional<std::string> read_file(const std::string& path);

// stage.json text for a registration, and its parse (nullopt if malformed).
std::string registration_json(std::string_view stage, std::uint64_t joined_after);
std::optional<std::uint64_t> parse_registration(std::string_view text);

} // namespace weir
