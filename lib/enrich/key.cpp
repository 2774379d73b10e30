#include "enrich/key.hpp"

#include "state/varint.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace weir {

namespace {

// Kind tags. Numbers share one tag: their canonical text already tells 3 from 3.5, and
// 3 from 3.0 must not differ. Loose keys write numbers and booleans under the string tag.
constexpr char tag_string = 's';
constexpr char tag_number = 'n';
constexpr char tag_bool = 'b';

template <typename T>
void append_integer(std::string& out, T v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

// A double as an integer when it is one (so 3.0 and 3 are one key, and 1e19 equals the
// uint64 10000000000000000000), else in the shortest text that reads back to it.
void append_double(std::string& out, double d) {
    constexpr double two_63 = 9223372036854775808.0;
    constexpr double two_64 = 18446744073709551616.0;
    if (std::trunc(d) == d) {
        if (d >= -two_63 && d < two_63) {
            append_integer(out, static_cast<std::int64_t>(d)); // -0.0 becomes 0
            return;
        }
        if (d >= two_63 && d < two_64) {
            append_integer(out, static_cast<std::uint64_t>(d));
            return;
        }
    }
    // JSON holds no NaN or infinity; a caller's FieldValue cannot carry one.
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

// LEB128 length of a part that is not the last, inserted before its text at `at`: the
// parts of a key then cannot run into each other, whatever bytes a string holds (NULs
// included). Lengths below 128, nearly all, take one byte.
void insert_length(std::string& out, std::size_t at, std::size_t n) {
    char buf[10];
    out.insert(at, buf, encode_varint(buf, n));
}

} // namespace

KeyResult encode_key(const FieldValue* parts, std::size_t n, bool loose, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < n; ++i) {
        const FieldValue& v = parts[i];
        std::size_t tag_at = out.size();
        char tag = tag_string;
        out += tag; // set below, once the kind is known
        std::size_t text_at = out.size();
        switch (v.kind()) {
        case FieldKind::missing:
            return KeyResult::missing;
        case FieldKind::null:
            return KeyResult::null;
        case FieldKind::object:
        case FieldKind::array:
            return KeyResult::not_scalar;
        case FieldKind::string:
            out.append(v.as_string());
            break;
        case FieldKind::boolean:
            tag = tag_bool;
            out += v.as_bool() ? "true" : "false";
            break;
        case FieldKind::int64:
            tag = tag_number;
            append_integer(out, v.as_int64());
            break;
        case FieldKind::uint64:
            tag = tag_number;
            append_integer(out, v.as_uint64());
            break;
        case FieldKind::float64:
            tag = tag_number;
            append_double(out, v.as_double());
            break;
        }
        out[tag_at] = loose ? tag_string : tag;
        if (i + 1 < n)
            insert_length(out, text_at, out.size() - text_at);
    }
    return KeyResult::ok;
}

} // namespace weir
