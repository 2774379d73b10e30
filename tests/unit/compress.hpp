#pragma once

// Test support: data compressed as a gzip member or a zstd frame, for tests of the
// decompressing sources and of everything that reads .gz/.zst files.

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>
#include <string>

namespace weir::test {

// A gzip member of `data` (zlib's deflate with the gzip wrapper).
inline std::string gzip(const std::string& data) {
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&z, data.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        throw std::runtime_error("deflate");
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// A zstd frame of `data`, level 3.
inline std::string zstd(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    if (ZSTD_isError(n))
        throw std::runtime_error("ZSTD_compress");
    out.resize(n);
    return out;
}

} // namespace weir::test
