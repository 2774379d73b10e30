#include "cli/error.hpp"
#include "io/output_file.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using weir::OutputFile;
using weir::test::read_file;
using weir::test::TempDir;
using weir::test::write_file;

namespace {

std::uint64_t disk_size(const std::string& path) {
    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    return static_cast<std::uint64_t>(st.st_size);
}

// Points stdout at `fd` for the scope (the code under test writes to "-").
class StdoutTo {
public:
    explicit StdoutTo(int fd) {
        std::fflush(stdout);
        saved_ = ::dup(STDOUT_FILENO);
        ::dup2(fd, STDOUT_FILENO);
    }

    ~StdoutTo() {
        std::fflush(stdout);
        ::dup2(saved_, STDOUT_FILENO);
        ::close(saved_);
    }

    StdoutTo(const StdoutTo&) = delete;
    StdoutTo& operator=(const StdoutTo&) = delete;

private:
    int saved_;
};

constexpr std::size_t buffer_size = 1 << 20; // OutputFile's buffer (output_file.cpp)

} // namespace

TEST_CASE("output_file: appends are buffered until flush") {
    TempDir dir;
    std::string path = dir / "out";
    auto f = OutputFile::open(path, OutputFile::Mode::truncate);
    CHECK(f->is_regular());
    CHECK(f->path() == path);
    f->append("abc");
    f->put('\n');
    f->append("");
    CHECK(f->length() == 4); // counts what is still buffered
    CHECK(disk_size(path) == 0);
    f->flush();
    CHECK(read_file(path) == "abc\n");
    CHECK(f->length() == 4);
    f->append("de");
    f->sync();
    CHECK(read_file(path) == "abc\nde");
    CHECK(f->length() == 6);

    SUBCASE("the destructor flushes") {
        f->append("fg");
        f.reset();
        CHECK(read_file(path) == "abc\ndefg");
    }
}

TEST_CASE("output_file: a full buffer is written out in order") {
    TempDir dir;
    std::string path = dir / "out";
    auto f = OutputFile::open(path, OutputFile::Mode::truncate);
    std::string head(buffer_size - 10, 'a');
    f->append(head);
    CHECK(disk_size(path) == 0);
    f->append(std::string(100, 'b')); // does not fit: the buffer goes first
    CHECK(disk_size(path) == head.size());
    CHECK(f->length() == head.size() + 100);
    SUBCASE("put on a full buffer") {
        auto g = OutputFile::open(dir / "put", OutputFile::Mode::truncate);
        g->append(std::string(buffer_size, 'c'));
        g->put('d');
        CHECK(disk_size(dir / "put") >= buffer_size);
        g->flush();
        CHECK(read_file(dir / "put") == std::string(buffer_size, 'c') + "d");
    }
    f->flush();
    CHECK(read_file(path) == head + std::string(100, 'b'));
}

TEST_CASE("output_file: an append larger than the buffer bypasses it") {
    TempDir dir;
    std::string path = dir / "out";
    auto f = OutputFile::open(path, OutputFile::Mode::truncate);
    f->append("small;");
    std::string big(2 * buffer_size + 3, 'x');
    f->append(big);
    // Written through at once, after what was buffered before it.
    CHECK(disk_size(path) == 6 + big.size());
    CHECK(f->length() == 6 + big.size());
    f->append(";tail");
    CHECK(disk_size(path) == 6 + big.size());
    CHECK(f->length() == 6 + big.size() + 5);
    f->flush();
    CHECK(read_file(path) == "small;" + big + ";tail");
}

TEST_CASE("output_file: Mode::keep continues an existing file, truncate empties it") {
    TempDir dir;
    std::string path = dir / "out";
    write_file(path, "hello");
    SUBCASE("keep") {
        auto f = OutputFile::open(path, OutputFile::Mode::keep);
        CHECK(f->length() == 5);
        f->append(" world");
        CHECK(f->length() == 11);
        f->flush();
        CHECK(read_file(path) == "hello world");
    }
    SUBCASE("truncate") {
        auto f = OutputFile::open(path, OutputFile::Mode::truncate);
        CHECK(f->length() == 0);
        CHECK(disk_size(path) == 0);
        f->append("new");
        f->flush();
        CHECK(read_file(path) == "new");
    }
    SUBCASE("keep creates a missing file") {
        auto f = OutputFile::open(dir / "fresh", OutputFile::Mode::keep);
        CHECK(f->length() == 0);
        CHECK(disk_size(dir / "fresh") == 0);
    }
}

