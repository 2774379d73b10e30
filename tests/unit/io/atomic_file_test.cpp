#include "cli/error.hpp"
#include "io/atomic_file.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <sys/stat.h>

namespace {

int count_entries(const std::string& dir) {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++n;
    return n;
}

} // namespace

TEST_CASE("atomic_file: writes and replaces, leaving no temporary files") {
    weir::test::TempDir dir;
    std::string path = dir / "state";
    weir::write_file_atomic(path, "first");
    CHECK(weir::test::read_file(path) == "first");

    struct stat before {};

    REQUIRE(::stat(path.c_str(), &before) == 0);

    std::string big(3 << 20, 'z');
    weir::write_file_atomic(path, big);
    CHECK(weir::test::read_file(path) == big);

    struct stat after {};

    REQUIRE(::stat(path.c_str(), &after) == 0);
    CHECK(after.st_ino != before.st_ino); // a new file renamed over, not rewritten
    weir::write_file_atomic(path, "");
    CHECK(weir::test::read_file(path).empty());
    CHECK(count_entries(dir.path()) == 1);

    SUBCASE("a relative path in the working directory") {
        auto cwd = std::filesystem::current_path();
        std::filesystem::current_path(dir.path());
        weir::write_file_atomic("rel", "r");
        std::filesystem::current_path(cwd);
        CHECK(weir::test::read_file(dir / "rel") == "r");
    }
}

TEST_CASE("atomic_file: errors") {
    weir::test::TempDir dir;
    SUBCASE("cannot create in a missing directory") {
        std::string path = dir / "no/such/file";
        try {
            weir::write_file_atomic(path, "x");
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::cant_create);
            CHECK(std::string(e.what()) ==
                  "cannot create '" + path + "': No such file or directory");
        }
    }
    SUBCASE("cannot rename over a directory") {
        std::filesystem::create_directory(dir / "d");
        weir::test::write_file(dir / "d/inside", "keep");
        try {
            weir::write_file_atomic(dir / "d", "x");
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::io);
            CHECK(std::string(e.what()).rfind("cannot write '" + (dir / "d") + "': ", 0) == 0);
        }
        CHECK(count_entries(dir.path()) == 1); // the temporary file is gone
    }
    SUBCASE("fsync_dir") {
        CHECK_NOTHROW(weir::fsync_dir(dir.path()));
        CHECK_NOTHROW(weir::fsync_dir(""));
        CHECK_THROWS_AS(weir::fsync_dir(dir / "missing"), weir::Error);
    }
}
