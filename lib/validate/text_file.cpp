#include "validate/text_file.hpp"

#include "cli/error.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>

namespace weir {

std::string read_text_file(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f)
        throw Error(Exit::no_input, "cannot open '{}': {}", path, errno_text(errno));
    std::string text;
    char buf[16384];
    for (;;) {
        std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
        text.append(buf, n);
        if (n < sizeof buf)
            break;
    }
    // fopen succeeds on a directory; the read then fails with EISDIR.
    if (std::ferror(f.get()))
        throw Error(Exit::no_input, "cannot read '{}': {}", path, errno_text(errno));
    return text;
}

} // namespace weir
