#include "state/state_io.hpp"

#include "cli/error.hpp"
#include "state/varint.hpp"

#include <fmt/core.h>
#include <xxhash.h>

#include <cmath>
#include <cstring>
#include <vector>

// Encoding: a sequence of values, each `tag, name, payload`:
//   tag      one byte (Tag below)
//   name     varint length + bytes (absent for list_end and object_end)
//   payload  u64: varint; i64: zigzag varint; f64: 8 bytes little endian (IEEE bits);
//            boolean: one byte 0/1; str, bytes: varint length + bytes;
//            list_begin: varint count of elements; object_begin: nothing
// Varints are LEB128 (7 bits a byte, low first, at most 10 bytes). The tags make the
// stream self-describing, which is what lets state_to_json print any stage's state.

namespace weir {

namespace {

enum class Tag : unsigned char {
    u64 = 1,
    i64 = 2,
    f64 = 3,
    boolean = 4,
    str = 5,
    bytes = 6,
    list_begin = 7,
    list_end = 8,
    object_begin = 9,
    object_end = 10,
};

const char* tag_name(unsigned char t) {
    switch (static_cast<Tag>(t)) {
    case Tag::u64:
        return "u64";
    case Tag::i64:
        return "i64";
    case Tag::f64:
        return "f64";
    case Tag::boolean:
        return "boolean";
    case Tag::str:
        return "str";
    case Tag::bytes:
        return "bytes";
    case Tag::list_begin:
        return "list";
    case Tag::list_end:
        return "end of list";
    case Tag::object_begin:
        return "object";
    case Tag::object_end:
        return "end of object";
    }
    return "unknown tag";
}

bool has_name(Tag t) {
    return t != Tag::list_end && t != Tag::object_end;
}

void put_head(std::string& out, Tag t, std::string_view name) {
    out.push_back(static_cast<char>(t));
    append_varint(out, name.size());
    out.append(name);
}

// A cursor over encoded state. Every read checks the bounds; `fail` names what was
// being read so the message says which field the data did not hold.
struct Cursor {
    std::string_view in;
    std::size_t pos = 0;

    bool varint(std::uint64_t& v) { return read_varint(in, pos, v); }

    bool take(std::uint64_t n, std::string_view& out) {
        if (n > in.size() - pos)
            return false;
        out = in.substr(pos, n);
        pos += n;
        return true;
    }
};

std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

[[noreturn]] void truncated(std::string_view what, std::string_view name) {
    throw Error(Exit::temp_fail, "state: truncated data reading {} '{}'", what, name);
}

// Reads the head of the next value and checks it is `want` named `name`.
void expect_head(Cursor& c, Tag want, std::string_view name) {
    const char* what = tag_name(static_cast<unsigned char>(want));
    if (c.pos >= c.in.size()) {
        if (has_name(want))
            truncated(what, name);
        throw Error(Exit::temp_fail, "state: truncated data reading {}", what);
    }
    auto got = static_cast<unsigned char>(c.in[c.pos]);
    std::string_view got_name;
    std::size_t start = c.pos;
    ++c.pos;
    if (got >= 1 && got <= 10 && has_name(static_cast<Tag>(got))) {
        std::uint64_t n = 0;
        if (!c.varint(n) || !c.take(n, got_name)) {
            c.pos = start;
            truncated(what, name);
        }
    }
    if (got == static_cast<unsigned char>(want) && got_name == name)
        return;
    c.pos = start;
    std::string found = got_name.empty() ? std::string(tag_name(got))
                                         : fmt::format("{} '{}'", tag_name(got), got_name);
    if (has_name(want))
        throw Error(Exit::temp_fail, "state: expected {} '{}', found {}", what, name, found);
    throw Error(Exit::temp_fail, "state: expected {}, found {}", what, found);
}

} // namespace

// --- StateWriter ---------------------------------------------------------------------

void StateWriter::u64(std::string_view name, std::uint64_t v) {
    put_head(out_, Tag::u64, name);
    append_varint(out_, v);
}

void StateWriter::i64(std::string_view name, std::int64_t v) {
    put_head(out_, Tag::i64, name);
    append_varint(out_, zigzag(v));
}

void StateWriter::f64(std::string_view name, double v) {
    put_head(out_, Tag::f64, name);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i)
        out_.push_back(static_cast<char>(bits >> (8 * i)));
}

void StateWriter::boolean(std::string_view name, bool v) {
    put_head(out_, Tag::boolean, name);
    out_.push_back(v ? 1 : 0);
}

void StateWriter::str(std::string_view name, std::string_view v) {
    put_head(out_, Tag::str, name);
    append_varint(out_, v.size());
    out_.append(v);
}

void StateWriter::bytes(std::string_view name, std::string_view v) {
    put_head(out_, Tag::bytes, name);
    append_varint(out_, v.size());
    out_.append(v);
}

