// libFuzzer target for lib/time/rfc3339: parse_rfc3339 must never crash or read past
// the view, and whatever it accepts must survive a format/parse round trip exactly.
// Any inconsistency aborts with a message, so the fuzzer keeps the input.
#include "time/rfc3339.hpp"

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
    std::fprintf(stderr, "rfc3339 fuzz: %s for input '%.*s'\n", what,
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

// t rounded down to a multiple of `unit` (floor, also before 1970).
weir::Timestamp floor_to(weir::Timestamp t, std::int64_t unit) {
    std::int64_t r = t % unit;
    return t - (r < 0 ? r + unit : r);
}

void check_round_trip(weir::Timestamp t, std::string_view input) {
    std::string text = weir::format_rfc3339(t);
    check(weir::parse_rfc3339(text) == t, "format then parse changed the time", input);
    check(weir::format_rfc3339(*weir::parse_rfc3339(text)) == text, "format is not canonical",
          input);
    std::int64_t unit = 1'000'000;
    for (int digits = 0; digits <= 9; ++digits) {
        std::optional<weir::Timestamp> back = weir::parse_rfc3339(weir::format_rfc3339(t, digits));
        check(back == floor_to(t, unit), "fixed digits do not floor to that precision", input);
        if (unit > 1)
            unit /= 10;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A copy of exactly `size` bytes, so ASan catches any read past the view.
    std::string owned(reinterpret_cast<const char*>(data), size);
    std::string_view input(owned);

    std::optional<weir::Timestamp> t = weir::parse_rfc3339(input);
    if (t) {
        check(*t >= weir::min_rfc3339 && *t <= weir::max_rfc3339, "accepted time out of range",
              input);
        check(input.size() >= 20, "accepted text shorter than the shortest form", input);
        check_round_trip(*t, input);
        // The separator and the zone letter are case-insensitive.
        std::string variant(input);
        variant[10] = variant[10] == 'T' ? 't' : variant[10] == 't' ? ' ' : 'T';
        if (variant.back() == 'Z' || variant.back() == 'z')
            variant.back() = variant.back() == 'Z' ? 'z' : 'Z';
        check(weir::parse_rfc3339(variant) == t, "separator or zone case changed the time", input);
    }

    // The first 8 bytes as a Timestamp: formatting works for every int64, and parses
    // back exactly inside the RFC 3339 range.
    if (size >= 8) {
        weir::Timestamp raw = 0;
        std::memcpy(&raw, data, sizeof raw);
        std::string text = weir::format_rfc3339(raw);
        bool in_range = raw >= weir::min_rfc3339 && raw <= weir::max_rfc3339;
        check(weir::parse_rfc3339(text) == (in_range ? std::optional(raw) : std::nullopt),
              "formatted int64 does not parse back", text);
        if (in_range)
            check_round_trip(raw, text);
    }
    return 0;
}
