#pragma once

// A scratch directory for checkpoint tests, removed with everything in it.

#include <filesystem>
#include <stdlib.h>
#include <string>

namespace weir::test {

struct TempDir {
    std::string path;

    TempDir() {
        char templ[] = "/tmp/weir-checkpoint-test.XXXXXX";
        path = ::mkdtemp(templ);
    }

    ~TempDir() { std::filesystem::remove_all(path); }

    std::string operator/(const std::string& rel) const { return path + "/" + rel; }
};

} // namespace weir::test
