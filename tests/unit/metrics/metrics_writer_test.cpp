#include "../io/temp_dir.hpp"
#include "cli/error.hpp"
#include "metrics/metrics_writer.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;
using weir::Channel;
using weir::MetricsFormat;
using weir::MetricsWriter;
using weir::Reason;

using weir::test::read_file;

namespace {

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct TempDir {
    std::filesystem::path path;

    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "weir-metrics-XXXXXX");
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }

    ~TempDir() { std::filesystem::remove_all(path); }

    std::string file(const char* name) const { return (path / name).string(); }
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// 2024-03-01T12:00:00Z
constexpr weir::Timestamp wall0 = 1'709'294'400'000'000;

const MetricsWriter::Clock::time_point t0{};

} // namespace

TEST_CASE("metrics_writer: json lines carry the counters") {
    TempDir dir;
    std::string path = dir.file("m.ndjson");
    MetricsWriter w(path, MetricsFormat::json, 10s, "weir-ingest", "ingest", t0, wall0);

    weir::RunCounters c;
    c.records_in = 1000;
    c.records_out = 990;
    c.bytes_in = 267'000;
    c.bytes_out = 264'330;
    c.reject(Channel::dead_letter, Reason::too_long, 3);
    c.reject(Channel::dead_letter, Reason::invalid_json, 7);
    c.epoch = 4;
    c.state_keys = 12;
    c.state_bytes = 3400;
    c.batches = 4;
    c.last_batch_seconds = 0.0012;
    w.maybe_write(c, t0 + 10s);

    std::vector<std::string> lines = lines_of(read_file(path));
    REQUIRE(lines.size() == 1);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(lines[0]).get(doc) == simdjson::SUCCESS);

    CHECK(std::string_view(doc["time"]) == "2024-03-01T12:00:10.000Z");
    CHECK(std::string_view(doc["tool"]) == "weir-ingest");
    CHECK(std::string_view(doc["stage"]) == "ingest");
    CHECK(bool(doc["final"]) == false);
    CHECK(uint64_t(doc["records_in"]) == 1000);
    CHECK(uint64_t(doc["records_out"]) == 990);
    CHECK(uint64_t(doc["bytes_in"]) == 267'000);
    CHECK(uint64_t(doc["bytes_out"]) == 264'330);
    CHECK(int64_t(doc["unaccounted"]) == 0);
    CHECK(double(doc["rate_in"]) == doctest::Approx(100.0));
    CHECK(double(doc["bytes_rate_in"]) == doctest::Approx(26'700.0));
    CHECK(uint64_t(doc["rejects"]["dead_letter"]["invalid_json"]) == 7);
    CHECK(uint64_t(doc["rejects"]["dead_letter"]["too_long"]) == 3);
    CHECK(simdjson::dom::object(doc["rejects"]).size() == 1); // only non-zero channels
    CHECK(simdjson::dom::object(doc["rejects"]["dead_letter"]).size() == 2);
    CHECK(uint64_t(doc["epoch"]) == 4);
    CHECK(doc["watermark"].is_null());
    CHECK(uint64_t(doc["state_keys"]) == 12);
    CHECK(uint64_t(doc["state_bytes"]) == 3400);
    CHECK(uint64_t(doc["batches"]) == 4);
    CHECK(double(doc["last_batch_seconds"]) == doctest::Approx(0.0012));
    CHECK(double(doc["elapsed_seconds"]) == doctest::Approx(10.0));
    // Reasons sorted by name in the text as well.
    CHECK(lines[0].find(R"("dead_letter":{"invalid_json":7,"too_long":3})") != std::string::npos);
}

TEST_CASE("metrics_writer: interval gating and rates since the previous line") {
    TempDir dir;
    std::string path = dir.file("m.ndjson");
    MetricsWriter w(path, MetricsFormat::json, 10s, "weir-window", "w", t0, wall0);
    weir::RunCounters c;

    c.records_in = 50;
    w.maybe_write(c, t0 + 9999ms); // not yet
    CHECK(read_file(path).empty());
    c.records_in = 100;
    c.bytes_in = 1000;
    w.maybe_write(c, t0 + 10s);
    CHECK(lines_of(read_file(path)).size() == 1);
    c.records_in = 150;
    w.maybe_write(c, t0 + 15s); // 5 s after the last line
    CHECK(lines_of(read_file(path)).size() == 1);

    // A stall: the next call is late; one line, and the next interval counts from it.
    c.records_in = 400;
    c.bytes_in = 6000;
    w.maybe_write(c, t0 + 35s);
    w.maybe_write(c, t0 + 36s);
    w.maybe_write(c, t0 + 44s);
    std::vector<std::string> lines = lines_of(read_file(path));
    REQUIRE(lines.size() == 2);

    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(lines[1]).get(doc) == simdjson::SUCCESS);
    CHECK(double(doc["rate_in"]) == doctest::Approx(300.0 / 25.0));
    CHECK(double(doc["bytes_rate_in"]) == doctest::Approx(5000.0 / 25.0));
    CHECK(std::string_view(doc["time"]) == "2024-03-01T12:00:35.000Z");

    c.watermark = wall0 + 250'000;
    c.records_out = 3;
    w.write_final(c, t0 + 45s);
    lines = lines_of(read_file(path));
    REQUIRE(lines.size() == 3);
    REQUIRE(parser.parse(lines[2]).get(doc) == simdjson::SUCCESS);
    CHECK(bool(doc["final"]) == true);
    CHECK(std::string_view(doc["watermark"]) == "2024-03-01T12:00:00.250Z");
    CHECK(double(doc["rate_in"]) == doctest::Approx(0.0));
    CHECK(double(doc["elapsed_seconds"]) == doctest::Approx(45.0));
    CHECK(int64_t(doc["unaccounted"]) == 397);
}

TEST_CASE("metrics_writer: json appends to an existing file and escapes names") {
    TempDir dir;
    std::string path = dir.file("m.ndjson");
    {
        std::ofstream old(path);
        old << "{\"old\":1}\n";
    }
    MetricsWriter w(path, MetricsFormat::json, 1s, "weir-x", "st\"a\\ge\n", t0, wall0);
    w.write_final(weir::RunCounters{}, t0);
    std::vector<std::string> lines = lines_of(read_file(path));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "{\"old\":1}");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(lines[1]).get(doc) == simdjson::SUCCESS);
    CHECK(std::string_view(doc["stage"]) == "st\"a\\ge\n");
    CHECK(simdjson::dom::object(doc["rejects"]).size() == 0);
    CHECK(double(doc["rate_in"]) == 0.0); // no time passed: no division by zero
}

