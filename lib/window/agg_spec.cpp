#include "window/agg_spec.hpp"

#include "cli/error.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace weir {

namespace {

struct FuncName {
    std::string_view name;
    AggFunc func;
    double q; // for the pNN shorthands
};

constexpr std::array<FuncName, 15> func_names{{
    {"count", AggFunc::count, 0},
    {"count_if", AggFunc::count_if, 0},
    {"sum", AggFunc::sum, 0},
    {"min", AggFunc::min, 0},
    {"max", AggFunc::max, 0},
    {"avg", AggFunc::avg, 0},
    {"first", AggFunc::first, 0},
    {"last", AggFunc::last, 0},
    {"distinct", AggFunc::distinct, 0},
    {"approx_distinct", AggFunc::approx_distinct, 0},
    {"p50", AggFunc::quantile, 0.5},
    {"p90", AggFunc::quantile, 0.9},
    {"p95", AggFunc::quantile, 0.95},
    {"p99", AggFunc::quantile, 0.99},
    {"collect", AggFunc::collect, 0},
}};

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

// Where count_if's "=NAME" starts (the '='), or npos; see the header for the rule.
std::size_t count_if_name_start(std::string_view body) {
    std::size_t eq = body.rfind('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == body.size())
        return std::string_view::npos;
    char before = body[eq - 1];
    if (before == '=' || before == '!' || before == '<' || before == '>')
        return std::string_view::npos;
    for (char c : body.substr(eq + 1))
        if (!is_name_char(c))
            return std::string_view::npos;
    return eq;
}

// "0.75" -> "75", "0.999" -> "99.9", "1" -> "100": the decimal point moved two places
// in the text, so no binary rounding shows up in a name.
std::string percent_text(std::string_view q) {
    std::string whole(q.substr(0, q.find('.')));
    std::string frac(q.find('.') == std::string_view::npos ? "" : q.substr(q.find('.') + 1));
    frac.resize(std::max<std::size_t>(frac.size(), 2), '0');
    whole += frac.substr(0, 2);
    frac.erase(0, 2);
    while (whole.size() > 1 && whole[0] == '0')
        whole.erase(0, 1);
    while (!frac.empty() && frac.back() == '0')
        frac.pop_back();
    return frac.empty() ? whole : whole + "." + frac;
}

std::string joined_segments(const FieldPath& p) {
    std::string out;
    for (const std::string& s : p.segments()) {
        if (!out.empty())
            out += '_';
        out += s;
    }
    return out;
}

} // namespace

std::string_view agg_func_name(AggFunc f) {
    switch (f) {
    case AggFunc::count:
        return "count";
    case AggFunc::count_if:
        return "count_if";
    case AggFunc::sum:
        return "sum";
    case AggFunc::min:
        return "min";
    case AggFunc::max:
        return "max";
    case AggFunc::avg:
        return "avg";
    case AggFunc::first:
        return "first";
    case AggFunc::last:
        return "last";
    case AggFunc::distinct:
        return "distinct";
    case AggFunc::approx_distinct:
        return "approx_distinct";
    case AggFunc::quantile:
        return "quantile";
    case AggFunc::collect:
        return "collect";
    }
    return "?";
}

bool agg_is_numeric(AggFunc f) {
    return f == AggFunc::sum || f == AggFunc::min || f == AggFunc::max || f == AggFunc::avg ||
           f == AggFunc::quantile;
}

AggSpec parse_agg_spec(std::string_view text) {
    AggSpec spec;
    spec.text = std::string(text);
    auto fail = [&](std::string_view what) {
        return Error(Exit::usage, "--agg '{}': {}", text, what);
    };

    // FUNC ends at the first ':' or '='; for quantile(q) the parentheses come first.
    std::size_t func_end = text.find_first_of(":=");
    std::string_view func = text.substr(0, func_end);
    std::string_view rest = func_end == std::string_view::npos ? "" : text.substr(func_end);
    std::string default_prefix;

    if (func.starts_with("quantile(")) {
        if (!func.ends_with(")"))
            throw fail("expected quantile(Q), as in quantile(0.75):FIELD");
        std::string_view qtext = func.substr(9, func.size() - 10);
        double q = 0;
        auto [ptr, ec] =
            std::from_chars(qtext.data(), qtext.data() + qtext.size(), q, std::chars_format::fixed);
        if (qtext.empty() || ec != std::errc() || ptr != qtext.data() + qtext.size() ||
            !(q >= 0 && q <= 1))
            throw fail(fmt::format("quantile '{}' is not a number from 0 to 1", qtext));
        spec.func = AggFunc::quantile;
        spec.q = q;
        default_prefix = "p" + percent_text(qtext);
    } else {
        const FuncName* found = nullptr;
        for (const FuncName& f : func_names)
            if (f.name == func)
                found = &f;
        if (found == nullptr)
            throw fail(fmt::format("unknown function '{}'", func));
        spec.func = found->func;
        spec.q = found->q;
        default_prefix = std::string(func);
    }

    if (spec.func == AggFunc::count_if) {
        if (!rest.starts_with(":") || rest.size() == 1)
            throw fail("count_if needs an expression, as in count_if:status >= 500");
        std::string_view body = rest.substr(1);
        std::size_t eq = count_if_name_start(body);
        spec.expr = std::string(body.substr(0, eq));
        spec.name = eq == std::string_view::npos ? "count_if" : std::string(body.substr(eq + 1));
        return spec;
    }

    std::string_view field_text;
    if (rest.starts_with(":")) {
        std::size_t eq = rest.find('=');
        field_text = rest.substr(1, eq == std::string_view::npos ? eq : eq - 1);
        rest = eq == std::string_view::npos ? "" : rest.substr(eq);
        std::string why;
        spec.field = FieldPath::parse(field_text, &why);
        if (!spec.field)
            throw fail(fmt::format("field path '{}': {}", field_text, why));
    }
    if (!spec.field && spec.func != AggFunc::count)
        throw fail(fmt::format("{} needs a field, as in {}:FIELD", func, func));

    if (rest.starts_with("=")) {
        spec.name = std::string(rest.substr(1));
        if (spec.name.empty())
            throw fail("empty name after '='");
    } else {
        spec.name =
            spec.field ? default_prefix + "_" + joined_segments(*spec.field) : default_prefix;
    }
    return spec;
}

void check_unique_names(const std::vector<AggSpec>& specs) {
    for (std::size_t i = 0; i < specs.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (specs[i].name == specs[j].name)
                throw Error(Exit::usage,
                            "--agg '{}' and --agg '{}' both write field '{}'; name one with =NAME",
                            specs[j].text, specs[i].text, specs[i].name);
}

} // namespace weir
