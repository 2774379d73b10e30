#include "validate/rule_set.hpp"

#include "cli/error.hpp"
#include "expr/expr.hpp"
#include "json/document.hpp"
#include "json/field_path.hpp"
#include "json/number_compare.hpp"
#include "time/duration.hpp"
#include "time/event_time.hpp"
#include "validate/json_schema.hpp"
#include "validate/range.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace weir {

namespace {

enum class TypeName { string, number, integer, boolean, object, array, timestamp };

std::optional<TypeName> parse_type_name(std::string_view s) {
    if (s == "string")
        return TypeName::string;
    if (s == "number")
        return TypeName::number;
    if (s == "integer")
        return TypeName::integer;
    if (s == "bool")
        return TypeName::boolean;
    if (s == "object")
        return TypeName::object;
    if (s == "array")
        return TypeName::array;
    if (s == "timestamp")
        return TypeName::timestamp;
    return std::nullopt;
}

// The allowed values of an enum rule, by kind, so a check is a few comparisons.
// Numbers stay parsed JSON values (in `doc`) and compare exactly: 2^53 + 1 is not 2^53.
struct EnumValues {
    std::unique_ptr<simdjson::dom::parser> doc;
    std::vector<std::string> strings;
    std::vector<FieldValue> numbers;
    bool allow_true = false, allow_false = false, allow_null = false;

    bool contains(const FieldValue& v) const {
        switch (v.kind()) {
        case FieldKind::string: {
            std::string_view s = v.as_string();
            return std::find(strings.begin(), strings.end(), s) != strings.end();
        }
        case FieldKind::int64:
        case FieldKind::uint64:
        case FieldKind::float64:
            return std::any_of(numbers.begin(), numbers.end(),
                               [&](const FieldValue& n) { return compare_numbers(v, n) == 0; });
        case FieldKind::boolean:
            return v.as_bool() ? allow_true : allow_false;
        case FieldKind::null:
            return allow_null;
        default:
            return false;
        }
    }
};

// Values are JSON scalar texts ("\"view\"", "3", "true"): the form both the flags and
// the rules file give them in.
EnumValues compile_enum(const RuleSpec& spec) {
    if (spec.values.empty())
        throw Error(Exit::usage, "{}: enum needs at least one value", spec.origin);
    EnumValues ev;
    ev.doc = std::make_unique<simdjson::dom::parser>();
    simdjson::dom::element e;
    for (const std::string& text : spec.values) {
        simdjson::padded_string padded(text);
        if (ev.doc->parse(padded).get(e) != simdjson::SUCCESS || e.is_array() || e.is_object())
            throw Error(Exit::usage, "{}: enum value {} is not a JSON scalar", spec.origin, text);
    }
    // One document for all values, so the number views stay valid.
    std::string all = "[";
    for (const std::string& text : spec.values)
        all += (all.size() > 1 ? "," : "") + text;
    all += ']';
    simdjson::padded_string padded(all);
    simdjson::dom::element arr;
    if (ev.doc->parse(padded).get(arr) != simdjson::SUCCESS)
        throw Error(Exit::internal, "{}: enum values do not parse together", spec.origin);
    simdjson::dom::array items = arr.get_array().value_unsafe();
    for (simdjson::dom::element item : items) {
        FieldValue v(item);
        switch (v.kind()) {
        case FieldKind::string:
            ev.strings.emplace_back(v.as_string());
            break;
        case FieldKind::boolean:
            (v.as_bool() ? ev.allow_true : ev.allow_false) = true;
            break;
        case FieldKind::null:
            ev.allow_null = true;
            break;
        default:
            ev.numbers.push_back(v);
            break;
        }
    }
    return ev;
}

} // namespace

struct RuleSet::Check {
    RuleKind kind = RuleKind::require;
    bool schema = false; // a JsonSchema's checks, all at once (index in schemas_)
    std::size_t schema_index = 0;
    std::uint32_t name = 0;
    std::size_t slot = 0; // in fields_
    TypeName type = TypeName::string;
    Range range;
    EnumValues values;
    std::unique_ptr<RE2> re;
    Duration window{}; // not_future: the skew; max_age: the age
    std::unique_ptr<expr::Expr> expr;
};

RuleSet::RuleSet(TimeUnit unit) : unit_(unit) {}

RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

std::uint32_t RuleSet::name_id(const std::string& name) {
    auto it = std::find(names_.begin(), names_.end(), name);
    if (it != names_.end())
        return static_cast<std::uint32_t>(it - names_.begin());
    names_.push_back(name);
    seen_.push_back(0);
    return static_cast<std::uint32_t>(names_.size() - 1);
}

