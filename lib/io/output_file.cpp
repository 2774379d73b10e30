#include "io/output_file.hpp"

#include "cli/error.hpp"
#include "io/file_source.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

// A broken pipe ends the tool quietly with the status the shell expects (git's
// check_pipe): restore the default action and re-raise SIGPIPE.
[[noreturn]] void die_of_sigpipe() {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    std::_Exit(141);
}

std::string display_name(const std::string& path) {
    return path == "-" ? std::string("<stdout>") : path;
}

} // namespace

OutputFile::OutputFile(std::string path, int fd, bool owned, std::size_t buffer)
    : path_(std::move(path))
    , fd_(fd)
    , owned_(owned)
    , buf_(buffer < 4096 ? 4096 : buffer) {
    struct stat st {};

    bool ok = ::fstat(fd_, &st) == 0;
    // A pipe out moves in 1 MiB writes only if it can hold them: grow it here too, for
    // readers that do not (jq, cat, grep).
    if (ok && S_ISFIFO(st.st_mode))
        grow_pipe_buffer(fd_);
    if (ok && S_ISREG(st.st_mode)) {
        regular_ = true;
        // Writes continue at the current position (">>" appends, "-o" opens at 0 or at
        // the committed length), so the file's length is where we stand.
        off_t pos = ::lseek(fd_, 0, SEEK_CUR);
        written_ = pos > 0 ? static_cast<std::uint64_t>(pos) : 0;
        if (::fcntl(fd_, F_GETFL) & O_APPEND)
            written_ = static_cast<std::uint64_t>(st.st_size);
    }
}

std::unique_ptr<OutputFile> OutputFile::open(const std::string& path, Mode mode,
                                             std::size_t buffer) {
    if (path == "-")
        return std::unique_ptr<OutputFile>(new OutputFile(path, STDOUT_FILENO, false));
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == Mode::truncate ? O_TRUNC : 0);
    int fd = ::open(path.c_str(), flags, 0666);
    if (fd < 0)
        throw Error(Exit::cant_create, "cannot create '{}': {}", path, errno_text(errno));
    if (mode == Mode::keep)
        ::lseek(fd, 0, SEEK_END);
    return std::unique_ptr<OutputFile>(new OutputFile(path, fd, true, buffer));
}

OutputFile::~OutputFile() {
    try {
        flush();
    } catch (...) {
    }
    if (owned_ && fd_ >= 0)
        ::close(fd_);
}

std::size_t OutputFile::write_out(const char* p, std::size_t n, int& err) {
    std::size_t done = 0;
    err = 0;
    while (done < n) {
        ssize_t k = ::write(fd_, p + done, n - done);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EPIPE)
                die_of_sigpipe();
            err = errno;
            break;
        }
        done += static_cast<std::size_t>(k);
        written_ += static_cast<std::uint64_t>(k);
    }
    return done;
}

void OutputFile::append_slow(std::string_view bytes) {
    flush();
    if (bytes.size() < buf_.size()) {
        std::memcpy(buf_.data(), bytes.data(), bytes.size());
        used_ = bytes.size();
        return;
    }
    // Larger than the buffer: write it straight through.
    int err = 0;
    write_out(bytes.data(), bytes.size(), err);
    if (err != 0)
        throw Error(Exit::io, "cannot write '{}': {}", display_name(path_), errno_text(err));
}

void OutputFile::flush() {
    int err = 0;
    std::size_t done = write_out(buf_.data(), used_, err);
    if (err != 0) {
        // Keep what was not written in the buffer, so a retry does not duplicate.
        std::memmove(buf_.data(), buf_.data() + done, used_ - done);
        used_ -= done;
        throw Error(Exit::io, "cannot write '{}': {}", display_name(path_), errno_text(err));
    }
    used_ = 0;
}

void OutputFile::sync() {
    flush();
    if (regular_ && ::fsync(fd_) != 0 && errno != EINVAL)
        throw Error(Exit::io, "cannot sync '{}': {}", display_name(path_), errno_text(errno));
}

void OutputFile::truncate_to(std::uint64_t len) {
    flush();

    struct stat st {};

    if (::fstat(fd_, &st) != 0)
        throw Error(Exit::io, "cannot stat '{}': {}", display_name(path_), errno_text(errno));
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size < len) {
        if (path_ == "-")
            throw Error(Exit::io,
                        "stdout is {} bytes but the checkpoint committed {}: it was truncated "
                        "(a shell '>' truncates before a restart); use -o FILE or '>>'",
                        size, len);
        throw Error(Exit::io,
                    "'{}' is {} bytes but the checkpoint committed {}: it was truncated "
                    "or replaced outside weir",
                    path_, size, len);
    }
    if (size > len && ::ftruncate(fd_, static_cast<off_t>(len)) != 0)
        throw Error(Exit::io, "cannot truncate '{}': {}", display_name(path_), errno_text(errno));
    ::lseek(fd_, static_cast<off_t>(len), SEEK_SET);
    written_ = len;
}

} // namespace weir
