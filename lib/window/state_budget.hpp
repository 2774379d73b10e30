#pragma once

// The state an aggregating operator holds (windows x groups, sessions), counted as it
// changes: keys and approximate bytes for the metrics, and the --max-state limit, which
// stops the tool with a clear error instead of letting the OS kill it. The metrics gauge
// moves when the bytes change by 1/16 or more, not at every record.

#include "run/operator.hpp"

#include <cstdint>

namespace weir {

class StateBudget {
public:
    explicit StateBudget(std::uint64_t max_bytes) : max_(max_bytes) {}

    // Adds (negative: removes) bytes and keys. Returns false when the state is now over
    // the limit: the caller throws, with advice of its own.
    bool change(std::int64_t bytes, std::int64_t keys, Context& ctx) {
        bytes_ = add(bytes_, bytes);
        keys_ = add(keys_, keys);
        if (max_ != 0 && bytes_ > max_)
            return false;
        std::uint64_t diff = bytes_ > reported_ ? bytes_ - reported_ : reported_ - bytes_;
        if (diff * 16 > reported_)
            report(ctx);
        return true;
    }

    // After a restore: the state as counted afresh.
    void reset(std::uint64_t keys, std::uint64_t bytes) {
        keys_ = keys;
        bytes_ = reported_ = bytes;
    }

    void report(Context& ctx) {
        reported_ = bytes_;
        ctx.state_size(keys_, bytes_);
    }

    std::uint64_t keys() const { return keys_; }

    std::uint64_t bytes() const { return bytes_; }

    std::uint64_t max() const { return max_; }

private:
    static std::uint64_t add(std::uint64_t v, std::int64_t d) {
        if (d >= 0)
            return v + static_cast<std::uint64_t>(d);
        auto down = static_cast<std::uint64_t>(-d);
        return down > v ? 0 : v - down;
    }

    std::uint64_t max_;
    std::uint64_t keys_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t reported_ = 0;
};

} // namespace weir
