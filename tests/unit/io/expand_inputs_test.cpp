#include "cli/error.hpp"
#include "io/expand_inputs.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using Paths = std::vector<std::string>;

// logs/: b.log a.log c.txt .hidden.log sub/ (with x.log inside), and a link to a.log.
void make_tree(const weir::test::TempDir& dir) {
    std::filesystem::create_directory(dir / "logs");
    for (const char* f : {"b.log", "a.log", "c.txt", ".hidden.log", "B.log"})
        weir::test::write_file(dir / "logs/" + f, f);
    std::filesystem::create_directory(dir / "logs/sub.log");
    weir::test::write_file(dir / "logs/sub.log/x.log", "x");
}

} // namespace

TEST_CASE("expand_inputs: globs expand in name order") {
    weir::test::TempDir dir;
    make_tree(dir);
    std::string d = dir / "logs/";
    CHECK(weir::expand_inputs({d + "*.log"}) == Paths{d + "B.log", d + "a.log", d + "b.log"});
    CHECK(weir::expand_inputs({d + "[ab].*"}) == Paths{d + "a.log", d + "b.log"});
    CHECK(weir::expand_inputs({d + "*/*.log"}) == Paths{d + "sub.log/x.log"});
}

TEST_CASE("expand_inputs: a glob matching nothing is an error unless skip_missing") {
    weir::test::TempDir dir;
    make_tree(dir);
    std::string pattern = dir / "logs/*.gz";
    try {
        weir::expand_inputs({pattern});
        FAIL("no exception");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::no_input);
        CHECK(std::string(e.what()) == "no files match '" + pattern + "'");
    }
    weir::ExpandOptions opts;
    opts.skip_missing = true;
    CHECK(weir::expand_inputs({pattern, dir / "logs/a.log"}, opts) == Paths{dir / "logs/a.log"});
}

TEST_CASE("expand_inputs: directories give their regular files, not recursive, no dotfiles") {
    weir::test::TempDir dir;
    make_tree(dir);
    std::string d = dir / "logs";
    Paths want{d + "/B.log", d + "/a.log", d + "/b.log", d + "/c.txt"};
    CHECK(weir::expand_inputs({d}) == want);
    CHECK(weir::expand_inputs({d + "/"}) == want);
}

TEST_CASE("expand_inputs: literals, stdin and duplicates") {
    weir::test::TempDir dir;
    make_tree(dir);
    std::string d = dir / "logs";
    SUBCASE("order of arguments is kept, first occurrence wins") {
        CHECK(weir::expand_inputs({d + "/c.txt", "-", d + "/*.log", d, "-"}) ==
              Paths{d + "/c.txt", "-", d + "/B.log", d + "/a.log", d + "/b.log"});
    }
    SUBCASE("the same file under another name is a duplicate") {
        CHECK(weir::expand_inputs({d + "/a.log", d + "/./a.log", d + "/../logs/a.log"}) ==
              Paths{d + "/a.log"});
    }
    SUBCASE("a missing literal passes through for open_input to report") {
        CHECK(weir::expand_inputs({d + "/none.log"}) == Paths{d + "/none.log"});
        weir::ExpandOptions opts;
        opts.skip_missing = true;
        CHECK(weir::expand_inputs({d + "/none.log"}, opts).empty());
    }
    SUBCASE("an existing file with glob characters in its name is literal") {
        weir::test::write_file(d + "/odd[1].log", "odd");
        CHECK(weir::expand_inputs({d + "/odd[1].log"}) == Paths{d + "/odd[1].log"});
    }
}
