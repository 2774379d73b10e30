#pragma once

// Locks of a checkpoint directory, with flock(2).
//
// StageLock: DIR/<stage>/lock, exclusive, held by a run for its whole life, so two runs
// never share a stage. The holder writes into the file its pid, its process group and
// the epoch it started from; the pid names the holder in the "is locked" message, and
// the other two let a stage that registers while its pipeline is already running find
// the epoch that run started from (docs/checkpoints.md, "Joining").
//
// DirLock: DIR/.lock, exclusive, held only for a moment while a stage registers,
// restores (discards partial epochs), collects garbage or is reset. These steps read
// every stage's files and delete some; serialising them makes each see a stable DIR.
//
// Order: a stage lock is taken before the DIR lock, never the other way, and waiting
// happens only on the DIR lock, so the two cannot deadlock.
//
// Probing: `lock_holder` asks whether another process holds a stage lock by taking a
// shared lock for an instant. A run that tries to take its lock in that instant would
// fail, so StageLock::acquire retries for about 100 ms before it gives up.

#include <cstdint>
#include <optional>
#include <string>

namespace weir {

// What a stage's lock file says about its latest run (held or not).
struct LockInfo {
    long pid = 0;
    long pgid = 0;
    std::optional<std::uint64_t> start_epoch;
};

class StageLock {
public:
    // Creates DIR/<stage>/lock if needed and locks it. The stage directory must exist.
    // Throws Error(Exit::temp_fail, "checkpoint 'DIR/STAGE' is locked by pid N (another
    // run of this stage?)") when another process holds it, Error(Exit::cant_create) when
    // the file cannot be created.
    static StageLock acquire(const std::string& dir, const std::string& stage);

    StageLock() = default;
    StageLock(StageLock&& o) noexcept;
    StageLock& operator=(StageLock&& o) noexcept;
    StageLock(const StageLock&) = delete;
    StageLock& operator=(const StageLock&) = delete;
    ~StageLock(); // releases the lock; the file stays (it is reused by the next run)

    // Rewrites the file: this pid, process group and the epoch this run starts from.
    // Throws Error(Exit::io).
    void record(std::uint64_t start_epoch);

    bool held() const { return fd_ >= 0; }

private:
    explicit StageLock(int fd) : fd_(fd) {}

    int fd_ = -1;
};

class DirLock {
public:
    // Creates DIR/.lock if needed and waits for an exclusive lock on it. Throws
    // Error(Exit::cant_create) when it cannot be created, Error(Exit::io) otherwise.
    explicit DirLock(const std::string& dir);
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;
    ~DirLock();

private:
    int fd_ = -1;
};

// The pid that holds the lock file at `path` (as written in it; 0 if unreadable), or
// nullopt when no process holds it or the file does not exist. Takes a shared lock
// for an instant (see above).
std::optional<long> lock_holder(const std::string& path);

// The contents of the lock file at `path`; nullopt if missing or unreadable.
std::optional<LockInfo> read_lock_info(const std::string& path);

// Message of the lock conflict, shared by `open` and `weir checkpoint reset`.
std::string locked_message(const std::string& dir, const std::string& stage, long pid);

} // namespace weir
