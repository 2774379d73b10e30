#include "../error_of.hpp"
#include "checkpoint/inspect.hpp"
#include "checkpoint/snapshot_file.hpp"
#include "checkpoint/stage.hpp"
#include "cli/error.hpp"
#include "state/state_io.hpp"
#include "tmp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using weir::StageCheckpoint;
using weir::test::TempDir;

using weir::test::error_of;

namespace {

weir::Snapshot snap(std::uint64_t epoch) {
    weir::Snapshot s;
    s.epoch = epoch;
    s.tool = "weir-dedup";
    s.op_name = "dedup";
    s.state_version = 2;
    s.meaning_flags = {{"--key", "user_id"}};
    s.file_lengths = {{"out.ndjson", 10 * epoch}};
    weir::StateWriter src;
    src.begin_list("sources", 1);
    src.str("path", "events.ndjson");
    src.u64("offset", 100 * epoch);
    src.end_list();
    s.source_state = src.take();
    weir::StateWriter op;
    op.i64("watermark", -1);
    s.op_state = op.take();
    return s;
}

// What f prints to a FILE*, as a string.
template <typename F>
std::string captured(F&& f) {
    char* buf = nullptr;
    std::size_t len = 0;
    std::FILE* out = ::open_memstream(&buf, &len);
    f(out);
    std::fclose(out);
    std::string s(buf, len);
    std::free(buf);
    return s;
}

// ck/ with "dedup" at epochs 1-2 and "ingest" at 1-3 (3 partial).
void make_checkpoint(const std::string& dir) {
    StageCheckpoint ingest = StageCheckpoint::open(dir, "ingest");
    StageCheckpoint dedup = StageCheckpoint::open(dir, "dedup");
    for (std::uint64_t e = 1; e <= 2; ++e) {
        ingest.write(snap(e));
        dedup.write(snap(e));
    }
    ingest.write(snap(3));
}

} // namespace

TEST_CASE("inspect: ls lists stages, epochs, locks and the committed epoch") {
    TempDir tmp;
    std::string dir = tmp / "ck";
    make_checkpoint(dir);
    StageCheckpoint held = StageCheckpoint::open(dir, "dedup");

    weir::CheckpointListing l = weir::list_checkpoint(dir);
    CHECK(l.committed == 2);
    REQUIRE(l.stages.size() == 2);
    CHECK(l.stages[0].name == "dedup");
    CHECK(l.stages[0].epochs == std::vector<std::uint64_t>{1, 2});
    CHECK(l.stages[0].lock_pid == ::getpid());
    CHECK(l.stages[1].name == "ingest");
    CHECK_FALSE(l.stages[1].lock_pid);

    CHECK(captured([&](std::FILE* out) { weir::print_listing(out, l); }) ==
          fmt::format("committed epoch 2\n"
                      "stage   newest  snapshots  joined_after  lock\n"
                      "dedup   2       2          0             pid {}\n"
                      "ingest  3       3          0             -\n",
                      ::getpid()));

    SUBCASE("a missing directory") {
        weir::Error e = error_of([&] { weir::list_checkpoint(tmp / "nope"); });
        CHECK(e.code() == weir::Exit::no_input);
        CHECK(std::string(e.what()) ==
              fmt::format("cannot open checkpoint '{}/nope': No such file or directory", tmp.path));
    }
}

