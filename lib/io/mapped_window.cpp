#include "io/mapped_window.hpp"

#include "cli/error.hpp"

#include <algorithm>
#include <cerrno>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

MappedWindow::MappedWindow(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

MappedWindow::~MappedWindow() {
    reset();
}

std::size_t MappedWindow::page_size() {
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return page;
}

void MappedWindow::reset() {
    if (base_ != nullptr)
        ::munmap(base_, length_);
    base_ = nullptr;
    length_ = 0;
    data_ = nullptr;
    size_ = 0;
    reaches_end_ = false;
}

bool MappedWindow::map(std::uint64_t offset, std::size_t want) {
    // Drop the old window first: two windows at once would double the peak.
    reset();

    struct stat st {};

    if (::fstat(fd_, &st) != 0)
        throw Error(Exit::io, "cannot map '{}': {}", name_, errno_text(errno));
    // Sized again at every map: a file that grew is read to its new end, as read(2) does.
    std::uint64_t file_size = st.st_size > 0 ? static_cast<std::uint64_t>(st.st_size) : 0;

    const std::size_t page = page_size();
    std::uint64_t start = offset - offset % page;
    std::uint64_t stop = std::min(file_size, offset + want);
    if (stop <= offset)
        stop = start; // at or past the end: no file bytes, only the zero page
    std::size_t file_len = static_cast<std::size_t>(stop - start);
    std::size_t map_len = (file_len + page - 1) / page * page;

    auto failed = [&](int err) {
        if (!mapped_once_)
            return false; // the caller reads instead
        throw Error(Exit::io, "cannot map '{}': {}", name_, errno_text(err));
    };

    // Reserve the file part plus one page of zeros, then put the file over the start.
    std::size_t length = map_len + page;
    void* base =
        ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return failed(errno);
    if (map_len > 0) {
        void* file = ::mmap(base, map_len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd_,
                            static_cast<off_t>(start));
        if (file == MAP_FAILED) {
            int err = errno;
            ::munmap(base, length);
            return failed(err);
        }
        // Read-ahead for a front-to-back scan; pages behind are dropped by munmap anyway.
        (void)::madvise(base, map_len, MADV_SEQUENTIAL);
    }
    mapped_once_ = true;
    base_ = base;
    length_ = length;
    if (stop == start) {
        data_ = static_cast<const char*>(base);
        size_ = 0;
    } else {
        data_ = static_cast<const char*>(base) + (offset - start);
        size_ = static_cast<std::size_t>(stop - offset);
    }
    reaches_end_ = stop == file_size || stop == start;
    return true;
}

} // namespace weir
