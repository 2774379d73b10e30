#include "io/follow_source.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace std::chrono_literals;

weir::FollowOptions fast(std::vector<weir::FollowEvent>* events = nullptr) {
    weir::FollowOptions opts;
    opts.poll_interval = 5ms;
    if (events != nullptr)
        opts.on_event = [events](weir::FollowEvent e) {
            events->push_back(e);
        };
    return opts;
}

// Reads until `want` bytes have arrived (the source never ends by itself).
std::string read_n(weir::ByteSource& src, std::size_t want) {
    std::string out;
    char buf[4096];
    while (out.size() < want) {
        std::size_t got = src.read(buf, std::min(sizeof buf, want - out.size()));
        if (got == 0)
            break;
        out.append(buf, got);
    }
    return out;
}

std::uint64_t inode_of(const std::string& path) {
    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_ino;
}

} // namespace

TEST_CASE("follow_source: reads what is appended, idle in between") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "one\n");
    weir::FollowSource src(path, fast());
    CHECK(src.name() == path);
    CHECK(src.ready());
    CHECK(read_n(src, 4) == "one\n");
    CHECK(src.position() == 4);
    CHECK_FALSE(src.ready()); // at the end: the reader may go idle

    weir::test::append_file(path, "two\n");
    CHECK(src.ready());
    CHECK(read_n(src, 4) == "two\n");

    SUBCASE("a writer thread") {
        std::thread writer([&] {
            for (int i = 0; i < 20; ++i) {
                weir::test::append_file(path, "line " + std::to_string(i) + "\n");
                std::this_thread::sleep_for(1ms);
            }
        });
        std::string want;
        for (int i = 0; i < 20; ++i)
            want += "line " + std::to_string(i) + "\n";
        CHECK(read_n(src, want.size()) == want);
        writer.join();
        CHECK(src.position() == 8 + want.size());
    }
}

TEST_CASE("follow_source: a truncated file is read again from the start") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "0123456789\n");
    std::vector<weir::FollowEvent> events;
    weir::FollowSource src(path, fast(&events));
    CHECK(read_n(src, 11) == "0123456789\n");
    weir::test::write_file(path, "new\n"); // O_TRUNC, same inode
    CHECK(src.ready());
    CHECK(read_n(src, 4) == "new\n");
    CHECK(src.truncations() == 1);
    CHECK(src.rotations() == 0);
    CHECK(src.position() == 4);
    CHECK(events == std::vector<weir::FollowEvent>{weir::FollowEvent::truncated});
}

TEST_CASE("follow_source: rotation finishes the old file, then starts the new one") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "old 1\n");
    std::vector<weir::FollowEvent> events;
    weir::FollowSource src(path, fast(&events));
    CHECK(read_n(src, 6) == "old 1\n");
    std::uint64_t old_inode = src.identity().inode;
    CHECK(old_inode == inode_of(path));

    // The writer appends once more, then logrotate renames and creates anew.
    weir::test::append_file(path, "old 2\n");
    REQUIRE(std::rename(path.c_str(), (dir / "app.log.1").c_str()) == 0);
    SUBCASE("new file there at once") {
        weir::test::write_file(path, "new 1\n");
        CHECK(read_n(src, 12) == "old 2\nnew 1\n");
    }
    SUBCASE("new file created later") {
        CHECK(read_n(src, 6) == "old 2\n");
        CHECK_FALSE(src.ready()); // path missing: still on the old file
        std::thread creator([&] {
            std::this_thread::sleep_for(20ms);
            weir::test::write_file(path, "new 1\n");
        });
        CHECK(read_n(src, 6) == "new 1\n");
        creator.join();
    }
    CHECK(src.rotations() == 1);
    CHECK(src.truncations() == 0);
    CHECK(src.position() == 6);
    CHECK(src.identity().inode == inode_of(path));
    CHECK(src.identity().inode != old_inode);
    CHECK(events == std::vector<weir::FollowEvent>{weir::FollowEvent::rotated});
}

TEST_CASE("follow_source: waits for a missing file to appear") {
    weir::test::TempDir dir;
    std::string path = dir / "later.log";
    std::vector<weir::FollowEvent> events;
    weir::FollowSource src(path, fast(&events));
    CHECK_FALSE(src.ready());
    CHECK(src.identity() == weir::FileIdentity{});
    std::thread creator([&] {
        std::this_thread::sleep_for(20ms);
        weir::test::write_file(path, "hello\n");
    });
    CHECK(read_n(src, 6) == "hello\n");
    creator.join();
    CHECK(events == std::vector<weir::FollowEvent>{weir::FollowEvent::appeared});
}

TEST_CASE("follow_source: a stop ends the input cleanly") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "a\n");
    char buf[64];
    SUBCASE("stop() from another thread") {
        weir::FollowOptions opts = fast();
        opts.poll_interval = 10s; // the stop must cut the wait short
        weir::FollowSource src(path, opts);
        CHECK(src.read(buf, sizeof buf) == 2);
        auto start = std::chrono::steady_clock::now();
        std::thread stopper([&] {
            std::this_thread::sleep_for(20ms);
            src.stop();
        });
        CHECK(src.read(buf, sizeof buf) == 0);
        stopper.join();
        CHECK(std::chrono::steady_clock::now() - start < 1s);
        CHECK(src.ready()); // the end is "ready"
    }
    SUBCASE("a stop flag, as set by the signal handlers") {
        std::atomic<int> flag{0};
        weir::FollowOptions opts = fast();
        opts.stop = &flag;
        weir::FollowSource src(path, opts);
        CHECK(src.read(buf, sizeof buf) == 2);
        std::thread stopper([&] {
            std::this_thread::sleep_for(20ms);
            flag.store(15);
        });
        CHECK(src.read(buf, sizeof buf) == 0);
        stopper.join();
        CHECK(src.stopped());
    }
}

TEST_CASE("follow_source: skip resumes at a checkpointed offset") {
    weir::test::TempDir dir;
    std::string path = dir / "app.log";
    weir::test::write_file(path, "0123456789");
    weir::FollowSource src(path, fast());
    SUBCASE("inside the file") {
        CHECK(src.peek(2) == "01");
        src.skip(4);
        CHECK(src.position() == 4);
        CHECK(read_n(src, 6) == "456789");
    }
    SUBCASE("past the end: the file was truncated meanwhile") {
        src.skip(50);
        weir::test::append_file(path, "x");
        CHECK(read_n(src, 11) == "0123456789x");
        CHECK(src.truncations() == 1);
    }
}
