#include "io/byte_source.hpp"
#include "io/memory_source.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

std::string drain(weir::ByteSource& src, std::size_t block) {
    std::string out;
    std::string buf(block, '\0');
    while (std::size_t got = src.read(buf.data(), buf.size()))
        out.append(buf.data(), got);
    return out;
}

} // namespace

TEST_CASE("byte_source: peek does not consume") {
    weir::MemorySource src("hello world");
    CHECK(src.peek(5) == "hello");
    CHECK(src.peek(2) == "he");
    CHECK(drain(src, 4) == "hello world");
}

TEST_CASE("byte_source: peek loops over short reads") {
    weir::MemorySource src("abcdefghij", 3);
    CHECK(src.peek(8) == "abcdefgh");
    CHECK(src.read_some_calls() == 3);
    SUBCASE("read drains the peeked bytes first") {
        char buf[16];
        std::size_t got = src.read(buf, sizeof buf);
        CHECK(std::string(buf, got) == "abcdefgh"); // only the peeked bytes
        CHECK(drain(src, 16) == "ij");
    }
    SUBCASE("a partial read leaves the rest peeked") {
        char buf[2];
        CHECK(src.read(buf, 2) == 2);
        CHECK(std::string(buf, 2) == "ab");
        CHECK(src.peek(4) == "cdef");
        CHECK(drain(src, 5) == "cdefghij");
    }
}

TEST_CASE("byte_source: peek past the end returns what there is") {
    weir::MemorySource src("xy", 1);
    CHECK(src.peek(10) == "xy");
    CHECK(drain(src, 10) == "xy");
    char c;
    CHECK(src.read(&c, 1) == 0);
}

TEST_CASE("byte_source: chunked memory source returns at most chunk bytes") {
    weir::MemorySource src(std::string(100, 'a'), 7);
    char buf[64];
    CHECK(src.read(buf, sizeof buf) == 7);
    CHECK(drain(src, 64).size() == 93);
}

TEST_CASE("byte_source: default skip reads and discards") {
    std::string data;
    for (int i = 0; i < 3000000; ++i)
        data.push_back(static_cast<char>('a' + i % 26));
    weir::MemorySource src(data, 4096);
    SUBCASE("after a peek") {
        CHECK(src.peek(3) == "abc");
        src.skip(2000001);
        CHECK(drain(src, 1 << 16) == data.substr(2000001));
    }
    SUBCASE("past the end stops at the end") {
        src.skip(5000000);
        char c;
        CHECK(src.read(&c, 1) == 0);
    }
}

TEST_CASE("byte_source: memory source readiness patterns") {
    weir::MemorySource src("x");
    CHECK(src.ready());
    SUBCASE("fixed") {
        src.set_ready(false);
        CHECK_FALSE(src.ready());
    }
    SUBCASE("every k-th call") {
        src.set_ready_every(3);
        CHECK(src.ready());       // call 0
        CHECK_FALSE(src.ready()); // call 1
        CHECK_FALSE(src.ready()); // call 2
        CHECK(src.ready());       // call 3
        CHECK_FALSE(src.ready());
    }
    SUBCASE("callback") {
        src.set_ready_fn([](std::uint64_t call) { return call >= 2; });
        CHECK_FALSE(src.ready()); // call 0
        CHECK_FALSE(src.ready()); // call 1
        CHECK(src.ready());
    }
}
