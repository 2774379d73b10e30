#pragma once

// The one exception type of weir. Fatal conditions throw Error{exit code, message}
// anywhere; only Tool::run catches it, prints "PROGRAM: message" and exits with the code.
// Expected bad data is never an exception: it becomes a reject (see run/operator.hpp).
//
// Messages follow git's wording rules: lower case, no full stop, the problem first,
// the subject in single quotes: "cannot open 'logs/app.log': No such file or directory".

#include "cli/exit.hpp"

#include <fmt/core.h>

#include <stdexcept>
#include <string>

namespace weir {

class Error : public std::runtime_error {
public:
    Error(Exit code, const std::string& message) : std::runtime_error(message), code_(code) {}

    template <typename... Args>
    Error(Exit code, fmt::format_string<Args...> f, Args&&... args)
        : std::runtime_error(fmt::format(f, std::forward<Args>(args)...))
        , code_(code) {}

    Exit code() const { return code_; }

private:
    Exit code_;
};

// errno text for messages: "cannot open 'x': No such file or directory".
std::string errno_text(int err);

} // namespace weir
