#include "io/file_source.hpp"
#include "io/memory_source.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <string>
#include <unistd.h>

TEST_CASE("file_source: mappable() gives the logical position of a regular file") {
    weir::test::TempDir dir;
    weir::test::write_file(dir / "a", "0123456789abcdef");
    int fd = ::open((dir / "a").c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    weir::FdSource src(fd, "a", true);
    REQUIRE(src.mappable());
    CHECK(src.mappable()->fd == fd);
    CHECK(src.mappable()->offset == 0);
    SUBCASE("peeked bytes are not consumed") {
        CHECK(src.peek(5) == "01234");
        CHECK(src.mappable()->offset == 0);
        char buf[2];
        REQUIRE(src.read(buf, 2) == 2);
        CHECK(src.mappable()->offset == 2);
    }
    SUBCASE("skip moves it, peeked or not") {
        (void)src.peek(3);
        src.skip(7);
        CHECK(src.mappable()->offset == 7);
        src.skip(100);
        CHECK(src.mappable()->offset == 107);
    }
}

TEST_CASE("file_source: pipes, empty files and other sources are not mappable") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    {
        weir::FdSource pipe(p[0], "<stdin>", true);
        CHECK_FALSE(pipe.mappable());
    }
    ::close(p[1]);
    weir::test::TempDir dir;
    weir::test::write_file(dir / "e", "");
    int fd = ::open((dir / "e").c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    weir::FdSource empty(fd, "e", true);
    CHECK_FALSE(empty.mappable());
    weir::MemorySource mem("{}\n");
    CHECK_FALSE(mem.mappable());
}
