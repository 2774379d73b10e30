#include "validate/rules_file.hpp"

#include "cli/error.hpp"
#include "json/document.hpp"
#include "json/escape.hpp"
#include "json/field_path.hpp"
#include "time/duration.hpp"
#include "validate/range.hpp"
#include "validate/text_file.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <toml++/toml.h>

namespace weir {

namespace {

constexpr std::string_view kind_keys = "require, type, range (or min/max), enum, match, "
                                       "not_future, max_age, expr";

constexpr std::string_view known_keys = "field, description, require, type, range, min, max, "
                                        "enum, match, not_future, max_age, expr";

// The type names RuleKind::type accepts (rule_spec.hpp).
constexpr std::string_view type_names[] = {"string", "number", "integer",  "bool",
                                           "object", "array",  "timestamp"};

std::string_view toml_type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a float";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

bool before_in_file(const toml::node& a, const toml::node& b) {
    const toml::source_position& pa = a.source().begin;
    const toml::source_position& pb = b.source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
}

// toml++ keeps a table's members in a map; rules and messages want file order.
std::vector<std::pair<std::string_view, const toml::node*>> in_file_order(const toml::table& t) {
    std::vector<std::pair<std::string_view, const toml::node*>> members;
    for (auto&& [key, node] : t)
        members.emplace_back(key.str(), &node);
    std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
        return before_in_file(*a.second, *b.second);
    });
    return members;
}

// Why `text` is not a valid range, or empty when it is.
std::string range_problem(std::string_view text) {
    std::string why;
    if (!parse_range(text, &why))
        return why;
    return {};
}

// Reads one rule table into RuleSpecs, failing with the file, line and table named.
class TableReader {
public:
    TableReader(const std::string& path, std::string_view name, const toml::table& table)
        : path_(path)
        , name_(name)
        , table_(table) {}

    void read(std::vector<RuleSpec>& out);

private:
    template <typename... Args>
    [[noreturn]] void fail(const toml::node& at, fmt::format_string<Args...> f, Args&&... args) {
        throw Error(Exit::usage, "{}:{}: [{}] {}", path_, at.source().begin.line, name_,
                    fmt::format(f, std::forward<Args>(args)...));
    }

    std::string_view string_of(std::string_view key, const toml::node& n) {
        if (!n.is_string())
            fail(n, "'{}' must be a string, not {}", key, toml_type_name(n));
        return n.as_string()->get();
    }

    void check_field_path(const toml::node& at, std::string_view text) {
        std::string why;
        if (!FieldPath::parse(text, &why))
            fail(at, "field path '{}': {}", text, why);
    }

    std::string json_scalar(const toml::node& n);
    std::string number_text(std::string_view key, const toml::node& n);
    RuleSpec base(RuleKind kind) const;

    const std::string& path_;
    std::string_view name_;
    const toml::table& table_;
};

RuleSpec TableReader::base(RuleKind kind) const {
    RuleSpec spec;
    spec.name = name_;
    spec.kind = kind;
    spec.origin = fmt::format("{} [{}]", path_, name_);
    return spec;
}

// An enum value as the text of a JSON scalar, as RuleSpec::values holds it.
std::string TableReader::json_scalar(const toml::node& n) {
    std::string out;
    if (const auto* s = n.as_string()) {
        append_json_string(out, s->get());
    } else if (const auto* i = n.as_integer()) {
        out = std::to_string(i->get());
    } else if (const auto* f = n.as_floating_point()) {
        if (!std::isfinite(f->get()))
            fail(n, "'enum' values must be finite numbers");
        append_json_double(out, f->get());
    } else if (const auto* b = n.as_boolean()) {
        out = b->get() ? "true" : "false";
    } else {
        fail(n, "'enum' values must be strings, numbers or booleans, not {}", toml_type_name(n));
    }
    return out;
}

// min/max as the text of one end of a range.
std::string TableReader::number_text(std::string_view key, const toml::node& n) {
    if (const auto* i = n.as_integer())
        return std::to_string(i->get());
    if (const auto* f = n.as_floating_point()) {
        if (!std::isfinite(f->get()))
            fail(n, "'{}' must be a finite number", key);
        std::string out;
        append_json_double(out, f->get());
        return out;
    }
    fail(n, "'{}' must be a number, not {}", key, toml_type_name(n));
}

