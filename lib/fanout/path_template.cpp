#include "fanout/path_template.hpp"

#include "cli/error.hpp"
#include "time/event_time.hpp"
#include "time/rfc3339.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <array>

namespace weir {

namespace {

constexpr std::size_t max_value_bytes = 200;
constexpr std::size_t cut_value_bytes = 180;

// Bytes Hive escapes in partition values: control bytes, DEL and "#%'*/:=?\\{[]^.
constexpr std::array<bool, 256> escape_table = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[c] = true;
    t[0x7f] = true;
    for (unsigned char c : std::string_view("\"#%'*/:=?\\{[]^"))
        t[c] = true;
    return t;
}();

bool needs_escape(unsigned char c) {
    return escape_table[c];
}

void append_2(std::string& out, unsigned v) {
    out.push_back(static_cast<char>('0' + v / 10 % 10));
    out.push_back(static_cast<char>('0' + v % 10));
}

void check_format(std::string_view format, std::string_view where) {
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%')
            continue;
        if (i + 1 == format.size() ||
            std::string_view("YmdHMSj%").find(format[i + 1]) == std::string_view::npos)
            throw Error(Exit::usage,
                        "{}: time format '{}': only %Y %m %d %H %M %S %j and %% are known", where,
                        format);
        ++i;
    }
}

} // namespace

void append_path_value(std::string& out, std::string_view value) {
    if (value.empty()) {
        out.append(default_partition);
        return;
    }
    std::string_view kept = value;
    bool cut = value.size() > max_value_bytes;
    if (cut) {
        kept = value.substr(0, cut_value_bytes);
        // Do not cut a UTF-8 sequence in two.
        while (!kept.empty() && (static_cast<unsigned char>(value[kept.size()]) & 0xC0) == 0x80)
            kept.remove_suffix(1);
    }
    static constexpr char hex[] = "0123456789ABCDEF";
    // Most values need no escape: append them whole.
    std::size_t clean = 0;
    if (!kept.empty() && kept[0] != '.')
        while (clean < kept.size() && !needs_escape(static_cast<unsigned char>(kept[clean])))
            ++clean;
    out.append(kept.substr(0, clean));
    for (std::size_t i = clean; i < kept.size(); ++i) {
        auto c = static_cast<unsigned char>(kept[i]);
        if (needs_escape(c) || (i == 0 && c == '.')) {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    if (cut)
        fmt::format_to(std::back_inserter(out), "~{:016x}",
                       XXH3_64bits(value.data(), value.size()));
}

void append_time_format(std::string& out, Timestamp t, std::string_view format) {
    constexpr std::int64_t us_per_day = 86'400'000'000;
    std::int64_t days = t / us_per_day;
    std::int64_t rest = t % us_per_day;
    if (rest < 0) {
        rest += us_per_day;
        --days;
    }
    auto secs = static_cast<unsigned>(rest / 1'000'000);
    detail::CivilDate d = detail::civil_from_days(days);
    for (std::size_t i = 0; i < format.size(); ++i) {
        char c = format[i];
        if (c != '%' || i + 1 == format.size()) {
            out.push_back(c);
            continue;
        }
        switch (format[++i]) {
        case 'Y':
            if (d.year >= 0 && d.year <= 9999) {
                append_2(out, static_cast<unsigned>(d.year / 100));
                append_2(out, static_cast<unsigned>(d.year % 100));
            } else {
                fmt::format_to(std::back_inserter(out), "{}", d.year);
            }
            break;
        case 'm':
            append_2(out, d.month);
            break;
        case 'd':
            append_2(out, d.day);
            break;
        case 'H':
            append_2(out, secs / 3600);
            break;
        case 'M':
            append_2(out, secs / 60 % 60);
            break;
        case 'S':
            append_2(out, secs % 60);
            break;
        case 'j': {
            auto yday = static_cast<unsigned>(days - detail::days_from_civil(d.year, 1, 1) + 1);
            out.push_back(static_cast<char>('0' + yday / 100));
            append_2(out, yday % 100);
            break;
        }
        default:
            out.push_back(format[i]);
            break;
        }
    }
}

PathTemplate PathTemplate::parse(std::string_view text, std::string_view where) {
    PathTemplate t;
    t.text_ = std::string(text);
    Piece cur;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '}') {
            if (i + 1 < text.size() && text[i + 1] == '}') {
                cur.literal.push_back('}');
                ++i;
                continue;
            }
            throw Error(Exit::usage, "{}: '}}' without '{{' in '{}' (write '}}}}' for a brace)",
                        where, text);
        }
        if (c != '{') {
            cur.literal.push_back(c);
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '{') {
            cur.literal.push_back('{');
            ++i;
            continue;
        }
        std::size_t close = text.find('}', i + 1);
        if (close == std::string_view::npos)
            throw Error(Exit::usage, "{}: '{{' without '}}' in '{}'", where, text);
        std::string_view inside = text.substr(i + 1, close - i - 1);
        std::string_view path = inside;
        std::string_view format;
        if (std::size_t colon = inside.find(':'); colon != std::string_view::npos) {
            path = inside.substr(0, colon);
            format = inside.substr(colon + 1);
            check_format(format, where);
        }
        std::string error;
        std::optional<FieldPath> fp = FieldPath::parse(path, &error);
        if (path.empty() || !fp)
            throw Error(Exit::usage, "{}: '{{{}}}' in '{}': {}", where, inside, text,
                        path.empty() ? std::string("no field name") : error);
        cur.has_field = true;
        cur.slot = t.resolver_.add(*fp);
        cur.format = std::string(format);
        t.fields_.push_back(*fp);
        t.pieces_.push_back(std::move(cur));
        cur = Piece{};
        i = close;
    }
    t.pieces_.push_back(std::move(cur));
    return t;
}

std::string_view PathTemplate::literal_prefix() const {
    return pieces_.front().literal;
}

std::vector<FieldPath> PathTemplate::fields() const {
    return fields_;
}

void PathTemplate::render(simdjson::dom::element root, std::string& out) {
    out.clear();
    if (!fields_.empty())
        resolver_.resolve(root);
    for (const Piece& p : pieces_) {
        out.append(p.literal);
        if (!p.has_field)
            continue;
        const FieldValue& v = resolver_[p.slot];
        if (!p.format.empty()) {
            EventTimeResult t = v.is_missing() ? EventTimeResult::failure("missing")
                                               : event_time_from_json(v.element(), TimeUnit::auto_);
            if (t.ok()) {
                value_.clear();
                // The format is the user's and the digits are safe: written as is, so
                // "%Y/%m" may make two directory levels.
                append_time_format(out, t.time(), p.format);
            } else {
                out.append(default_partition);
            }
            continue;
        }
        switch (v.kind()) {
        case FieldKind::missing:
        case FieldKind::null:
            out.append(default_partition);
            break;
        case FieldKind::string:
            append_path_value(out, v.as_string());
            break;
        default:
            value_.clear();
            append_json_value(value_, v.element());
            append_path_value(out, value_);
            break;
        }
    }
}

} // namespace weir
