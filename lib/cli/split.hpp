#pragma once

// Splitting a flag's list value ("a,b,c") into its items, as views of the value. Empty
// items are kept ("a,,b" has three), so a caller can say which one is wrong.

#include <string_view>
#include <vector>

namespace weir {

inline std::vector<std::string_view> split_list(std::string_view s, char sep = ',') {
    std::vector<std::string_view> out;
    for (;;) {
        std::size_t at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos)
            return out;
        s.remove_prefix(at + 1);
    }
}

} // namespace weir
