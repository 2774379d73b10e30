#pragma once

// A command destination of weir-fanout: `--to '|gzip > x.gz'` runs the command with
// `sh -c`, its stdin a pipe fed the records as NDJSON (their exact bytes, one a line),
// in 1 MiB writes. Its stdout and stderr are the tool's.
//
// Failure: a command that stops reading (a write fails, EPIPE) or ends with a status
// other than 0 is fatal, Error(Exit::io) naming the destination; the status is checked
// at the end of the input. Delivery is at least once: the checkpoint does not cover
// what a command did with its input, and a restarted pipeline replays the epoch in
// flight to it.

#include "wire/record.hpp"

#include <string>
#include <sys/types.h>

namespace weir {

class CommandDestination {
public:
    // Starts `command` (the text after the '|'). Throws Error(Exit::cant_create) if the
    // shell cannot be started. `where` names the destination in errors.
    CommandDestination(std::string command, std::string where);
    ~CommandDestination(); // closes the pipe and waits for the command

    CommandDestination(const CommandDestination&) = delete;
    CommandDestination& operator=(const CommandDestination&) = delete;

    void write(const Record& r) {
        if (buf_.size() + r.json.size() + 1 > capacity)
            flush();
        buf_.append(r.json);
        buf_.push_back('\n');
    }

    // Error(Exit::io) when the command stopped reading; what was buffered stays
    // buffered, so restart() sends it to the new command.
    void flush();

    // --on-error retry: stops the command (closing its input, waiting for it) and starts
    // it again; the buffered records go to the new one at the next flush().
    void restart();

    // End of input: flush, close the pipe, wait; Error(Exit::io) unless it exited 0.
    void finish();

private:
    static constexpr std::size_t capacity = 1 << 20;

    std::string command_;
    std::string where_;
    int fd_ = -1;
    pid_t pid_ = -1;
    std::string buf_;

    void start();
    int stop(); // close the pipe, wait; the wait status
};

} // namespace weir