void StateWriter::begin_list(std::string_view name, std::uint64_t count) {
    put_head(out_, Tag::list_begin, name);
    append_varint(out_, count);
}

void StateWriter::end_list() {
    out_.push_back(static_cast<char>(Tag::list_end));
}

void StateWriter::begin_object(std::string_view name) {
    put_head(out_, Tag::object_begin, name);
}

void StateWriter::end_object() {
    out_.push_back(static_cast<char>(Tag::object_end));
}

// --- StateReader ---------------------------------------------------------------------

std::uint64_t StateReader::u64(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::u64, name);
    std::uint64_t v = 0;
    if (!c.varint(v))
        truncated("u64", name);
    pos_ = c.pos;
    return v;
}

std::int64_t StateReader::i64(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::i64, name);
    std::uint64_t v = 0;
    if (!c.varint(v))
        truncated("i64", name);
    pos_ = c.pos;
    return unzigzag(v);
}

double StateReader::f64(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::f64, name);
    std::string_view raw;
    if (!c.take(8, raw))
        truncated("f64", name);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
        bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(raw[i])) << (8 * i);
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    pos_ = c.pos;
    return v;
}

bool StateReader::boolean(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::boolean, name);
    std::string_view raw;
    if (!c.take(1, raw))
        truncated("boolean", name);
    if (raw[0] != 0 && raw[0] != 1)
        throw Error(Exit::temp_fail, "state: boolean '{}' holds {}", name,
                    static_cast<int>(static_cast<unsigned char>(raw[0])));
    pos_ = c.pos;
    return raw[0] == 1;
}

std::string StateReader::str(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::str, name);
    std::uint64_t n = 0;
    std::string_view v;
    if (!c.varint(n) || !c.take(n, v))
        truncated("str", name);
    pos_ = c.pos;
    return std::string(v);
}

std::string_view StateReader::bytes(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::bytes, name);
    std::uint64_t n = 0;
    std::string_view v;
    if (!c.varint(n) || !c.take(n, v))
        truncated("bytes", name);
    pos_ = c.pos;
    return v;
}

std::uint64_t StateReader::begin_list(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::list_begin, name);
    std::uint64_t n = 0;
    if (!c.varint(n))
        truncated("list", name);
    pos_ = c.pos;
    return n;
}

void StateReader::end_list() {
    Cursor c{in_, pos_};
    expect_head(c, Tag::list_end, {});
    pos_ = c.pos;
}

void StateReader::begin_object(std::string_view name) {
    Cursor c{in_, pos_};
    expect_head(c, Tag::object_begin, name);
    pos_ = c.pos;
}

void StateReader::end_object() {
    Cursor c{in_, pos_};
    expect_head(c, Tag::object_end, {});
    pos_ = c.pos;
}

// --- state_to_json -------------------------------------------------------------------

namespace {

// A decoded value, kept only while rendering (show is not a hot path).
struct Node {
    Tag tag{};
    std::string_view name;
    std::uint64_t u = 0; // u64, boolean, list count
    std::int64_t i = 0;
    double f = 0;
    std::string_view text;   // str, bytes
    std::vector<Node> items; // list and object contents
};

// Deep enough for any real state, shallow enough that malformed input cannot
// exhaust the stack.
constexpr int max_depth = 200;

[[noreturn]] void malformed(const Cursor& c, std::string_view what) {
    throw Error(Exit::temp_fail, "state: malformed data at byte {}: {}", c.pos, what);
}

// Parses values until `until` (list_end or object_end) or, at depth 0, the end.
void parse_values(Cursor& c, std::vector<Node>& out, Tag until, int depth) {
    if (depth > max_depth)
        malformed(c, "nesting too deep");
    for (;;) {
        if (c.pos == c.in.size()) {
            if (depth == 0)
                return;
            malformed(c, fmt::format("missing {}", tag_name(static_cast<unsigned char>(until))));
        }
        auto raw = static_cast<unsigned char>(c.in[c.pos]);
        if (raw < 1 || raw > 10)
            malformed(c, fmt::format("unknown tag {}", static_cast<int>(raw)));
        auto t = static_cast<Tag>(raw);
        ++c.pos;
        if (t == Tag::list_end || t == Tag::object_end) {
            if (depth == 0 || t != until)
                malformed(c, fmt::format("unexpected {}", tag_name(raw)));
            return;
        }
        Node n;
        n.tag = t;
        std::uint64_t len = 0;
        if (!c.varint(len) || !c.take(len, n.name))
            malformed(c, "truncated name");
        switch (t) {
        case Tag::u64:
        case Tag::list_begin:
            if (!c.varint(n.u))
                malformed(c, "truncated value");
            break;
        case Tag::i64:
            if (!c.varint(n.u))
                malformed(c, "truncated value");
            n.i = unzigzag(n.u);
            break;
        case Tag::f64: {
            std::string_view b;
            if (!c.take(8, b))
                malformed(c, "truncated value");
            std::uint64_t bits = 0;
            for (int k = 0; k < 8; ++k)
                bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[k])) << (8 * k);
            std::memcpy(&n.f, &bits, sizeof n.f);
            break;
        }
        case Tag::boolean: {
            std::string_view b;
            if (!c.take(1, b) || (b[0] != 0 && b[0] != 1))
                malformed(c, "bad boolean");
            n.u = static_cast<std::uint64_t>(b[0]);
            break;
        }
        case Tag::str:
        case Tag::bytes:
            if (!c.varint(len) || !c.take(len, n.text))
                malformed(c, "truncated value");
            break;
        default:
            break;
        }
        if (t == Tag::list_begin)
            parse_values(c, n.items, Tag::list_end, depth + 1);
        else if (t == Tag::object_begin)
            parse_values(c, n.items, Tag::object_end, depth + 1);
        out.push_back(std::move(n));
    }
}