TEST_CASE("output_file: truncate_to cuts back and continues writing there") {
    TempDir dir;
    std::string path = dir / "out";
    write_file(path, "0123456789");
    auto f = OutputFile::open(path, OutputFile::Mode::keep);
    SUBCASE("shorter") {
        f->truncate_to(4);
        CHECK(f->length() == 4);
        CHECK(read_file(path) == "0123");
        f->append("ab");
        f->flush();
        CHECK(read_file(path) == "0123ab");
        CHECK(f->length() == 6);
    }
    SUBCASE("shorter, with bytes still buffered") {
        f->append("XYZ");
        f->truncate_to(12);
        CHECK(read_file(path) == "0123456789XY");
        f->append("!");
        f->flush();
        CHECK(read_file(path) == "0123456789XY!");
    }
    SUBCASE("to the same length") {
        f->truncate_to(10);
        f->append("+");
        f->flush();
        CHECK(read_file(path) == "0123456789+");
    }
    SUBCASE("to zero") {
        f->truncate_to(0);
        CHECK(f->length() == 0);
        CHECK(read_file(path).empty());
    }
}

TEST_CASE("output_file: truncate_to beyond the file is an I/O error naming it") {
    TempDir dir;
    std::string path = dir / "out";
    write_file(path, "0123456789");
    auto f = OutputFile::open(path, OutputFile::Mode::keep);
    try {
        f->truncate_to(20);
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::io);
        std::string what = e.what();
        CHECK(what.find("'" + path + "'") != std::string::npos);
        CHECK(what.find("10 bytes") != std::string::npos);
        CHECK(what.find("committed 20") != std::string::npos);
    }
    CHECK(read_file(path) == "0123456789"); // left alone
}

TEST_CASE("output_file: stdout shorter than committed says to use -o or >>") {
    TempDir dir;
    std::string path = dir / "stdout";
    write_file(path, "abc");
    int fd = ::open(path.c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    std::string what;
    weir::Exit code = weir::Exit::ok;
    {
        StdoutTo redirect(fd);
        auto f = OutputFile::open("-", OutputFile::Mode::keep);
        CHECK(f->is_regular());
        try {
            f->truncate_to(100);
        } catch (const weir::Error& e) {
            what = e.what();
            code = e.code();
        }
    }
    ::close(fd);
    CHECK(code == weir::Exit::io);
    CHECK(what.find("stdout") != std::string::npos);
    CHECK(what.find("-o FILE") != std::string::npos);
    CHECK(what.find("'>>'") != std::string::npos);
}

TEST_CASE("output_file: stdout opened with >> starts at the end of the file") {
    TempDir dir;
    std::string path = dir / "stdout";
    write_file(path, "first\n");
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
    REQUIRE(fd >= 0);
    std::uint64_t len = 0;
    {
        StdoutTo redirect(fd);
        auto f = OutputFile::open("-", OutputFile::Mode::truncate); // "-" is never truncated
        len = f->length();
        f->append("second\n");
        f->flush();
    }
    ::close(fd);
    CHECK(len == 6);
    CHECK(read_file(path) == "first\nsecond\n");
}

TEST_CASE("output_file: a full disk is an I/O error") {
    auto f = OutputFile::open("/dev/full", OutputFile::Mode::truncate);
    CHECK_FALSE(f->is_regular());
    SUBCASE("on flush") {
        f->append("x");
        try {
            f->flush();
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::io);
            CHECK(std::string(e.what()) == "cannot write '/dev/full': No space left on device");
        }
        CHECK(f->length() == 1); // the byte is still held, not lost or doubled
    }
    SUBCASE("on a large append") {
        std::string big(buffer_size + 1, 'x');
        try {
            f->append(big);
            FAIL("no exception");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::io);
        }
    }
}

TEST_CASE("output_file: a file that cannot be created names the path") {
    TempDir dir;
    std::string path = dir / "no/such/dir/out";
    try {
        OutputFile::open(path, OutputFile::Mode::truncate);
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::cant_create);
        CHECK(std::string(e.what()) == "cannot create '" + path + "': No such file or directory");
    }
}

TEST_CASE("output_file: a broken pipe ends the process with SIGPIPE") {
    // In a child: the default SIGPIPE kills at write(2); with SIGPIPE ignored (as some
    // parents leave it), the EPIPE path must re-raise it.
    for (bool ignore : {false, true}) {
        CAPTURE(ignore);
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        ::close(fds[0]); // nobody reads, before the child can write
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(fds[1], STDOUT_FILENO);
            std::signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL);
            try {
                auto f = OutputFile::open("-", OutputFile::Mode::truncate);
                f->append("{\"a\":1}\n");
                f->flush();
            } catch (...) {
                ::_exit(3);
            }
            ::_exit(0); // survived: wrong
        }
        ::close(fds[1]);
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFSIGNALED(status));
        if (WIFSIGNALED(status))
            CHECK(WTERMSIG(status) == SIGPIPE);
        else
            CHECK(WEXITSTATUS(status) == -1); // shows the exit code in the report
    }
}
