#include "../error_of.hpp"
#include "fanout/partition_file.hpp"

#include <doctest/doctest.h>

#include <vector>

using weir::Partition;

TEST_CASE("fanout rotation names") {
    CHECK(weir::rotated_name("out/part.ndjson", 1) == "out/part-000001.ndjson");
    CHECK(weir::rotated_name("part.frames", 12) == "part-000012.frames");
    CHECK(weir::rotated_name("a.b/x.ndjson.gz", 3) == "a.b/x-000003.ndjson.gz");
    CHECK(weir::rotated_name("out/noext", 2) == "out/noext-000002");
    CHECK(weir::rotated_name("out/.hidden", 2) == "out/.hidden-000002");
    CHECK(weir::rotated_name("p", 1234567) == "p-1234567");
    CHECK(weir::in_progress_name("out/d=1/part.ndjson", 7) ==
          "out/d=1/.part-000007.ndjson.inprogress");
    CHECK(weir::in_progress_name("part.csv", 1) == ".part-000001.csv.inprogress");
}

TEST_CASE("fanout file formats by extension") {
    CHECK(weir::file_format_of("a.ndjson", "--to") == weir::FileFormat::ndjson);
    CHECK(weir::file_format_of("a.jsonl", "--to") == weir::FileFormat::ndjson);
    CHECK(weir::file_format_of("a.frames", "--to") == weir::FileFormat::frames);
    CHECK(weir::file_format_of("a.csv", "--to") == weir::FileFormat::csv);
    CHECK(weir::file_format_of("a.ndjson.gz", "--to") == weir::FileFormat::ndjson_gz);
    CHECK(weir::file_format_of("a.ndjson.zst", "--to") == weir::FileFormat::ndjson_zst);
    CHECK(weir::test::error_of([] { weir::file_format_of("a.csv.zst", "--to"); }).code() ==
          weir::Exit::usage);
}

TEST_CASE("fanout open files: least recently used closed first") {
    weir::OpenFiles open(2);
    Partition a, b, c;
    std::vector<Partition*> closed;
    auto close = [&](Partition* p) {
        closed.push_back(p);
        open.remove(p);
    };
    open.make_room(close);
    open.add(&a);
    open.make_room(close);
    open.add(&b);
    CHECK(closed.empty());
    open.touch(&a); // b is now the least recently used
    open.make_room(close);
    open.add(&c);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0] == &b);
    CHECK(open.count() == 2);
    open.make_room(close); // a is older than c
    REQUIRE(closed.size() == 2);
    CHECK(closed[1] == &a);
    open.remove(&c);
    CHECK(open.count() == 0);
}
