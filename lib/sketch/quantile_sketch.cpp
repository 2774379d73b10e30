#include "sketch/quantile_sketch.hpp"

#include "cli/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace weir {

namespace {

constexpr std::uint8_t format_version = 1;
constexpr std::uint64_t rng_seed = 0x9e3779b97f4a7c15ULL;
// Levels never shrink below this many slots: tiny levels would compact constantly.
constexpr std::size_t min_level_capacity = 8;
// Weights are 2^level and count() is a u64, so more levels than this cannot be reached.
constexpr std::size_t max_levels = 64;

// splitmix64: a tiny generator with a one-word state, enough for fair coin flips.
std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Encoding helpers: fixed little-endian regardless of the host.
void put_u8(std::string& out, std::uint8_t v) {
    out.push_back(static_cast<char>(v));
}

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_f64(std::string& out, double v) {
    put_u64(out, std::bit_cast<std::uint64_t>(v));
}

// Reads from a view, failing (ok = false) instead of running past its end.
struct Cursor {
    std::string_view in;
    bool ok = true;

    std::uint64_t uint(int bytes) {
        if (!ok || in.size() < static_cast<std::size_t>(bytes)) {
            ok = false;
            return 0;
        }
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
        in.remove_prefix(static_cast<std::size_t>(bytes));
        return v;
    }

    double f64() { return std::bit_cast<double>(uint(8)); }
};

struct Weighted {
    double value;
    std::uint64_t weight;
};

} // namespace

QuantileSketch::QuantileSketch(std::uint32_t k) : k_(k), rng_(rng_seed) {
    if (k < min_k || k > max_k)
        throw Error(Exit::usage, "quantile sketch size k must be in [{}, {}], not {}", min_k, max_k,
                    k);
    set_levels(1);
}

// KLL capacities: the top level holds k values and each level below holds 2/3 of the one
// above (never fewer than 8), so the budget stays below about 3k. Integer arithmetic
// keeps the numbers identical on every platform.
std::size_t QuantileSketch::capacity(std::size_t level) const {
    std::size_t depth = sizes_.size() - 1 - level;
    if (depth > 30)
        return min_level_capacity;
    std::uint64_t num = std::uint64_t{k_} << depth;
    std::uint64_t den = 1;
    for (std::size_t i = 0; i < depth; ++i)
        den *= 3;
    std::uint64_t cap = (2 * num + den) / (2 * den); // rounded
    return std::max<std::size_t>(min_level_capacity, static_cast<std::size_t>(cap));
}

// Grows to `count` levels (new top levels start empty, at the front of items_) and
// recomputes the budget. Reserving budget + 1 once means update() never reallocates.
void QuantileSketch::set_levels(std::size_t count) {
    sizes_.resize(count, 0);
    budget_ = 0;
    for (std::size_t h = 0; h < sizes_.size(); ++h)
        budget_ += capacity(h);
    items_.reserve(budget_ + 1);
}

// Index in items_ of the first value of `level`: the levels above it come first.
std::size_t QuantileSketch::offset(std::size_t level) const {
    std::size_t at = 0;
    for (std::size_t h = level + 1; h < sizes_.size(); ++h)
        at += sizes_[h];
    return at;
}

bool QuantileSketch::coin() {
    return (splitmix64(rng_) >> 63) != 0;
}

void QuantileSketch::update(double v) {
    if (std::isnan(v))
        return;
    if (n_ == 0) {
        min_ = v;
        max_ = v;
    } else {
        min_ = std::min(min_, v);
        max_ = std::max(max_, v);
    }
    ++n_;
    items_.push_back(v);
    ++sizes_[0];
    if (items_.size() > budget_)
        compress();
}

// Lazy KLL: a level may exceed its own capacity while the whole sketch fits its budget.
// Once it does not, compact the lowest over-full level (pigeonhole: one exists) until it
// fits again. Each compaction removes at least min_level_capacity / 2 values.
void QuantileSketch::compress() {
    while (items_.size() > budget_) {
        std::size_t h = 0;
        while (sizes_[h] < capacity(h))
            ++h;
        if (!compact_level(h))
            return;
    }
}

