#include "checkpoint/snapshot_file.hpp"
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

weir::Snapshot sample() {
    weir::Snapshot s;
    s.epoch = 42;
    s.tool = "weir-dedup";
    s.op_name = "dedup";
    s.state_version = 3;
    s.meaning_flags = {{"--key", "user_id"}, {"--horizon", "1h"}};
    s.file_lengths = {{"out.ndjson", 123456}, {"dlq.ndjson", 0}};
    weir::StateWriter src;
    src.u64("offset", 99);
    s.source_state = src.take();
    weir::StateWriter op;
    op.bytes("table", std::string(5000, '\x07'));
    s.op_state = op.take();
    return s;
}

} // namespace

TEST_CASE("snapshot_file: encode and decode round trip") {
    weir::Snapshot in = sample();
    std::string file = weir::encode_snapshot(in);
    CHECK(file.substr(0, 8) == "WEIRSNAP");
    CHECK(file.size() < in.op_state.size()); // the body is compressed

    weir::Snapshot out;
    std::string why;
    REQUIRE(weir::decode_snapshot(file, out, why));
    CHECK(why.empty());
    CHECK(out.epoch == 42);
    CHECK(out.tool == "weir-dedup");
    CHECK(out.op_name == "dedup");
    CHECK(out.state_version == 3);
    CHECK(out.meaning_flags == in.meaning_flags);
    CHECK(out.file_lengths == in.file_lengths);
    CHECK(out.source_state == in.source_state);
    CHECK(out.op_state == in.op_state);

    SUBCASE("an empty snapshot too") {
        weir::Snapshot empty;
        empty.epoch = 1;
        REQUIRE(weir::decode_snapshot(weir::encode_snapshot(empty), out, why));
        CHECK(out.epoch == 1);
        CHECK(out.meaning_flags.empty());
        CHECK(out.op_state.empty());
    }
}

TEST_CASE("snapshot_file: any flipped byte is detected") {
    std::string file = weir::encode_snapshot(sample());
    for (std::size_t i = 0; i < file.size(); ++i) {
        CAPTURE(i);
        std::string bad = file;
        bad[i] = static_cast<char>(bad[i] ^ 0x20);
        weir::Snapshot out;
        std::string why;
        CHECK_FALSE(weir::decode_snapshot(bad, out, why));
        CHECK_FALSE(why.empty());
        if (i >= 40) // in the body: exactly the checksum catches it
            CHECK(why == "checksum mismatch");
    }
}

TEST_CASE("snapshot_file: what is wrong is named") {
    std::string file = weir::encode_snapshot(sample());
    weir::Snapshot out;
    std::string why;
    SUBCASE("not a snapshot") {
        CHECK_FALSE(weir::decode_snapshot("{\"hello\":1}\n", out, why));
        CHECK(why == "not a weir snapshot");
    }
    SUBCASE("truncated") {
        CHECK_FALSE(
            weir::decode_snapshot(std::string_view(file).substr(0, file.size() - 1), out, why));
        CHECK(why == "truncated");
        CHECK_FALSE(weir::decode_snapshot(std::string_view(file).substr(0, 20), out, why));
        CHECK(why == "truncated");
    }
    SUBCASE("trailing data") {
        CHECK_FALSE(weir::decode_snapshot(file + "x", out, why));
        CHECK(why == "trailing data");
    }
}

TEST_CASE("snapshot_file: file names sort by epoch and parse back") {
    CHECK(weir::snapshot_file_name(42) == "epoch-00000000000000000042.snap");
    CHECK(weir::snapshot_file_name(UINT64_MAX) == "epoch-18446744073709551615.snap");
    CHECK(weir::parse_snapshot_file_name("epoch-00000000000000000042.snap") == 42u);
    CHECK(weir::parse_snapshot_file_name("epoch-18446744073709551615.snap") == UINT64_MAX);
    CHECK_FALSE(weir::parse_snapshot_file_name("epoch-99999999999999999999.snap"));
    CHECK_FALSE(weir::parse_snapshot_file_name("epoch-00000000000000000042.snap.damaged"));
    CHECK_FALSE(weir::parse_snapshot_file_name(".tmp-epoch-00000000000000000042.snap"));
    CHECK_FALSE(weir::parse_snapshot_file_name("epoch-0000000000000000004x.snap"));
    CHECK_FALSE(weir::parse_snapshot_file_name("lock"));
}

TEST_CASE("snapshot_file: the format-1 fixture still decodes") {
    // Written by weir 0.1; a change that breaks reading it breaks every existing
    // checkpoint and needs a new format version.
    std::ifstream in(WEIR_FIXTURES "/checkpoint-dedup-epoch-1.snap", std::ios::binary);
    REQUIRE(in);
    std::stringstream buf;
    buf << in.rdbuf();
    weir::Snapshot out;
    std::string why;
    REQUIRE(weir::decode_snapshot(buf.str(), out, why));
    CHECK(out.epoch == 1);
    CHECK(out.tool == "weir-dedup");
    CHECK(weir::state_to_json(out.op_state) ==
          R"({"watermark":1700000000000000,"keys":["u1","u2"]})");
}
