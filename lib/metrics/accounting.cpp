#include "metrics/accounting.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

namespace weir {

std::int64_t imbalance(const RunCounters& c) {
    // Unsigned wrap-around makes the difference right even if a side overflows int64.
    std::uint64_t lhs = c.records_in + c.records_generated;
    std::uint64_t rhs = c.records_out + c.rejected() + c.records_consumed + c.records_held;
    return static_cast<std::int64_t>(lhs - rhs);
}

bool balanced(const RunCounters& c) {
    return imbalance(c) == 0;
}

std::string accounting_line(std::string_view program, const RunCounters& c) {
    std::string s;
    auto out = std::back_inserter(s);
    fmt::format_to(out, "{}: records in {}", program, c.records_in);
    if (c.records_generated != 0)
        fmt::format_to(out, " + generated {}", c.records_generated);
    fmt::format_to(out, " = out {}", c.records_out);
    if (c.records_consumed != 0)
        fmt::format_to(out, " + consumed {}", c.records_consumed);
    if (c.records_held != 0)
        fmt::format_to(out, " + held {}", c.records_held);

    for (std::size_t ch = 0; ch < channel_count; ++ch) {
        std::uint64_t total = c.rejected(static_cast<Channel>(ch));
        if (total == 0)
            continue;
        fmt::format_to(out, " + {} {}", channel_name(static_cast<Channel>(ch)), total);

        // A breakdown only says something when a reason is known.
        const auto& row = c.rejects[ch];
        if (row[no_reason_column] == total)
            continue;
        std::vector<std::pair<std::string_view, std::uint64_t>> parts;
        for (std::size_t col = 0; col < row.size(); ++col)
            if (row[col] != 0)
                parts.emplace_back(reason_column_name(col), row[col]);
        std::sort(parts.begin(), parts.end());
        s += " (";
        for (std::size_t i = 0; i < parts.size(); ++i)
            fmt::format_to(out, "{}{} {}", i == 0 ? "" : ", ", parts[i].first, parts[i].second);
        s += ')';
    }

    std::int64_t diff = imbalance(c);
    if (diff > 0)
        fmt::format_to(out, " (unbalanced: {} unaccounted)", diff);
    else if (diff < 0)
        fmt::format_to(out, " (unbalanced: {} over-counted)", 0 - static_cast<std::uint64_t>(diff));
    return s;
}

std::string breakdown_line(std::string_view program, const Breakdown& b) {
    std::string s;
    if (!b.at_exit)
        return s;
    auto out = std::back_inserter(s);
    for (const auto& [name, n] : b.counts) {
        if (n == 0)
            continue;
        if (s.empty()) {
            fmt::format_to(out, "{}: ", program);
            for (char c : b.what)
                s += c == '_' ? ' ' : c;
            s += ": ";
        } else {
            s += ", ";
        }
        fmt::format_to(out, "{} {}", name, n);
    }
    return s;
}

} // namespace weir
