#pragma once

// Messages on stderr, in one form for every tool:
//   weir-window: events.ndjson:42: field 'event_time': "yesterday" is not a timestamp
//   weir-window: warning: 1204 late records counted but not kept (no --late FILE)
// --quiet silences warnings and progress, never errors. Per-record warnings (rejects)
// are rate limited: the first `per_record_limit` are printed, the rest summarised once
// at the end, so a file of a million bad lines does not flood the terminal.

#include "cli/position.hpp"

#include <fmt/core.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

class ProgressLine;

class Reporter {
public:
    explicit Reporter(std::string program) : program_(std::move(program)) {}

    void set_quiet(bool q) { quiet_ = q; }

    // The progress line on the same terminal: cleared before a message is printed, so
    // messages never land in the middle of it (it redraws itself on its next update).
    void set_progress(ProgressLine* p) { progress_ = p; }

    bool quiet() const { return quiet_; }

    const std::string& program() const { return program_; }

    void error(std::string_view message) const;
    void warning(std::string_view message) const;

    template <typename... Args>
    void warningf(fmt::format_string<Args...> f, Args&&... args) const {
        if (!quiet_)
            warning(fmt::format(f, std::forward<Args>(args)...));
    }

    // A rejected record: "PROGRAM: WHERE: WHAT", rate limited.
    void record_problem(const Position& where, std::string_view what);

    // At exit: "PROGRAM: warning: N more problems not shown (see --dlq FILE)".
    void summarise(std::string_view hint) const;

    static constexpr std::uint64_t per_record_limit = 10;

private:
    std::string program_;
    bool quiet_ = false;
    std::uint64_t problems_ = 0;
    ProgressLine* progress_ = nullptr;
};

} // namespace weir
