#include "io/decompress.hpp"

#include "cli/error.hpp"

#include <zlib.h>
#include <zstd.h>

#include <cstring>

namespace weir {

namespace {

constexpr std::size_t in_block = 256 * 1024;

} // namespace

namespace detail {

DecompressBase::DecompressBase(std::unique_ptr<ByteSource> inner)
    : inner_(std::move(inner))
    , in_(in_block) {}

bool DecompressBase::refill() {
    if (in_eof_)
        return false;
    if (in_pos_ > 0) {
        std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
        in_end_ -= in_pos_;
        in_pos_ = 0;
    }
    if (in_end_ == in_.size())
        in_.resize(in_.size() * 2);
    std::size_t got = inner_->read(in_.data() + in_end_, in_.size() - in_end_);
    if (got == 0) {
        in_eof_ = true;
        return false;
    }
    in_end_ += got;
    return true;
}

std::size_t DecompressBase::fail(std::size_t produced, const char* what) {
    total_out_ += produced;
    error_ = fmt::format("'{}': compressed data {} after {} bytes (kept what was read)", name(),
                         what, total_out_);
    if (produced > 0)
        return produced;
    rethrow();
}

void DecompressBase::rethrow() const {
    throw Error(Exit::data, *error_);
}

} // namespace detail

bool is_gzip_magic(std::string_view head) {
    return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
           static_cast<unsigned char>(head[1]) == 0x8b;
}

bool is_zstd_magic(std::string_view head) {
    return head.size() >= 4 && static_cast<unsigned char>(head[0]) == 0x28 &&
           static_cast<unsigned char>(head[1]) == 0xb5 &&
           static_cast<unsigned char>(head[2]) == 0x2f &&
           static_cast<unsigned char>(head[3]) == 0xfd;
}

// ---- gzip ----

struct GzipSource::Stream {
    z_stream z{};
};

GzipSource::GzipSource(std::unique_ptr<ByteSource> inner)
    : DecompressBase(std::move(inner))
    , z_(std::make_unique<Stream>()) {
    // 16 + MAX_WBITS: gzip wrapper only (a zlib or raw stream is not what we detected).
    if (inflateInit2(&z_->z, 16 + MAX_WBITS) != Z_OK)
        throw Error(Exit::internal, "internal error: cannot initialise zlib for '{}'", name());
}

GzipSource::~GzipSource() {
    inflateEnd(&z_->z);
}

bool GzipSource::ready() {
    return error_ || in_pos_ < in_end_ || in_eof_ || inner_->ready();
}

std::size_t GzipSource::read_some(char* buf, std::size_t n) {
    if (error_)
        rethrow();
    z_stream& z = z_->z;
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const std::size_t want = z.avail_out;
    auto produced = [&] {
        return want - z.avail_out;
    };
    auto done = [&] {
        total_out_ += produced();
        return produced();
    };

    for (;;) {
        if (member_done_) {
            // Another member follows only if the gzip magic does; anything else after a
            // complete member is trailing garbage, which gzip(1) ignores.
            while (in_end_ - in_pos_ < 2 && refill()) {
            }
            if (in_end_ - in_pos_ < 2 ||
                !is_gzip_magic(std::string_view(in_.data() + in_pos_, 2))) {
                in_pos_ = in_end_;
                in_eof_ = true;
                return done();
            }
            inflateReset(&z);
            member_done_ = false;
        }
        // Inflate what is buffered first: zlib may still hold output for us, and asking
        // the inner source for more could block (a pipe, a followed file).
        z.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
        z.avail_in = static_cast<uInt>(in_end_ - in_pos_);
        int rc = inflate(&z, Z_NO_FLUSH);
        in_pos_ = in_end_ - z.avail_in;
        if (rc == Z_STREAM_END) {
            member_done_ = true;
            if (produced() > 0)
                return done(); // look for the next member on the next call
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) // Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR
            return fail(produced(), "corrupt");
        if (z.avail_out == 0 || (produced() > 0 && in_pos_ == in_end_))
            return done();
        if (rc == Z_BUF_ERROR && in_pos_ == in_end_ && !refill()) // needs input; none left
            return fail(produced(), "truncated");
    }
}

// ---- zstd ----

ZstdSource::ZstdSource(std::unique_ptr<ByteSource> inner)
    : DecompressBase(std::move(inner))
    , ds_(ZSTD_createDStream()) {
    if (ds_ == nullptr)
        throw Error(Exit::internal, "internal error: cannot initialise zstd for '{}'", name());
    ZSTD_initDStream(static_cast<ZSTD_DStream*>(ds_));
}

ZstdSource::~ZstdSource() {
    ZSTD_freeDStream(static_cast<ZSTD_DStream*>(ds_));
}

bool ZstdSource::ready() {
    return error_ || in_pos_ < in_end_ || in_eof_ || inner_->ready();
}

std::size_t ZstdSource::read_some(char* buf, std::size_t n) {
    if (error_)
        rethrow();
    auto* ds = static_cast<ZSTD_DStream*>(ds_);
    ZSTD_outBuffer out{buf, n, 0};
    auto done = [&] {
        total_out_ += out.pos;
        return out.pos;
    };
    for (;;) {
        // Decompress what is buffered first: libzstd may still hold output for us, and
        // asking the inner source for more could block.
        ZSTD_inBuffer in{in_.data(), in_end_, in_pos_};
        std::size_t in_before = in.pos;
        std::size_t out_before = out.pos;
        std::size_t rc = ZSTD_decompressStream(ds, &out, &in);
        in_pos_ = in.pos;
        if (ZSTD_isError(rc))
            return fail(out.pos, "corrupt");
        bool progress = in.pos != in_before || out.pos != out_before;
        // Without progress rc is only a hint for the next frame's header.
        if (progress)
            at_boundary_ = rc == 0;
        if (out.pos == out.size || (out.pos > 0 && in_pos_ == in_end_))
            return done();
        if (!progress && in_pos_ == in_end_ && !refill()) {
            if (at_boundary_)
                return done();
            return fail(out.pos, "truncated");
        }
    }
}

} // namespace weir
