#pragma once

// The open sessions of one key, and the rule that puts an event into them (DESIGN.md
// "Time", as Spark's session_window): an event at t with gap g covers [t, t + g]; it
// joins every open session whose [start, end] that interval touches (inclusive at both
// ends: an event exactly `gap` after the last one joins); a session's start is its
// earliest event time and its end the largest t + g over its events. An event touching
// two sessions bridges them into one, whatever order the events arrived in.
//
// Invariant of a SessionList: sorted by start and pairwise disjoint (a.end < b.start),
// so the ends are sorted too and the sessions an event touches are one contiguous run,
// found by binary search. A key rarely has more than a few open sessions at once.
//
// --max-duration D (span = last event time - start): an event joins the sessions it
// touches only if the session they would make spans less than D. Otherwise those
// sessions are sealed (they accept no more events and are moved out to `sealed`, to be
// emitted when the watermark passes their end) and the event starts a new session.
// With events in time order this cuts a session at its first event D or more after its
// start; out of order, the cut depends on what had arrived (deterministic for a given
// input order, which is all byte-identical replay needs).
//
// The functions here keep the bounds and event counts; they merge aggregates with
// Accumulator::merge() (earlier session first) but never add to them: the caller adds
// the event's inputs to the session join() returns.

#include "time/timestamp.hpp"
#include "window/accumulator.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weir {

struct Session {
    Timestamp start = 0;           // earliest event time
    Timestamp last = 0;            // latest event time
    Timestamp end = 0;             // largest t + gap over the events; inclusive
    std::uint64_t events = 0;      // events added
    std::uint64_t id = 0;          // unique among a run's sessions: finds one from a queue entry
    std::vector<Accumulator> aggs; // one per --agg, in order
};

using SessionList = std::vector<Session>;

// The run of open sessions an event covering [t, reach] touches: [first, last). When
// first == last it touches none, and a new session belongs at index first.
struct Placement {
    std::size_t first = 0;
    std::size_t last = 0;

    bool touches_any() const { return first != last; }
};

Placement place(const SessionList& open, Timestamp t, Timestamp reach);

// What join() did.
struct Joined {
    std::size_t index = 0;  // the session holding the event, in `open`
    bool created = false;   // a new session was started for it
    std::size_t merged = 0; // other sessions folded into it (a bridging event: >= 1)
    std::size_t sealed = 0; // sessions moved to `sealed` by max_span
};

// Puts an event covering [t, reach] (reach = t + its gap, >= t) into `open` at `p`
// (from place() on the same list): merges the sessions it touches into the first of
// them, or starts a new session (id next_id++, aggregates copied from `blank`). With
// max_span > 0 applies the --max-duration rule above, appending sealed sessions to
// `sealed`. Updates start, last, end and events; the caller adds to aggs.
Joined join(SessionList& open, Placement p, Timestamp t, Timestamp reach, Duration max_span,
            const std::vector<Accumulator>& blank, std::uint64_t& next_id, SessionList& sealed);

} // namespace weir
