#include "sketch/hyperloglog.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace weir {

namespace {

constexpr std::uint8_t encoding_sparse = 0;
constexpr std::uint8_t encoding_dense = 1;
constexpr std::size_t header_size = 3;       // version, precision, encoding
constexpr std::size_t sparse_entry_size = 3; // index << 6 | rank, 20 bits

// Up to this many set registers the sparse encoding is shorter than the dense one.
constexpr std::size_t sparse_encode_limit = (HyperLogLog::registers - 2) / sparse_entry_size - 1;

constexpr std::uint32_t pack(std::uint32_t index, std::uint8_t rank) {
    return index << 8 | rank;
}

constexpr std::uint32_t index_of(std::uint32_t entry) {
    return entry >> 8;
}

constexpr std::uint8_t rank_of(std::uint32_t entry) {
    return static_cast<std::uint8_t>(entry & 0xff);
}

// Ertl's sigma and tau (section 4 of the paper): closed forms of the series that account
// for registers still at 0 and registers at the maximum rank. Both converge in a few
// dozen steps; the loops stop when the sum no longer changes in double precision.
double sigma(double x) {
    if (x == 1.0)
        return std::numeric_limits<double>::infinity();
    double y = 1.0;
    double z = x;
    double previous = 0.0;
    do {
        x *= x;
        previous = z;
        z += x * y;
        y += y;
    } while (previous != z);
    return z;
}

double tau(double x) {
    if (x == 0.0 || x == 1.0)
        return 0.0;
    double y = 1.0;
    double z = 1.0 - x;
    double previous = 0.0;
    do {
        x = std::sqrt(x);
        previous = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
    } while (previous != z);
    return z / 3.0;
}

} // namespace

void HyperLogLog::add_hash(std::uint64_t hash) {
    auto index = static_cast<std::uint32_t>(hash >> (64 - precision));
    std::uint64_t rest = hash << precision; // low `precision` bits are now 0
    auto rank = static_cast<std::uint8_t>(rest == 0 ? max_rank : std::countl_zero(rest) + 1);
    set_max(index, rank);
}

void HyperLogLog::set_max(std::uint32_t index, std::uint8_t rank) {
    if (!dense_.empty()) {
        std::uint8_t& r = dense_[index];
        if (rank > r)
            r = rank;
        return;
    }
    insert_sparse(index, rank);
}

void HyperLogLog::insert_sparse(std::uint32_t index, std::uint8_t rank) {
    auto it = std::lower_bound(sparse_.begin(), sparse_.end(), pack(index, 0));
    if (it != sparse_.end() && index_of(*it) == index) {
        if (rank > rank_of(*it))
            *it = pack(index, rank);
        return;
    }
    if (sparse_.size() >= sparse_limit) {
        to_dense();
        dense_[index] = rank;
        return;
    }
    sparse_.insert(it, pack(index, rank));
}

void HyperLogLog::to_dense() {
    dense_.assign(registers, 0);
    for (std::uint32_t e : sparse_)
        dense_[index_of(e)] = rank_of(e);
    sparse_.clear();
    sparse_.shrink_to_fit();
}

double HyperLogLog::estimate() const {
    // Histogram of register values: all the estimator needs.
    std::array<std::uint32_t, max_rank + 1> count{};
    if (dense_.empty()) {
        count[0] = static_cast<std::uint32_t>(registers - sparse_.size());
        for (std::uint32_t e : sparse_)
            ++count[rank_of(e)];
    } else {
        for (std::uint8_t r : dense_)
            ++count[r];
    }
    const auto m = static_cast<double>(registers);
    constexpr unsigned q = 64 - precision;
    double z = m * tau((m - count[q + 1]) / m);
    for (unsigned k = q; k >= 1; --k) {
        z += count[k];
        z *= 0.5;
    }
    z += m * sigma(count[0] / m);
    if (std::isinf(z))
        return 0.0;                                       // every register is 0
    constexpr double alpha_inf = 0.721347520444481703680; // 1 / (2 ln 2)
    return alpha_inf * m * m / z;
}

void HyperLogLog::merge(const HyperLogLog& other) {
    if (other.dense_.empty()) {
        for (std::uint32_t e : other.sparse_)
            set_max(index_of(e), rank_of(e));
        return;
    }
    if (dense_.empty())
        to_dense();
    for (std::size_t i = 0; i < registers; ++i)
        dense_[i] = std::max(dense_[i], other.dense_[i]);
}