TEST_CASE("metrics_writer: prometheus textfile with HELP, TYPE and labels") {
    TempDir dir;
    std::string path = dir.file("weir.prom");
    MetricsWriter w(path, MetricsFormat::prometheus, 10s, "weir-ingest", "ingest", t0, wall0);

    // Written at once, all zeros, so the collector sees the run.
    std::string initial = read_file(path);
    CHECK(initial.find("weir_records_in_total{tool=\"weir-ingest\",stage=\"ingest\"} 0\n") !=
          std::string::npos);
    CHECK(initial.find("weir_finished{tool=\"weir-ingest\",stage=\"ingest\"} 0\n") !=
          std::string::npos);

    weir::RunCounters c;
    c.records_in = 1000;
    c.records_out = 990;
    c.reject(Channel::dead_letter, Reason::invalid_json, 7);
    c.reject(Channel::late, 3);
    c.watermark = -1'500'000; // before 1970: exact and signed
    c.epoch = 9;
    w.maybe_write(c, t0 + 5s);
    CHECK(read_file(path) == initial); // interval not passed
    w.maybe_write(c, t0 + 10s);
    std::string text = read_file(path);
    const std::string labels = "{tool=\"weir-ingest\",stage=\"ingest\"";

    CHECK(text.find("# HELP weir_records_in_total ") != std::string::npos);
    CHECK(text.find("# TYPE weir_records_in_total counter\n") != std::string::npos);
    CHECK(text.find("weir_records_in_total" + labels + "} 1000\n") != std::string::npos);
    CHECK(text.find("weir_records_out_total" + labels + "} 990\n") != std::string::npos);
    CHECK(text.find("# TYPE weir_rejects_total counter\n") != std::string::npos);
    CHECK(text.find("weir_rejects_total" + labels +
                    ",channel=\"dead_letter\",reason=\"invalid_json\"} 7\n") != std::string::npos);
    CHECK(text.find("weir_rejects_total" + labels + ",channel=\"late\",reason=\"none\"} 3\n") !=
          std::string::npos);
    CHECK(text.find("# TYPE weir_epoch gauge\n") != std::string::npos);
    CHECK(text.find("weir_epoch" + labels + "} 9\n") != std::string::npos);
    CHECK(text.find("weir_watermark_seconds" + labels + "} -1.500000\n") != std::string::npos);
    CHECK(text.find("# TYPE weir_state_bytes gauge\n") != std::string::npos);

    // Every sample line belongs to a metric announced by HELP and TYPE before it.
    std::string announced;
    for (const std::string& line : lines_of(text)) {
        REQUIRE_FALSE(line.empty());
        if (line.rfind("# HELP ", 0) == 0) {
            announced = line.substr(7, line.find(' ', 7) - 7);
            continue;
        }
        if (line.rfind("# TYPE ", 0) == 0) {
            CHECK(line.substr(7, announced.size()) == announced);
            continue;
        }
        CHECK(line.substr(0, line.find('{')) == announced);
    }

    w.write_final(c, t0 + 11s);
    text = read_file(path);
    CHECK(text.find("weir_finished" + labels + "} 1\n") != std::string::npos);
    // Replaced atomically: only the file itself is left in the directory.
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir.path))
        names.push_back(e.path().filename().string());
    CHECK(names == std::vector<std::string>{"weir.prom"});
}

