#include "io/file_source.hpp"

#include "cli/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

FdSource::FdSource(int fd, std::string name, bool owns_fd)
    : fd_(fd)
    , name_(std::move(name))
    , owns_fd_(owns_fd) {
    struct stat st {};

    if (::fstat(fd_, &st) != 0) {
        int err = errno;
        if (owns_fd_)
            ::close(fd_);
        throw Error(Exit::no_input, "cannot open '{}': {}", name_, errno_text(err));
    }
    regular_ = S_ISREG(st.st_mode);
    if (regular_)
        size_ = static_cast<std::uint64_t>(st.st_size);
    else if (S_ISFIFO(st.st_mode))
        grow_pipe_buffer(fd_);
}

FdSource::~FdSource() {
    if (owns_fd_)
        ::close(fd_);
}

bool FdSource::ready() {
    if (regular_)
        return true;

    struct pollfd p {
        fd_, POLLIN, 0
    };

    int r;
    do
        r = ::poll(&p, 1, 0);
    while (r < 0 && errno == EINTR);
    // POLLHUP and POLLERR also mean read() returns at once (end or error).
    return r > 0;
}

std::size_t FdSource::read_some(char* buf, std::size_t n) {
    for (;;) {
        ssize_t r = ::read(fd_, buf, n);
        if (r >= 0)
            return static_cast<std::size_t>(r);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            // A non-blocking fd inherited from the parent (stdin): wait as a blocking
            // read would.
            struct pollfd p {
                fd_, POLLIN, 0
            };

            ::poll(&p, 1, -1);
            continue;
        }
        throw Error(Exit::io, "cannot read '{}': {}", name_, errno_text(errno));
    }
}

void FdSource::skip(std::uint64_t n) {
    if (!regular_) {
        ByteSource::skip(n);
        return;
    }
    // Bytes peeked for format detection were read from fd_ already.
    n -= skip_peeked(n);
    if (n > 0 && ::lseek(fd_, static_cast<off_t>(n), SEEK_CUR) < 0)
        throw Error(Exit::io, "cannot seek in '{}': {}", name_, errno_text(errno));
}

std::optional<MappableFile> FdSource::mappable() {
    // Size 0: nothing to map, or a procfs/sysfs file whose size says nothing of what a
    // read returns.
    if (!regular_ || size_ == 0)
        return std::nullopt;
    off_t pos = ::lseek(fd_, 0, SEEK_CUR);
    if (pos < 0 || static_cast<std::uint64_t>(pos) < peeked_pending())
        return std::nullopt;
    // Peeked bytes were read from fd_ already but not consumed: the logical position is
    // before them.
    return MappableFile{fd_, static_cast<std::uint64_t>(pos) - peeked_pending()};
}

void grow_pipe_buffer(int fd) {
#ifdef F_SETPIPE_SZ
    struct stat st {};

    if (::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
        return;
    long want = 1L << 20;
    // Unprivileged processes may not exceed pipe-max-size; asking for more fails outright,
    // so ask for the bound instead.
    if (std::FILE* f = std::fopen("/proc/sys/fs/pipe-max-size", "re")) {
        long max = 0;
        if (std::fscanf(f, "%ld", &max) == 1 && max > 0)
            want = std::min(want, max);
        std::fclose(f);
    }
    int now = ::fcntl(fd, F_GETPIPE_SZ);
    if (now >= 0 && now >= want)
        return;
    (void)::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(want));
#else
    (void)fd;
#endif
}

} // namespace weir