// JSON string with escapes; invalid UTF-8 becomes U+FFFD so the output is always
// valid JSON.
void put_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20)
                    out += fmt::format("\\u{:04x}", c);
                else
                    out.push_back(static_cast<char>(c));
            }
            ++i;
            continue;
        }
        // Length of a well-formed UTF-8 sequence starting here, or 0.
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07;
        }
        bool ok = n != 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            ok = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (ok)
            ok = (n == 3 && cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) ||
                 (n == 4 && cp >= 0x10000 && cp <= 0x10ffff) || n == 2;
        if (ok) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\\ufffd";
            ++i;
        }
    }
    out.push_back('"');
}

void put_value(std::string& out, const Node& n);

void put_object(std::string& out, const std::vector<Node>& fields, std::size_t from,
                std::size_t to) {
    out.push_back('{');
    for (std::size_t k = from; k < to; ++k) {
        if (k != from)
            out.push_back(',');
        put_json_string(out, fields[k].name);
        out.push_back(':');
        put_value(out, fields[k]);
    }
    out.push_back('}');
}

// A list of `count` elements holds count * k values when every element writes the
// same k fields. Then each element prints as a JSON object (or as a bare value when
// k is 1). Otherwise the element boundaries are unknown and each value prints as an
// object of its own, which loses nothing.
void put_list(std::string& out, const Node& n) {
    const auto& v = n.items;
    std::size_t k = 0;
    if (n.u != 0 && v.size() % n.u == 0 && !v.empty()) {
        k = v.size() / n.u;
        for (std::size_t e = 1; k != 0 && e < n.u; ++e)
            for (std::size_t j = 0; j < k; ++j)
                if (v[e * k + j].name != v[j].name || v[e * k + j].tag != v[j].tag) {
                    k = 0;
                    break;
                }
    }
    out.push_back('[');
    if (k == 1) {
        for (std::size_t e = 0; e < v.size(); ++e) {
            if (e != 0)
                out.push_back(',');
            put_value(out, v[e]);
        }
    } else if (k > 1) {
        for (std::size_t e = 0; e < n.u; ++e) {
            if (e != 0)
                out.push_back(',');
            put_object(out, v, e * k, (e + 1) * k);
        }
    } else {
        for (std::size_t e = 0; e < v.size(); ++e) {
            if (e != 0)
                out.push_back(',');
            put_object(out, v, e, e + 1);
        }
    }
    out.push_back(']');
}

void put_value(std::string& out, const Node& n) {
    switch (n.tag) {
    case Tag::u64:
        out += fmt::format("{}", n.u);
        break;
    case Tag::i64:
        out += fmt::format("{}", n.i);
        break;
    case Tag::f64:
        // JSON has no NaN or infinities; print them as strings rather than lose them.
        if (std::isnan(n.f))
            out += "\"NaN\"";
        else if (std::isinf(n.f))
            out += n.f > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        else
            out += fmt::format("{}", n.f);
        break;
    case Tag::boolean:
        out += n.u ? "true" : "false";
        break;
    case Tag::str:
        put_json_string(out, n.text);
        break;
    case Tag::bytes:
        out += fmt::format("{{\"bytes\":{},\"xxh64\":\"{:016x}\"}}", n.text.size(),
                           XXH64(n.text.data(), n.text.size(), 0));
        break;
    case Tag::list_begin:
        put_list(out, n);
        break;
    case Tag::object_begin:
        put_object(out, n.items, 0, n.items.size());
        break;
    default:
        break;
    }
}

} // namespace

std::string state_to_json(std::string_view data) {
    Cursor c{data, 0};
    std::vector<Node> top;
    parse_values(c, top, Tag::object_end, 0);
    std::string out;
    put_object(out, top, 0, top.size());
    return out;
}

} // namespace weir
