#include "../io/temp_dir.hpp"
#include "io/memory_source.hpp"
#include "io/output_file.hpp"
#include "wire/frame_reader.hpp"
#include "wire/frame_writer.hpp"
#include "wire/ndjson_writer.hpp"
#include "wire/tee_writer.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace weir;

namespace {

class LogWriter final : public RecordWriter {
public:
    explicit LogWriter(std::vector<std::string>& log, std::string tag)
        : log_(log)
        , tag_(std::move(tag)) {}

    void write(const Record& r) override {
        log_.push_back(tag_ + " rec " + std::string(r.json) + " t=" + std::to_string(r.event_time) +
                       " src=" + std::to_string(r.source) + " line=" + std::to_string(r.line));
    }

    void barrier(std::uint64_t epoch) override {
        log_.push_back(tag_ + " barrier " + std::to_string(epoch));
    }

    void watermark(Timestamp wm) override {
        log_.push_back(tag_ + " watermark " + std::to_string(wm));
    }

    void end() override { log_.push_back(tag_ + " end"); }

    void flush() override { log_.push_back(tag_ + " flush"); }

private:
    std::vector<std::string>& log_;
    std::string tag_;
};

struct PaddedRecord {
    std::string buf;
    Record r;

    PaddedRecord(std::string json, Timestamp t = no_timestamp, std::uint32_t source = 0,
                 std::uint64_t line = 0)
        : buf(json + std::string(record_padding, '\0')) {
        r.json = std::string_view(buf).substr(0, json.size());
        r.event_time = t;
        r.source = source;
        r.line = line;
    }
};

} // namespace

TEST_CASE("tee_writer: every call goes to both writers, first then second") {
    std::vector<std::string> log;
    TeeWriter tee(std::make_unique<LogWriter>(log, "a"), std::make_unique<LogWriter>(log, "b"));
    PaddedRecord rec("{\"k\":1}", 5, 2, 9);
    tee.write(rec.r);
    tee.watermark(100);
    tee.barrier(3);
    tee.flush();
    tee.end();
    CHECK(log == std::vector<std::string>{"a rec {\"k\":1} t=5 src=2 line=9",
                                          "b rec {\"k\":1} t=5 src=2 line=9", "a watermark 100",
                                          "b watermark 100", "a barrier 3", "b barrier 3",
                                          "a flush", "b flush", "a end", "b end"});
}

TEST_CASE("tee_writer: NDJSON out and a frames capture with the epochs") {
    test::TempDir dir;
    auto ndjson = OutputFile::open(dir / "out.ndjson", OutputFile::Mode::truncate);
    auto capture = OutputFile::open(dir / "capture.frames", OutputFile::Mode::truncate);
    SourceTable sources;
    sources.intern("events.ndjson");
    {
        TeeWriter tee(std::make_unique<NdjsonWriter>(*ndjson),
                      std::make_unique<FrameWriter>(*capture, sources));
        PaddedRecord a("{\"a\":1}", 1000, 0, 1);
        PaddedRecord b("{\"a\":2}", 2000, 0, 2);
        tee.write(a.r);
        tee.watermark(1500);
        tee.write(b.r);
        tee.barrier(1);
        tee.end();
    }
    CHECK(test::read_file(dir / "out.ndjson") == "{\"a\":1}\n{\"a\":2}\n");

    FrameReader reader(std::make_unique<MemorySource>(test::read_file(dir / "capture.frames")));
    InputEvent ev;
    REQUIRE(reader.next(ev) == InputKind::record);
    CHECK(ev.record.json == "{\"a\":1}");
    CHECK(ev.record.event_time == 1000);
    CHECK(reader.sources().name(ev.record.source) == "events.ndjson");
    REQUIRE(reader.next(ev) == InputKind::watermark);
    CHECK(ev.watermark == 1500);
    REQUIRE(reader.next(ev) == InputKind::record);
    CHECK(ev.record.json == "{\"a\":2}");
    CHECK(ev.record.line == 2);
    REQUIRE(reader.next(ev) == InputKind::barrier);
    CHECK(ev.epoch == 1);
    CHECK(reader.next(ev) == InputKind::end);
    CHECK(reader.ended_cleanly());
}
