#include "expr/functions.hpp"

#include "json/document.hpp"
#include "json/escape.hpp"
#include "time/duration.hpp"
#include "time/event_time.hpp"
#include "time/rfc3339.hpp"
#include "time/time_unit.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace weir::expr::detail {

namespace {

constexpr std::array<FunctionInfo, 16> functions{{
    {"exists", Fn::exists, 1, 1},
    {"is_null", Fn::is_null, 1, 1},
    {"type", Fn::type, 1, 1},
    {"len", Fn::len, 1, 1},
    {"lower", Fn::lower, 1, 1},
    {"upper", Fn::upper, 1, 1},
    {"starts_with", Fn::starts_with, 2, 2},
    {"ends_with", Fn::ends_with, 2, 2},
    {"contains", Fn::contains, 2, 2},
    {"matches", Fn::matches, 2, 2},
    {"ts", Fn::ts, 1, 1},
    {"now", Fn::now, 0, 0},
    {"int", Fn::int_, 1, 1},
    {"float", Fn::float_, 1, 1},
    {"str", Fn::str, 1, 1},
    {"coalesce", Fn::coalesce, 1, variadic_args},
}};

bool both_strings(const Value* args) {
    return args[0].kind() == Kind::string && args[1].kind() == Kind::string;
}

Value length(const Value& v) {
    switch (v.kind()) {
    case Kind::string:
        return Value::integer(static_cast<std::int64_t>(count_code_points(v.as_string())));
    case Kind::array:
        return Value::integer(
            static_cast<std::int64_t>(v.element().get_array().value_unsafe().size()));
    case Kind::object:
        return Value::integer(
            static_cast<std::int64_t>(v.element().get_object().value_unsafe().size()));
    default:
        return Value::null();
    }
}

// ASCII case mapping: bytes of other characters are copied unchanged.
Value change_case(const Value& v, bool upper, std::string& scratch) {
    if (v.kind() != Kind::string)
        return Value::null();
    scratch.assign(v.as_string());
    for (char& c : scratch) {
        if (upper && c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        else if (!upper && c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return Value::string(scratch);
}

Value contains(const Value& haystack, const Value& needle) {
    if (haystack.kind() == Kind::string) {
        if (needle.kind() != Kind::string)
            return Value::null();
        return Value::boolean(haystack.as_string().find(needle.as_string()) !=
                              std::string_view::npos);
    }
    if (haystack.kind() == Kind::array) {
        // A named copy: a range-for over value_unsafe() of the temporary result would
        // iterate an array handle that is already gone.
        simdjson::dom::array items = haystack.element().get_array().value_unsafe();
        for (simdjson::dom::element e : items)
            if (equals(Value::from_json(e), needle))
                return Value::boolean(true);
        return Value::boolean(false);
    }
    return Value::null();
}

Value to_timestamp(const Value& v) {
    if (v.kind() == Kind::timestamp)
        return v;
    // A value of the record goes through the one reader of event times, so ts(f) agrees
    // with --time f on every input.
    if (v.has_element()) {
        EventTimeResult r = event_time_from_json(v.element(), TimeUnit::auto_);
        return r.ok() ? Value::timestamp(r.time()) : Value::null();
    }
    std::optional<Timestamp> t;
    if (v.kind() == Kind::string)
        t = parse_rfc3339(v.as_string());
    else if (v.kind() == Kind::integer)
        t = timestamp_from_number(v.as_int(), TimeUnit::auto_);
    else if (v.kind() == Kind::number)
        t = timestamp_from_number(v.as_double(), TimeUnit::auto_);
    return t ? Value::timestamp(*t) : Value::null();
}

// The double a string holds as a whole (JSON-like number text), if any.
std::optional<double> parse_double(std::string_view s) {
    double d = 0;
    std::from_chars_result r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(d))
        return std::nullopt;
    return d;
}

Value truncate(double d) {
    constexpr double two63 = 9223372036854775808.0;
    double t = std::trunc(d);
    if (!(t >= -two63 && t < two63))
        return Value::null();
    return Value::integer(static_cast<std::int64_t>(t));
}

Value to_int(const Value& v) {
    switch (v.kind()) {
    case Kind::integer:
        return v;
    case Kind::number:
        return truncate(v.as_double());
    case Kind::boolean:
        return Value::integer(v.as_bool() ? 1 : 0);
    case Kind::timestamp:
    case Kind::duration:
        return Value::integer(v.as_int());
    case Kind::string: {
        std::string_view s = v.as_string();
        std::int64_t i = 0;
        std::from_chars_result r = std::from_chars(s.data(), s.data() + s.size(), i);
        if (r.ec == std::errc() && r.ptr == s.data() + s.size())
            return Value::integer(i);
        std::optional<double> d = parse_double(s);
        return d ? truncate(*d) : Value::null();
    }
    default:
        return Value::null();
    }
}

Value to_float(const Value& v) {
    switch (v.kind()) {
    case Kind::integer:
    case Kind::number:
        return Value::number(v.as_double());
    case Kind::boolean:
        return Value::number(v.as_bool() ? 1.0 : 0.0);
    case Kind::timestamp:
    case Kind::duration:
        return Value::number(static_cast<double>(v.as_int()));
    case Kind::string: {
        std::optional<double> d = parse_double(v.as_string());
        return d ? Value::number(*d) : Value::null();
    }
    default:
        return Value::null();
    }
}

Value to_str(const Value& v, std::string& scratch) {
    scratch.clear();
    switch (v.kind()) {
    case Kind::string:
        return v;
    case Kind::boolean:
        return Value::string(v.as_bool() ? "true" : "false");
    case Kind::integer: {
        char buf[24];
        std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v.as_int());
        scratch.append(buf, r.ptr);
        break;
    }
    case Kind::number:
        append_json_double(scratch, v.as_double());
        break;
    case Kind::timestamp:
        append_rfc3339(scratch, v.as_timestamp());
        break;
    case Kind::duration:
        scratch = format_duration(v.as_duration());
        break;
    case Kind::array:
    case Kind::object:
        append_json_value(scratch, v.element());
        break;
    default:
        return Value::null();
    }
    return Value::string(scratch);
}

} // namespace

const FunctionInfo* find_function(std::string_view name) {
    for (const FunctionInfo& f : functions)
        if (f.name == name)
            return &f;
    return nullptr;
}

Value call(const Program& program, const Node& node, const Value* args, EvalState& state) {
    std::string& scratch = state.scratch[node.scratch];
    switch (node.fn) {
    case Fn::exists:
        return Value::boolean(!args[0].is_missing());
    case Fn::is_null:
        return Value::boolean(args[0].is_null());
    case Fn::type:
        return Value::string(kind_name(args[0].kind()));
    case Fn::len:
        return length(args[0]);
    case Fn::lower:
        return change_case(args[0], false, scratch);
    case Fn::upper:
        return change_case(args[0], true, scratch);
    case Fn::starts_with:
        if (!both_strings(args))
            return Value::null();
        return Value::boolean(args[0].as_string().substr(0, args[1].as_string().size()) ==
                              args[1].as_string());
    case Fn::ends_with: {
        if (!both_strings(args))
            return Value::null();
        std::string_view s = args[0].as_string();
        std::string_view p = args[1].as_string();
        return Value::boolean(s.size() >= p.size() && s.substr(s.size() - p.size()) == p);
    }
    case Fn::contains:
        return contains(args[0], args[1]);
    case Fn::matches:
        if (args[0].kind() != Kind::string)
            return Value::null();
        return Value::boolean(
            re2::RE2::PartialMatch(args[0].as_string(), *program.regexes[node.index]));
    case Fn::ts:
        return to_timestamp(args[0]);
    case Fn::now:
        return Value::timestamp(current_now(state));
    case Fn::int_:
        return to_int(args[0]);
    case Fn::float_:
        return to_float(args[0]);
    case Fn::str:
        return to_str(args[0], scratch);
    case Fn::coalesce:
        break; // evaluated lazily by eval.cpp
    }
    return Value::null();
}

} // namespace weir::expr::detail