// Halves level h into level h + 1: sort, keep every other value starting at a random
// offset (the weight of each survivor doubles), merge into the sorted level above. With an
// odd count the smallest value stays behind, so total weight is preserved exactly.
bool QuantileSketch::compact_level(std::size_t h) {
    if (h + 1 == sizes_.size()) {
        if (sizes_.size() >= max_levels)
            return false; // unreachable: 2^64 values would be needed to fill the top level
        set_levels(sizes_.size() + 1);
    }
    auto at = [this](std::size_t i) {
        return items_.begin() + static_cast<std::ptrdiff_t>(i);
    };
    std::size_t begin = offset(h);
    std::size_t size = sizes_[h];
    std::size_t up_begin = begin - sizes_[h + 1]; // level h + 1 sits right before level h
    if (h == 0)
        std::sort(at(begin), at(begin + size));

    std::size_t keep = size % 2;
    double leftover = keep ? items_[begin] : 0.0;
    std::size_t pick = keep + (coin() ? 1 : 0);
    std::size_t survivors = size / 2;
    // Survivors move down to sit right after level h + 1 (destination <= source, so a
    // forward copy is safe), then the two sorted runs merge into the new level h + 1.
    for (std::size_t j = 0; j < survivors; ++j)
        items_[begin + j] = items_[begin + pick + 2 * j];
    std::inplace_merge(at(up_begin), at(begin), at(begin + survivors));
    std::size_t end = begin + survivors;
    if (keep)
        items_[end++] = leftover;
    // Close the gap: the lower levels follow.
    items_.erase(at(end), at(begin + size));
    sizes_[h + 1] += static_cast<std::uint32_t>(survivors);
    sizes_[h] = static_cast<std::uint32_t>(keep);
    return true;
}

bool QuantileSketch::merge(const QuantileSketch& other) {
    if (other.k_ != k_)
        return false;
    if (other.n_ == 0)
        return true;
    // Rebuild the buffer level by level (top first); reads of `other` all happen before
    // anything of this sketch changes, so merging a sketch into itself works.
    std::size_t levels = std::max(sizes_.size(), other.sizes_.size());
    std::vector<double> items;
    items.reserve(items_.size() + other.items_.size());
    std::vector<std::uint32_t> sizes(levels, 0);
    for (std::size_t h = levels; h-- > 0;) {
        std::size_t start = items.size();
        std::size_t mid = start;
        if (h < sizes_.size()) {
            std::size_t b = offset(h);
            items.insert(items.end(), items_.begin() + static_cast<std::ptrdiff_t>(b),
                         items_.begin() + static_cast<std::ptrdiff_t>(b + sizes_[h]));
            mid = items.size();
        }
        if (h < other.sizes_.size()) {
            std::size_t b = other.offset(h);
            items.insert(items.end(), other.items_.begin() + static_cast<std::ptrdiff_t>(b),
                         other.items_.begin() + static_cast<std::ptrdiff_t>(b + other.sizes_[h]));
        }
        if (h > 0)
            std::inplace_merge(items.begin() + static_cast<std::ptrdiff_t>(start),
                               items.begin() + static_cast<std::ptrdiff_t>(mid), items.end());
        sizes[h] = static_cast<std::uint32_t>(items.size() - start);
    }
    if (n_ == 0) {
        min_ = other.min_;
        max_ = other.max_;
    } else {
        min_ = std::min(min_, other.min_);
        max_ = std::max(max_, other.max_);
    }
    // Fold the other generator in so the result depends on both inputs, deterministically.
    std::uint64_t mix = rng_ ^ std::rotl(other.rng_, 17);
    rng_ = splitmix64(mix);
    n_ += other.n_;
    items_ = std::move(items);
    sizes_ = std::move(sizes);
    set_levels(sizes_.size());
    compress();
    items_.shrink_to_fit(); // drop the merge's slack; set_levels reserved the budget
    items_.reserve(budget_ + 1);
    return true;
}

double QuantileSketch::min() const {
    return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : min_;
}

double QuantileSketch::max() const {
    return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : max_;
}

double QuantileSketch::quantile(double q) const {
    double out = 0;
    quantiles(std::span<const double>(&q, 1), std::span<double>(&out, 1));
    return out;
}