TEST_CASE("metrics_writer: prometheus replaces the file by rename") {
    TempDir dir;
    std::string path = dir.file("weir.prom");
    MetricsWriter w(path, MetricsFormat::prometheus, 1s, "weir-x", "x", t0, wall0);
    // A reader holding the old file keeps reading the old contents: a new inode each time.
    std::ifstream before(path);

    struct stat st0 {};

    REQUIRE(::stat(path.c_str(), &st0) == 0);
    weir::RunCounters c;
    c.records_in = 42;
    w.maybe_write(c, t0 + 1s);

    struct stat st1 {};

    REQUIRE(::stat(path.c_str(), &st1) == 0);
    CHECK(st0.st_ino != st1.st_ino);
    std::string old_text((std::istreambuf_iterator<char>(before)),
                         std::istreambuf_iterator<char>());
    CHECK(old_text.find("weir_records_in_total{tool=\"weir-x\",stage=\"x\"} 0\n") !=
          std::string::npos);
    CHECK(read_file(path).find("weir_records_in_total{tool=\"weir-x\",stage=\"x\"} 42\n") !=
          std::string::npos);
}

TEST_CASE("metrics_writer: prometheus label values are escaped") {
    TempDir dir;
    std::string path = dir.file("weir.prom");
    MetricsWriter w(path, MetricsFormat::prometheus, 1s, "weir-x", "a\"b\\c\nd", t0, wall0);
    CHECK(read_file(path).find("{tool=\"weir-x\",stage=\"a\\\"b\\\\c\\nd\"}") != std::string::npos);
}

TEST_CASE("metrics_writer: a file that cannot be created is exit 73") {
    TempDir dir;
    std::string path = dir.file("no-such-dir/m");
    SUBCASE("json") {
        try {
            MetricsWriter w(path, MetricsFormat::json, 10s, "weir-x", "x", t0, wall0);
            FAIL("no error");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::cant_create);
            CHECK(std::string(e.what()) ==
                  "cannot open metrics file '" + path + "': No such file or directory");
        }
    }
    SUBCASE("prometheus") {
        try {
            MetricsWriter w(path, MetricsFormat::prometheus, 10s, "weir-x", "x", t0, wall0);
            FAIL("no error");
        } catch (const weir::Error& e) {
            CHECK(e.code() == weir::Exit::cant_create);
            CHECK(std::string(e.what()) ==
                  "cannot open metrics file '" + path + "': No such file or directory");
        }
    }
}

TEST_CASE("metrics_writer: interval must be positive; formats parse") {
    TempDir dir;
    CHECK_THROWS_AS(MetricsWriter(dir.file("m"), MetricsFormat::json, 0s, "weir-x", "x", t0, wall0),
                    weir::Error);
    CHECK(weir::parse_metrics_format("json") == MetricsFormat::json);
    CHECK(weir::parse_metrics_format("prometheus") == MetricsFormat::prometheus);
    CHECK_FALSE(weir::parse_metrics_format("yaml"));
    CHECK(weir::MetricsWriter::default_interval == 10s);
}

TEST_CASE("metrics_writer: a failed write is an I/O error naming the file") {
    if (::access("/dev/full", W_OK) != 0)
        return; // no /dev/full here: nothing to provoke the error with
    MetricsWriter w("/dev/full", MetricsFormat::json, 10s, "weir-x", "x", t0, wall0);
    try {
        w.write_final(weir::RunCounters{}, t0 + 1s);
        FAIL("no error");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::io);
        CHECK(std::string(e.what()) ==
              "cannot write metrics file '/dev/full': No space left on device");
    }
}
