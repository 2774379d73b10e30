#include "../capture_fd.hpp"
#include "cli/reporter.hpp"

#include <doctest/doctest.h>

#include <string>

using weir::Position;
using weir::Reporter;
using weir::test::CaptureFd;

namespace {

std::size_t count_lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s)
        n += c == '\n';
    return n;
}

} // namespace

TEST_CASE("reporter: errors and warnings carry the program name") {
    Reporter r("weir-window");
    CaptureFd err(STDERR_FILENO);
    r.error("cannot open 'x': No such file or directory");
    r.warning("1204 late records counted but not kept (no --late FILE)");
    r.warningf("{} {}", 3, "things");
    err.restore();
    CHECK(err.text() == "weir-window: cannot open 'x': No such file or directory\n"
                        "weir-window: warning: 1204 late records counted but not kept "
                        "(no --late FILE)\n"
                        "weir-window: warning: 3 things\n");
    CHECK(r.program() == "weir-window");
}

TEST_CASE("reporter: --quiet silences warnings, never errors") {
    Reporter r("weir-x");
    r.set_quiet(true);
    CHECK(r.quiet());
    CaptureFd err(STDERR_FILENO);
    r.warning("hidden");
    r.warningf("hidden {}", 2);
    r.error("shown");
    err.restore();
    CHECK(err.text() == "weir-x: shown\n");
}

TEST_CASE("reporter: a record problem is PROGRAM: WHERE: WHAT") {
    Reporter r("weir-window");
    CaptureFd err(STDERR_FILENO);
    r.record_problem(Position{"events.ndjson", 42, 8190},
                     "field 'event_time': \"yesterday\" is not a timestamp");
    r.record_problem(Position{"<stdin>", 0, 0}, "no line known");
    err.restore();
    CHECK(err.text() ==
          "weir-window: events.ndjson:42: field 'event_time': \"yesterday\" is not a timestamp\n"
          "weir-window: <stdin>: no line known\n");
}

TEST_CASE("reporter: record problems are rate limited and summarised") {
    Reporter r("weir-x");
    const std::uint64_t limit = Reporter::per_record_limit;
    REQUIRE(limit == 10);

    SUBCASE("up to the limit: every problem shown, no summary") {
        CaptureFd err(STDERR_FILENO);
        for (std::uint64_t i = 1; i <= limit; ++i)
            r.record_problem(Position{"f", i, 0}, "bad");
        r.summarise(" (all are in 'dlq')");
        err.restore();
        std::string text = err.text();
        CHECK(count_lines(text) == limit);
        CHECK(text.find("weir-x: f:10: bad\n") != std::string::npos);
        CHECK(text.find("more problems") == std::string::npos);
    }
    SUBCASE("beyond the limit: the first ten, then one summary line") {
        CaptureFd err(STDERR_FILENO);
        for (std::uint64_t i = 1; i <= limit + 3; ++i)
            r.record_problem(Position{"f", i, 0}, "bad");
        std::string before_summary = err.text();
        r.summarise(" (all are in 'dlq')");
        err.restore();
        CHECK(count_lines(before_summary) == limit);
        CHECK(before_summary.find("weir-x: f:1: bad\n") == 0);
        CHECK(before_summary.find("f:11:") == std::string::npos);
        CHECK(err.text().substr(before_summary.size()) ==
              "weir-x: warning: 3 more problems not shown (all are in 'dlq')\n");
    }
    SUBCASE("quiet: nothing shown and no summary") {
        r.set_quiet(true);
        CaptureFd err(STDERR_FILENO);
        for (std::uint64_t i = 1; i <= limit + 3; ++i)
            r.record_problem(Position{"f", i, 0}, "bad");
        r.summarise("");
        err.restore();
        CHECK(err.text().empty());
    }
}