std::size_t HyperLogLog::set_registers() const {
    if (dense_.empty())
        return sparse_.size();
    return registers -
           static_cast<std::size_t>(std::count(dense_.begin(), dense_.end(), std::uint8_t{0}));
}

std::uint8_t HyperLogLog::register_value(std::size_t index) const {
    if (!dense_.empty())
        return dense_[index];
    auto i = static_cast<std::uint32_t>(index);
    auto it = std::lower_bound(sparse_.begin(), sparse_.end(), pack(i, 0));
    return it != sparse_.end() && index_of(*it) == i ? rank_of(*it) : 0;
}

bool operator==(const HyperLogLog& a, const HyperLogLog& b) {
    if (a.dense_.empty() && b.dense_.empty())
        return a.sparse_ == b.sparse_;
    for (std::size_t i = 0; i < HyperLogLog::registers; ++i)
        if (a.register_value(i) != b.register_value(i))
            return false;
    return true;
}

void HyperLogLog::serialize(std::string& out) const {
    out += static_cast<char>(format_version);
    out += static_cast<char>(precision);
    std::size_t set = set_registers();
    if (set > sparse_encode_limit) {
        out += static_cast<char>(encoding_dense);
        out.append(reinterpret_cast<const char*>(dense_.data()), dense_.size());
        return;
    }
    out += static_cast<char>(encoding_sparse);
    out += static_cast<char>(set & 0xff);
    out += static_cast<char>(set >> 8);
    auto put = [&](std::uint32_t index, std::uint8_t rank) {
        std::uint32_t v = index << 6 | rank;
        out += static_cast<char>(v & 0xff);
        out += static_cast<char>((v >> 8) & 0xff);
        out += static_cast<char>(v >> 16);
    };
    if (dense_.empty()) {
        for (std::uint32_t e : sparse_)
            put(index_of(e), rank_of(e));
    } else {
        for (std::size_t i = 0; i < registers; ++i)
            if (dense_[i] != 0)
                put(static_cast<std::uint32_t>(i), dense_[i]);
    }
}

std::optional<HyperLogLog> HyperLogLog::deserialize(std::string_view in) {
    auto byte = [&](std::size_t i) {
        return static_cast<std::uint8_t>(in[i]);
    };
    if (in.size() < header_size || byte(0) != format_version || byte(1) != precision)
        return std::nullopt;
    HyperLogLog h;
    std::string_view body = in.substr(header_size);
    if (byte(2) == encoding_dense) {
        if (body.size() != registers)
            return std::nullopt;
        h.dense_.assign(body.begin(), body.end());
        for (std::uint8_t r : h.dense_)
            if (r > max_rank)
                return std::nullopt;
        return h;
    }
    if (byte(2) != encoding_sparse || body.size() < 2)
        return std::nullopt;
    std::size_t count = static_cast<std::size_t>(byte(3)) | static_cast<std::size_t>(byte(4)) << 8;
    if (count > registers || body.size() != 2 + count * sparse_entry_size)
        return std::nullopt;
    h.sparse_.reserve(std::min(count, sparse_limit));
    std::int64_t previous = -1;
    for (std::size_t k = 0; k < count; ++k) {
        std::size_t at = header_size + 2 + k * sparse_entry_size;
        std::uint32_t v = byte(at) | static_cast<std::uint32_t>(byte(at + 1)) << 8 |
                          static_cast<std::uint32_t>(byte(at + 2)) << 16;
        std::uint32_t index = v >> 6;
        auto rank = static_cast<std::uint8_t>(v & 63);
        if (index >= registers || rank == 0 || rank > max_rank || index <= previous)
            return std::nullopt;
        previous = index;
        // Entries arrive sorted, so appending keeps sparse_ sorted; set_max() turns the
        // sketch dense once past sparse_limit, exactly as adds would.
        if (h.dense_.empty() && h.sparse_.size() < sparse_limit)
            h.sparse_.push_back(pack(index, rank));
        else
            h.set_max(index, rank);
    }
    return h;
}

std::size_t HyperLogLog::memory_bytes() const {
    return sizeof(*this) + sparse_.capacity() * sizeof(std::uint32_t) + dense_.capacity();
}

} // namespace weir
