#include "wire/concat_reader.hpp"

namespace weir {

ConcatReader::ConcatReader(std::vector<std::string> paths, Opener open)
    : paths_(std::move(paths))
    , open_(std::move(open)) {}

InputKind ConcatReader::next(InputEvent& ev) {
    for (;;) {
        if (!cur_) {
            if (next_path_ == paths_.size()) {
                ev.kind = InputKind::end;
                return ev.kind;
            }
            cur_ = open_(paths_[next_path_++]);
            map_.clear();
        }
        InputKind kind = cur_->next(ev);
        if (kind == InputKind::end) {
            // One input's end frame is not the stream's end; a frames input cut short
            // makes the whole stream unclean.
            clean_ = clean_ && cur_->ended_cleanly();
            done_bytes_ += cur_->bytes_read();
            cur_.reset();
            continue;
        }
        if (kind == InputKind::record || kind == InputKind::invalid) {
            std::uint32_t id = ev.record.source;
            const SourceTable& theirs = cur_->sources();
            while (map_.size() < theirs.size())
                map_.push_back(
                    sources_.intern(theirs.name(static_cast<std::uint32_t>(map_.size()))));
            ev.record.source = id < map_.size() ? map_[id] : sources_.intern(theirs.name(id));
        }
        return kind;
    }
}

} // namespace weir