TEST_CASE("inspect: show prints a snapshot as JSON") {
    TempDir tmp;
    std::string dir = tmp / "ck";
    make_checkpoint(dir);

    weir::LoadedSnapshot s = weir::load_snapshot(dir, "dedup", std::nullopt);
    CHECK(s.snapshot.epoch == 2); // the newest by default
    CHECK(weir::snapshot_to_json(s) ==
          fmt::format("{{\n"
                      "  \"stage\":\"dedup\",\n"
                      "  \"epoch\":2,\n"
                      "  \"file\":\"{}/dedup/epoch-00000000000000000002.snap\",\n"
                      "  \"tool\":\"weir-dedup\",\n"
                      "  \"op_name\":\"dedup\",\n"
                      "  \"state_version\":2,\n"
                      "  \"meaning_flags\":{{\"--key\":\"user_id\"}},\n"
                      "  \"file_lengths\":{{\"out.ndjson\":20}},\n"
                      "  \"source_state\":{{\"sources\":[{{\"path\":\"events.ndjson\","
                      "\"offset\":200}}]}},\n"
                      "  \"op_state\":{{\"watermark\":-1}}\n"
                      "}}\n",
                      dir));
    CHECK(weir::load_snapshot(dir, "dedup", 1).snapshot.epoch == 1);

    SUBCASE("malformed state is shown, not fatal") {
        s.snapshot.op_state = "\x63";
        CHECK(weir::snapshot_to_json(s).find(
                  "\"op_state\":{\"malformed\":\"state: malformed data at byte 0: unknown tag "
                  "99\"}") != std::string::npos);
    }
    SUBCASE("errors") {
        CHECK(error_of([&] { weir::load_snapshot(dir, "nope", std::nullopt); }).code() ==
              weir::Exit::no_input);
        weir::Error e = error_of([&] { weir::load_snapshot(dir, "dedup", 7); });
        CHECK(e.code() == weir::Exit::no_input);
        CHECK(std::string(e.what()) ==
              fmt::format("checkpoint '{}/dedup' holds no snapshot of epoch 7", dir));
        std::ofstream(dir + "/dedup/" + weir::snapshot_file_name(2), std::ios::app) << "x";
        e = error_of([&] { weir::load_snapshot(dir, "dedup", std::nullopt); });
        CHECK(e.code() == weir::Exit::temp_fail);
        CHECK(std::string(e.what()) ==
              fmt::format("checkpoint '{}/dedup/epoch-00000000000000000002.snap': trailing data",
                          dir));
    }
}

TEST_CASE("inspect: verify checks every snapshot") {
    TempDir tmp;
    std::string dir = tmp / "ck";
    make_checkpoint(dir);

    weir::VerifyReport ok = weir::verify_checkpoint(dir);
    CHECK(ok.ok());
    CHECK(ok.files.size() == 5);
    CHECK(ok.committed == 2);
    CHECK(ok.committed_restorable);

    // Damage dedup's committed epoch by flipping one byte.
    std::string bad = dir + "/dedup/" + weir::snapshot_file_name(2);
    {
        std::fstream f(bad, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(45);
        f.put('\x7f');
    }
    weir::VerifyReport r = weir::verify_checkpoint(dir);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.committed_restorable);
    CHECK(r.fallback == 1);
    std::string text = captured([&](std::FILE* out) { weir::print_verify(out, r); });
    CHECK(text.find(fmt::format("damaged  {}: checksum mismatch\n", bad)) != std::string::npos);
    CHECK(text.find(fmt::format("ok       {}/ingest/epoch-00000000000000000003.snap\n", dir)) !=
          std::string::npos);
    CHECK(text.find("committed epoch 2: damaged; the next run sets it aside and restarts from "
                    "epoch 1\n") != std::string::npos);
    CHECK(text.find("5 snapshots checked, 1 damaged\n") != std::string::npos);
}

TEST_CASE("inspect: reset removes a stage so the others commit without it") {
    TempDir tmp;
    std::string dir = tmp / "ck";
    make_checkpoint(dir);
    CHECK(weir::list_checkpoint(dir).committed == 2);

    SUBCASE("refused while a run holds the stage") {
        StageCheckpoint held = StageCheckpoint::open(dir, "dedup");
        weir::Error e = error_of([&] { weir::reset_stage(dir, "dedup"); });
        CHECK(e.code() == weir::Exit::temp_fail);
        CHECK(std::string(e.what()) ==
              fmt::format("checkpoint '{}/dedup' is locked by pid {} (another run of this "
                          "stage?)",
                          dir, ::getpid()));
        CHECK(std::filesystem::exists(dir + "/dedup/stage.json"));
    }
    SUBCASE("removed") {
        CHECK(weir::reset_stage(dir, "dedup") == 2);
        CHECK_FALSE(std::filesystem::exists(dir + "/dedup"));
        weir::CheckpointListing l = weir::list_checkpoint(dir);
        CHECK(l.committed == 3); // ingest's epoch 3 no longer waits for dedup
        REQUIRE(l.stages.size() == 1);
        // It registers afresh on its next run, after the committed epoch.
        StageCheckpoint again = StageCheckpoint::open(dir, "dedup");
        CHECK_FALSE(again.restore_point());
        CHECK(again.committed_epoch() == 3);
    }
    SUBCASE("errors") {
        CHECK(error_of([&] { weir::reset_stage(dir, "nope"); }).code() == weir::Exit::no_input);
        CHECK(error_of([&] { weir::reset_stage(dir, "a/b"); }).code() == weir::Exit::usage);
    }
}
