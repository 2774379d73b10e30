// The reference-table index (enrich/key_index.hpp): inserts, duplicates, growth, misses.

#include "enrich/key_index.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <string>

using weir::KeyIndex;

TEST_CASE("key index: finds what was inserted, keeps the first row of a repeated key") {
    KeyIndex idx;
    CHECK(idx.find("x") == -1); // empty
    std::string a = "sa", b = "sb", a2 = "sa";
    CHECK(idx.insert(a, 0) == std::pair<std::uint32_t, bool>{0, true});
    CHECK(idx.insert(b, 1) == std::pair<std::uint32_t, bool>{1, true});
    CHECK(idx.insert(a2, 7) == std::pair<std::uint32_t, bool>{0, false});
    CHECK(idx.size() == 2);
    CHECK(idx.find("sa") == 0);
    CHECK(idx.find("sb") == 1);
    CHECK(idx.find("sc") == -1);
    CHECK(idx.find("s") == -1);
    CHECK(idx.find(std::string_view("sa\0", 3)) == -1);
    idx.prefetch(KeyIndex::hash("sa"));
    CHECK(idx.find("sa", KeyIndex::hash("sa")) == 0);
}

TEST_CASE("key index: 100k keys through many growths, and their misses") {
    KeyIndex idx;
    std::deque<std::string> keys; // stable addresses: the index holds views
    for (std::uint32_t i = 0; i < 100'000; ++i) {
        keys.push_back("sc-" + std::to_string(i));
        CHECK(idx.insert(keys.back(), i).second);
    }
    CHECK(idx.size() == 100'000);
    CHECK(idx.bytes() >= 100'000 * 4 / 3 * 24);
    bool all = true;
    for (std::uint32_t i = 0; i < 100'000; ++i)
        all = all && idx.find("sc-" + std::to_string(i)) == i;
    CHECK(all);
    bool none = true;
    for (std::uint32_t i = 100'000; i < 110'000; ++i)
        none = none && idx.find("sc-" + std::to_string(i)) == -1;
    CHECK(none);
}
