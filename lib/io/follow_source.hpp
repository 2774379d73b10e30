#pragma once

// FollowSource: a ByteSource over a path that never ends, like `tail -F`. weir-ingest
// uses it for --follow: the stream keeps flowing as the file grows, across log
// rotation and truncation, until a stop is asked for (SIGINT/SIGTERM).
//
// Behaviour at the end of the current file:
//  - the file grew: read on;
//  - it shrank below our position (truncated in place, `copytruncate`): restart at 0,
//    count it and call on_event(truncated);
//  - the path now names another file (rotated: renamed away, a new one created): finish
//    the old file to its end, then switch to the new one from offset 0 and call
//    on_event(rotated);
//  - the path is missing (between a rename and the new file, or not yet created): keep
//    the old file, wait for the path to appear;
//  - otherwise wait poll_interval and look again. read() blocks while waiting;
//    ready() is false then, so the reader can emit idle (watermarks, flushes).
// A stop (stop(), or a non-zero *stop flag as set by the signal handlers) makes read()
// return 0 — a clean end of input — within a few milliseconds.
//
// position() and identity() describe the current file for checkpoints; resume with
// same_file(saved, path) and then skip(offset).

#include "io/byte_source.hpp"
#include "io/file_identity.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace weir {

enum class FollowEvent {
    appeared,  // the path was missing and now exists; reading starts at 0
    truncated, // the file shrank below the read position; reading restarts at 0
    rotated,   // the path names a new file; the old one was read to its end
};

struct FollowOptions {
    std::chrono::milliseconds poll_interval{200};
    const std::atomic<int>* stop = nullptr;    // non-zero: end (see run/stop_signal.hpp)
    std::function<void(FollowEvent)> on_event; // called on the reading thread
};

class FollowSource final : public ByteSource {
public:
    // Opens `path` if it exists (else waits for it on the first read). Throws
    // Error(Exit::no_input) if the path exists but cannot be opened or is a directory.
    explicit FollowSource(std::string path, FollowOptions opts = {});
    ~FollowSource() override;
    FollowSource(const FollowSource&) = delete;
    FollowSource& operator=(const FollowSource&) = delete;

    // True when read() would return without waiting: bytes past position(), or a stop.
    // Handles a pending truncation or rotation on the way (without reading data).
    bool ready() override;

    const std::string& name() const override { return path_; }

    // Seeks forward in the current file (after a checkpoint resume). Past the end counts
    // as a truncation on the next read. Does nothing while the file is missing.
    void skip(std::uint64_t n) override;

    // Thread-safe; read() returns 0 soon after.
    void stop() { stop_requested_.store(true); }

    bool stopped() const;

    // Offset in the current file of the next byte read_some() returns (bytes held by
    // peek() count as read).
    std::uint64_t position() const { return pos_; }

    // Identity of the current file; all zero while no file is open. Throws
    // Error(Exit::io) if its first bytes cannot be read.
    FileIdentity identity() const;

    std::uint64_t truncations() const { return truncations_; }

    std::uint64_t rotations() const { return rotations_; }

protected:
    // Throws Error(Exit::io) "cannot read 'x': ..." on a read error.
    std::size_t read_some(char* buf, std::size_t n) override;

private:
    bool try_open();   // false while the path is missing
    bool handle_end(); // at the end of the current file: true if state changed
    void wait();       // one poll interval, cut short by a stop
    void event(FollowEvent e);

    std::string path_;
    FollowOptions opts_;
    std::atomic<bool> stop_requested_{false};
    int fd_ = -1;
    bool regular_ = true;
    std::uint64_t dev_ = 0;
    std::uint64_t inode_ = 0;
    std::uint64_t pos_ = 0;
    bool was_missing_ = false;
    std::uint64_t truncations_ = 0;
    std::uint64_t rotations_ = 0;
};

} // namespace weir
