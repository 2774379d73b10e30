#pragma once

// What `weir checkpoint ls|show|verify|reset` do, as library functions so that tests
// can call them without a process. tools/weir-checkpoint/main.cpp only parses flags
// and calls these (DESIGN.md: "no checkpoint is ever an opaque blob that can only be
// deleted").
//
// All of them read DIR through store.hpp, the same functions the run-time protocol
// uses, so what `ls` calls committed is what the next run restores. None of them takes
// a stage lock except reset, so they can look at a running pipeline.

#include "checkpoint/stage.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace weir {

struct StageListing {
    std::string name;
    bool registered = false;
    std::string problem; // set when stage.json is malformed
    std::uint64_t joined_after = 0;
    std::vector<std::uint64_t> epochs; // snapshot files, ascending
    std::optional<long> lock_pid;      // set while a run holds the stage
};

struct CheckpointListing {
    std::uint64_t committed = 0;
    std::vector<StageListing> stages; // by name
};

// Throws Error(Exit::no_input) when DIR does not exist, Error(Exit::io) when it cannot
// be read.
CheckpointListing list_checkpoint(const std::string& dir);

// `ls`: "committed epoch N", then a table of stage, newest epoch, snapshot count, the
// epoch it joined after and the lock holder.
void print_listing(std::FILE* out, const CheckpointListing& listing);

struct LoadedSnapshot {
    std::string stage;
    std::string path;
    Snapshot snapshot;
};

// The snapshot of `stage` for `epoch`, or its newest when nullopt. Throws
// Error(Exit::no_input) when the stage or the epoch is missing, Error(Exit::temp_fail)
// naming the file and the problem when it is damaged.
LoadedSnapshot load_snapshot(const std::string& dir, const std::string& stage,
                             std::optional<std::uint64_t> epoch);

// `show`: a JSON object, one top-level field a line: stage, epoch, file, tool, op_name,
// state_version, meaning_flags, file_lengths, source_state and op_state (these two
// rendered by state_to_json; malformed state shows as {"malformed": "why"}).
std::string snapshot_to_json(const LoadedSnapshot& s);

struct VerifyReport {
    struct File {
        std::string path;
        std::string problem; // empty: checksum and contents are good
    };

    std::vector<File> files;                 // every snapshot file, by stage then epoch
    std::vector<std::string> set_aside;      // damaged files a restore already set aside
    std::vector<std::string> stage_problems; // "DIR/STAGE: malformed stage.json", ...
    std::uint64_t committed = 0;
    bool committed_restorable = true; // every snapshot of the committed epoch is good
    std::uint64_t fallback = 0;       // where the next run restarts if not

    bool ok() const; // no damaged file and no stage problem
};

// Reads and checks every snapshot in DIR. Throws Error(Exit::no_input) when DIR does
// not exist.
VerifyReport verify_checkpoint(const std::string& dir);

// `verify`: one line per file ("ok PATH" or "damaged PATH: why"), the state of the
// committed epoch, and a summary line.
void print_verify(std::FILE* out, const VerifyReport& report);

// `reset`: removes DIR/<stage> (registration, snapshots, lock) so that the other
// stages commit without it; the next run of that stage registers afresh. Returns the
// number of snapshots removed. Throws Error(Exit::temp_fail) with the lock message
// while a run holds the stage, Error(Exit::no_input) when there is no such stage,
// Error(Exit::usage) for a name that cannot be a stage.
std::size_t reset_stage(const std::string& dir, const std::string& stage);

} // namespace weir
