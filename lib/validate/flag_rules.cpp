#include "validate/flag_rules.hpp"

#include "cli/error.hpp"
#include "cli/split.hpp"
#include "json/escape.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace weir {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, finite. Not
// from_chars alone, which also takes "01", "1." and ".5", texts that are no JSON number
// and so only ever match as strings.
bool is_json_number(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
        std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i - start;
    };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (i < s.size() && s[i] == '0')
        ++i;
    else if (digits() == 0)
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (digits() == 0)
            return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (digits() == 0)
            return false;
    }
    if (i != s.size())
        return false;
    double d = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), d);
    return res.ec == std::errc() && std::isfinite(d);
}

// "runs-of-dashes" to "runs_of_dashes": rule names use the flag without its dashes.
std::string rule_prefix(std::string_view flag) {
    std::string p(flag.substr(flag.find_first_not_of('-')));
    for (char& c : p)
        if (c == '-')
            c = '_';
    return p;
}

} // namespace

std::vector<RuleSpec> rules_from_flag(std::string_view flag, std::string_view value) {
    std::vector<RuleSpec> out;
    auto make = [&](RuleKind kind, std::string_view field) {
        RuleSpec s;
        s.kind = kind;
        s.field = std::string(field);
        s.name = rule_prefix(flag) + ":" + s.field;
        s.origin = std::string(flag) + " " + std::string(value);
        if (field.empty())
            throw Error(Exit::usage, "{} '{}': no field named", flag, value);
        return s;
    };
    auto split_field = [&](bool arg_required) {
        std::size_t colon = value.find(':');
        if (colon == std::string_view::npos) {
            if (arg_required)
                throw Error(Exit::usage, "{} '{}': expected FIELD:{}", flag, value,
                            flag == "--type"    ? "TYPE"
                            : flag == "--range" ? "MIN..MAX"
                            : flag == "--enum"  ? "A,B,..."
                            : flag == "--match" ? "REGEX"
                                                : "DURATION");
            return std::pair(trim(value), std::string_view());
        }
        return std::pair(trim(value.substr(0, colon)), value.substr(colon + 1));
    };

    if (flag == "--require") {
        for (std::string_view item : split_list(value)) {
            std::string_view f = trim(item);
            out.push_back(make(RuleKind::require, f));
        }
    } else if (flag == "--rule") {
        std::size_t colon = value.find(':');
        if (colon == std::string_view::npos || trim(value.substr(0, colon)).empty() ||
            trim(value.substr(colon + 1)).empty())
            throw Error(Exit::usage, "--rule '{}': expected 'NAME: EXPR'", value);
        RuleSpec s;
        s.kind = RuleKind::expr;
        s.name = std::string(trim(value.substr(0, colon)));
        s.arg = std::string(trim(value.substr(colon + 1)));
        s.origin = "--rule " + s.name;
        out.push_back(std::move(s));
    } else if (flag == "--not-future") {
        auto [field, skew] = split_field(false);
        RuleSpec s = make(RuleKind::not_future, field);
        s.arg = std::string(trim(skew));
        out.push_back(std::move(s));
    } else {
        auto [field, arg] = split_field(true);
        RuleKind kind = flag == "--type"    ? RuleKind::type
                        : flag == "--range" ? RuleKind::range
                        : flag == "--enum"  ? RuleKind::enum_of
                        : flag == "--match" ? RuleKind::match
                        : flag == "--max-age"
                            ? RuleKind::max_age
                            : throw Error(Exit::internal, "no rule flag {}", flag);
        RuleSpec s = make(kind, field);
        if (kind == RuleKind::enum_of) {
            for (std::string_view item : split_list(arg)) {
                std::string_view v = trim(item);
                std::string quoted;
                append_json_string(quoted, v);
                s.values.push_back(std::move(quoted));
                if (is_json_number(v) || v == "true" || v == "false" || v == "null")
                    s.values.emplace_back(v);
            }
        } else {
            s.arg = std::string(kind == RuleKind::match ? arg : trim(arg));
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace weir
