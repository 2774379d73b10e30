#include "validate/json_schema.hpp"

#include "cli/error.hpp"
#include "json/document.hpp"
#include "json/escape.hpp"
#include "json/number_compare.hpp"
#include "time/rfc3339.hpp"
#include "validate/text_file.hpp"
#include "wire/record.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace weir {

namespace detail {

namespace {

using simdjson::dom::element;

enum class Op : std::uint8_t {
    type,
    enum_of, // enum and const: one of `values`
    minimum,
    maximum,
    exclusive_minimum,
    exclusive_maximum,
    min_length,
    max_length,
    pattern,
    date_time,
    required,
    no_additional_properties,
};

// Bits of a `type` keyword.
enum TypeBit : std::uint8_t {
    t_string = 1,
    t_number = 2,
    t_integer = 4,
    t_boolean = 8,
    t_object = 16,
    t_array = 32,
    t_null = 64,
};

// JSON Schema equality: numbers by value, objects regardless of member order.
bool json_equal(element a, element b) {
    FieldValue fa(a);
    FieldValue fb(b);
    if (fa.is_number() && fb.is_number())
        return compare_numbers(fa, fb) == 0;
    if (fa.kind() != fb.kind())
        return false;
    switch (fa.kind()) {
    case FieldKind::null:
        return true;
    case FieldKind::boolean:
        return fa.as_bool() == fb.as_bool();
    case FieldKind::string:
        return fa.as_string() == fb.as_string();
    case FieldKind::array: {
        simdjson::dom::array xa = a.get_array().value_unsafe();
        simdjson::dom::array xb = b.get_array().value_unsafe();
        auto ia = xa.begin();
        auto ib = xb.begin();
        for (; ia != xa.end() && ib != xb.end(); ++ia, ++ib)
            if (!json_equal(*ia, *ib))
                return false;
        return ia == xa.end() && ib == xb.end();
    }
    case FieldKind::object: {
        simdjson::dom::object oa = a.get_object().value_unsafe();
        simdjson::dom::object ob = b.get_object().value_unsafe();
        if (oa.size() != ob.size())
            return false;
        for (simdjson::dom::key_value_pair kv : oa) {
            FieldValue other = lookup_member(b, kv.key);
            if (other.is_missing() || !json_equal(kv.value, other.element()))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

struct Check {
    Op op = Op::type;
    std::uint32_t index = 0;          // into check_names
    std::uint8_t types = 0;           // type: TypeBit mask
    element bound;                    // minimum ... exclusiveMaximum: a number of the schema
    std::uint64_t length = 0;         // minLength, maxLength
    std::unique_ptr<RE2> re;          // pattern
    std::string member;               // required: the member name
    std::vector<element> values;      // enum, const: elements of the schema
    std::vector<std::string> allowed; // additionalProperties: sorted property names
};

struct Node {
    std::vector<Check> checks;
    std::vector<std::pair<std::string, std::uint32_t>> properties; // name, node index
    std::int64_t items = -1;                                       // node index, or none
};

} // namespace

struct CompiledSchema {
    JsonDoc doc;             // holds the schema's DOM: enum, const and bounds point into it
    std::vector<Node> nodes; // nodes[0] is the root
    std::vector<std::string> names;
};

namespace {

// JSON Pointer escaping of one reference token.
std::string pointer_token(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// A property name as a field path segment (json/field_path.hpp escapes).
std::string path_segment(std::string_view s, bool first) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '.' || c == '\\' || (c == '$' && first && i == 0))
            out += '\\';
        out += c;
    }
    return out;
}

class Compiler {
public:
    Compiler(CompiledSchema& out, std::string_view origin) : out_(out), origin_(origin) {}

    // Compiles the schema `s` found at JSON Pointer `ptr`, for instances at field path
    // `path` ("$" for the root); returns its node index.
    std::uint32_t node(element s, const std::string& ptr, const std::string& path);

private:
    template <typename... Args>
    [[noreturn]] void fail(const std::string& ptr, fmt::format_string<Args...> f, Args&&... args) {
        throw Error(Exit::usage, "{}: {} at {}", origin_,
                    fmt::format(f, std::forward<Args>(args)...), ptr.empty() ? "/" : ptr);
    }

    std::uint32_t add_name(std::string name) {
        out_.names.push_back(std::move(name));
        return static_cast<std::uint32_t>(out_.names.size() - 1);
    }

    Check make(Op op, const std::string& path, std::string_view keyword) {
        Check c;
        c.op = op;
        c.index = add_name(fmt::format("schema:{}:{}", path, keyword));
        return c;
    }

    static std::string child_path(const std::string& path, std::string_view name) {
        if (path == "$")
            return path_segment(name, true);
        return path + "." + path_segment(name, false);
    }

    std::uint8_t type_bit(const std::string& ptr, element name);
    std::uint64_t length_of(const std::string& ptr, std::string_view keyword, element v);

    CompiledSchema& out_;
    std::string_view origin_;
};

std::uint8_t Compiler::type_bit(const std::string& ptr, element name) {
    std::string_view s;
    if (name.get_string().get(s) != simdjson::SUCCESS)
        fail(ptr, "'type' must be a type name or an array of them");
    static constexpr std::pair<std::string_view, TypeBit> names[] = {
        {"string", t_string}, {"number", t_number}, {"integer", t_integer}, {"boolean", t_boolean},
        {"object", t_object}, {"array", t_array},   {"null", t_null},
    };
    for (auto [n, bit] : names)
        if (n == s)
            return bit;
    fail(ptr, "unknown type '{}' (known: string, number, integer, boolean, object, array, null)",
         s);
}

std::uint64_t Compiler::length_of(const std::string& ptr, std::string_view keyword, element v) {
    FieldValue f(v);
    if (f.kind() == FieldKind::int64 && f.as_int64() >= 0)
        return static_cast<std::uint64_t>(f.as_int64());
    if (f.kind() == FieldKind::uint64)
        return f.as_uint64();
    // JSON Schema allows 2.0 where it wants a non-negative integer.
    if (f.kind() == FieldKind::float64 && is_integral(f) && f.as_double() >= 0 &&
        f.as_double() < 18446744073709551616.0)
        return static_cast<std::uint64_t>(f.as_double());
    fail(ptr, "'{}' must be a non-negative integer", keyword);
}

std::uint32_t Compiler::node(element s, const std::string& ptr, const std::string& path) {
    auto index = static_cast<std::uint32_t>(out_.nodes.size());
    out_.nodes.emplace_back(); // reserve the slot; children are appended after it
    Node n;

    simdjson::dom::object obj;
    bool b = false;
    if (s.get_bool().get(b) == simdjson::SUCCESS && b) {
        out_.nodes[index] = std::move(n); // `true` accepts everything
        return index;
    }
    if (s.is_bool())
        fail(ptr, "the schema 'false' is not supported");
    if (s.get_object().get(obj) != simdjson::SUCCESS)
        fail(ptr, "a schema must be an object");

    std::vector<std::string_view> seen;
    std::optional<std::size_t> additional; // index in n.checks of additionalProperties
    std::vector<std::string> property_names;
    for (simdjson::dom::key_value_pair kv : obj) {
        std::string_view key = kv.key;
        element v = kv.value;
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            fail(ptr, "duplicate keyword '{}'", key);
        seen.push_back(key);

        if (key == "$schema" || key == "$id" || key == "title" || key == "description" ||
            key == "$comment" || key == "examples" || key == "default")
            continue; // annotations: no effect on validity

        if (key == "type") {
            Check c = make(Op::type, path, "type");
            simdjson::dom::array arr;
            if (v.get_array().get(arr) == simdjson::SUCCESS) {
                for (element t : arr)
                    c.types |= type_bit(ptr, t);
                if (c.types == 0)
                    fail(ptr, "'type' is an empty array");
            } else {
                c.types = type_bit(ptr, v);
            }
            n.checks.push_back(std::move(c));
        } else if (key == "required") {
            simdjson::dom::array arr;
            if (v.get_array().get(arr) != simdjson::SUCCESS)
                fail(ptr, "'required' must be an array of property names");
            std::vector<std::string_view> names;
            for (element e : arr) {
                std::string_view name;
                if (e.get_string().get(name) != simdjson::SUCCESS)
                    fail(ptr, "'required' must be an array of property names");
                if (std::find(names.begin(), names.end(), name) != names.end())
                    fail(ptr, "'required' names '{}' twice", name);
                names.push_back(name);
                Check c;
                c.op = Op::required;
                c.index = add_name("schema:required:" + child_path(path, name));
                c.member = name;
                n.checks.push_back(std::move(c));
            }
        } else if (key == "properties") {
            simdjson::dom::object props;
            if (v.get_object().get(props) != simdjson::SUCCESS)
                fail(ptr, "'properties' must be an object");
            for (simdjson::dom::key_value_pair p : props) {
                std::string name(p.key);
                if (std::find(property_names.begin(), property_names.end(), name) !=
                    property_names.end())
                    fail(ptr + "/properties", "duplicate property '{}'", name);
                property_names.push_back(name);
                std::uint32_t child = node(p.value, ptr + "/properties/" + pointer_token(name),
                                           child_path(path, name));
                n.properties.emplace_back(std::move(name), child);
            }
        } else if (key == "enum" || key == "const") {
            Check c = make(Op::enum_of, path, key);
            simdjson::dom::array arr;
            if (key == "const") {
                c.values.push_back(v);
            } else if (v.get_array().get(arr) == simdjson::SUCCESS) {
                for (element e : arr)
                    c.values.push_back(e);
                if (c.values.empty())
                    fail(ptr, "'enum' is an empty array");
            } else {
                fail(ptr, "'enum' must be an array");
            }
            n.checks.push_back(std::move(c));
        } else if (key == "minimum" || key == "maximum" || key == "exclusiveMinimum" ||
                   key == "exclusiveMaximum") {
            if (!v.is_number())
                fail(ptr, "'{}' must be a number{}", key,
                     v.is_bool() ? " (the draft 4 boolean form is not supported)" : "");
            Op op = key == "minimum"            ? Op::minimum
                    : key == "maximum"          ? Op::maximum
                    : key == "exclusiveMinimum" ? Op::exclusive_minimum
                                                : Op::exclusive_maximum;
            Check c = make(op, path, key);
            c.bound = v;
            n.checks.push_back(std::move(c));
        } else if (key == "minLength" || key == "maxLength") {
            Check c = make(key == "minLength" ? Op::min_length : Op::max_length, path, key);
            c.length = length_of(ptr, key, v);
            n.checks.push_back(std::move(c));
        } else if (key == "pattern") {
            std::string_view text;
            if (v.get_string().get(text) != simdjson::SUCCESS)
                fail(ptr, "'pattern' must be a string");
            RE2::Options opts;
            opts.set_log_errors(false);
            auto re = std::make_unique<RE2>(re2::StringPiece(text.data(), text.size()), opts);
            if (!re->ok())
                fail(ptr, "invalid pattern '{}': {}", text, re->error());
            Check c = make(Op::pattern, path, "pattern");
            c.re = std::move(re);
            n.checks.push_back(std::move(c));
        } else if (key == "format") {
            std::string_view text;
            if (v.get_string().get(text) != simdjson::SUCCESS)
                fail(ptr, "'format' must be a string");
            if (text != "date-time")
                fail(ptr, "unsupported format '{}' (only 'date-time' is supported)", text);
            n.checks.push_back(make(Op::date_time, path, "format"));
        } else if (key == "items") {
            if (v.is_array())
                fail(ptr, "unsupported 'items' array form (give one schema for every element)");
            n.items = node(v, ptr + "/items", path + "[]");
        } else if (key == "additionalProperties") {
            bool allowed = false;
            if (v.get_bool().get(allowed) != simdjson::SUCCESS)
                fail(ptr, "unsupported 'additionalProperties' schema (only false is supported)");
            if (!allowed) {
                additional = n.checks.size();
                n.checks.push_back(make(Op::no_additional_properties, path, key));
            }
        } else {
            fail(ptr, "unsupported keyword '{}'", key);
        }
    }
    // additionalProperties may come before properties in the schema; fill it in now.
    if (additional) {
        std::sort(property_names.begin(), property_names.end());
        n.checks[*additional].allowed = std::move(property_names);
    }
    out_.nodes[index] = std::move(n);
    return index;
}

// Runs the checks of one compiled schema over one record.
class Checker {
public:
    Checker(const CompiledSchema& s, std::vector<std::uint32_t>& failed)
        : s_(s)
        , failed_(failed)
        , start_(failed.size()) {}

    void visit(const Node& n, FieldValue v) const {
        for (const Check& c : n.checks)
            if (!passes(c, v))
                fail(c.index);
        if (v.kind() == FieldKind::object) {
            for (const auto& [name, child] : n.properties) {
                FieldValue m = lookup_member(v.element(), name);
                if (!m.is_missing()) // an absent property is only `required`'s business
                    visit(s_.nodes[child], m);
            }
        } else if (v.kind() == FieldKind::array && n.items >= 0) {
            const Node& items = s_.nodes[static_cast<std::size_t>(n.items)];
            // Named, not a range over value_unsafe(): that would refer into a temporary.
            simdjson::dom::array arr = v.element().get_array().value_unsafe();
            for (element e : arr)
                visit(items, FieldValue(e));
        }
    }

    void finish() const {
        std::sort(failed_.begin() + static_cast<std::ptrdiff_t>(start_), failed_.end());
    }

private:
    void fail(std::uint32_t index) const {
        // A check failed by many array elements is reported once; the list is short.
        auto from = failed_.begin() + static_cast<std::ptrdiff_t>(start_);
        if (std::find(from, failed_.end(), index) == failed_.end())
            failed_.push_back(index);
    }

    static bool passes(const Check& c, const FieldValue& v);

    const CompiledSchema& s_;
    std::vector<std::uint32_t>& failed_;
    std::size_t start_;
};

bool Checker::passes(const Check& c, const FieldValue& v) {
    switch (c.op) {
    case Op::type: {
        switch (v.kind()) {
        case FieldKind::string:
            return (c.types & t_string) != 0;
        case FieldKind::boolean:
            return (c.types & t_boolean) != 0;
        case FieldKind::object:
            return (c.types & t_object) != 0;
        case FieldKind::array:
            return (c.types & t_array) != 0;
        case FieldKind::null:
            return (c.types & t_null) != 0;
        case FieldKind::int64:
        case FieldKind::uint64:
        case FieldKind::float64:
            return (c.types & t_number) != 0 || ((c.types & t_integer) != 0 && is_integral(v));
        case FieldKind::missing:
            return true;
        }
        return true;
    }
    case Op::enum_of:
        for (element e : c.values)
            if (json_equal(v.element(), e))
                return true;
        return false;
    case Op::minimum:
        return !v.is_number() || compare_numbers(v, FieldValue(c.bound)) >= 0;
    case Op::maximum:
        return !v.is_number() || compare_numbers(v, FieldValue(c.bound)) <= 0;
    case Op::exclusive_minimum:
        return !v.is_number() || compare_numbers(v, FieldValue(c.bound)) > 0;
    case Op::exclusive_maximum:
        return !v.is_number() || compare_numbers(v, FieldValue(c.bound)) < 0;
    case Op::min_length:
        return v.kind() != FieldKind::string || count_code_points(v.as_string()) >= c.length;
    case Op::max_length:
        return v.kind() != FieldKind::string || count_code_points(v.as_string()) <= c.length;
    case Op::pattern: {
        if (v.kind() != FieldKind::string)
            return true;
        std::string_view s = v.as_string();
        return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *c.re);
    }
    case Op::date_time:
        return v.kind() != FieldKind::string || parse_rfc3339(v.as_string()).has_value();
    case Op::required:
        return v.kind() != FieldKind::object || !lookup_member(v.element(), c.member).is_missing();
    case Op::no_additional_properties:
        if (v.kind() != FieldKind::object)
            return true;
        simdjson::dom::object obj = v.element().get_object().value_unsafe();
        for (simdjson::dom::key_value_pair kv : obj)
            if (!std::binary_search(c.allowed.begin(), c.allowed.end(), kv.key,
                                    [](std::string_view a, std::string_view b) { return a < b; }))
                return false;
        return true;
    }
    return true;
}

} // namespace

} // namespace detail

JsonSchema::JsonSchema() {
    auto impl = std::make_shared<detail::CompiledSchema>();
    impl->nodes.emplace_back(); // a root with no checks
    impl_ = std::move(impl);
}

JsonSchema::JsonSchema(std::shared_ptr<const detail::CompiledSchema> impl)
    : impl_(std::move(impl)) {}

JsonSchema JsonSchema::compile(std::string_view json_text, std::string_view origin) {
    // Built in place: the DOM lives in the parser inside it, and must not move.
    auto impl = std::make_shared<detail::CompiledSchema>();
    std::string padded(json_text);
    padded.append(record_padding, '\0');
    if (!impl->doc.parse(std::string_view(padded.data(), json_text.size()))) {
        if (impl->doc.reason() == Reason::not_object)
            throw Error(Exit::usage, "{}: a schema must be a JSON object", origin);
        throw Error(Exit::usage, "{}: {}", origin, impl->doc.detail());
    }
    detail::Compiler(*impl, origin).node(impl->doc.root(), "", "$");
    return JsonSchema(std::move(impl));
}

JsonSchema JsonSchema::load(const std::string& path) {
    return compile(read_text_file(path), path);
}

const std::vector<std::string>& JsonSchema::check_names() const {
    return impl_->names;
}

void JsonSchema::check(simdjson::dom::element root, std::vector<std::uint32_t>& failed) const {
    detail::Checker checker(*impl_, failed);
    checker.visit(impl_->nodes[0], FieldValue(root));
    checker.finish();
}

} // namespace weir
