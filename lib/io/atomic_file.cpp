#include "io/atomic_file.hpp"

#include "cli/error.hpp"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

std::string dir_of(const std::string& path) {
    std::string::size_type slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

// Opens a fresh temporary file next to `path`. O_EXCL with a per-process counter: two
// threads or processes never share one.
int create_temp(const std::string& path, std::string& tmp) {
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100; ++attempt) {
        tmp = fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST)
            break;
    }
    throw Error(Exit::cant_create, "cannot create '{}': {}", path, errno_text(errno));
}

} // namespace

void write_file_atomic(const std::string& path, std::string_view data) {
    std::string tmp;
    int fd = create_temp(path, tmp);
    auto fail = [&](const char* what) {
        int err = errno;
        if (fd >= 0)
            ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(Exit::io, "cannot {} '{}': {}", what, path, errno_text(err));
    };
    while (!data.empty()) {
        ssize_t w = ::write(fd, data.data(), data.size());
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            fail("write");
        data.remove_prefix(static_cast<std::size_t>(w));
    }
    if (::fsync(fd) != 0)
        fail("write");
    int rc = ::close(fd);
    fd = -1;
    if (rc != 0)
        fail("write");
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        fail("write");
    fsync_dir(dir_of(path));
}

void fsync_dir(const std::string& dir) {
    std::string d = dir.empty() ? std::string(".") : dir;
    int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw Error(Exit::io, "cannot sync directory '{}': {}", d, errno_text(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL)
        throw Error(Exit::io, "cannot sync directory '{}': {}", d, errno_text(err));
}

} // namespace weir
