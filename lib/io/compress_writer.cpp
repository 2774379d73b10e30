#include "io/compress_writer.hpp"

#include "cli/error.hpp"
#include "io/output_file.hpp"

#include <zlib.h>
#include <zstd.h>

namespace weir {

CompressWriter::CompressWriter(OutputFile& out, Codec codec, int level)
    : out_(out)
    , codec_(codec)
    , level_(level != 0 ? level : (codec == Codec::gzip ? 6 : 3)) {
    if (codec_ == Codec::zstd) {
        zstd_ = ZSTD_createCCtx();
        if (zstd_ == nullptr)
            throw Error(Exit::internal, "cannot allocate a zstd context");
        ZSTD_CCtx_setParameter(zstd_, ZSTD_c_compressionLevel, level_);
        buf_.resize(ZSTD_CStreamOutSize());
    } else {
        zlib_ = new z_stream{};
        if (deflateInit2(zlib_, level_, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK) {
            delete zlib_;
            throw Error(Exit::internal, "cannot allocate a zlib stream");
        }
        buf_.resize(256 << 10);
    }
    in_.reserve(capacity);
}

CompressWriter::~CompressWriter() {
    if (zstd_ != nullptr)
        ZSTD_freeCCtx(zstd_);
    if (zlib_ != nullptr) {
        deflateEnd(zlib_);
        delete zlib_;
    }
}

void CompressWriter::write_slow(std::string_view bytes) {
    while (!bytes.empty()) {
        std::size_t room = capacity - in_.size();
        std::size_t n = bytes.size() < room ? bytes.size() : room;
        in_.append(bytes.substr(0, n));
        bytes.remove_prefix(n);
        if (in_.size() == capacity)
            compress(false);
    }
}

void CompressWriter::compress(bool end) {
    if (!in_.empty())
        in_frame_ = true;
    if (!in_frame_)
        return;
    if (codec_ == Codec::zstd) {
        ZSTD_inBuffer in{in_.data(), in_.size(), 0};
        ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
        for (;;) {
            ZSTD_outBuffer o{buf_.data(), buf_.size(), 0};
            std::size_t left = ZSTD_compressStream2(zstd_, &o, &in, mode);
            if (ZSTD_isError(left))
                throw Error(Exit::internal, "zstd: {}", ZSTD_getErrorName(left));
            out_.append(std::string_view(buf_.data(), o.pos));
            bool done = end ? left == 0 : in.pos == in.size;
            if (done)
                break;
        }
    } else {
        zlib_->next_in = reinterpret_cast<Bytef*>(in_.data());
        zlib_->avail_in = static_cast<uInt>(in_.size());
        int flush = end ? Z_FINISH : Z_NO_FLUSH;
        for (;;) {
            zlib_->next_out = reinterpret_cast<Bytef*>(buf_.data());
            zlib_->avail_out = static_cast<uInt>(buf_.size());
            int rc = deflate(zlib_, flush);
            if (rc == Z_STREAM_ERROR)
                throw Error(Exit::internal, "zlib: deflate failed");
            out_.append(std::string_view(buf_.data(), buf_.size() - zlib_->avail_out));
            if (end ? rc == Z_STREAM_END : zlib_->avail_in == 0 && zlib_->avail_out != 0)
                break;
        }
        if (end)
            deflateReset(zlib_); // the next bytes start a new gzip member
    }
    in_.clear();
    if (end)
        in_frame_ = false;
}

void CompressWriter::end_frame() {
    compress(true);
}

} // namespace weir
