#include "cli/error.hpp"
#include "io/file_source.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

std::string drain(weir::ByteSource& src, std::size_t block = 1 << 16) {
    std::string out;
    std::string buf(block, '\0');
    while (std::size_t got = src.read(buf.data(), buf.size()))
        out.append(buf.data(), got);
    return out;
}

std::string numbered(int n) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += std::to_string(i) + "\n";
    return s;
}

} // namespace

TEST_CASE("file_source: reads a regular file") {
    weir::test::TempDir dir;
    std::string data = numbered(100000);
    weir::test::write_file(dir / "a", data);
    int fd = ::open((dir / "a").c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    weir::FdSource src(fd, "a", true);
    CHECK(src.is_regular());
    CHECK(src.ready());
    CHECK(src.size() == data.size());
    CHECK(src.name() == "a");
    SUBCASE("in large blocks") {
        CHECK(drain(src) == data);
    }
    SUBCASE("in small blocks") {
        CHECK(drain(src, 13) == data);
    }
    SUBCASE("skip seeks, peeked bytes included") {
        CHECK(src.peek(6) == "0\n1\n2\n");
        src.skip(4);
        char buf[4];
        REQUIRE(src.read(buf, 4) == 2); // the rest of the peeked bytes first
        CHECK(std::string(buf, 2) == "2\n");
        src.skip(100000);
        CHECK(drain(src) == data.substr(100006));
    }
    SUBCASE("skip past the end reaches the end") {
        src.skip(data.size() + 10);
        char c;
        CHECK(src.read(&c, 1) == 0);
    }
}

TEST_CASE("file_source: pipes are polled and skipped by reading") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    weir::FdSource src(p[0], "<pipe>", true);
    CHECK_FALSE(src.is_regular());
    CHECK(src.size() == 0);
    CHECK_FALSE(src.ready());
    REQUIRE(::write(p[1], "hello world", 11) == 11);
    CHECK(src.ready());
    src.skip(6);
    char buf[16];
    CHECK(src.read(buf, sizeof buf) == 5);
    CHECK(std::string(buf, 5) == "world");
    CHECK_FALSE(src.ready());
    ::close(p[1]);
    CHECK(src.ready()); // end of input is ready too
    CHECK(src.read(buf, sizeof buf) == 0);
}

TEST_CASE("file_source: pipe buffers grow when allowed") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    int before = ::fcntl(p[0], F_GETPIPE_SZ);
    weir::grow_pipe_buffer(p[0]);
    int after = ::fcntl(p[0], F_GETPIPE_SZ);
    CHECK(after >= before);
    CHECK(after <= (1 << 20));
    // Not a pipe: nothing happens, nothing fails.
    weir::grow_pipe_buffer(-1);
    ::close(p[0]);
    ::close(p[1]);
}

TEST_CASE("file_source: a read error names the source") {
    weir::test::TempDir dir;
    int fd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
    REQUIRE(fd >= 0);
    weir::FdSource src(fd, "d", true);
    char buf[8];
    try {
        src.read(buf, sizeof buf);
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::io);
        CHECK(std::string(e.what()) == "cannot read 'd': Is a directory");
    }
}
