#include "io/file_identity.hpp"

#include "cli/error.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

// Hashes the first min(len, file size) bytes with pread (the fd's offset is left
// alone: the fd may be mid-read). Returns false on a read error; `got` is what was read.
bool hash_prefix(int fd, std::size_t len, std::uint64_t& hash, std::size_t& got) {
    char buf[fingerprint_bytes];
    len = std::min(len, sizeof buf);
    got = 0;
    while (got < len) {
        ssize_t r = ::pread(fd, buf + got, len - got, static_cast<off_t>(got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        got += static_cast<std::size_t>(r);
    }
    hash = XXH3_64bits(buf, got);
    return true;
}

} // namespace

FileIdentity identify(int fd, const std::string& name, std::size_t prefix) {
    struct stat st {};

    if (::fstat(fd, &st) != 0)
        throw Error(Exit::no_input, "cannot open '{}': {}", name, errno_text(errno));
    FileIdentity id;
    id.dev = static_cast<std::uint64_t>(st.st_dev);
    id.inode = static_cast<std::uint64_t>(st.st_ino);
    id.size = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
    if (S_ISREG(st.st_mode)) {
        std::size_t got = 0;
        if (!hash_prefix(fd, std::min<std::uint64_t>(prefix, id.size), id.fingerprint, got))
            throw Error(Exit::io, "cannot read '{}': {}", name, errno_text(errno));
        id.fingerprint_len = static_cast<std::uint32_t>(got);
    } else {
        id.fingerprint = XXH3_64bits(nullptr, 0);
    }
    return id;
}

FileIdentity identify(const std::string& path, std::size_t prefix) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(Exit::no_input, "cannot open '{}': {}", path, errno_text(errno));
    try {
        FileIdentity id = identify(fd, path, prefix);
        ::close(fd);
        return id;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

bool same_file(const FileIdentity& a, const FileIdentity& b) {
    return a.dev == b.dev && a.inode == b.inode && a.fingerprint_len == b.fingerprint_len &&
           a.fingerprint == b.fingerprint;
}

bool same_file(const FileIdentity& saved, int fd) {
    struct stat st {};

    if (::fstat(fd, &st) != 0)
        return false;
    if (static_cast<std::uint64_t>(st.st_dev) != saved.dev ||
        static_cast<std::uint64_t>(st.st_ino) != saved.inode)
        return false;
    if (saved.fingerprint_len == 0)
        return true;
    std::uint64_t hash = 0;
    std::size_t got = 0;
    if (!hash_prefix(fd, saved.fingerprint_len, hash, got))
        return false;
    return got == saved.fingerprint_len && hash == saved.fingerprint;
}

bool same_file(const FileIdentity& saved, const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool same = same_file(saved, fd);
    ::close(fd);
    return same;
}

} // namespace weir
