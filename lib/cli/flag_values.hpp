#pragma once

// Typed values of a tool's flags, parsed once at start-up with messages that name the
// flag: "--gap '5x': '5x' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)". Every
// tool's main() uses these rather than the bare parsers, so all of them word a bad
// value alike.

#include "cli/error.hpp"
#include "cli/size.hpp"
#include "cli/split.hpp"
#include "json/field_path.hpp"
#include "time/duration.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

// A duration; an empty value (the flag not given) is zero.
inline Duration duration_flag(std::string_view flag, const std::string& value) {
    if (value.empty())
        return Duration{};
    try {
        return parse_duration(value);
    } catch (const Error& e) {
        throw Error(Exit::usage, "{} '{}': {}", flag, value, e.what());
    }
}

// A duration that may be negative ("--offset=-15m").
inline Duration signed_duration_flag(std::string_view flag, const std::string& value) {
    if (!value.empty() && value[0] == '-')
        return -duration_flag(flag, value.substr(1));
    return duration_flag(flag, value);
}

inline std::uint64_t size_flag(std::string_view flag, const std::string& value) {
    try {
        return parse_size(value);
    } catch (const Error& e) {
        throw Error(Exit::usage, "{} '{}': {}", flag, value, e.what());
    }
}

inline FieldPath path_flag(std::string_view flag, std::string_view text) {
    std::string why;
    auto path = FieldPath::parse(text, &why);
    if (!path)
        throw Error(Exit::usage, "{} '{}': {}", flag, text, why);
    return std::move(*path);
}

// "a,b.c" -> the paths; an empty value is none.
inline std::vector<FieldPath> path_list_flag(std::string_view flag, std::string_view text) {
    std::vector<FieldPath> paths;
    if (!text.empty())
        for (std::string_view f : split_list(text))
            paths.push_back(path_flag(flag, f));
    return paths;
}

} // namespace weir
