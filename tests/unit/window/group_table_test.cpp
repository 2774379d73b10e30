// The group hash table of weir-window (window/group_table.hpp): insert and find, growth
// past many rehashes, colliding hashes, and erase_if keeping every other group
// findable and in order.

#include "window/accumulator.hpp"
#include "window/agg_spec.hpp"
#include "window/group_table.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using weir::Accumulator;
using weir::Group;
using weir::GroupTable;

namespace {

std::vector<Accumulator> aggs() {
    return {Accumulator(weir::parse_agg_spec("count"))};
}

std::string key(int i) {
    return "k" + std::to_string(i);
}

Group* find(GroupTable& t, const std::string& k) {
    return t.find(k, GroupTable::hash(k));
}

} // namespace

TEST_CASE("group table: an empty table finds nothing") {
    GroupTable t;
    CHECK(t.size() == 0);
    CHECK(find(t, "a") == nullptr);
    CHECK(find(t, "") == nullptr);
}

TEST_CASE("group table: insert then find, with the aggregates given") {
    GroupTable t;
    Group& a = t.insert("a", GroupTable::hash("a"), aggs());
    CHECK(a.key == "a");
    CHECK(a.aggs.size() == 1);
    CHECK(a.last == weir::no_timestamp);
    CHECK_FALSE(a.changed);
    a.changed = true;
    a.last = 42;
    t.insert("", GroupTable::hash(""), aggs()); // the key of no --by fields
    CHECK(t.size() == 2);
    REQUIRE(find(t, "a") != nullptr);
    CHECK(find(t, "a")->last == 42);
    CHECK(find(t, "a")->changed);
    REQUIRE(find(t, "") != nullptr);
    CHECK(find(t, "")->key.empty());
    CHECK(find(t, "b") == nullptr);
    // Keys are bytes: NUL inside is part of the key.
    std::string nul("a\0b", 3);
    t.insert(nul, GroupTable::hash(nul), aggs());
    REQUIRE(find(t, nul) != nullptr);
    CHECK(find(t, nul)->key == nul);
    CHECK(find(t, "a")->key == "a");
}

TEST_CASE("group table: growth keeps every group findable, in insertion order") {
    GroupTable t;
    const int n = 5000; // many doublings from 16 slots
    for (int i = 0; i < n; ++i) {
        Group& g = t.insert(key(i), GroupTable::hash(key(i)), aggs());
        g.last = i;
    }
    CHECK(t.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Group* g = find(t, key(i));
        REQUIRE(g != nullptr);
        CHECK(g->key == key(i));
        CHECK(g->last == i);
        CHECK(&t.groups()[static_cast<std::size_t>(i)] == g); // index = insertion order
    }
    CHECK(find(t, key(n)) == nullptr);
    CHECK(find(t, key(-1)) == nullptr);
}

TEST_CASE("group table: keys whose hashes share their low bits probe on") {
    // Keys picked so that their hashes agree in the low 10 bits: with up to 1024 slots
    // they all start probing at the same slot.
    GroupTable t;
    std::vector<std::string> same;
    std::uint64_t low = GroupTable::hash(key(0)) & 1023;
    for (int i = 0; same.size() < 40; ++i)
        if ((GroupTable::hash(key(i)) & 1023) == low)
            same.push_back(key(i));
    for (std::size_t i = 0; i < same.size(); ++i)
        t.insert(same[i], GroupTable::hash(same[i]), aggs()).last = static_cast<weir::Timestamp>(i);
    for (std::size_t i = 0; i < same.size(); ++i) {
        Group* g = find(t, same[i]);
        REQUIRE(g != nullptr);
        CHECK(g->last == static_cast<weir::Timestamp>(i));
    }
    // Remove every other one: the rest are still reached past the gaps.
    t.erase_if([](const Group& g) { return g.last % 2 == 0; });
    for (std::size_t i = 0; i < same.size(); ++i)
        CHECK((find(t, same[i]) != nullptr) == (i % 2 == 1));
}

TEST_CASE("group table: erase_if drops the matching groups and keeps the others findable") {
    GroupTable t;
    const int n = 1000;
    for (int i = 0; i < n; ++i)
        t.insert(key(i), GroupTable::hash(key(i)), aggs()).last = i;
    std::size_t gone = t.erase_if([](const Group& g) { return g.last % 3 == 0; });
    CHECK(gone == 334);
    CHECK(t.size() == static_cast<std::size_t>(n) - 334);
    for (int i = 0; i < n; ++i) {
        CAPTURE(i);
        Group* g = find(t, key(i));
        if (i % 3 == 0) {
            CHECK(g == nullptr);
        } else {
            REQUIRE(g != nullptr);
            CHECK(g->last == i);
        }
    }
    // The others keep their relative order.
    weir::Timestamp prev = -1;
    for (const Group& g : t.groups()) {
        CHECK(g.last > prev);
        prev = g.last;
    }

    SUBCASE("nothing matching changes nothing") {
        CHECK(t.erase_if([](const Group&) { return false; }) == 0);
        CHECK(t.size() == static_cast<std::size_t>(n) - 334);
        CHECK(find(t, key(1)) != nullptr);
    }
    SUBCASE("erased keys can be inserted again, and the table grows on") {
        for (int i = 0; i < n; i += 3)
            t.insert(key(i), GroupTable::hash(key(i)), aggs()).last = -i;
        for (int i = n; i < 3 * n; ++i)
            t.insert(key(i), GroupTable::hash(key(i)), aggs()).last = i;
        CHECK(t.size() == static_cast<std::size_t>(3 * n));
        for (int i = 0; i < 3 * n; ++i) {
            Group* g = find(t, key(i));
            REQUIRE(g != nullptr);
            CHECK(g->last == (i < n && i % 3 == 0 ? -i : i));
        }
    }
    SUBCASE("erasing everything leaves a usable empty table") {
        CHECK(t.erase_if([](const Group&) { return true; }) == static_cast<std::size_t>(n) - 334);
        CHECK(t.size() == 0);
        CHECK(find(t, key(1)) == nullptr);
        t.insert("a", GroupTable::hash("a"), aggs());
        CHECK(find(t, "a") != nullptr);
    }
}