void QuantileSketch::quantiles(std::span<const double> qs, std::span<double> out) const {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    qs = qs.first(std::min(qs.size(), out.size()));
    if (n_ == 0) {
        for (std::size_t i = 0; i < qs.size(); ++i)
            out[i] = nan;
        return;
    }
    std::vector<Weighted> items;
    items.reserve(items_.size());
    for (std::size_t h = 0; h < sizes_.size(); ++h) {
        std::size_t b = offset(h);
        for (std::size_t i = b; i < b + sizes_[h]; ++i)
            items.push_back({items_[i], std::uint64_t{1} << h});
    }
    std::sort(items.begin(), items.end(),
              [](const Weighted& a, const Weighted& b) { return a.value < b.value; });
    // Turn weights into cumulative weights (ranks); the last equals n_.
    std::uint64_t cum = 0;
    for (auto& it : items) {
        cum += it.weight;
        it.weight = cum;
    }
    for (std::size_t i = 0; i < qs.size(); ++i) {
        double q = qs[i];
        if (!(q >= 0.0 && q <= 1.0)) {
            out[i] = nan;
        } else if (q == 0.0) {
            out[i] = min_;
        } else if (q == 1.0) {
            out[i] = max_;
        } else {
            auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n_)));
            rank = std::clamp<std::uint64_t>(rank, 1, n_);
            auto pos =
                std::lower_bound(items.begin(), items.end(), rank,
                                 [](const Weighted& a, std::uint64_t r) { return a.weight < r; });
            out[i] = pos == items.end() ? max_ : pos->value;
        }
    }
}

std::size_t QuantileSketch::memory_bytes() const {
    return sizeof(*this) + items_.capacity() * sizeof(double) +
           sizes_.capacity() * sizeof(std::uint32_t);
}

// Layout (little-endian):
//   u8 version (1) | u32 k | u64 n | u64 rng state
//   if n > 0: f64 min | f64 max | u8 levels | levels x u32 size | all values, level 0 first
void QuantileSketch::serialize(std::string& out) const {
    put_u8(out, format_version);
    put_u32(out, k_);
    put_u64(out, n_);
    put_u64(out, rng_);
    if (n_ == 0)
        return;
    put_f64(out, min_);
    put_f64(out, max_);
    put_u8(out, static_cast<std::uint8_t>(sizes_.size()));
    for (std::uint32_t size : sizes_)
        put_u32(out, size);
    for (std::size_t h = 0; h < sizes_.size(); ++h) {
        std::size_t b = offset(h);
        for (std::size_t i = b; i < b + sizes_[h]; ++i)
            put_f64(out, items_[i]);
    }
}

std::optional<QuantileSketch> QuantileSketch::deserialize(std::string_view in) {
    Cursor c{in};
    if (c.uint(1) != format_version || !c.ok)
        return std::nullopt;
    auto k = static_cast<std::uint32_t>(c.uint(4));
    std::uint64_t n = c.uint(8);
    std::uint64_t rng = c.uint(8);
    if (!c.ok || k < min_k || k > max_k)
        return std::nullopt;
    QuantileSketch s(k);
    s.rng_ = rng;
    if (n == 0)
        return c.in.empty() ? std::optional<QuantileSketch>(std::move(s)) : std::nullopt;

    s.n_ = n;
    s.min_ = c.f64();
    s.max_ = c.f64();
    std::size_t level_count = c.uint(1);
    if (!c.ok || level_count == 0 || level_count > max_levels || !(s.min_ <= s.max_))
        return std::nullopt;
    std::vector<std::uint32_t> sizes(level_count);
    std::uint64_t total = 0;
    std::uint64_t weight = 0;
    for (std::size_t h = 0; h < level_count; ++h) {
        sizes[h] = static_cast<std::uint32_t>(c.uint(4));
        total += sizes[h];
        std::uint64_t w = 0;
        if (__builtin_mul_overflow(std::uint64_t{sizes[h]}, std::uint64_t{1} << h, &w) ||
            __builtin_add_overflow(weight, w, &weight))
            return std::nullopt;
    }
    // Every value is 8 bytes and the weights must add up to the count exactly.
    if (!c.ok || weight != n || total > c.in.size() / 8 || c.in.size() != total * 8)
        return std::nullopt;

    // Values arrive level 0 first; the buffer keeps the top level first.
    std::vector<std::vector<double>> levels(level_count);
    for (std::size_t h = 0; h < level_count; ++h) {
        auto& level = levels[h];
        level.reserve(sizes[h]);
        for (std::uint32_t i = 0; i < sizes[h]; ++i) {
            double v = c.f64();
            if (!(v >= s.min_ && v <= s.max_)) // also rejects NaN
                return std::nullopt;
            if (h > 0 && !level.empty() && v < level.back())
                return std::nullopt; // upper levels must be sorted for merging
            level.push_back(v);
        }
    }
    s.sizes_ = std::move(sizes);
    s.set_levels(level_count);
    // update() and merge() never leave a sketch over budget; a hand-made input that is
    // would break the no-reallocation promise of update(), so it is refused.
    if (total > s.budget_)
        return std::nullopt;
    s.items_.clear();
    for (std::size_t h = level_count; h-- > 0;)
        s.items_.insert(s.items_.end(), levels[h].begin(), levels[h].end());
    return s;
}

} // namespace weir
