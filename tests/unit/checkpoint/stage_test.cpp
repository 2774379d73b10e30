#include "../error_of.hpp"
#include "checkpoint/snapshot_file.hpp"
#include "checkpoint/stage.hpp"
#include "checkpoint/store.hpp"
#include "cli/error.hpp"
#include "state/state_io.hpp"
#include "tmp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using weir::StageCheckpoint;
using weir::test::TempDir;

using weir::test::error_of;

namespace {

weir::Snapshot snap(std::uint64_t epoch, std::uint64_t counter = 0) {
    weir::Snapshot s;
    s.epoch = epoch;
    s.tool = "weir-test";
    s.op_name = "test";
    s.state_version = 1;
    s.file_lengths = {{"out.ndjson", epoch * 100}};
    weir::StateWriter w;
    w.u64("counter", counter);
    s.op_state = w.take();
    return s;
}

// The epochs of the snapshot files in DIR/<stage>.
std::set<std::uint64_t> epochs_on_disk(const std::string& dir, const std::string& stage) {
    std::set<std::uint64_t> out;
    for (const auto& e : std::filesystem::directory_iterator(dir + "/" + stage))
        if (auto n = weir::parse_snapshot_file_name(e.path().filename().string()))
            out.insert(*n);
    return out;
}

void flip_a_byte(const std::string& path) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekg(-3, std::ios::end);
    char c = 0;
    f.get(c);
    f.seekp(-3, std::ios::end);
    f.put(static_cast<char>(c ^ 0x01));
}

std::string snap_path(const std::string& dir, const std::string& stage, std::uint64_t e) {
    return dir + "/" + stage + "/" + weir::snapshot_file_name(e);
}

} // namespace

TEST_CASE("stage: open registers and a fresh directory restores nothing") {
    TempDir tmp;
    std::string dir = tmp / "ck/nested";
    StageCheckpoint ck = StageCheckpoint::open(dir, "dedup");
    CHECK(std::filesystem::is_regular_file(dir + "/dedup/stage.json"));
    CHECK(std::filesystem::is_regular_file(dir + "/dedup/lock"));
    CHECK(ck.committed_epoch() == 0);
    CHECK_FALSE(ck.restore_point().has_value());
    CHECK(ck.dir() == dir);
    CHECK(ck.stage() == "dedup");

    SUBCASE("a bad stage name is a usage error") {
        CHECK(error_of([&] { StageCheckpoint::open(dir, "../x"); }).code() == weir::Exit::usage);
    }
    SUBCASE("a directory that cannot be created") {
        std::ofstream(tmp / "file") << "x";
        CHECK(error_of([&] { StageCheckpoint::open(tmp / "file/ck", "a"); }).code() ==
              weir::Exit::cant_create);
    }
}

TEST_CASE("stage: write, commit and restore across a restart") {
    TempDir tmp;
    std::string dir = tmp.path;
    {
        StageCheckpoint a = StageCheckpoint::open(dir, "ingest");
        StageCheckpoint b = StageCheckpoint::open(dir, "dedup");
        a.write(snap(1, 10));
        CHECK(a.committed_epoch() == 0); // dedup has not written epoch 1
        b.write(snap(1, 11));
        CHECK(a.committed_epoch() == 1);
        a.write(snap(2, 20)); // then both crash: epoch 2 is partial
    }
    StageCheckpoint a = StageCheckpoint::open(dir, "ingest");
    StageCheckpoint b = StageCheckpoint::open(dir, "dedup");
    std::optional<weir::Snapshot> ra = a.restore_point();
    REQUIRE(ra);
    CHECK(ra->epoch == 1);
    CHECK(ra->file_lengths == snap(1).file_lengths);
    weir::StateReader r(ra->op_state);
    CHECK(r.u64("counter") == 10);
    CHECK(epochs_on_disk(dir, "ingest") == std::set<std::uint64_t>{1}); // partial 2 gone
    std::optional<weir::Snapshot> rb = b.restore_point();
    REQUIRE(rb);
    CHECK(rb->epoch == 1);
}

