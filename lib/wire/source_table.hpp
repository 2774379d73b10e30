#pragma once

// The names of a stream's sources ("events.ndjson", "<stdin>", a --label). Records carry
// a small source index instead of the name; frames declare each name once in a source
// frame before the first record that uses it. Ids are dense and never reused.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

class SourceTable {
public:
    // Id of `name`, adding it if new.
    std::uint32_t intern(std::string_view name) {
        for (std::uint32_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name)
                return i;
        names_.emplace_back(name);
        return static_cast<std::uint32_t>(names_.size() - 1);
    }

    // Sets the name of id (frames readers: ids come from the stream).
    void set(std::uint32_t id, std::string_view name) {
        if (id >= names_.size())
            names_.resize(id + 1);
        names_[id] = name;
    }

    std::string_view name(std::uint32_t id) const {
        return id < names_.size() ? std::string_view(names_[id]) : std::string_view("<unknown>");
    }

    std::size_t size() const { return names_.size(); }

private:
    std::vector<std::string> names_;
};

} // namespace weir
