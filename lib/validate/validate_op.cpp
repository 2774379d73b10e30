#include "validate/validate_op.hpp"

#include "io/output_file.hpp"
#include "json/escape.hpp"
#include "time/rfc3339.hpp"

#include <fmt/format.h>

#include <ctime>

namespace weir {

namespace {

constexpr std::string_view not_an_object = "not_an_object";

// The coarse real-time clock (a vDSO read of a few nanoseconds, ticking every few
// milliseconds): fresh for every record, even on a slow followed stream, yet cheap.
Timestamp coarse_now() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    return static_cast<Timestamp>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

} // namespace

ValidateOp::ValidateOp(ValidateConfig cfg) : cfg_(std::move(cfg)) {
    failures_.assign(cfg_.rules.names().size() + 1, 0);
    for (const std::string& n : cfg_.rules.names()) {
        std::string q;
        append_json_string(q, n);
        quoted_.push_back(std::move(q));
    }
    std::string q;
    append_json_string(q, not_an_object);
    quoted_.push_back(std::move(q));
    failed_.reserve(quoted_.size());
}

Timestamp ValidateOp::now() {
    return cfg_.now != no_timestamp ? cfg_.now : coarse_now();
}

void ValidateOp::append_errors(std::string& out) const {
    out += '[';
    for (std::size_t i = 0; i < failed_.size(); ++i) {
        if (i != 0)
            out += ',';
        out += quoted_[failed_[i]];
    }
    out += ']';
}

Flow ValidateOp::process(const Record& in, Context& ctx) {
    simdjson::dom::element root;
    bool is_object = true;
    if (!ctx.parsed_root(root)) {
        if (doc_.parse(in.json)) {
            root = doc_.root();
        } else if (doc_.reason() == Reason::not_object) {
            is_object = false;
        } else {
            ctx.reject(doc_.reason(), doc_.detail());
            return Flow::more;
        }
    } else if (!root.is_object()) {
        is_object = false;
    }

    Timestamp t = now();
    failed_.clear();
    if (is_object)
        cfg_.rules.check(root, t, failed_);
    else
        failed_.push_back(static_cast<std::uint32_t>(quoted_.size() - 1));
    for (std::uint32_t i : failed_)
        ++failures_[i];
    if (!failed_.empty())
        ++invalid_;

    if (cfg_.annotate) {
        splicer_.begin(in.json);
        splicer_.add_bool("_valid", failed_.empty());
        scratch_.clear();
        append_errors(scratch_);
        splicer_.add_raw("_errors", scratch_);
        Record out = in;
        out.json = splicer_.finish();
        ctx.emit(out);
        return Flow::more;
    }
    if (failed_.empty()) {
        ctx.emit(in);
        return Flow::more;
    }
    quarantine(in, is_object, t, ctx);
    return Flow::more;
}

void ValidateOp::quarantine(const Record& in, bool is_object, Timestamp t, Context& ctx) {
    ctx.divert(Channel::quarantine);
    if (quarantine_ == nullptr)
        return;
    scratch_.clear();
    append_errors(scratch_);
    line_.clear();
    append_rfc3339(line_, t);
    std::string_view json;
    if (is_object) {
        splicer_.begin(in.json);
        splicer_.add_raw("validation_errors", scratch_);
        splicer_.add_string("quarantine_time", line_);
        json = splicer_.finish();
        quarantine_->append(json);
    } else {
        std::string_view body = in.json;
        while (!body.empty() && (body.back() == ' ' || body.back() == '\t' || body.back() == '\r'))
            body.remove_suffix(1);
        quarantine_->append("{\"record\":");
        quarantine_->append(body);
        quarantine_->append(",\"validation_errors\":");
        quarantine_->append(scratch_);
        quarantine_->append(",\"quarantine_time\":\"");
        quarantine_->append(line_);
        quarantine_->append("\"}");
    }
    quarantine_->put('\n');
}

void ValidateOp::finish(Context& ctx) {
    if (invalid_ > 0 && !cfg_.annotate && !cfg_.has_quarantine)
        ctx.warn(fmt::format("{} records failed validation and were dropped (no --quarantine FILE)",
                             invalid_));
}

Breakdown ValidateOp::breakdown() const {
    Breakdown b;
    b.what = "rule_failures";
    b.label = "rule";
    b.help = "Records that failed each validation rule.";
    const auto& names = cfg_.rules.names();
    for (std::size_t i = 0; i < names.size(); ++i)
        b.counts.emplace_back(names[i], failures_[i]);
    b.counts.emplace_back(std::string(not_an_object), failures_.back());
    return b;
}

} // namespace weir