TEST_CASE("stage: garbage collection keeps what a fallback and a joiner need") {
    TempDir tmp;
    std::string dir = tmp.path;
    {
        StageCheckpoint a = StageCheckpoint::open(dir, "a");
        StageCheckpoint b = StageCheckpoint::open(dir, "b");
        for (std::uint64_t e = 1; e <= 5; ++e) {
            a.write(snap(e));
            a.collect_garbage(); // b lags one epoch behind: a must keep b's committed
            b.write(snap(e));
            b.collect_garbage();
        }
        a.write(snap(6));
        a.collect_garbage();
        // committed 5: keep 5 and its fallback 4, and the partial 6
        CHECK(epochs_on_disk(dir, "a") == std::set<std::uint64_t>{4, 5, 6});
        CHECK(epochs_on_disk(dir, "b") == std::set<std::uint64_t>{4, 5});
    }
    // A new run starts from 5 and keeps that snapshot for the whole run.
    StageCheckpoint a = StageCheckpoint::open(dir, "a");
    StageCheckpoint b = StageCheckpoint::open(dir, "b");
    REQUIRE(a.restore_point()->epoch == 5);
    REQUIRE(b.restore_point()->epoch == 5);
    for (std::uint64_t e = 6; e <= 9; ++e) {
        a.write(snap(e));
        b.write(snap(e));
        a.collect_garbage();
        b.collect_garbage();
    }
    CHECK(epochs_on_disk(dir, "a") == std::set<std::uint64_t>{5, 8, 9});
    CHECK(epochs_on_disk(dir, "b") == std::set<std::uint64_t>{5, 8, 9});
}

TEST_CASE("stage: a damaged committed snapshot") {
    TempDir tmp;
    std::string dir = tmp.path;

    SUBCASE("a stage alone falls back to the previous epoch") {
        {
            StageCheckpoint a = StageCheckpoint::open(dir, "a");
            a.write(snap(1, 1));
            a.write(snap(2, 2));
            a.collect_garbage();
        }
        flip_a_byte(snap_path(dir, "a", 2));
        StageCheckpoint a = StageCheckpoint::open(dir, "a");
        std::optional<weir::Snapshot> r = a.restore_point();
        REQUIRE(r);
        CHECK(r->epoch == 1);
        CHECK(std::filesystem::exists(snap_path(dir, "a", 2) + ".damaged"));
        CHECK(epochs_on_disk(dir, "a") == std::set<std::uint64_t>{1});
    }
    SUBCASE("with other stages the run stops and the next run falls back together") {
        {
            StageCheckpoint a = StageCheckpoint::open(dir, "a");
            StageCheckpoint b = StageCheckpoint::open(dir, "b");
            for (std::uint64_t e = 1; e <= 2; ++e) {
                a.write(snap(e));
                b.write(snap(e));
            }
        }
        flip_a_byte(snap_path(dir, "b", 2));
        {
            StageCheckpoint a = StageCheckpoint::open(dir, "a");
            StageCheckpoint b = StageCheckpoint::open(dir, "b");
            CHECK(a.restore_point()->epoch == 2); // a restored before b found the damage
            weir::Error e = error_of([&] { b.restore_point(); });
            CHECK(e.code() == weir::Exit::temp_fail);
            CHECK(std::string(e.what()) ==
                  fmt::format("checkpoint '{}/b': epoch 2 is damaged and was set aside; run "
                              "the pipeline again to restart it from epoch 1 (see 'weir "
                              "checkpoint verify {}')",
                              dir, dir));
        }
        StageCheckpoint a = StageCheckpoint::open(dir, "a");
        StageCheckpoint b = StageCheckpoint::open(dir, "b");
        CHECK(a.committed_epoch() == 1);
        CHECK(a.restore_point()->epoch == 1);
        CHECK(b.restore_point()->epoch == 1);
        CHECK(epochs_on_disk(dir, "a") == std::set<std::uint64_t>{1});
    }
    SUBCASE("a malformed registration stops the run and names verify") {
        {
            StageCheckpoint a = StageCheckpoint::open(dir, "a");
            StageCheckpoint b = StageCheckpoint::open(dir, "b");
        }
        std::ofstream(dir + "/b/stage.json") << "{\"stage\":";
        weir::Error e = error_of([&] { StageCheckpoint::open(dir + "/", "a"); });
        CHECK(e.code() == weir::Exit::temp_fail);
        CHECK(std::string(e.what()) ==
              fmt::format("checkpoint '{}/b': malformed stage.json; see 'weir checkpoint "
                          "verify {}/'",
                          dir, dir));
    }
    SUBCASE("snapshots removed behind weir's back lower the committed epoch") {
        {
            StageCheckpoint a = StageCheckpoint::open(dir, "a");
            StageCheckpoint b = StageCheckpoint::open(dir, "b");
            a.write(snap(1));
            b.write(snap(1));
            a.write(snap(2));
            b.write(snap(2));
        }
        std::filesystem::remove(snap_path(dir, "a", 1));
        std::filesystem::remove(snap_path(dir, "a", 2)); // a's newest is gone: 2 uncommitted
        StageCheckpoint b = StageCheckpoint::open(dir, "b");
        CHECK(b.committed_epoch() == 0);
    }
}

