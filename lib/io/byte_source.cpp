#include "io/byte_source.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace weir {

std::size_t ByteSource::read(char* buf, std::size_t n) {
    if (n == 0)
        return 0;
    // Peeked bytes were taken from read_some() already; hand them out before reading
    // more. A short return is allowed, so do not block on read_some() to top them up.
    if (peeked_pos_ < peeked_.size()) {
        std::size_t k = std::min(n, peeked_.size() - peeked_pos_);
        std::memcpy(buf, peeked_.data() + peeked_pos_, k);
        peeked_pos_ += k;
        if (peeked_pos_ == peeked_.size()) {
            peeked_.clear();
            peeked_.shrink_to_fit();
            peeked_pos_ = 0;
        }
        return k;
    }
    return read_some(buf, n);
}

std::string_view ByteSource::peek(std::size_t n) {
    if (peeked_pos_ > 0) {
        peeked_.erase(0, peeked_pos_);
        peeked_pos_ = 0;
    }
    // read_some() may return fewer bytes than asked (pipes, decompressors): loop until
    // n bytes are buffered or the input ends.
    while (peeked_.size() < n) {
        std::size_t have = peeked_.size();
        peeked_.resize(n);
        std::size_t got = read_some(peeked_.data() + have, n - have);
        peeked_.resize(have + got);
        if (got == 0)
            break;
    }
    return std::string_view(peeked_).substr(0, n);
}

std::uint64_t ByteSource::skip_peeked(std::uint64_t n) {
    std::uint64_t k = std::min<std::uint64_t>(n, peeked_.size() - peeked_pos_);
    peeked_pos_ += static_cast<std::size_t>(k);
    if (peeked_pos_ == peeked_.size()) {
        peeked_.clear();
        peeked_pos_ = 0;
    }
    return k;
}

void ByteSource::skip(std::uint64_t n) {
    std::vector<char> scratch(static_cast<std::size_t>(std::min<std::uint64_t>(n, 1 << 20)));
    while (n > 0) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(n, scratch.size()));
        std::size_t got = read(scratch.data(), want);
        if (got == 0)
            return;
        n -= got;
    }
}

} // namespace weir
