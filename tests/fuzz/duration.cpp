// libFuzzer target for lib/time/duration: try_parse_duration must never crash or read
// past the view; what it accepts is non-negative, and the canonical form written by
// format_duration parses back to the same value. Inconsistencies abort with a message.
#include "time/duration.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

void check(bool ok, const char* what, std::string_view input) {
    if (ok)
        return;
    std::fprintf(stderr, "duration fuzz: %s for input '%.*s'\n", what,
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

void check_round_trip(weir::Duration d, std::string_view input) {
    std::string text = weir::format_duration(d);
    check(weir::try_parse_duration(text) == d, "format then parse changed the duration", input);
    check(weir::format_duration(*weir::try_parse_duration(text)) == text, "format is not canonical",
          input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string owned(reinterpret_cast<const char*>(data), size);
    std::string_view input(owned);

    std::optional<weir::Duration> d = weir::try_parse_duration(input);
    if (d) {
        check(d->count() >= 0, "accepted a negative duration", input);
        check(!input.empty(), "accepted the empty string", input);
        check_round_trip(*d, input);
        // The throwing form agrees with the optional one.
        check(weir::parse_duration(input) == *d, "parse_duration disagrees", input);
    }

    // The first 8 bytes as a count of microseconds.
    if (size >= 8) {
        std::int64_t raw = 0;
        std::memcpy(&raw, data, sizeof raw);
        std::string text = weir::format_duration(weir::Duration(raw));
        if (raw >= 0)
            check_round_trip(weir::Duration(raw), text);
        else
            check(!weir::try_parse_duration(text), "parsed a negative duration", text);
    }
    return 0;
}
