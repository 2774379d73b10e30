#include "checkpoint/store.hpp"

#include <doctest/doctest.h>

#include <vector>

using weir::StageInfo;

namespace {

StageInfo stage(std::string name, std::uint64_t joined_after, std::vector<std::uint64_t> epochs,
                bool registered = true) {
    StageInfo s;
    s.name = std::move(name);
    s.registered = registered;
    s.joined_after = joined_after;
    s.epochs = std::move(epochs);
    return s;
}

} // namespace

TEST_CASE("store: committed epoch is the newest every stage holds") {
    SUBCASE("nothing yet") {
        CHECK(weir::committed_epoch({}) == 0);
        CHECK(weir::committed_epoch({stage("a", 0, {}), stage("b", 0, {})}) == 0);
    }
    SUBCASE("all stages at the same epoch") {
        CHECK(weir::committed_epoch({stage("a", 0, {2, 3}), stage("b", 0, {2, 3})}) == 3);
    }
    SUBCASE("a partial epoch: the downstream stage has not written it") {
        CHECK(weir::committed_epoch({stage("ingest", 0, {1, 2, 3}), stage("dedup", 0, {1, 2})}) ==
              2);
        CHECK(weir::committed_epoch({stage("ingest", 0, {1}), stage("dedup", 0, {})}) == 0);
    }
    SUBCASE("garbage-collected older epochs do not matter") {
        CHECK(weir::committed_epoch({stage("a", 0, {7, 8}), stage("b", 0, {8})}) == 8);
    }
    SUBCASE("a late joiner does not block the epochs before it joined") {
        CHECK(weir::committed_epoch({stage("a", 0, {4, 5}), stage("new", 5, {})}) == 5);
        CHECK(weir::committed_epoch({stage("a", 0, {4, 5, 6}), stage("new", 5, {})}) == 5);
        CHECK(weir::committed_epoch({stage("a", 0, {5, 6}), stage("new", 5, {6})}) == 6);
    }
    SUBCASE("a stage that left holds everything after its last snapshot") {
        std::vector<StageInfo> s{stage("a", 0, {2, 3, 4, 5}), stage("gone", 0, {2, 3})};
        CHECK(weir::committed_epoch(s) == 3);
        CHECK(weir::oldest_newest(s) == 3);
    }
    SUBCASE("snapshots lost behind weir's back are detected") {
        // a cannot have collected 3 while "gone" held the committed epoch at 3.
        std::vector<StageInfo> s{stage("a", 0, {8, 9}), stage("gone", 0, {3})};
        CHECK(weir::committed_epoch(s) == 0);
        CHECK(weir::oldest_newest(s) == 3);
        CHECK(weir::stages_missing(s, 3) == std::vector<std::string>{"a"});
    }
    SUBCASE("unregistered directories do not count") {
        CHECK(weir::committed_epoch({stage("a", 0, {4}), stage("half", 0, {}, false)}) == 4);
    }
}

TEST_CASE("store: epoch_complete checks each registered stage") {
    std::vector<StageInfo> s{stage("a", 0, {3, 4}), stage("b", 3, {4})};
    CHECK(weir::epoch_complete(s, 0));
    CHECK(weir::epoch_complete(s, 3));
    CHECK(weir::epoch_complete(s, 4));
    CHECK_FALSE(weir::epoch_complete(s, 5));
    CHECK_FALSE(weir::epoch_complete(s, 2)); // a no longer holds it
}

TEST_CASE("store: paths, names and registrations") {
    CHECK(weir::join_path("ck", "dedup") == "ck/dedup");
    CHECK(weir::join_path("ck/", "dedup") == "ck/dedup");
    CHECK(weir::valid_stage_name("weir-dedup"));
    CHECK(weir::valid_stage_name("dedup.2"));
    CHECK_FALSE(weir::valid_stage_name(""));
    CHECK_FALSE(weir::valid_stage_name(".lock"));
    CHECK_FALSE(weir::valid_stage_name(".."));
    CHECK_FALSE(weir::valid_stage_name("a/b"));
    CHECK(weir::registration_json("dedup", 7) == "{\"stage\":\"dedup\",\"joined_after\":7}\n");
    CHECK(weir::parse_registration(weir::registration_json("x", 7)) == 7u);
    CHECK_FALSE(weir::parse_registration("{\"stage\":\"x\"}"));
    CHECK_FALSE(weir::parse_registration("{\"joined_after\":"));
}
