#pragma once

// Several inputs read one after another as one stream (a tool given FILE... that is not
// weir-ingest). Each input is opened only when the previous one is exhausted, and its
// source ids are mapped into one SourceTable, so positions keep naming the right file.

#include "wire/reader.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace weir {

class ConcatReader final : public RecordReader {
public:
    using Opener = std::function<std::unique_ptr<RecordReader>(const std::string& path)>;

    ConcatReader(std::vector<std::string> paths, Opener open);

    InputKind next(InputEvent& ev) override;

    const SourceTable& sources() const override { return sources_; }

    std::uint64_t bytes_read() const override {
        return done_bytes_ + (cur_ ? cur_->bytes_read() : 0);
    }

    bool parsed_root(simdjson::dom::element& out) const override {
        return cur_ != nullptr && cur_->parsed_root(out);
    }

    bool ended_cleanly() const override { return clean_; }

private:
    std::vector<std::string> paths_;
    Opener open_;
    std::size_t next_path_ = 0;
    std::unique_ptr<RecordReader> cur_;
    std::vector<std::uint32_t> map_; // current reader's source id -> ours
    SourceTable sources_;
    std::uint64_t done_bytes_ = 0;
    bool clean_ = true;
};

} // namespace weir
