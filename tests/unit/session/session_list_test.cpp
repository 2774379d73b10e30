// The session rule (session/session_list.hpp): inclusive joins, out-of-order events
// moving a start back, a bridging event merging two sessions (aggregates included),
// dynamic gaps (each event's own reach), --max-duration sealing, and an oracle check
// against "sort by time, split where the next event starts after the end so far".

#include "session/session_list.hpp"
#include "window/agg_spec.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using weir::Session;
using weir::SessionList;
using weir::Timestamp;

namespace {

// A key's sessions with a count aggregate, fed events (t, gap) in seconds.
struct Key {
    explicit Key(std::int64_t max_span_s = 0) : max_span(std::chrono::seconds(max_span_s)) {
        blank.emplace_back(weir::parse_agg_spec("count"));
    }

    weir::Joined add(std::int64_t t, std::int64_t gap) {
        Timestamp us = t * 1'000'000;
        Timestamp reach = (t + gap) * 1'000'000;
        weir::Placement p = weir::place(open, us, reach);
        weir::Joined j = weir::join(open, p, us, reach, max_span, blank, next_id, sealed);
        weir::AggInput in;
        open[j.index].aggs[0].add(in);
        return j;
    }

    // "start-last/end:events" per open session, in seconds.
    std::string shape() const { return shape_of(open); }

    static std::string shape_of(const SessionList& list) {
        std::string s;
        for (const Session& x : list) {
            std::string count;
            x.aggs[0].append_json(count);
            CHECK(count == std::to_string(x.events));
            s += (s.empty() ? "" : " ") + std::to_string(x.start / 1'000'000) + "-" +
                 std::to_string(x.last / 1'000'000) + "/" + std::to_string(x.end / 1'000'000) +
                 ":" + std::to_string(x.events);
        }
        return s;
    }

    weir::Duration max_span;
    std::vector<weir::Accumulator> blank;
    SessionList open;
    SessionList sealed;
    std::uint64_t next_id = 0;
};

} // namespace

TEST_CASE("session list: events within the gap extend a session; exactly gap joins") {
    Key k;
    CHECK(k.add(0, 10).created);
    CHECK_FALSE(k.add(5, 10).created);
    CHECK_FALSE(k.add(15, 10).created); // exactly the end (5 + 10): joins
    CHECK(k.shape() == "0-15/25:3");
    CHECK(k.add(26, 10).created); // one second past the end
    CHECK(k.shape() == "0-15/25:3 26-26/36:1");
}

TEST_CASE("session list: an out-of-order event moves the start back or starts its own") {
    Key k;
    k.add(100, 10);
    k.add(95, 10); // reaches 105, inside: the start moves back
    CHECK(k.shape() == "95-100/110:2");
    k.add(85, 10); // reaches 95, exactly the start: joins
    CHECK(k.shape() == "85-100/110:3");
    CHECK(k.add(60, 10).created); // reaches 70: a session of its own, kept in order
    CHECK(k.shape() == "60-60/70:1 85-100/110:3");
    k.add(104, 3); // inside, shorter reach: the end stays
    CHECK(k.shape() == "60-60/70:1 85-104/110:4");
}

TEST_CASE("session list: a bridging event merges two sessions and their aggregates") {
    Key k;
    k.add(0, 10);
    k.add(5, 10);
    k.add(30, 10);
    k.add(32, 10);
    CHECK(k.shape() == "0-5/15:2 30-32/42:2");
    weir::Joined j = k.add(20, 10); // covers [20, 30]: touches 0-5/15? no; 30: yes
    CHECK(j.merged == 0);
    CHECK(k.shape() == "0-5/15:2 20-32/42:3");
    j = k.add(15, 10); // covers [15, 25]: touches both
    CHECK(j.merged == 1);
    CHECK(j.index == 0);
    CHECK(k.shape() == "0-32/42:6");
    SUBCASE("one event can bridge many") {
        Key m;
        for (std::int64_t t : {0, 20, 40, 60})
            m.add(t, 5);
        CHECK(m.open.size() == 4);
        CHECK(m.add(30, 100).merged == 1); // [30, 130] touches 40 and 60 only
        CHECK(m.shape() == "0-0/5:1 20-20/25:1 30-60/130:3");
        CHECK(m.add(-10, 35).merged == 1); // [-10, 25] touches 0 and 20
        CHECK(m.shape() == "-10-20/25:3 30-60/130:3");
    }
}

TEST_CASE("session list: dynamic gaps: each event reaches by its own gap") {
    Key k;
    k.add(0, 300); // a casual user's gap: reaches 300
    k.add(100, 5); // a short gap later: the end stays 300
    CHECK(k.shape() == "0-100/300:2");
    CHECK_FALSE(k.add(290, 5).created); // within the end set by the first event
    CHECK(k.shape() == "0-290/300:3");
    CHECK(k.add(301, 5).created);
    k.add(200, 200); // out of order with a long gap: bridges into 301
    CHECK(k.shape() == "0-301/400:5");
}

TEST_CASE("session list: --max-duration seals a session its next event would make too long") {
    Key k(60);
    k.add(0, 30);
    k.add(25, 30);
    k.add(50, 30);
    CHECK(k.shape() == "0-50/80:3");
    weir::Joined j = k.add(60, 30); // 60 - 0 >= 60: sealed, a new session starts
    CHECK(j.created);
    CHECK(j.sealed == 1);
    CHECK(k.shape() == "60-60/90:1");
    CHECK(Key::shape_of(k.sealed) == "0-50/80:3");
    k.add(55, 30); // touches the new session only (the sealed one takes nothing): fits
    CHECK(k.shape() == "55-60/90:2");
    CHECK(k.sealed.size() == 1);
}

TEST_CASE("session list: any arrival order gives the sessions of sorting by time first") {
    // Oracle: sort by time, then split where an event starts after the end so far.
    std::uint64_t x = 42;
    auto next = [&](std::uint64_t n) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>((x >> 33) % n);
    };
    for (int round = 0; round < 200; ++round) {
        CAPTURE(round);
        std::vector<std::pair<std::int64_t, std::int64_t>> evs; // (t, gap)
        int n = 1 + static_cast<int>(next(30));
        for (int i = 0; i < n; ++i)
            evs.emplace_back(next(500), 5 + next(40));
        Key k;
        for (auto [t, gap] : evs)
            k.add(t, gap);

        std::vector<std::pair<std::int64_t, std::int64_t>> sorted = evs;
        std::sort(sorted.begin(), sorted.end());
        std::string want;
        std::int64_t start = 0, last = 0, end = 0, count = 0;
        for (auto [t, gap] : sorted) {
            if (count != 0 && t > end) {
                want += (want.empty() ? "" : " ") + std::to_string(start) + "-" +
                        std::to_string(last) + "/" + std::to_string(end) + ":" +
                        std::to_string(count);
                count = 0;
            }
            if (count == 0) {
                start = t;
                end = t + gap;
            }
            last = t;
            end = std::max(end, t + gap);
            ++count;
        }
        want += (want.empty() ? "" : " ") + std::to_string(start) + "-" + std::to_string(last) +
                "/" + std::to_string(end) + ":" + std::to_string(count);
        CHECK(k.shape() == want);
    }
}
