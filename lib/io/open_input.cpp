#include "io/open_input.hpp"

#include "cli/error.hpp"
#include "io/decompress.hpp"
#include "io/file_source.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

std::unique_ptr<ByteSource> wrap_decompress(std::unique_ptr<ByteSource> src) {
    // Peek one byte first and more only when it can start a magic number: on a pipe,
    // waiting for 4 bytes could stall a producer's first tiny record ("{}\n").
    std::string_view head = src->peek(1);
    if (head == "\x1f")
        head = src->peek(2);
    else if (head == "\x28")
        head = src->peek(4);
    if (is_gzip_magic(head))
        return std::make_unique<GzipSource>(std::move(src));
    if (is_zstd_magic(head))
        return std::make_unique<ZstdSource>(std::move(src));
    return src;
}

std::unique_ptr<ByteSource> open_input(const std::string& path, const OpenOptions& opts) {
    std::unique_ptr<ByteSource> src;
    if (path == "-") {
        src = std::make_unique<FdSource>(STDIN_FILENO, "<stdin>", false);
    } else if (opts.follow) {
        return std::make_unique<FollowSource>(path, opts.follow_options);
    } else {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            throw Error(Exit::no_input, "cannot open '{}': {}", path, errno_text(errno));

        struct stat st {};

        if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            ::close(fd);
            throw Error(Exit::no_input, "'{}' is a directory", path);
        }
        src = std::make_unique<FdSource>(fd, path, true);
    }
    if (opts.decompress)
        src = wrap_decompress(std::move(src));
    return src;
}

} // namespace weir
