#pragma once

// One stage's view of a checkpoint directory (DESIGN.md, "State, checkpoints and
// exactly-once"; the protocol is argued in docs/checkpoints.md).
//
// DIR/<stage>/ holds the stage's registration, its lock and one snapshot file per epoch.
// An epoch is committed when every stage registered in DIR holds its snapshot (a stage
// that joined later only counts for epochs after the one committed when it joined). On
// start a stage restores the newest committed epoch and discards its newer, partial
// snapshots; after writing a snapshot it removes its snapshots older than the newest
// committed epoch.
//
// Usage by the run loop:
//   StageCheckpoint ck = StageCheckpoint::open(dir, "dedup");  // lock + register
//   std::optional<Snapshot> s = ck.restore_point();            // newest committed
//   ... on barrier n: ck.write(snapshot_for_n);  ck.collect_garbage();

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weir {

struct Snapshot {
    std::uint64_t epoch = 0;
    std::string tool;                                                // "weir-dedup"
    std::string op_name;                                             // Operator::name()
    std::uint32_t state_version = 0;                                 // Operator::state_version()
    std::vector<std::pair<std::string, std::string>> meaning_flags;  // flag, value
    std::vector<std::pair<std::string, std::uint64_t>> file_lengths; // output path, length
    std::string source_state; // StateWriter bytes of the input (ingest offsets)
    std::string op_state;     // StateWriter bytes of the operator
};

// A stage that holds committed epochs back: registered, but with no snapshot newer
// than `last_epoch` while others have reached `newest_epoch`.
struct StalledStage {
    std::string stage;
    std::uint64_t last_epoch = 0;
    std::uint64_t newest_epoch = 0;
};

class StageCheckpoint {
public:
    // Creates DIR and DIR/<stage> as needed, takes the stage's exclusive lock (held
    // until destruction) and registers the stage. Throws Error(Exit::temp_fail) when
    // another live process holds the lock, naming its pid; Error(Exit::cant_create)
    // when the directory cannot be created.
    static StageCheckpoint open(const std::string& dir, const std::string& stage);

    StageCheckpoint(StageCheckpoint&&) noexcept;
    StageCheckpoint& operator=(StageCheckpoint&&) noexcept;
    ~StageCheckpoint();

    // Newest committed epoch (0: none yet).
    std::uint64_t committed_epoch() const;

    // This stage's snapshot for the newest committed epoch, after discarding its
    // snapshots newer than that. nullopt: nothing committed, start from scratch.
    // A damaged snapshot (bad checksum) is reported on stderr and the previous
    // committed epoch is used if this stage still holds it; otherwise throws
    // Error(Exit::temp_fail) naming the file and the `weir checkpoint verify` command.
    std::optional<Snapshot> restore_point();

    // Writes this stage's snapshot for s.epoch atomically (temp file, fsync, rename,
    // fsync of the directory), zstd-compressed with a checksum. Throws Error(Exit::io).
    void write(const Snapshot& s);

    // Removes this stage's snapshots older than the newest committed epoch.
    void collect_garbage();

    // Registered stages that hold committed epochs back (for the warning that names
    // `weir checkpoint reset DIR STAGE`). Empty when all is well.
    std::vector<StalledStage> stalled() const;

    const std::string& dir() const;
    const std::string& stage() const;

private:
    struct Impl;
    explicit StageCheckpoint(Impl* impl);
    Impl* impl_ = nullptr;
};

} // namespace weir
