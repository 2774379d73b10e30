#pragma once

// FdSource: a ByteSource over a file descriptor — stdin, a regular file, a pipe or a
// FIFO. It is the bottom of every input stack (open_input() may wrap it in a
// decompressor); FollowSource handles the "file that keeps growing" case instead.
//
// Reads are as large as the caller asks (readers ask for MiB blocks) and retry on
// EINTR. Regular files know their size, seek on skip() and may be mapped by the reader
// instead of read (mappable(); stdin redirected from a file included); pipes are polled for
// readiness and get their kernel buffer raised to 1 MiB when the system allows, so a
// fast producer does not stall on 64 KiB context switches.

#include "io/byte_source.hpp"

#include <cstdint>
#include <string>

namespace weir {

class FdSource final : public ByteSource {
public:
    // Reads `fd`; closes it on destruction when `owns_fd`. `name` is used in messages
    // ("<stdin>" or the path as given). Throws Error(Exit::no_input) if fstat fails.
    FdSource(int fd, std::string name, bool owns_fd);
    ~FdSource() override;
    FdSource(const FdSource&) = delete;
    FdSource& operator=(const FdSource&) = delete;

    // Regular files: always true. Otherwise poll(2) with a zero timeout.
    bool ready() override;

    const std::string& name() const override { return name_; }

    // Size of a regular file (at open), else 0.
    std::uint64_t size() const override { return size_; }

    // Regular files seek (past the end is allowed: reads then return 0); others read and
    // discard. Throws Error(Exit::io) if the seek fails.
    void skip(std::uint64_t n) override;

    // Regular files of non-zero size (at open): fd and logical position (lseek minus
    // peeked bytes). Else nullopt.
    std::optional<MappableFile> mappable() override;

    int fd() const { return fd_; }

    bool is_regular() const { return regular_; }

protected:
    // Throws Error(Exit::io) "cannot read 'x': ..." on a read error.
    std::size_t read_some(char* buf, std::size_t n) override;

private:
    int fd_;
    std::string name_;
    bool owns_fd_;
    bool regular_ = false;
    std::uint64_t size_ = 0;
};

// Raises a pipe's kernel buffer towards 1 MiB (bounded by /proc/sys/fs/pipe-max-size).
// Does nothing for other kinds of fd; failure is ignored (it is only an optimisation).
void grow_pipe_buffer(int fd);

} // namespace weir
