#pragma once

// Test support for tests/unit/io: a scratch directory under /tmp removed on scope exit,
// and small file helpers.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace weir::test {

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/weir-io-test-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr)
            throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }

    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }

    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline void write_file(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << data;
    if (!f)
        throw std::runtime_error("cannot write " + path);
}

inline void append_file(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary | std::ios::app);
    f << data;
    if (!f)
        throw std::runtime_error("cannot append " + path);
}

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

} // namespace weir::test
