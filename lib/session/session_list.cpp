#include "session/session_list.hpp"

#include <algorithm>
#include <iterator>

namespace weir {

Placement place(const SessionList& open, Timestamp t, Timestamp reach) {
    // Ends are sorted (the sessions are disjoint): the first that may touch the event is
    // the first ending at or after t; the run goes on while sessions start by `reach`.
    auto first = std::lower_bound(open.begin(), open.end(), t,
                                  [](const Session& s, Timestamp v) { return s.end < v; });
    auto last = first;
    while (last != open.end() && last->start <= reach)
        ++last;
    return Placement{static_cast<std::size_t>(first - open.begin()),
                     static_cast<std::size_t>(last - open.begin())};
}

Joined join(SessionList& open, Placement p, Timestamp t, Timestamp reach, Duration max_span,
            const std::vector<Accumulator>& blank, std::uint64_t& next_id, SessionList& sealed) {
    Joined j;
    if (p.touches_any() && max_span.count() > 0) {
        Timestamp start = std::min(open[p.first].start, t);
        Timestamp last = std::max(open[p.last - 1].last, t);
        if (last - start >= max_span.count()) {
            // Too long together: the sessions touched take no more events.
            auto from = open.begin() + static_cast<std::ptrdiff_t>(p.first);
            auto to = open.begin() + static_cast<std::ptrdiff_t>(p.last);
            sealed.insert(sealed.end(), std::make_move_iterator(from), std::make_move_iterator(to));
            open.erase(from, to);
            j.sealed = p.last - p.first;
            p.last = p.first;
        }
    }
    if (!p.touches_any()) {
        Session s;
        s.start = t;
        s.last = t;
        s.end = reach;
        s.id = next_id++;
        s.aggs = blank;
        open.insert(open.begin() + static_cast<std::ptrdiff_t>(p.first), std::move(s));
        j.index = p.first;
        j.created = true;
        open[p.first].events = 1;
        return j;
    }
    Session& into = open[p.first];
    for (std::size_t k = p.first + 1; k < p.last; ++k) {
        Session& other = open[k];
        for (std::size_t a = 0; a < into.aggs.size(); ++a)
            into.aggs[a].merge(other.aggs[a]);
        into.events += other.events;
        into.last = std::max(into.last, other.last);
        into.end = std::max(into.end, other.end);
    }
    if (p.last - p.first > 1) {
        j.merged = p.last - p.first - 1;
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(p.first + 1),
                   open.begin() + static_cast<std::ptrdiff_t>(p.last));
    }
    Session& s = open[p.first];
    s.start = std::min(s.start, t);
    s.last = std::max(s.last, t);
    s.end = std::max(s.end, reach);
    s.events += 1;
    j.index = p.first;
    return j;
}

} // namespace weir