void RuleSet::add(const RuleSpec& spec) {
    Check c;
    c.kind = spec.kind;
    if (spec.kind != RuleKind::expr) {
        std::string why;
        auto path = FieldPath::parse(spec.field, &why);
        if (!path)
            throw Error(Exit::usage, "{}: field path '{}': {}", spec.origin, spec.field, why);
        c.slot = fields_.add(*path);
    }
    switch (spec.kind) {
    case RuleKind::require:
        break;
    case RuleKind::type: {
        auto t = parse_type_name(spec.arg);
        if (!t)
            throw Error(Exit::usage,
                        "{}: unknown type '{}' (string, number, integer, bool, object, array, "
                        "timestamp)",
                        spec.origin, spec.arg);
        c.type = *t;
        break;
    }
    case RuleKind::range: {
        std::string why;
        auto r = parse_range(spec.arg, &why);
        if (!r)
            throw Error(Exit::usage, "{}: {}", spec.origin, why);
        c.range = *r;
        break;
    }
    case RuleKind::enum_of:
        c.values = compile_enum(spec);
        break;
    case RuleKind::match: {
        RE2::Options o;
        o.set_log_errors(false);
        c.re = std::make_unique<RE2>(spec.arg, o);
        if (!c.re->ok())
            throw Error(Exit::usage, "{}: regex '{}': {}", spec.origin, spec.arg, c.re->error());
        break;
    }
    case RuleKind::not_future:
    case RuleKind::max_age: {
        if (spec.arg.empty() && spec.kind == RuleKind::not_future)
            break;
        auto d = try_parse_duration(spec.arg);
        if (!d || d->count() < 0)
            throw Error(Exit::usage, "{}: '{}' is not a duration (e.g. 90s, 5m, 1h30m, 7d)",
                        spec.origin, spec.arg);
        c.window = *d;
        break;
    }
    case RuleKind::expr:
        c.expr = std::make_unique<expr::Expr>(expr::Expr::compile(spec.arg, spec.origin));
        break;
    }
    c.name = name_id(spec.name);
    checks_.push_back(std::move(c));
}

void RuleSet::add_schema(JsonSchema schema) {
    Check c;
    c.schema = true;
    c.schema_index = schemas_.size();
    std::vector<std::uint32_t> ids;
    for (const std::string& n : schema.check_names())
        ids.push_back(name_id(n));
    schemas_.push_back(std::move(schema));
    schema_names_.push_back(std::move(ids));
    scratch_.reserve(std::max(scratch_.capacity(), schema_names_.back().size()));
    checks_.push_back(std::move(c));
}

void RuleSet::fail(std::uint32_t name, std::vector<std::uint32_t>& failed) {
    if (seen_[name] == generation_)
        return;
    seen_[name] = generation_;
    failed.push_back(name);
}

void RuleSet::check(simdjson::dom::element root, Timestamp now,
                    std::vector<std::uint32_t>& failed) {
    ++generation_;
    fields_.resolve(root);
    for (Check& c : checks_) {
        if (c.schema) {
            scratch_.clear();
            schemas_[c.schema_index].check(root, scratch_);
            for (std::uint32_t i : scratch_)
                fail(schema_names_[c.schema_index][i], failed);
            continue;
        }
        if (c.kind == RuleKind::expr) {
            c.expr->set_now(now);
            if (!c.expr->test(root))
                fail(c.name, failed);
            continue;
        }
        const FieldValue& v = fields_[c.slot];
        if (c.kind == RuleKind::require) {
            if (v.is_missing() || v.is_null())
                fail(c.name, failed);
            continue;
        }
        if (v.is_missing())
            continue; // only --require judges absence
        bool ok = true;
        switch (c.kind) {
        case RuleKind::type:
            switch (c.type) {
            case TypeName::string:
                ok = v.kind() == FieldKind::string;
                break;
            case TypeName::number:
                ok = v.is_number();
                break;
            case TypeName::integer:
                ok = is_integral(v);
                break;
            case TypeName::boolean:
                ok = v.kind() == FieldKind::boolean;
                break;
            case TypeName::object:
                ok = v.kind() == FieldKind::object;
                break;
            case TypeName::array:
                ok = v.kind() == FieldKind::array;
                break;
            case TypeName::timestamp:
                ok = event_time_from_json(v.element(), unit_).ok();
                break;
            }
            break;
        case RuleKind::range:
            if (c.range.timestamps) {
                EventTimeResult t = event_time_from_json(v.element(), unit_);
                ok = t.ok() && (!c.range.min_time || t.time() >= *c.range.min_time) &&
                     (!c.range.max_time || t.time() <= *c.range.max_time);
            } else {
                ok = v.is_number();
                if (ok) {
                    double d = v.as_double();
                    ok = (!c.range.min || d >= *c.range.min) && (!c.range.max || d <= *c.range.max);
                }
            }
            break;
        case RuleKind::enum_of:
            ok = c.values.contains(v);
            break;
        case RuleKind::match:
            if (v.kind() != FieldKind::string) {
                ok = false;
            } else {
                std::string_view s = v.as_string();
                ok = RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *c.re);
            }
            break;
        case RuleKind::not_future: {
            EventTimeResult t = event_time_from_json(v.element(), unit_);
            ok = t.ok() && t.time() - now <= c.window.count(); // no overflow: both in 0000-9999
            break;
        }
        case RuleKind::max_age: {
            EventTimeResult t = event_time_from_json(v.element(), unit_);
            ok = t.ok() && now - t.time() <= c.window.count();
            break;
        }
        case RuleKind::require:
        case RuleKind::expr:
            break;
        }
        if (!ok)
            fail(c.name, failed);
    }
}

} // namespace weir
