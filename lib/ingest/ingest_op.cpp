#include "ingest/ingest_op.hpp"

#include "cli/error.hpp"
#include "json/document.hpp"
#include "json/escape.hpp"
#include "time/rfc3339.hpp"

#include <simdjson.h>

#include <chrono>

namespace weir {

IngestOp::IngestOp(IngestConfig cfg) : cfg_(std::move(cfg)) {
    if (!cfg_.id_field.empty() && cfg_.id_field == cfg_.source_field)
        throw Error(Exit::usage, "--id-field and --source-field name the same field '{}'",
                    cfg_.id_field);
}

Flow IngestOp::process(const Record& in, Context& ctx) {
    if (cfg_.source_field.empty() && cfg_.id_field.empty() && cfg_.ingest_time_field.empty()) {
        ctx.emit(in);
        return Flow::more;
    }
    std::string_view label = ctx.sources().name(in.source);
    splicer_.begin(in.json);
    // A record parsed on the way in tells cheaply whether it already has the fields;
    // only then must the splicer look for them to replace them.
    simdjson::dom::element root;
    bool parsed = ctx.parsed_root(root);
    auto mode_for = [&](const std::string& field) {
        return parsed && lookup_member(root, field).is_missing() ? SpliceMode::append
                                                                 : SpliceMode::replace;
    };
    if (!cfg_.source_field.empty()) {
        // `"_source":"label"` is the same for every record of a source: encode it once.
        if (in.source >= source_members_.size())
            source_members_.resize(in.source + 1);
        std::string& member = source_members_[in.source];
        if (member.empty()) {
            append_json_string(member, cfg_.source_field);
            member += ':';
            append_json_string(member, label);
        }
        splicer_.set_mode(mode_for(cfg_.source_field));
        splicer_.add_encoded(cfg_.source_field, member);
    }
    if (!cfg_.id_field.empty()) {
        scratch_.assign(label);
        scratch_ += ':';
        scratch_ += std::to_string(in.offset);
        splicer_.set_mode(mode_for(cfg_.id_field));
        splicer_.add_string(cfg_.id_field, scratch_);
    }
    if (!cfg_.ingest_time_field.empty()) {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        scratch_.clear();
        append_rfc3339(scratch_, std::chrono::duration_cast<std::chrono::microseconds>(now).count(),
                       6);
        splicer_.set_mode(mode_for(cfg_.ingest_time_field));
        splicer_.add_string(cfg_.ingest_time_field, scratch_);
    }
    Record out = in;
    out.json = splicer_.finish();
    ctx.emit(out);
    return Flow::more;
}

} // namespace weir
