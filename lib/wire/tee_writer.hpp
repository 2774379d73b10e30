#pragma once

// Writes one stream to two writers (weir-ingest --capture: the main output and a
// frames capture file). Control signals go to both, so a capture holds the epochs.

#include "wire/writer.hpp"

#include <memory>

namespace weir {

class TeeWriter final : public RecordWriter {
public:
    TeeWriter(std::unique_ptr<RecordWriter> a, std::unique_ptr<RecordWriter> b)
        : a_(std::move(a))
        , b_(std::move(b)) {}

    void write(const Record& r) override {
        a_->write(r);
        b_->write(r);
    }

    void barrier(std::uint64_t epoch) override {
        a_->barrier(epoch);
        b_->barrier(epoch);
    }

    void watermark(Timestamp wm) override {
        a_->watermark(wm);
        b_->watermark(wm);
    }

    void end() override {
        a_->end();
        b_->end();
    }

    void flush() override {
        a_->flush();
        b_->flush();
    }

private:
    std::unique_ptr<RecordWriter> a_;
    std::unique_ptr<RecordWriter> b_;
};

} // namespace weir
