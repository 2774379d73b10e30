#pragma once

// Test support: the weir::Error a callable throws, for checking its exit code and message.

#include "cli/error.hpp"

#include <doctest/doctest.h>

namespace weir::test {

template <typename F>
weir::Error error_of(F&& f) {
    try {
        f();
    } catch (const weir::Error& e) {
        return e;
    }
    FAIL("no weir::Error thrown");
    return weir::Error(weir::Exit::ok, "");
}

} // namespace weir::test
