#pragma once

// Driving an aggregating operator in unit tests (weir-window, weir-sessionize): records
// fed at times given in seconds after t0, the lines it emitted, its breakdown counts,
// and snapshot/restore round trips.

#include "fake_context.hpp"
#include "state/state_io.hpp"
#include "time/rfc3339.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weir::test {

using Lines = std::vector<std::string>;

inline constexpr std::int64_t t0 = 1704067200; // 2024-01-01T00:00:00Z, in seconds

// Seconds after t0 as a Timestamp (microseconds since the epoch).
inline Timestamp at(std::int64_t s) {
    return (t0 + s) * 1'000'000;
}

inline std::string ts(std::int64_t s) {
    return format_rfc3339(at(s));
}

// One input record: {FIELDS} at t0 + s seconds.
struct Ev {
    std::int64_t s;
    std::string fields;
};

// An operator and its fake run loop.
template <typename Op>
struct OpRun {
    template <typename Config>
    explicit OpRun(Config c) : op(std::move(c)) {}

    void feed(Timestamp t, const std::string& json) {
        Input in(json, t);
        CHECK(op.process(in.rec, ctx) == Flow::more);
    }

    void feed(const std::vector<Ev>& evs) {
        for (const Ev& e : evs)
            feed(at(e.s), "{" + e.fields + "}");
    }

    Lines lines() const {
        Lines out;
        for (const auto& o : ctx.out)
            out.push_back(o.json);
        return out;
    }

    Lines finish() {
        op.finish(ctx);
        return lines();
    }

    std::uint64_t counted(const std::string& what) const {
        for (const auto& [name, n] : op.breakdown().counts)
            if (name == what)
                return n;
        FAIL("no count " << what);
        return 0;
    }

    Op op;
    FakeContext ctx;
};

template <typename Op>
std::string snapshot_of(const Op& op) {
    StateWriter w;
    op.snapshot(w);
    return w.take();
}

template <typename Op>
void restore_into(Op& op, const std::string& state) {
    StateReader r(state);
    op.restore(r);
    CHECK(r.at_end());
}

} // namespace weir::test
