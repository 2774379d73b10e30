#pragma once

// Which event-time windows an event belongs to (DESIGN.md "Time"), with Spark's
// semantics for window(time, size, slide, startTime):
// - windows are half-open [start, end), end = start + size;
// - starts are aligned to the Unix epoch plus `offset`: start = offset + k * slide for
//   some integer k (k < 0 before 1970), so a tumbling window (slide = size) of 1d with
//   offset 0 runs midnight to midnight UTC;
// - an event at t is in every window with start <= t < end.
// Rounding is floor division throughout, so times before 1970 land in the window that
// contains them, never in the one after (truncating division would pick the later one).
// Any offset works: it is taken modulo the slide (Spark insists on 0 <= offset < slide;
// an offset of one slide or of minus one slide gives the same windows as 0).
//
// With slide < size the windows overlap and an event is in ceil(size / slide) or one
// fewer windows -- exactly size / slide when the slide divides the size. With
// slide > size there are gaps between windows, and an event in a gap is in none.
//
// Preconditions (the caller's flag checks): size > 0, slide > 0. Window bounds saturate
// at the int64 limits, which only sizes or offsets of tens of thousands of years reach.
// Everything here is pure arithmetic: no allocation, no exceptions.

#include "time/timestamp.hpp"

#include <cstdint>
#include <limits>

namespace weir {

namespace detail {

__extension__ using WideInt = __int128;

template <typename Int>
constexpr Int floor_mod(Int a, Int m) {
    Int r = a % m;
    return r < 0 ? r + m : r;
}

constexpr Timestamp saturate(WideInt v) {
    constexpr auto lo = static_cast<WideInt>(std::numeric_limits<Timestamp>::min());
    constexpr auto hi = static_cast<WideInt>(std::numeric_limits<Timestamp>::max());
    return static_cast<Timestamp>(v < lo ? lo : v > hi ? hi : v);
}

constexpr Timestamp saturate(std::int64_t v) {
    return v;
}

// Whether the 64-bit path cannot overflow: with every input below 2^61 in magnitude,
// t - offset, the aligned start minus the size, and t + size all stay within 2^63.
constexpr bool fits_narrow(Timestamp t, std::int64_t size, std::int64_t slide,
                           std::int64_t offset) {
    constexpr std::int64_t bound = std::int64_t{1} << 61;
    return t > -bound && t < bound && offset > -bound && offset < bound && size < bound &&
           slide < bound;
}

template <typename Int, typename F>
void for_each_window_as(Int t, Int size, Int slide, Int offset, F& f) {
    // Distance from the latest aligned start at or before t.
    Int since_start = floor_mod<Int>(t - offset, slide);
    if (since_start >= size)
        return; // in the gap after that window (slide > size)
    Int last_start = t - since_start;
    // Starts in (t - size, last_start], one slide apart.
    Int count = (size - since_start - 1) / slide + 1;
    for (Int i = count - 1; i >= 0; --i) {
        Int start = last_start - i * slide;
        f(saturate(start), saturate(start + size));
    }
}

} // namespace detail

// Start of the tumbling window of `size` containing t, aligned to the epoch + offset:
// the largest offset + k * size <= t.
constexpr Timestamp window_start(Timestamp t, Duration size, Duration offset) {
    std::int64_t sz = size.count();
    std::int64_t off = offset.count();
    if (detail::fits_narrow(t, sz, sz, off))
        return t - detail::floor_mod<std::int64_t>(t - off, sz);
    detail::WideInt wide_t = t;
    return detail::saturate(wide_t - detail::floor_mod<detail::WideInt>(wide_t - off, sz));
}

// End of the window starting at `start`: start + size, saturating at the int64 limit.
constexpr Timestamp window_end(Timestamp start, Duration size) {
    Timestamp end = 0;
    if (__builtin_add_overflow(start, size.count(), &end))
        return std::numeric_limits<Timestamp>::max();
    return end;
}

// Calls f(Timestamp start, Timestamp end) for every window [start, end) of `size`,
// with starts `slide` apart aligned to the epoch + offset, that contains t, in
// increasing start order. Tumbling windows are slide == size (exactly one call).
template <typename F>
void for_each_window(Timestamp t, Duration size, Duration slide, Duration offset, F&& f) {
    std::int64_t sz = size.count();
    std::int64_t sl = slide.count();
    std::int64_t off = offset.count();
    if (detail::fits_narrow(t, sz, sl, off))
        detail::for_each_window_as<std::int64_t>(t, sz, sl, off, f);
    else
        detail::for_each_window_as<detail::WideInt>(t, sz, sl, off, f);
}

// The most windows one event can be in: ceil(size / slide). Operators use it to bound
// work per record (and to refuse flags such as --size 1d --slide 1us).
constexpr std::int64_t max_windows_per_event(Duration size, Duration slide) {
    return size.count() / slide.count() + (size.count() % slide.count() != 0 ? 1 : 0);
}

} // namespace weir