void TableReader::read(std::vector<RuleSpec>& out) {
    // Pass 1: sort the keys into field, description and the one rule kind.
    const toml::node* field = nullptr;
    const toml::node* kind = nullptr; // the first kind key met in file order
    std::string_view kind_key;
    const toml::node* min = nullptr;
    const toml::node* max = nullptr;
    for (auto [key, node] : in_file_order(table_)) {
        if (key == "field") {
            field = node;
            continue;
        }
        if (key == "description") {
            string_of(key, *node);
            continue;
        }
        bool is_kind = key == "require" || key == "type" || key == "range" || key == "min" ||
                       key == "max" || key == "enum" || key == "match" || key == "not_future" ||
                       key == "max_age" || key == "expr";
        if (!is_kind)
            fail(*node, "unknown key '{}' (known: {})", key, known_keys);
        if (key == "min")
            min = node;
        if (key == "max")
            max = node;
        bool same_range =
            (key == "min" || key == "max") && (kind_key == "min" || kind_key == "max");
        if (kind != nullptr && !same_range)
            fail(*node, "two rule kinds in one table: '{}' and '{}'", kind_key, key);
        if (kind == nullptr) {
            kind = node;
            kind_key = key;
        }
    }
    if (kind == nullptr)
        fail(table_, "no rule kind (give one of {})", kind_keys);

    // Pass 2: `field` is needed by every kind that checks one field.
    bool takes_field = kind_key != "require" && kind_key != "expr";
    std::string field_text;
    if (takes_field) {
        if (field == nullptr)
            fail(table_, "missing 'field' for '{}'", kind_key);
        field_text = string_of("field", *field);
        check_field_path(*field, field_text);
    } else if (field != nullptr) {
        fail(*field, "'field' is not used with '{}'", kind_key);
    }

    // Pass 3: the kind's value, checked now so no mistake waits for the first record.
    auto with_field = [&](RuleKind k) {
        RuleSpec spec = base(k);
        spec.field = field_text;
        return spec;
    };
    if (kind_key == "require") {
        // One string is taken as a list of one: `require = "event_id"` means what it says.
        auto add = [&](const toml::node& n) {
            std::string_view path = string_of("require", n);
            check_field_path(n, path);
            RuleSpec spec = base(RuleKind::require);
            spec.field = path;
            out.push_back(std::move(spec));
        };
        if (const auto* arr = kind->as_array()) {
            if (arr->empty())
                fail(*kind, "'require' is empty");
            for (const toml::node& n : *arr)
                add(n);
        } else if (kind->is_string()) {
            add(*kind);
        } else {
            fail(*kind, "'require' must be an array of field paths, not {}", toml_type_name(*kind));
        }
    } else if (kind_key == "type") {
        std::string_view type = string_of("type", *kind);
        if (std::find(std::begin(type_names), std::end(type_names), type) == std::end(type_names))
            fail(*kind,
                 "unknown type '{}' (known: string, number, integer, bool, object, array, "
                 "timestamp)",
                 type);
        RuleSpec spec = with_field(RuleKind::type);
        spec.arg = type;
        out.push_back(std::move(spec));
    } else if (kind_key == "range") {
        std::string_view text = string_of("range", *kind);
        std::string why = range_problem(text);
        if (!why.empty())
            fail(*kind, "{}", why);
        RuleSpec spec = with_field(RuleKind::range);
        spec.arg = text;
        out.push_back(std::move(spec));
    } else if (kind_key == "min" || kind_key == "max") {
        std::string lo = min != nullptr ? number_text("min", *min) : std::string();
        std::string hi = max != nullptr ? number_text("max", *max) : std::string();
        RuleSpec spec = with_field(RuleKind::range);
        spec.arg = lo + ".." + hi;
        if (!range_problem(spec.arg).empty())
            fail(*max, "'min' ({}) is greater than 'max' ({})", lo, hi);
        out.push_back(std::move(spec));
    } else if (kind_key == "enum") {
        const auto* arr = kind->as_array();
        if (arr == nullptr)
            fail(*kind, "'enum' must be an array, not {}", toml_type_name(*kind));
        if (arr->empty())
            fail(*kind, "'enum' is empty");
        RuleSpec spec = with_field(RuleKind::enum_of);
        for (const toml::node& n : *arr)
            spec.values.push_back(json_scalar(n));
        out.push_back(std::move(spec));
    } else if (kind_key == "match") {
        std::string_view pattern = string_of("match", *kind);
        RE2::Options opts;
        opts.set_log_errors(false);
        RE2 re(re2::StringPiece(pattern.data(), pattern.size()), opts);
        if (!re.ok())
            fail(*kind, "invalid pattern '{}': {}", pattern, re.error());
        RuleSpec spec = with_field(RuleKind::match);
        spec.arg = pattern;
        out.push_back(std::move(spec));
    } else if (kind_key == "not_future" || kind_key == "max_age") {
        std::string_view text = string_of(kind_key, *kind);
        // not_future = "" means no skew allowed; max_age must say how old is too old.
        bool may_be_empty = kind_key == "not_future";
        if (!(text.empty() && may_be_empty) && !try_parse_duration(text))
            fail(*kind, "'{}' is not a duration (e.g. 250ms, 90s, 5m, 1h30m, 2d)", text);
        RuleSpec spec =
            with_field(kind_key == "max_age" ? RuleKind::max_age : RuleKind::not_future);
        spec.arg = text;
        out.push_back(std::move(spec));
    } else { // expr
        std::string_view text = string_of("expr", *kind);
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
            fail(*kind, "'expr' is empty");
        RuleSpec spec = base(RuleKind::expr);
        spec.arg = text;
        out.push_back(std::move(spec));
    }
}

} // namespace

std::vector<RuleSpec> parse_rules_text(std::string_view text, const std::string& path) {
    toml::table doc;
    try {
        doc = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        // toml++ writes sentences ("Error while parsing ..."); weir's messages are lower case.
        std::string why(e.description());
        if (!why.empty() && why[0] >= 'A' && why[0] <= 'Z')
            why[0] = static_cast<char>(why[0] - 'A' + 'a');
        throw Error(Exit::usage, "{}:{}:{}: {}", path, e.source().begin.line,
                    e.source().begin.column, why);
    }

    std::vector<RuleSpec> specs;
    for (auto [name, node] : in_file_order(doc)) {
        const toml::table* table = node->as_table();
        if (table == nullptr)
            throw Error(Exit::usage,
                        "{}:{}: '{}' is {} outside any rule table (each rule is a "
                        "[name] table)",
                        path, node->source().begin.line, name, toml_type_name(*node));
        if (name.empty())
            throw Error(Exit::usage, "{}:{}: [] empty rule name", path, node->source().begin.line);
        TableReader(path, name, *table).read(specs);
    }
    return specs;
}

std::vector<RuleSpec> read_rules_file(const std::string& path) {
    return parse_rules_text(read_text_file(path), path);
}

} // namespace weir
