#include "run/dead_letter.hpp"

#include "io/output_file.hpp"
#include "json/escape.hpp"
#include "state/base64.hpp"

#include <simdjson.h>

namespace weir {

void format_dead_letter(std::string& out, std::string_view tool, Reason why,
                        std::string_view detail, const Position& where, std::string_view raw) {
    format_side_record(out, tool, reason_name(why), detail, where, raw);
}

void format_side_record(std::string& out, std::string_view tool, std::string_view reason,
                        std::string_view detail, const Position& where, std::string_view raw) {
    out += "{\"tool\":";
    append_json_string(out, tool);
    out += ",\"reason\":";
    append_json_string(out, reason);
    out += ",\"detail\":";
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
