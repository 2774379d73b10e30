#include "run/dead_letter.hpp"

#include "io/output_file.hpp"
#include "json/escape.hpp"

#include <simdjson.h>

namespace weir {

namespace {

void append_base64(std::string& out, std::string_view in) {
    static constexpr char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16 |
                 static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8 |
                 static_cast<unsigned char>(in[i + 2]);
        out += digits[n >> 18];
        out += digits[(n >> 12) & 63];
        out += digits[(n >> 6) & 63];
        out += digits[n & 63];
    }
    if (std::size_t rest = in.size() - i; rest > 0) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
        if (rest == 2)
            n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
        out += digits[n >> 18];
        out += digits[(n >> 12) & 63];
        out += rest == 2 ? digits[(n >> 6) & 63] : '=';
        out += '=';
    }
}

} // namespace

void format_dead_letter(std::string& out, std::string_view tool, Reason why,
                        std::string_view detail, const Position& where, std::string_view raw) {
    out += "{\"tool\":";
    append_json_string(out, tool);
    out += ",\"reason\":\"";
    out += reason_name(why);
    out += "\",\"detail\":";
    append_json_string(out, detail);
    out += ",\"source\":";
    append_json_string(out, where.source);
    out += fmt::format(",\"line\":{},\"offset\":{}", where.line, where.offset);
    if (simdjson::validate_utf8(raw.data(), raw.size())) {
        out += ",\"record\":";
        append_json_string(out, raw);
    } else {
        out += ",\"record_base64\":\"";
        append_base64(out, raw);
        out += '"';
    }
    out += "}\n";
}

void DeadLetterWriter::write(Reason why, std::string_view detail, const Position& where,
                             std::string_view raw) {
    line_.clear();
    format_dead_letter(line_, tool_, why, detail, where, raw);
    file_.append(line_);
}

} // namespace weir
