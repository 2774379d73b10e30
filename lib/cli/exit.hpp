#pragma once

// Exit codes of every weir tool (DESIGN.md, "Bad input, errors, exit codes").
// They are sysexits-like, with usage = 2 as in grep and ripgrep. Scripts depend on
// them, so an enumerator's value never changes once released.

namespace weir {

enum class Exit : int {
    ok = 0,
    dead_lettered = 1, // records went to the dead-letter file and --fail-on-dlq was given
    usage = 2,         // bad flags or values, a bad expression, a checkpoint of other flags
    data = 65,         // bad input data under --strict
    no_input = 66,     // cannot open an input
    internal = 70,     // a bug
    cant_create = 73,  // cannot create an output, DLQ or quarantine file
    io = 74,           // I/O error, including a full disk
    temp_fail = 75,    // checkpoint locked by another run, or damaged
    sigint = 130,      // clean stop on SIGINT at the next barrier
    sigterm = 143,     // clean stop on SIGTERM at the next barrier
};

constexpr int code(Exit e) {
    return static_cast<int>(e);
}

} // namespace weir
