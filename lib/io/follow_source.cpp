#include "io/follow_source.hpp"

#include "cli/error.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace weir {

FollowSource::FollowSource(std::string path, FollowOptions opts)
    : path_(std::move(path))
    , opts_(std::move(opts)) {
    if (opts_.poll_interval <= std::chrono::milliseconds::zero())
        opts_.poll_interval = std::chrono::milliseconds(1);
    if (!try_open())
        was_missing_ = true;
}

FollowSource::~FollowSource() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool FollowSource::stopped() const {
    return stop_requested_.load() || (opts_.stop != nullptr && opts_.stop->load() != 0);
}

void FollowSource::event(FollowEvent e) {
    if (opts_.on_event)
        opts_.on_event(e);
}

bool FollowSource::try_open() {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return false;
        throw Error(Exit::no_input, "cannot open '{}': {}", path_, errno_text(errno));
    }

    struct stat st {};

    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        throw Error(Exit::no_input, "cannot open '{}': {}", path_, errno_text(err));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw Error(Exit::no_input, "'{}' is a directory", path_);
    }
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = fd;
    regular_ = S_ISREG(st.st_mode);
    dev_ = static_cast<std::uint64_t>(st.st_dev);
    inode_ = static_cast<std::uint64_t>(st.st_ino);
    pos_ = 0;
    return true;
}

bool FollowSource::handle_end() {
    struct stat cur {};

    if (::fstat(fd_, &cur) != 0)
        throw Error(Exit::io, "cannot read '{}': {}", path_, errno_text(errno));
    if (regular_) {
        auto size = static_cast<std::uint64_t>(cur.st_size);
        if (size > pos_)
            return true; // grew since the read that saw the end
        if (size < pos_) {
            if (::lseek(fd_, 0, SEEK_SET) < 0)
                throw Error(Exit::io, "cannot seek in '{}': {}", path_, errno_text(errno));
            pos_ = 0;
            ++truncations_;
            event(FollowEvent::truncated);
            return true;
        }
    }

    // The current file is read to its end. Does the path still name it?
    struct stat now {};

    if (::stat(path_.c_str(), &now) != 0)
        return false; // renamed away, successor not there yet: keep waiting on the old
    if (static_cast<std::uint64_t>(now.st_dev) == dev_ &&
        static_cast<std::uint64_t>(now.st_ino) == inode_)
        return false;
    if (!try_open())
        return false; // vanished again between stat and open
    ++rotations_;
    event(FollowEvent::rotated);
    return true;
}

void FollowSource::wait() {
    // Sleep in short slices so a stop (set from a signal handler, which cannot notify a
    // condition variable) ends the wait promptly.
    constexpr auto slice = std::chrono::milliseconds(10);
    auto until = std::chrono::steady_clock::now() + opts_.poll_interval;
    for (;;) {
        if (stopped())
            return;
        auto now = std::chrono::steady_clock::now();
        if (now >= until)
            return;
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(slice, until - now));
    }
}

std::size_t FollowSource::read_some(char* buf, std::size_t n) {
    for (;;) {
        if (stopped())
            return 0;
        if (fd_ < 0) {
            if (!try_open()) {
                wait();
                continue;
            }
            if (was_missing_) {
                was_missing_ = false;
                event(FollowEvent::appeared);
            }
        }
        ssize_t r = ::read(fd_, buf, n);
        if (r > 0) {
            pos_ += static_cast<std::uint64_t>(r);
            return static_cast<std::size_t>(r);
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            throw Error(Exit::io, "cannot read '{}': {}", path_, errno_text(errno));
        if (!handle_end())
            wait();
    }
}

bool FollowSource::ready() {
    if (stopped())
        return true;
    if (fd_ < 0) {
        if (!try_open())
            return false;
        if (was_missing_) {
            was_missing_ = false;
            event(FollowEvent::appeared);
        }
    }
    if (!regular_) {
        struct pollfd p {
            fd_, POLLIN, 0
        };

        return ::poll(&p, 1, 0) > 0;
    }
    // Settle truncations and rotations now, so that "ready" means data in the file we
    // will actually read.
    for (int i = 0; i < 4; ++i) {
        struct stat st {};

        if (::fstat(fd_, &st) != 0)
            return true; // let read() report the error
        if (static_cast<std::uint64_t>(st.st_size) > pos_)
            return true;
        if (!handle_end())
            return false;
    }
    return false;
}

void FollowSource::skip(std::uint64_t n) {
    if (fd_ < 0 && !try_open())
        return;
    // Bytes peeked were read from fd_ already.
    n -= skip_peeked(n);
    if (n == 0)
        return;
    if (!regular_) {
        ByteSource::skip(n);
        return;
    }
    if (::lseek(fd_, static_cast<off_t>(n), SEEK_CUR) < 0)
        throw Error(Exit::io, "cannot seek in '{}': {}", path_, errno_text(errno));
    pos_ += n;
}

FileIdentity FollowSource::identity() const {
    if (fd_ < 0)
        return FileIdentity{};
    return identify(fd_, path_);
}

} // namespace weir
