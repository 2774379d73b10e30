#include "dedup/dedup_op.hpp"

#include "cli/error.hpp"
#include "cli/split.hpp"
#include "enrich/key.hpp"
#include "io/output_file.hpp"
#include "json/escape.hpp"
#include "run/dead_letter.hpp"
#include "run/record_root.hpp"
#include "time/duration.hpp"
#include "time/rfc3339.hpp"

#include <fmt/format.h>

#include <iterator>
#include <limits>

namespace weir {

DedupOp::DedupOp(DedupConfig cfg) : cfg_(std::move(cfg)), watermark_(cfg_.watermark_delay) {
    if (cfg_.key.empty())
        throw Error(Exit::usage, "--key: give the key fields (or '*' for the whole record)");
    if (cfg_.key == "*") {
        whole_record_ = true;
    } else {
        for (std::string_view item : split_list(cfg_.key)) {
            if (item.empty())
                throw Error(Exit::usage, "--key '{}': empty field name", cfg_.key);
            key_paths_.push_back(FieldPath::from(item));
            key_slots_.push_back(fields_.add(key_paths_.back()));
        }
    }
    parts_.resize(key_paths_.size());
    if (cfg_.global) {
        if (cfg_.within.count() != 0)
            throw Error(Exit::usage, "--within and --global exclude each other");
        if (cfg_.keep_last)
            throw Error(Exit::usage, "--keep last is for bounded mode (--within), not --global");
        if (cfg_.exact)
            exact_set_.emplace();
        else
            set_.emplace();
        return;
    }
    if (cfg_.within.count() <= 0)
        throw Error(Exit::usage, cfg_.within.count() == 0
                                     ? "give --within DURATION (bounded mode) or --global"
                                     : "--within must be positive");
    horizon_.emplace(cfg_.exact);
    time_.emplace(FieldPath::from(cfg_.time_field), cfg_.time_unit, cfg_.time_given, fields_);
}

std::vector<std::pair<std::string, std::string>> DedupOp::meaning_flags() const {
    return {
        {"--key", cfg_.key},
        {"--global", cfg_.global ? "yes" : "no"},
        {"--within", cfg_.global ? "none" : format_duration(cfg_.within)},
        {"--exact", cfg_.exact ? "yes" : "no"},
        {"--keep", cfg_.keep_last ? "last" : "first"},
        {"--time", cfg_.global ? "none" : cfg_.time_field},
    };
}

std::size_t DedupOp::state_keys() const {
    if (horizon_)
        return horizon_->size();
    return set_ ? set_->size() : exact_set_->size();
}

std::uint64_t DedupOp::state_bytes() const {
    if (horizon_)
        return horizon_->bytes();
    return set_ ? set_->bytes() : exact_set_->bytes();
}

Flow DedupOp::process(const Record& in, Context& ctx) {
    // One walk over the record reads the key fields and the time field together. A
    // whole-record key with a time carried by frames needs no parse at all.
    bool time_from_field = time_ && time_->from_field(in);
    if (!whole_record_ || time_from_field) {
        simdjson::dom::element root;
        if (!record_root(ctx, in, doc_, root))
            return Flow::more;
        fields_.resolve(root);
    }
    if (!read_key(in, ctx))
        return Flow::more;
    if (cfg_.global) {
        process_global(in, ctx);
        return Flow::more;
    }
    Timestamp t = no_timestamp;
    if (!time_->read(in, fields_, ctx, t))
        return Flow::more;
    process_bounded(in, ctx, t);
    return Flow::more;
}

bool DedupOp::read_key(const Record& in, Context& ctx) {
    if (whole_record_) {
        key_.assign(in.json);
        return true;
    }
    const std::size_t n = key_slots_.size();
    for (std::size_t i = 0; i < n; ++i)
        parts_[i] = fields_[key_slots_[i]];
    KeyResult k = encode_key(parts_.data(), n, false, key_);
    if (k == KeyResult::ok) [[likely]]
        return true;
    // encode_key stops at the first part that is no key: name that field.
    std::size_t bad = 0;
    while (bad + 1 < n && !parts_[bad].is_missing() && !parts_[bad].is_null() &&
           parts_[bad].kind() != FieldKind::object && parts_[bad].kind() != FieldKind::array)
        ++bad;
    const std::string& field = key_paths_[bad].text();
    if (k == KeyResult::not_scalar) {
        ctx.reject(Reason::bad_field, fmt::format("field '{}': an {} is not a key", field,
                                                  field_kind_name(parts_[bad].kind())));
        return false;
    }
    if (cfg_.missing_pass) {
        ++missing_passed_;
        ctx.emit(in);
        return false;
    }
    ctx.reject(Reason::bad_field,
               fmt::format("field '{}': {}", field, k == KeyResult::null ? "null" : "missing"));
    return false;
}

void DedupOp::process_bounded(const Record& in, Context& ctx, Timestamp t) {
    // Judged against the watermark as it stood before this record.
    if (watermark_.is_late(t)) {
        write_late(in, t, ctx);
        return;
    }
    // Written on with the time read, which frames output carries downstream.
    Record timed = in;
    timed.event_time = t;
    Fingerprint fp = fingerprint(key_);
    if (HorizonEntry* e = horizon_->find(key_, fp)) {
        ctx.divert(Channel::duplicate);
        if (cfg_.keep_last) {
            // The held occurrence gives way to this one, and is the duplicate.
            Record old = e->held_meta;
            old.json = e->held;
            Position where{ctx.sources().name(old.source), old.line, old.offset};
            write_duplicate(old, where, t, ctx);
            horizon_->hold(*e, timed); // takes the place of the replaced record
            check_state_size();
        } else {
            write_duplicate(in, ctx.position(), e->first, ctx);
        }
    } else {
        HorizonEntry& fresh = horizon_->insert(key_, fp, t, saturating_add(t, cfg_.within));
        if (cfg_.keep_last) {
            horizon_->hold(fresh, timed);
            ctx.consumed();
        } else {
            ctx.emit(timed);
        }
        check_state_size();
    }
    // Then the record moves the watermark, and the horizons it reached close.
    watermark_.observe(t);
    horizon_->expire(watermark_.current(), [&](const HorizonEntry& closed) {
        if (cfg_.keep_last)
            emit_held(closed, ctx);
    });
}

void DedupOp::emit_held(const HorizonEntry& e, Context& ctx) {
    Record r = e.held_meta;
    r.json = e.held;
    ctx.emit(r);
    ctx.generated(1);
}

void DedupOp::report_state(Context& ctx) const {
    ctx.state_size(state_keys(), state_bytes());
    if (!cfg_.global)
        ctx.report_watermark(watermark_.current());
}

void DedupOp::on_tick(std::chrono::steady_clock::time_point /*now*/, Context& ctx) {
    report_state(ctx);
}

void DedupOp::process_global(const Record& in, Context& ctx) {
    Fingerprint fp = fingerprint(key_);
    bool fresh = exact_set_ ? exact_set_->insert(key_, fp) : set_->insert(fp);
    if (fresh) {
        ctx.emit(in);
        check_state_size();
        return;
    }
    ctx.divert(Channel::duplicate);
    write_duplicate(in, ctx.position(), no_timestamp, ctx);
}

// The dead-letter layout (reason "duplicate"), with the key's fields and the event time
// of the occurrence kept appended, so `jq .key` and `grep` both find what they need.
void DedupOp::write_duplicate(const Record& dropped, const Position& where, Timestamp kept_time,
                              Context& /*ctx*/) {
    ++duplicates_count_;
    if (duplicates_ == nullptr)
        return;
    line_.clear();
    std::string_view detail = cfg_.global      ? "key seen before"
                              : cfg_.keep_last ? "replaced by a later occurrence of its key"
                                               : "key seen within the horizon";
    format_side_record(line_, cfg_.tool, "duplicate", detail, where, dropped.json);
    line_.resize(line_.size() - 2); // the closing "}\n"
    if (!whole_record_) {
        line_ += ",\"key\":{";
        for (std::size_t i = 0; i < key_paths_.size(); ++i) {
            if (i > 0)
                line_ += ',';
            append_json_string(line_, key_paths_[i].text());
            line_ += ':';
            append_json_value(line_, parts_[i].element());
        }
        line_ += '}';
    }
    if (kept_time != no_timestamp) {
        line_ += ",\"kept_event_time\":\"";
        append_rfc3339(line_, kept_time);
        line_ += '"';
    }
    line_ += "}\n";
    duplicates_->append(line_);
}

void DedupOp::write_late(const Record& in, Timestamp t, Context& ctx) {
    ctx.divert(Channel::late);
    ++late_count_;
    if (late_ == nullptr) {
        ++late_dropped_;
        return;
    }
    detail_.assign("event time ");
    append_rfc3339(detail_, t);
    detail_ += " is behind the watermark ";
    append_rfc3339(detail_, watermark_.current());
    line_.clear();
    format_side_record(line_, cfg_.tool, "late", detail_, ctx.position(), in.json);
    late_->append(line_);
}

void DedupOp::check_state_size() {
    if (cfg_.max_state == 0 || state_bytes() <= cfg_.max_state) [[likely]]
        return;
    throw Error(Exit::data, "state passed --max-state {} bytes: {} keys in {} bytes; {}",
                cfg_.max_state, state_keys(), state_bytes(),
                cfg_.global ? "raise --max-state" : "raise --max-state or shorten --within");
}

void DedupOp::finish(Context& ctx) {
    if (cfg_.keep_last) {
        // The end of input closes every horizon: the held records are written.
        horizon_->expire_all([&](const HorizonEntry& closed) { emit_held(closed, ctx); });
    }
    report_state(ctx);
    if (late_dropped_ > 0)
        ctx.warn(
            fmt::format("{} late records counted but not kept (no --late FILE)", late_dropped_));
}

void DedupOp::snapshot(StateWriter& w) const {
    w.i64("max_seen", watermark_.max_seen());
    if (horizon_)
        horizon_->snapshot(w);
    else if (set_)
        set_->snapshot(w);
    else
        exact_set_->snapshot(w);
}

void DedupOp::restore(StateReader& r) {
    watermark_.restore(r.i64("max_seen"));
    if (horizon_)
        horizon_->restore(r);
    else if (set_)
        set_->restore(r);
    else
        exact_set_->restore(r);
}

Breakdown DedupOp::breakdown() const {
    Breakdown b;
    b.what = "dedup";
    b.label = "stat";
    b.help = "Records dropped as duplicates or late, and passed on without a key.";
    b.at_exit = false; // for the metrics file; the accounting line already counts drops
    b.counts.emplace_back("duplicates", duplicates_count_);
    b.counts.emplace_back("late", late_count_);
    b.counts.emplace_back("missing_key_passed", missing_passed_);
    return b;
}

} // namespace weir
