#include "json/document.hpp"

#include "cli/error.hpp"
#include "json/escape.hpp"
#include "wire/record.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>

namespace weir {

static_assert(record_padding >= simdjson::SIMDJSON_PADDING,
              "records must carry the padding simdjson reads past the end");

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// simdjson's messages are long sentences; DLQ records and stderr want a short cause.
std::string_view json_error_detail(simdjson::error_code err) {
    switch (err) {
    case simdjson::UNCLOSED_STRING:
        return "invalid JSON: unclosed string";
    case simdjson::STRING_ERROR:
        return "invalid JSON: bad escape in string";
    case simdjson::UNESCAPED_CHARS:
        return "invalid JSON: control character in string";
    case simdjson::T_ATOM_ERROR:
        return "invalid JSON: bad literal (expected true)";
    case simdjson::F_ATOM_ERROR:
        return "invalid JSON: bad literal (expected false)";
    case simdjson::N_ATOM_ERROR:
        return "invalid JSON: bad literal (expected null)";
    case simdjson::NUMBER_ERROR:
        return "invalid JSON: bad number (or an integer beyond 64 bits, or an infinite float)";
    case simdjson::NUMBER_OUT_OF_RANGE:
        return "invalid JSON: number out of range";
    case simdjson::DEPTH_ERROR:
        return "invalid JSON: nested too deeply";
    case simdjson::EMPTY:
        return "invalid JSON: empty";
    case simdjson::TAPE_ERROR:
        return "invalid JSON: bad structure (commas, colons, braces or brackets)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        return "invalid JSON: unclosed object or array";
    case simdjson::TRAILING_CONTENT:
        return "invalid JSON: trailing content";
    default:
        return "invalid JSON";
    }
}

template <typename T>
void append_integer(std::string& out, T v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

} // namespace

bool JsonDoc::parse(std::string_view json) {
    // realloc_if_needed = false: parse in place, relying on the record's padding.
    simdjson::error_code err = parser_.parse(json.data(), json.size(), false).get(root_);
    if (err == simdjson::SUCCESS) {
        if (root_.is_object())
            return true;
        reason_ = Reason::not_object;
        detail_ = "not a JSON object";
        return false;
    }
    switch (err) {
    case simdjson::UTF8_ERROR:
        reason_ = Reason::invalid_utf8;
        detail_ = "invalid UTF-8";
        break;
    case simdjson::CAPACITY:
        reason_ = Reason::too_long;
        detail_ = "record too large to parse";
        break;
    case simdjson::MEMALLOC:
        throw Error(Exit::internal, "cannot allocate memory to parse a record of {} bytes",
                    json.size());
    default:
        reason_ = Reason::invalid_json;
        detail_ = json_error_detail(err);
        break;
    }
    return false;
}

std::string_view field_kind_name(FieldKind k) {
    switch (k) {
    case FieldKind::missing:
        return "missing";
    case FieldKind::null:
        return "null";
    case FieldKind::boolean:
        return "boolean";
    case FieldKind::int64:
        return "int64";
    case FieldKind::uint64:
        return "uint64";
    case FieldKind::float64:
        return "float64";
    case FieldKind::string:
        return "string";
    case FieldKind::object:
        return "object";
    case FieldKind::array:
        return "array";
    }
    return "unknown";
}

const std::array<FieldKind, 256> field_kind_table = [] {
    std::array<FieldKind, 256> t{};
    t[static_cast<unsigned char>(element_type::ARRAY)] = FieldKind::array;
    t[static_cast<unsigned char>(element_type::OBJECT)] = FieldKind::object;
    t[static_cast<unsigned char>(element_type::INT64)] = FieldKind::int64;
    t[static_cast<unsigned char>(element_type::UINT64)] = FieldKind::uint64;
    t[static_cast<unsigned char>(element_type::DOUBLE)] = FieldKind::float64;
    t[static_cast<unsigned char>(element_type::STRING)] = FieldKind::string;
    t[static_cast<unsigned char>(element_type::BOOL)] = FieldKind::boolean;
    t[static_cast<unsigned char>(element_type::NULL_VALUE)] = FieldKind::null;
    return t;
}();

bool FieldValue::as_bool() const {
    assert(kind_ == FieldKind::boolean);
    return elem_.get_bool().value_unsafe();
}

std::int64_t FieldValue::as_int64() const {
    assert(kind_ == FieldKind::int64);
    return elem_.get_int64().value_unsafe();
}

std::uint64_t FieldValue::as_uint64() const {
    assert(kind_ == FieldKind::uint64);
    return elem_.get_uint64().value_unsafe();
}

double FieldValue::as_double() const {
    assert(is_number());
    switch (kind_) {
    case FieldKind::int64:
        return static_cast<double>(elem_.get_int64().value_unsafe());
    case FieldKind::uint64:
        return static_cast<double>(elem_.get_uint64().value_unsafe());
    default:
        return elem_.get_double().value_unsafe();
    }
}

std::string_view FieldValue::as_string() const {
    assert(kind_ == FieldKind::string);
    return elem_.get_string().value_unsafe();
}

simdjson::dom::element FieldValue::element() const {
    assert(kind_ != FieldKind::missing);
    return elem_;
}

std::optional<std::int64_t> FieldValue::to_int64() const {
    if (kind_ == FieldKind::int64)
        return as_int64();
    return std::nullopt;
}

std::optional<double> FieldValue::to_double() const {
    if (is_number())
        return as_double();
    return std::nullopt;
}

std::optional<std::string_view> FieldValue::to_string() const {
    if (kind_ == FieldKind::string)
        return as_string();
    return std::nullopt;
}

FieldValue lookup_member(element obj, std::string_view name) {
    simdjson::dom::object o;
    if (obj.get_object().get(o) != simdjson::SUCCESS)
        return {};
    FieldValue found;
    // Not at_key(): it returns the first member of a name, and weir's rule is the last.
    for (simdjson::dom::key_value_pair kv : o)
        if (kv.key == name)
            found = FieldValue(kv.value);
    return found;
}

FieldValue lookup(element root, const FieldPath& path) {
    FieldValue v(root);
    for (const std::string& seg : path.segments()) {
        v = lookup_member(v.element(), seg);
        if (v.is_missing())
            break;
    }
    return v;
}

void append_json_double(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    std::string_view s(buf, static_cast<std::size_t>(res.ptr - buf));
    out.append(s);
    if (s.find_first_of(".e") == std::string_view::npos)
        out += ".0";
}

std::string json_excerpt(const FieldValue& v) {
    std::string s;
    append_json_value(s, v.element());
    if (s.size() > 60)
        s = s.substr(0, 57) + "...";
    return s;
}

void append_json_value(std::string& out, element e) {
    switch (e.type()) {
    case element_type::ARRAY: {
        out += '[';
        bool first = true;
        simdjson::dom::array arr = e.get_array().value_unsafe();
        for (element v : arr) {
            if (!first)
                out += ',';
            first = false;
            append_json_value(out, v);
        }
        out += ']';
        break;
    }
    case element_type::OBJECT: {
        out += '{';
        bool first = true;
        simdjson::dom::object obj = e.get_object().value_unsafe();
        for (simdjson::dom::key_value_pair kv : obj) {
            if (!first)
                out += ',';
            first = false;
            append_json_string(out, kv.key);
            out += ':';
            append_json_value(out, kv.value);
        }
        out += '}';
        break;
    }
    case element_type::INT64:
        append_integer(out, e.get_int64().value_unsafe());
        break;
    case element_type::UINT64:
        append_integer(out, e.get_uint64().value_unsafe());
        break;
    case element_type::DOUBLE:
        append_json_double(out, e.get_double().value_unsafe());
        break;
    case element_type::STRING:
        append_json_string(out, e.get_string().value_unsafe());
        break;
    case element_type::BOOL:
        out += e.get_bool().value_unsafe() ? "true" : "false";
        break;
    case element_type::NULL_VALUE:
        out += "null";
        break;
    }
}

} // namespace weir
