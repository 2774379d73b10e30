#include "json/field_path.hpp"

#include "cli/error.hpp"

namespace weir {

std::optional<FieldPath> FieldPath::parse(std::string_view text, std::string* error) {
    auto fail = [&](std::string_view why) -> std::optional<FieldPath> {
        if (error != nullptr)
            *error = why;
        return std::nullopt;
    };
    if (text.empty())
        return fail("empty path");
    if (text.front() == '$')
        return fail("a leading '$' is reserved; write '\\$' for a literal '$'");

    FieldPath p;
    p.text_ = text;
    std::string seg;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\\') {
            if (i + 1 == text.size())
                return fail("trailing backslash");
            char e = text[++i];
            if (e != '.' && e != '\\' && e != '$')
                return fail(std::string("unknown escape '\\") + e + "'");
            seg += e;
        } else if (c == '.') {
            if (seg.empty())
                return fail("empty segment");
            p.segments_.push_back(std::move(seg));
            seg.clear();
        } else {
            seg += c;
        }
    }
    if (seg.empty())
        return fail("empty segment");
    p.segments_.push_back(std::move(seg));
    return p;
}

FieldPath FieldPath::from(std::string_view text) {
    std::string error;
    std::optional<FieldPath> p = parse(text, &error);
    if (!p)
        throw Error(Exit::usage, "field path '{}': {}", text, error);
    return std::move(*p);
}

FieldPath FieldPath::of_member(std::string_view name) {
    std::string text;
    for (char c : name) {
        if (c == '.' || c == '\\' || c == '$')
            text += '\\';
        text += c;
    }
    return from(text);
}

} // namespace weir
