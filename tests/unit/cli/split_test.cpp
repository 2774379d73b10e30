#include "cli/split.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

using V = std::vector<std::string_view>;

TEST_CASE("split_list: items as given, empty ones kept") {
    CHECK(weir::split_list("a,b,c") == V{"a", "b", "c"});
    CHECK(weir::split_list("a") == V{"a"});
    CHECK(weir::split_list("") == V{""});
    CHECK(weir::split_list("a,,b ") == V{"a", "", "b "});
    CHECK(weir::split_list("x:y", ':') == V{"x", "y"});
}
