#include "cat/cat_op.hpp"

#include "json/escape.hpp"
#include "time/rfc3339.hpp"

#include <simdjson.h>

#include <algorithm>

namespace weir {

namespace {

void indent(std::string& out, int depth) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void append_time_or_null(std::string& out, Timestamp t) {
    if (t == no_timestamp) {
        out += "null";
        return;
    }
    out += '"';
    append_rfc3339(out, t);
    out += '"';
}

} // namespace

void append_pretty_json(std::string& out, simdjson::dom::element e, int depth) {
    using simdjson::dom::element_type;
    switch (e.type()) {
    case element_type::OBJECT: {
        simdjson::dom::object obj = e.get_object().value_unsafe();
        if (obj.size() == 0) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (auto field : obj) {
            if (!first)
                out += ",\n";
            first = false;
            indent(out, depth + 1);
            append_json_string(out, field.key);
            out += ": ";
            append_pretty_json(out, field.value, depth + 1);
        }
        out += '\n';
        indent(out, depth);
        out += '}';
        return;
    }
    case element_type::ARRAY: {
        simdjson::dom::array arr = e.get_array().value_unsafe();
        if (arr.size() == 0) {
            out += "[]";
            return;
        }
        out += "[\n";
        bool first = true;
        for (simdjson::dom::element v : arr) {
            if (!first)
                out += ",\n";
            first = false;
            indent(out, depth + 1);
            append_pretty_json(out, v, depth + 1);
        }
        out += '\n';
        indent(out, depth);
        out += ']';
        return;
    }
    default:
        append_json_value(out, e);
        return;
    }
}

Flow PrettyOp::process(const Record& in, Context& ctx) {
    if (!doc_.parse(in.json)) {
        ctx.reject(doc_.reason(), doc_.detail());
        return Flow::more;
    }
    out_.clear();
    append_pretty_json(out_, doc_.root());
    Record r = in;
    r.json = out_;
    ctx.emit(r);
    return Flow::more;
}

Flow StatsOp::process(const Record& in, Context&) {
    ++records_;
    bytes_ += in.json.size() + 1;
    if (in.source >= per_source_.size())
        per_source_.resize(in.source + 1);
    ++per_source_[in.source];
    if (in.event_time == no_timestamp) {
        ++without_time_;
    } else {
        if (first_ == no_timestamp)
            first_ = in.event_time;
        last_ = in.event_time;
        min_ = min_ == no_timestamp ? in.event_time : std::min(min_, in.event_time);
        max_ = std::max(max_, in.event_time);
    }
    return Flow::more;
}

void StatsOp::finish(Context& ctx) {
    const RunCounters& c = ctx.counters();
    out_ = fmt::format("{{\"records\":{},\"invalid\":{},\"bytes\":{}", records_,
                       c.rejected(Channel::dead_letter), bytes_);
    out_ += ",\"first_event_time\":";
    append_time_or_null(out_, first_);
    out_ += ",\"last_event_time\":";
    append_time_or_null(out_, last_);
    out_ += ",\"min_event_time\":";
    append_time_or_null(out_, min_);
    out_ += ",\"max_event_time\":";
    append_time_or_null(out_, max_);
    if (min_ != no_timestamp)
        out_ += fmt::format(",\"span_seconds\":{}", static_cast<double>(max_ - min_) / 1e6);
    else
        out_ += ",\"span_seconds\":null";
    out_ += fmt::format(",\"without_event_time\":{},\"barriers\":{},\"last_epoch\":{}",
                        without_time_, c.batches, c.last_barrier);
    out_ += ",\"watermark\":";
    append_time_or_null(out_, c.watermark);
    out_ += ",\"sources\":{";
    bool first = true;
    for (std::uint32_t i = 0; i < per_source_.size(); ++i) {
        if (per_source_[i] == 0)
            continue;
        if (!first)
            out_ += ',';
        first = false;
        append_json_string(out_, ctx.sources().name(i));
        out_ += fmt::format(":{}", per_source_[i]);
    }
    out_ += "}}";
    Record r;
    r.json = out_;
    ctx.emit(r);
}

} // namespace weir
