#pragma once

// MappedWindow: a read-only, sliding memory map over part of a regular file, so a reader
// can frame and parse records in place instead of copying the file through read(2).
//
// Memory stays proportional to the window, not the file: each map() replaces the previous
// window (munmap, then mmap forward), so at most one window of file pages is mapped (and
// counted in RSS) at a time. Windows start on a page boundary at or before the offset
// asked for; MAP_PRIVATE, PROT_READ, madvise(MADV_SEQUENTIAL).
//
// Key invariant: at least `page_size` readable bytes follow data() + size(): the rest
// of the last file page, then zeros (all zeros past the end of the file). The window is
// an anonymous PROT_READ reservation one page longer than the (page-rounded) file part,
// with the file mapped over its start (MAP_FIXED): the kernel zero-fills the rest of the
// last file page, and the anonymous page follows a file part that ends on a page
// boundary. So a record ending at the window end, or at the end of the file, has
// simdjson's padding (wire/record.hpp) without a copy, and the reader needs no special
// case for lines ending near the window end.
//
// Known limitation: a file truncated while mapped makes access to the vanished pages raise
// SIGBUS (the process dies). The size is read again at each map(), so a file that grows is
// read to its new end, as read(2) would; only shrinking under a live window is fatal. Tools
// that follow growing files use FollowSource, which is never mapped.

#include <cstdint>
#include <string>

namespace weir {

class MappedWindow {
public:
    // Maps nothing yet. `fd` (a regular file open for reading) is not owned and must
    // outlive the window; `name` is used in messages.
    MappedWindow(int fd, std::string name);
    ~MappedWindow();
    MappedWindow(const MappedWindow&) = delete;
    MappedWindow& operator=(const MappedWindow&) = delete;

    // Replaces the window with one holding the file from `offset` for `want` bytes, or
    // to the end of the file if that comes first (the file size is read again first).
    // size() is `want` or less; it is 0 when `offset` is at or past the end. On the first call
    // only, returns false and maps nothing when the file cannot be mapped (a file system without
    // mmap, a descriptor not open for reading), so the caller can fall back to read(2). Later, or
    // when fstat fails, throws Error(Exit::io) "cannot map 'x': ...".
    bool map(std::uint64_t offset, std::size_t want);

    // Unmaps the window (size() becomes 0).
    void reset();

    // File bytes from the offset of the last map(), size() of them, followed by at least
    // page_size() readable bytes (zeros past the end of the file). Valid until the next
    // map() or reset().
    const char* data() const { return data_; }

    std::size_t size() const { return size_; }

    // True when the window ends at the end of the file (as sized at the last map()).
    bool reaches_end() const { return reaches_end_; }

    static std::size_t page_size();

private:
    int fd_;
    std::string name_;
    void* base_ = nullptr; // the whole reservation, file part then zero page(s)
    std::size_t length_ = 0;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    bool reaches_end_ = false;
    bool mapped_once_ = false;
};

} // namespace weir