TEST_CASE("stage: a second process gets the lock error with the holder's pid") {
    TempDir tmp;
    std::string dir = tmp.path;
    int ready[2], release[2];
    REQUIRE(::pipe(ready) == 0);
    REQUIRE(::pipe(release) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int status = 0;
        try {
            StageCheckpoint ck = StageCheckpoint::open(dir, "dedup");
            char c = 'r';
            if (::write(ready[1], &c, 1) != 1 || ::read(release[0], &c, 1) != 1)
                status = 2;
        } catch (...) {
            status = 1;
        }
        ::_exit(status);
    }
    char c = 0;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    weir::Error e = error_of([&] { StageCheckpoint::open(dir, "dedup"); });
    CHECK(e.code() == weir::Exit::temp_fail);
    CHECK(std::string(e.what()) ==
          fmt::format("checkpoint '{}/dedup' is locked by pid {} (another run of this stage?)", dir,
                      child));
    // Another stage of the same directory is not affected.
    CHECK_NOTHROW(StageCheckpoint::open(dir, "window"));
    REQUIRE(::write(release[1], &c, 1) == 1);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_NOTHROW(StageCheckpoint::open(dir, "dedup")); // released with the process
    for (int fd : {ready[0], ready[1], release[0], release[1]})
        ::close(fd);
}

TEST_CASE("stage: a stage joining later does not hold back earlier epochs") {
    TempDir tmp;
    std::string dir = tmp.path;
    {
        StageCheckpoint a = StageCheckpoint::open(dir, "a");
        a.write(snap(1));
        a.write(snap(2));
    }
    SUBCASE("nothing committed yet in this run: join at the committed epoch") {
        StageCheckpoint a = StageCheckpoint::open(dir, "a");
        REQUIRE(a.restore_point()->epoch == 2);
        StageCheckpoint late = StageCheckpoint::open(dir, "late");
        CHECK(late.committed_epoch() == 2);
        CHECK_FALSE(late.restore_point()); // starts empty, from epoch 3 on
        a.write(snap(3));
        CHECK(a.committed_epoch() == 2); // now it counts
        late.write(snap(3));
        CHECK(a.committed_epoch() == 3);
    }
    SUBCASE("joining a run of its own pipeline: at the epoch that run started from") {
        StageCheckpoint a = StageCheckpoint::open(dir, "a"); // this run starts at 2
        REQUIRE(a.restore_point()->epoch == 2);
        a.write(snap(3));
        a.write(snap(4)); // committed 4 before "late" started (its input is in a pipe)
        CHECK(a.committed_epoch() == 4);
        StageCheckpoint late = StageCheckpoint::open(dir, "late");
        CHECK(late.committed_epoch() == 2);
        late.write(snap(3));
        late.write(snap(4));
        CHECK(late.committed_epoch() == 4);
    }
}

TEST_CASE("stage: stalled names a stage that left the pipeline") {
    TempDir tmp;
    std::string dir = tmp.path;
    StageCheckpoint a = StageCheckpoint::open(dir, "a");
    StageCheckpoint b = StageCheckpoint::open(dir, "b");
    {
        StageCheckpoint gone = StageCheckpoint::open(dir, "gone");
        gone.write(snap(1));
        a.write(snap(1));
        b.write(snap(1));
        a.write(snap(2));
        b.write(snap(2));
        CHECK(a.stalled().empty()); // one epoch behind, and running
        a.write(snap(3));
        b.write(snap(3));
        CHECK(a.stalled().empty()); // running stages are slow, not gone
    }
    std::vector<weir::StalledStage> s = a.stalled();
    REQUIRE(s.size() == 1);
    CHECK(s[0].stage == "gone");
    CHECK(s[0].last_epoch == 1);
    CHECK(s[0].newest_epoch == 3);
    CHECK(a.committed_epoch() == 1);
}
