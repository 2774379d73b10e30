#pragma once

// A fake run loop for operator tests: a Context that keeps what an operator emits and
// rejects, and hands out counters, a source table and (optionally) a parsed DOM that
// the test fills in.

#include "run/operator.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

namespace weir::test {

class FakeContext final : public weir::Context {
public:
    struct Emitted {
        std::string json;
        const char* data = nullptr; // the emitted view's pointer (for zero-copy checks)
        Record meta;                // its json view is not valid after emit
    };

    void emit(const Record& r, std::size_t port) override {
        CHECK(port == 0);
        out.push_back({std::string(r.json), r.json.data(), r});
    }

    void reject(weir::Reason why, std::string_view detail) override {
        rejects.emplace_back(why, std::string(detail));
    }

    void divert(weir::Channel c) override { run.reject(c); }

    void warn(std::string_view message) override { warnings.emplace_back(message); }

    weir::Position position() const override { return {}; }

    const weir::RunCounters& counters() const override { return run; }

    const weir::SourceTable& sources() const override { return table; }

    // Like a run loop whose reader parsed the record (NDJSON): hands out `dom`.
    bool parsed_root(simdjson::dom::element& root) const override {
        if (!has_dom)
            return false;
        root = dom;
        return true;
    }

    std::vector<Emitted> out;
    std::vector<std::pair<weir::Reason, std::string>> rejects;
    std::vector<std::string> warnings;
    weir::SourceTable table;
    weir::RunCounters run;
    bool has_dom = false;
    simdjson::dom::element dom;
};

// A record's bytes followed by the padding every Record carries.
struct Input {
    explicit Input(std::string_view json, Timestamp t = no_timestamp, std::uint32_t source = 0,
                   std::uint64_t offset = 40, std::uint64_t line = 3)
        : buf(std::string(json) + std::string(weir::record_padding, ' ')) {
        rec.json = std::string_view(buf.data(), json.size());
        rec.event_time = t;
        rec.source = source;
        rec.offset = offset;
        rec.line = line;
    }

    std::string buf;
    Record rec;
};

} // namespace weir::test
