#include "cli/error.hpp"
#include "io/mapped_window.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

// A file descriptor closed on scope exit.
struct Fd {
    int fd;

    explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY)) { REQUIRE(fd >= 0); }

    ~Fd() { ::close(fd); }
};

std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('a' + i % 23);
    return s;
}

// The readable bytes promised after the data (ASan and the kernel would catch a lie):
// the rest of the page, then zeros; all zeros when the window reaches the end.
bool zeros_after(const weir::MappedWindow& w) {
    bool zeros = true;
    for (std::size_t i = 0; i < weir::MappedWindow::page_size(); ++i)
        zeros = zeros && w.data()[w.size() + i] == '\0';
    return zeros || !w.reaches_end();
}

} // namespace

TEST_CASE("mapped_window: maps windows of a file at any offset") {
    weir::test::TempDir dir;
    const std::size_t page = weir::MappedWindow::page_size();
    std::string data = pattern(5 * page + 123);
    weir::test::write_file(dir / "f", data);
    Fd f(dir / "f");
    weir::MappedWindow w(f.fd, "f");

    SUBCASE("from the start, shorter than the file") {
        REQUIRE(w.map(0, page));
        CHECK(w.size() == page);
        CHECK(std::string_view(w.data(), w.size()) == data.substr(0, page));
        CHECK_FALSE(w.reaches_end());
        CHECK(zeros_after(w));
    }
    SUBCASE("from an unaligned offset, across a page end") {
        REQUIRE(w.map(page + 10, page + 100));
        CHECK(w.size() == page + 100);
        CHECK(std::string_view(w.data(), w.size()) == data.substr(page + 10, page + 100));
        CHECK(zeros_after(w));
    }
    SUBCASE("to the end of the file: zeros follow the last partial page") {
        REQUIRE(w.map(3 * page + 7, 1 << 20));
        CHECK(w.reaches_end());
        CHECK(std::string_view(w.data(), w.size()) == data.substr(3 * page + 7));
        CHECK(zeros_after(w));
    }
    SUBCASE("at and past the end: empty") {
        REQUIRE(w.map(data.size(), 100));
        CHECK(w.size() == 0);
        CHECK(w.reaches_end());
        CHECK(zeros_after(w));
        REQUIRE(w.map(data.size() + 3 * page + 1, 100));
        CHECK(w.size() == 0);
    }
    SUBCASE("a file that grew is seen at the next map") {
        REQUIRE(w.map(0, 1 << 20));
        CHECK(w.size() == data.size());
        weir::test::append_file(dir / "f", "xyz");
        REQUIRE(w.map(data.size() - 1, 1 << 20));
        CHECK(std::string_view(w.data(), w.size()) == data.substr(data.size() - 1) + "xyz");
        CHECK(zeros_after(w));
    }
    SUBCASE("reset unmaps") {
        REQUIRE(w.map(0, 10));
        w.reset();
        CHECK(w.size() == 0);
        CHECK(w.data() == nullptr);
    }
}

TEST_CASE("mapped_window: a file ending on a page boundary still has zero padding") {
    weir::test::TempDir dir;
    const std::size_t page = weir::MappedWindow::page_size();
    std::string data = pattern(2 * page);
    weir::test::write_file(dir / "f", data);
    Fd f(dir / "f");
    weir::MappedWindow w(f.fd, "f");
    REQUIRE(w.map(page - 1, 10 * page));
    CHECK(w.size() == page + 1);
    CHECK(w.reaches_end());
    CHECK(zeros_after(w));
}

TEST_CASE("mapped_window: an empty file maps to nothing") {
    weir::test::TempDir dir;
    weir::test::write_file(dir / "f", "");
    Fd f(dir / "f");
    weir::MappedWindow w(f.fd, "f");
    REQUIRE(w.map(0, 100));
    CHECK(w.size() == 0);
    CHECK(w.reaches_end());
}

TEST_CASE("mapped_window: a descriptor that cannot be mapped falls back on the first map") {
    weir::test::TempDir dir;
    weir::test::write_file(dir / "f", "abc");
    int wfd = ::open((dir / "f").c_str(), O_WRONLY); // mmap needs a readable descriptor
    REQUIRE(wfd >= 0);
    weir::MappedWindow w(wfd, "f");
    CHECK_FALSE(w.map(0, 100));
    CHECK(w.size() == 0);
    ::close(wfd);
}
