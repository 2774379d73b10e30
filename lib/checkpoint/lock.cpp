#include "checkpoint/lock.hpp"

#include "checkpoint/store.hpp"
#include "cli/error.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace weir {

namespace {

// Long enough to outlast any probe (an open, a flock and a close), short enough that
// a real conflict is reported at once.
constexpr int lock_attempts = 20;
constexpr auto lock_retry_pause = std::chrono::milliseconds(5);

int open_lock_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int err = errno;
        throw Error(Exit::cant_create, "cannot create '{}': {}", path, errno_text(err));
    }
    return fd;
}

// True when `fd` is still the file at `path`: a reset may have unlinked the file we
// opened just before we locked it, and a lock on a removed file protects nothing.
bool still_linked(int fd, const std::string& path) {
    struct stat a {};

    struct stat b {};

    return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

std::optional<std::string> read_small_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    char buf[256];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    if (n < 0)
        return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
}

} // namespace

StageLock StageLock::acquire(const std::string& dir, const std::string& stage) {
    std::string path = join_path(stage_path(dir, stage), "lock");
    for (int attempt = 0;; ++attempt) {
        int fd = open_lock_file(path);
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            if (still_linked(fd, path))
                return StageLock(fd);
            ::close(fd); // removed by a reset meanwhile: lock the new file instead
            continue;
        }
        int err = errno;
        ::close(fd);
        if (err != EWOULDBLOCK && err != EINTR)
            throw Error(Exit::io, "cannot lock '{}': {}", path, errno_text(err));
        if (attempt + 1 >= lock_attempts) {
            std::optional<LockInfo> info = read_lock_info(path);
            throw Error(Exit::temp_fail, locked_message(dir, stage, info ? info->pid : 0));
        }
        std::this_thread::sleep_for(lock_retry_pause);
    }
}

StageLock::StageLock(StageLock&& o) noexcept : fd_(o.fd_) {
    o.fd_ = -1;
}

StageLock& StageLock::operator=(StageLock&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = o.fd_;
        o.fd_ = -1;
    }
    return *this;
}

StageLock::~StageLock() {
    if (fd_ >= 0)
        ::close(fd_); // closing the last descriptor releases the flock
}

void StageLock::record(std::uint64_t start_epoch) {
    std::string text = fmt::format("{}\npgid {}\nstart {}\n", ::getpid(), ::getpgrp(), start_epoch);
    if (::ftruncate(fd_, 0) != 0 ||
        ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        int err = errno;
        throw Error(Exit::io, "cannot write checkpoint lock: {}", errno_text(err));
    }
}

DirLock::DirLock(const std::string& dir) {
    std::string path = join_path(dir, ".lock");
    fd_ = open_lock_file(path);
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int err = errno;
            ::close(fd_);
            throw Error(Exit::io, "cannot lock '{}': {}", path, errno_text(err));
        }
    }
}

DirLock::~DirLock() {
    if (fd_ >= 0)
        ::close(fd_);
}

std::optional<long> lock_holder(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    if (!held)
        return std::nullopt;
    std::optional<LockInfo> info = read_lock_info(path);
    return info ? info->pid : 0;
}

std::optional<LockInfo> read_lock_info(const std::string& path) {
    std::optional<std::string> text = read_small_file(path);
    if (!text)
        return std::nullopt;
    LockInfo info;
    // "PID\npgid PGID\nstart EPOCH\n"; fields missing from an older or torn file stay
    // unset, which only makes a joining stage more careful.
    const char* p = text->c_str();
    char* end = nullptr;
    info.pid = std::strtol(p, &end, 10);
    if (const char* g = std::strstr(p, "\npgid "))
        info.pgid = std::strtol(g + 6, nullptr, 10);
    if (const char* s = std::strstr(p, "\nstart ")) {
        char* e = nullptr;
        unsigned long long v = std::strtoull(s + 7, &e, 10);
        if (e != s + 7)
            info.start_epoch = v;
    }
    return info;
}

std::string locked_message(const std::string& dir, const std::string& stage, long pid) {
    return fmt::format("checkpoint '{}' is locked by pid {} (another run of this stage?)",
                       stage_path(dir, stage), pid);
}

} // namespace weir
