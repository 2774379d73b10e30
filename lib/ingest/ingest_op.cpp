#include "ingest/ingest_op.hpp"

#include "cli/error.hpp"
#include "json/document.hpp"
#include "json/escape.hpp"
#include "time/rfc3339.hpp"

#include <simdjson.h>

#include <chrono>
#include <cstring>

namespace weir {

IngestOp::IngestOp(IngestConfig cfg) : cfg_(std::move(cfg)) {
    if (!cfg_.id_field.empty() && cfg_.id_field == cfg_.source_field)
        throw Error(Exit::usage, "--id-field and --source-field name the same field '{}'",
                    cfg_.id_field);
    for (const std::string* f : {&cfg_.source_field, &cfg_.id_field, &cfg_.ingest_time_field})
        if (!f->empty()) {
            quoted_names_.emplace_back();
            append_json_string(quoted_names_.back(), *f);
        }
}

namespace {

// `json` (a validated object) ends with `member` as its last member: `{M}` or `,M}`,
// allowing JSON whitespace before the closing brace.
bool ends_with_member(std::string_view json, std::string_view member) {
    std::size_t end = json.size();
    while (end > 0 && (json[end - 1] == ' ' || json[end - 1] == '\t' || json[end - 1] == '\r' ||
                       json[end - 1] == '\n'))
        --end;
    if (end < member.size() + 2 || json[end - 1] != '}')
        return false;
    std::size_t start = end - 1 - member.size();
    if (json.compare(start, member.size(), member) != 0)
        return false;
    char before = json[start - 1];
    return before == ',' || before == '{';
}

} // namespace

bool IngestOp::mentions_a_field(std::string_view json) const {
    for (const std::string& key : quoted_names_)
        if (::memmem(json.data(), json.size(), key.data(), key.size()) != nullptr)
            return true;
    // A name written with escapes needs a backslash somewhere.
    return std::memchr(json.data(), '\\', json.size()) != nullptr;
}

Flow IngestOp::process(const Record& in, Context& ctx) {
    if (cfg_.source_field.empty() && cfg_.id_field.empty() && cfg_.ingest_time_field.empty()) {
        ctx.emit(in);
        return Flow::more;
    }
    std::string_view label = ctx.sources().name(in.source);
    // `"_source":"label"` is the same for every record of a source: encode it once.
    const std::string* member = nullptr;
    if (!cfg_.source_field.empty()) {
        if (in.source >= source_members_.size())
            source_members_.resize(in.source + 1);
        std::string& m = source_members_[in.source];
        if (m.empty()) {
            append_json_string(m, cfg_.source_field);
            m += ':';
            append_json_string(m, label);
        }
        member = &m;
        // The record's last member is this very one (weir put it there upstream: a
        // capture replayed, ingest's output read again): pass it on untouched. Raw
        // quotes cannot occur inside a JSON string, so text ending in `,"_source":"l"}`
        // is that member of the root object, and as the last one it is the one that
        // counts.
        if (cfg_.id_field.empty() && cfg_.ingest_time_field.empty() &&
            ends_with_member(in.json, m)) {
            ctx.emit(in);
            return Flow::more;
        }
    }
    // Whether the record already has a field decides between appending (cheap) and
    // replacing (a scan of the record). A record parsed on the way in (NDJSON) tells
    // from its DOM; one that was not (frames) is parsed here only when its text holds
    // one of the names at all, which a record tagged upstream does.
    simdjson::dom::element root;
    bool parsed = ctx.parsed_root(root);
    bool may_have = parsed || mentions_a_field(in.json);
    if (!parsed && may_have && doc_.parse(in.json)) {
        root = doc_.root();
        parsed = true;
    }
    auto mode_for = [&](const std::string& field) {
        if (!parsed) // the name is nowhere in the text, or the text could not be parsed
            return may_have ? SpliceMode::replace : SpliceMode::append;
        return lookup_member(root, field).is_missing() ? SpliceMode::append : SpliceMode::replace;
    };
    // A record that already carries this very label (a capture, or ingest's own output
    // read again) keeps it: nothing to add, and often nothing to copy.
    bool tag_source = !cfg_.source_field.empty();
    FieldValue source_now; // the record's own source field, looked up once
    if (tag_source && parsed) {
        source_now = lookup_member(root, cfg_.source_field);
        tag_source = !(source_now.kind() == FieldKind::string && source_now.as_string() == label);
    }
    if (!tag_source && cfg_.id_field.empty() && cfg_.ingest_time_field.empty()) {
        ctx.emit(in);
        return Flow::more;
    }
    splicer_.begin(in.json);
    if (tag_source) {
        splicer_.set_mode(!parsed                   ? mode_for(cfg_.source_field)
                          : source_now.is_missing() ? SpliceMode::append
                                                    : SpliceMode::replace);
        splicer_.add_encoded(cfg_.source_field, *member);
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
