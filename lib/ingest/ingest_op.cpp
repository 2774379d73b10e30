#include "ingest/ingest_op.hpp"

#include "cli/error.hpp"
#include "time/rfc3339.hpp"

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
    if (!cfg_.source_field.empty())
        splicer_.add_string(cfg_.source_field, label);
    if (!cfg_.id_field.empty()) {
        scratch_.assign(label);
        scratch_ += ':';
        scratch_ += std::to_string(in.offset);
        splicer_.add_string(cfg_.id_field, scratch_);
    }
    if (!cfg_.ingest_time_field.empty()) {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        scratch_.clear();
        append_rfc3339(scratch_, std::chrono::duration_cast<std::chrono::microseconds>(now).count(),
                       6);
        splicer_.add_string(cfg_.ingest_time_field, scratch_);
    }
    Record out = in;
    out.json = splicer_.finish();
    ctx.emit(out);
    return Flow::more;
}

} // namespace weir
