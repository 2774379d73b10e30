#include "cli/error.hpp"
#include "io/file_identity.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

TEST_CASE("file_identity: identifies a file by device, inode and first bytes") {
    weir::test::TempDir dir;
    std::string path = dir / "a.log";
    weir::test::write_file(path, std::string(3000, 'x'));
    weir::FileIdentity id = weir::identify(path);

    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(id.inode == st.st_ino);
    CHECK(id.dev == st.st_dev);
    CHECK(id.size == 3000);
    CHECK(id.fingerprint_len == 1024);
    CHECK(weir::identify(path) == id); // deterministic

    SUBCASE("a short file is hashed whole") {
        weir::test::write_file(dir / "s", "abc");
        weir::FileIdentity s = weir::identify(dir / "s");
        CHECK(s.fingerprint_len == 3);
        CHECK(s.fingerprint != weir::identify(dir / "s", 2).fingerprint);
    }
    SUBCASE("the fd form leaves the offset alone") {
        int fd = ::open(path.c_str(), O_RDONLY);
        REQUIRE(fd >= 0);
        REQUIRE(::lseek(fd, 10, SEEK_SET) == 10);
        CHECK(weir::identify(fd, path) == id);
        CHECK(::lseek(fd, 0, SEEK_CUR) == 10);
        CHECK(weir::same_file(id, fd));
        ::close(fd);
    }
    SUBCASE("missing") {
        try {
            weir::identify(dir / "none");
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::no_input);
            CHECK(std::string(e.what()) ==
                  "cannot open '" + (dir / "none") + "': No such file or directory");
        }
        CHECK_FALSE(weir::same_file(id, dir / "none"));
    }
}

TEST_CASE("file_identity: same file across growth and rename") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "line 1\n");
    weir::FileIdentity saved = weir::identify(path);
    CHECK(saved.fingerprint_len == 7);

    weir::test::append_file(path, std::string(5000, 'y'));
    CHECK(weir::same_file(saved, path)); // grown: the saved prefix still matches
    weir::FileIdentity now = weir::identify(path);
    CHECK_FALSE(weir::same_file(saved, now));               // different prefix lengths
    CHECK(weir::same_file(weir::identify(path, 7), saved)); // compared at the same length

    REQUIRE(std::rename(path.c_str(), (dir / "app.log.1").c_str()) == 0);
    CHECK(weir::same_file(saved, dir / "app.log.1"));
    CHECK_FALSE(weir::same_file(saved, path)); // gone
}

TEST_CASE("file_identity: a replaced or rewritten file is another file") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "line 1\nline 2\n");
    weir::FileIdentity saved = weir::identify(path);
    SUBCASE("replaced by rename, same contents") {
        weir::test::write_file(dir / "new", "line 1\nline 2\n");
        REQUIRE(std::rename((dir / "new").c_str(), path.c_str()) == 0);
        CHECK_FALSE(weir::same_file(saved, path));
    }
    SUBCASE("rewritten in place (same inode, other bytes)") {
        weir::test::write_file(path, "LINE 1\nline 2\nmore\n");
        CHECK(weir::identify(path).inode == saved.inode);
        CHECK_FALSE(weir::same_file(saved, path));
    }
    SUBCASE("truncated below the saved prefix") {
        weir::test::write_file(path, "line");
        CHECK_FALSE(weir::same_file(saved, path));
    }
}
