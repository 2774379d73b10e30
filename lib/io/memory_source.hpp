#pragma once

// An in-memory ByteSource for tests. It plays the parts real inputs play in the
// reader's life: short reads (`chunk` bytes at most per read_some, like a pipe) and
// readiness that comes and goes (set_ready_every / set_ready), so tests can drive the
// idle paths of readers and the run loop without threads or timing.
//
// Header-only on purpose: it is test support, not shipped logic.

#include "io/byte_source.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <utility>

namespace weir {

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string data, std::size_t chunk = SIZE_MAX,
                          std::string name = "<memory>")
        : data_(std::move(data))
        , chunk_(chunk == 0 ? 1 : chunk)
        , name_(std::move(name)) {}

    // ready() answers from the callback (its argument counts ready() calls from 0, reset
    // by each setter); without one, from the fixed value set here (default true).
    void set_ready(bool ready) {
        ready_fn_ = nullptr;
        ready_ = ready;
        ready_calls_ = 0;
    }

    // A lambda would otherwise convert to bool through a function pointer.
    template <typename T>
    void set_ready(T) = delete;

    void set_ready_fn(std::function<bool(std::uint64_t)> fn) {
        ready_fn_ = std::move(fn);
        ready_calls_ = 0;
    }

    // ready() is true on every k-th call only (calls 0, k, 2k, ...): false in between.
    void set_ready_every(std::uint64_t k) {
        if (k == 0)
            k = 1;
        set_ready_fn([k](std::uint64_t call) { return call % k == 0; });
    }

    bool ready() override {
        std::uint64_t call = ready_calls_++;
        return ready_fn_ ? ready_fn_(call) : ready_;
    }

    const std::string& name() const override { return name_; }

    std::uint64_t size() const override { return data_.size(); }

    std::uint64_t ready_calls() const { return ready_calls_; }

    std::uint64_t read_some_calls() const { return read_some_calls_; }

    // Bytes handed out by read_some() so far (peeked ones included).
    std::size_t consumed() const { return pos_; }

protected:
    std::size_t read_some(char* buf, std::size_t n) override {
        ++read_some_calls_;
        std::size_t k = std::min({n, chunk_, data_.size() - pos_});
        std::memcpy(buf, data_.data() + pos_, k);
        pos_ += k;
        return k;
    }

private:
    std::string data_;
    std::size_t chunk_;
    std::string name_;
    std::size_t pos_ = 0;
    bool ready_ = true;
    std::function<bool(std::uint64_t)> ready_fn_;
    std::uint64_t ready_calls_ = 0;
    std::uint64_t read_some_calls_ = 0;
};

} // namespace weir
