#include "metrics/progress.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;
using Clock = weir::ProgressLine::Clock;

namespace {

// Everything written to `f` so far.
std::string contents(std::FILE* f) {
    std::fflush(f);
    long end = std::ftell(f);
    std::string s(static_cast<std::size_t>(end), '\0');
    std::rewind(f);
    std::size_t n = std::fread(s.data(), 1, s.size(), f);
    s.resize(n);
    std::fseek(f, 0, SEEK_END);
    return s;
}

struct TempFile {
    std::FILE* f = std::tmpfile();

    ~TempFile() { std::fclose(f); }
};

} // namespace

TEST_CASE("progress: counts use SI units with three digits at most") {
    CHECK(weir::format_count(0) == "0");
    CHECK(weir::format_count(999) == "999");
    CHECK(weir::format_count(1000) == "1.0k");
    CHECK(weir::format_count(1234) == "1.2k");
    CHECK(weir::format_count(9949) == "9.9k");
    CHECK(weir::format_count(9950) == "10k");
    CHECK(weir::format_count(123'456) == "123k");
    CHECK(weir::format_count(999'499) == "999k");
    CHECK(weir::format_count(999'500) == "1.0M");
    CHECK(weir::format_count(1'200'000) == "1.2M");
    CHECK(weir::format_count(3'400'000'000) == "3.4G");
    CHECK(weir::format_count(UINT64_MAX) == "18E");
}

TEST_CASE("progress: bytes use decimal units") {
    CHECK(weir::format_bytes(0) == "0 B");
    CHECK(weir::format_bytes(512) == "512 B");
    CHECK(weir::format_bytes(1500) == "1.5 kB");
    CHECK(weir::format_bytes(340'000'000) == "340 MB");
    CHECK(weir::format_bytes(812'400'000) == "812 MB");
    CHECK(weir::format_bytes(12'000'000'000) == "12 GB");
}

TEST_CASE("progress: ETA is m:ss, or h:mm:ss from an hour") {
    CHECK(weir::format_eta(0) == "0:00");
    CHECK(weir::format_eta(7) == "0:07");
    CHECK(weir::format_eta(754) == "12:34");
    CHECK(weir::format_eta(3723) == "1:02:03");
}

TEST_CASE("progress: draws at most every 200 ms") {
    TempFile tmp;
    Clock::time_point t0{};
    weir::ProgressLine p("weir-ingest", tmp.f, true, t0);
    p.update(10, 1000, 0, t0 + 100ms);
    CHECK(contents(tmp.f).empty());
    p.update(20, 2000, 0, t0 + 200ms);
    std::string first = contents(tmp.f);
    CHECK(first == "\rweir-ingest: 20 records, 2.0 kB, 10 kB/s\x1b[K");
    p.update(30, 3000, 0, t0 + 399ms);
    CHECK(contents(tmp.f) == first);
    p.update(40, 4000, 0, t0 + 400ms);
    CHECK(contents(tmp.f).size() > first.size());
    CHECK(p.last_line() == "weir-ingest: 40 records, 4.0 kB, 10 kB/s");
}

TEST_CASE("progress: percent and ETA when the size is known") {
    TempFile tmp;
    Clock::time_point t0{};
    weir::ProgressLine p("weir-ingest", tmp.f, true, t0);
    // 340 MB in 0.5 s is 680 MB/s; 1000 MB - 340 MB left takes 0.97 s, rounded to 1.
    p.update(1'200'000, 340'000'000, 1'000'000'000, t0 + 500ms);
    CHECK(p.last_line() == "weir-ingest: 1.2M records, 340 MB, 680 MB/s, 34% ETA 0:01");
    SUBCASE("a steady rate keeps its value") {
        p.update(2'400'000, 680'000'000, 1'000'000'000, t0 + 1000ms);
        CHECK(p.last_line() == "weir-ingest: 2.4M records, 680 MB, 680 MB/s, 68% ETA 0:00");
    }
    SUBCASE("a stall lowers the rate gradually") {
        p.update(1'200'000, 340'000'000, 1'000'000'000, t0 + 1000ms);
        // 0.7 * 680 + 0.3 * 0 = 476 MB/s; 660 MB left: 1.39 s.
        CHECK(p.last_line() == "weir-ingest: 1.2M records, 340 MB, 476 MB/s, 34% ETA 0:01");
    }
    SUBCASE("more bytes than the size stop at 100%") {
        p.update(1, 2'000'000'000, 1'000'000'000, t0 + 1000ms);
        CHECK(p.last_line().find(", 100% ETA 0:00") != std::string::npos);
        CHECK(p.last_line().find("1 record,") != std::string::npos);
    }
}

TEST_CASE("progress: clear and finish erase the line") {
    TempFile tmp;
    Clock::time_point t0{};
    weir::ProgressLine p("weir-x", tmp.f, true, t0);
    SUBCASE("nothing drawn, nothing erased") {
        p.finish();
        CHECK(contents(tmp.f).empty());
    }
    SUBCASE("a drawn line is erased, then drawn again after clear") {
        p.update(1, 1, 0, t0 + 1s);
        std::string drawn = contents(tmp.f);
        p.clear();
        CHECK(contents(tmp.f) == drawn + "\r\x1b[K");
        p.clear(); // nothing shown: no output
        CHECK(contents(tmp.f) == drawn + "\r\x1b[K");
        p.update(2, 2, 0, t0 + 2s);
        CHECK(contents(tmp.f).size() > drawn.size() + 4);
    }
    SUBCASE("after finish, updates draw nothing") {
        p.update(1, 1, 0, t0 + 1s);
        p.finish();
        std::string after = contents(tmp.f);
        CHECK(after.substr(after.size() - 4) == "\r\x1b[K");
        CHECK_FALSE(p.enabled());
        p.update(2, 2, 0, t0 + 5s);
        CHECK(contents(tmp.f) == after);
    }
}

TEST_CASE("progress: a disabled line writes nothing") {
    TempFile tmp;
    Clock::time_point t0{};
    weir::ProgressLine p("weir-x", tmp.f, false, t0);
    p.update(1, 1, 10, t0 + 10s);
    p.finish();
    CHECK(contents(tmp.f).empty());
    CHECK(weir::ProgressLine::wanted(true) == false);
}
