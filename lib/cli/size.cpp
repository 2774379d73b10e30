#include "cli/size.hpp"

#include "cli/error.hpp"

#include <charconv>

namespace weir {

std::optional<std::uint64_t> try_parse_size(std::string_view text) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end == text.data())
        return std::nullopt;
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    int shift = 0;
    if (!unit.empty()) {
        switch (unit[0]) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        case 't':
        case 'T':
            shift = 40;
            break;
        case 'b':
        case 'B':
            shift = 0;
            break;
        default:
            return std::nullopt;
        }
        std::string_view rest = unit.substr(1);
        if (shift == 0) {
            if (!rest.empty())
                return std::nullopt;
        } else if (!(rest.empty() || rest == "B" || rest == "iB" || rest == "b")) {
            return std::nullopt;
        }
    }
    if (shift > 0 && n > (UINT64_MAX >> shift))
        return std::nullopt;
    return n << shift;
}

std::uint64_t parse_size(std::string_view text) {
    if (auto n = try_parse_size(text))
        return *n;
    throw Error(Exit::usage, "'{}' is not a size (e.g. 4096, 64K, 16MiB, 1G)", text);
}

} // namespace weir
