#include "session/session_op.hpp"

#include "cli/error.hpp"
#include "cli/split.hpp"
#include "expr/expr.hpp"
#include "io/output_file.hpp"
#include "json/escape.hpp"
#include "run/dead_letter.hpp"
#include "run/generated_record.hpp"
#include "run/record_root.hpp"
#include "time/duration.hpp"
#include "time/rfc3339.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace weir {

namespace {

constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

// Bytes a session costs beyond its accumulators; a key beyond its bytes.
constexpr std::int64_t session_overhead = sizeof(Session) + 16;
constexpr std::int64_t key_overhead = sizeof(Group) + 48;

// Compact the key table when this many keys, and half of them, have no session: the
// rebuild costs the table's size, so it is amortised over the keys that went idle.
constexpr std::uint64_t compact_at = 16;

// The watermark has passed an inclusive end: current() > end.
bool final_at(Timestamp wm, Timestamp end) {
    return wm != no_timestamp && wm > end;
}

// Seconds from microseconds, exactly: "120.5", "0", "0.000001".
void append_seconds(std::string& out, std::int64_t us) {
    if (us < 0) {
        out += '-';
        us = -us; // spans are never negative; kept total for safety
    }
    out += std::to_string(us / 1000000);
    std::int64_t frac = us % 1000000;
    if (frac == 0)
        return;
    char digits[7];
    for (int i = 5; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    int n = 6;
    while (digits[n - 1] == '0')
        --n;
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
}

// min-heap by end
bool later(Timestamp a_end, Timestamp b_end) {
    return a_end > b_end;
}

} // namespace

std::vector<GapValue> parse_gap_values(std::string_view text) {
    std::vector<GapValue> out;
    for (std::string_view item : split_list(text)) {
        std::size_t eq = item.rfind('=');
        if (eq == std::string_view::npos || eq == 0)
            throw Error(Exit::usage, "--gap-by '{}': expected VALUE=DURATION", item);
        std::string_view value = item.substr(0, eq);
        std::optional<Duration> d = try_parse_duration(item.substr(eq + 1));
        if (!d || d->count() <= 0)
            throw Error(Exit::usage, "--gap-by '{}': '{}' is not a positive duration", item,
                        item.substr(eq + 1));
        for (const GapValue& g : out)
            if (g.value == value)
                throw Error(Exit::usage, "--gap-by: value '{}' is given twice", value);
        out.push_back(GapValue{std::string(value), *d});
    }
    if (out.empty())
        throw Error(Exit::usage, "--gap-by needs VALUE=DURATION pairs after the field");
    return out;
}

SessionizeOp::SessionizeOp(SessionizeConfig cfg)
    : cfg_(std::move(cfg))
    , keys_(cfg_.key, "--key")
    , time_(cfg_.time_field, cfg_.time_unit, cfg_.time_given, fields_)
    , aggs_(cfg_.aggs, cfg_.collect_max, CollectOrder::event_time, fields_)
    , tracker_(cfg_.watermark)
    , budget_(cfg_.max_state) {
    aggs_.check_names(cfg_.key, "--key", {"session", "events", "duration_s"}, "weir-sessionize");
    if (cfg_.gap.count() < 0 || (cfg_.gap.count() == 0 && cfg_.gap_expr.empty()))
        throw Error(Exit::usage, "--gap must be positive");
    if (cfg_.gap_by && !cfg_.gap_expr.empty())
        throw Error(Exit::usage, "--gap-by and --gap-expr are two ways to set the gap: give one");
    if (cfg_.max_duration.count() < 0)
        throw Error(Exit::usage, "--max-duration must not be negative");

    for (const FieldPath& k : cfg_.key)
        key_slots_.push_back(fields_.add(k));
    if (cfg_.gap_by)
        gap_slot_ = fields_.add(*cfg_.gap_by);
    if (!cfg_.gap_expr.empty())
        gap_expr_ = std::make_unique<expr::Expr>(expr::Expr::compile(cfg_.gap_expr, "--gap-expr"));
    parts_.resize(cfg_.key.size());
}

SessionizeOp::~SessionizeOp() = default;

std::vector<std::pair<std::string, std::string>> SessionizeOp::meaning_flags() const {
    std::string key;
    for (const FieldPath& p : cfg_.key)
        key += (key.empty() ? "" : ",") + p.text();
    std::string aggs;
    for (const AggSpec& a : cfg_.aggs)
        aggs += (aggs.empty() ? "" : " ") + a.text;
    std::string gap_by;
    if (cfg_.gap_by) {
        gap_by = cfg_.gap_by->text();
        for (const GapValue& g : cfg_.gap_values)
            gap_by += " " + g.value + "=" + format_duration(g.gap);
    }
    return {
        {"--key", key},
        {"--gap", format_duration(cfg_.gap)},
        {"--gap-by", gap_by},
        {"--gap-expr", cfg_.gap_expr},
        {"--max-duration", format_duration(cfg_.max_duration)},
        {"--agg", aggs},
        {"--collect-max", std::to_string(cfg_.collect_max)},
        {"--missing-key", cfg_.missing_key_null ? "null" : "dead-letter"},
    };
}

std::int64_t SessionizeOp::session_bytes(const Session& s) {
    return session_overhead + AggregateSet::bytes(s.aggs);
}

void SessionizeOp::note_growth(std::int64_t bytes, std::int64_t sessions, Context& ctx) {
    if (!budget_.change(bytes, sessions, ctx))
        throw Error(Exit::data,
                    "state reached {} bytes ({} open sessions of {} keys), over --max-state {}: "
                    "raise it, shorten --gap, --max-duration or --watermark, or key by fewer "
                    "fields",
                    budget_.bytes(), budget_.keys(), table_.size() - idle_keys_, budget_.max());
}

// --- reading a record ---

bool SessionizeOp::gap_of(simdjson::dom::element root, Duration& gap, Context& ctx) {
    gap = cfg_.gap;
    if (gap_slot_ != no_slot) {
        const FieldValue& v = fields_[gap_slot_];
        if (v.kind() == FieldKind::string) {
            std::string_view s = v.as_string();
            for (const GapValue& g : cfg_.gap_values)
                if (g.value == s) {
                    gap = g.gap;
                    break;
                }
        }
        return true;
    }
    if (!gap_expr_)
        return true;
    expr::Value v = gap_expr_->eval(root);
    if (v.is_absent() && cfg_.gap.count() > 0)
        return true;
    if (v.kind() == expr::Kind::duration && v.as_duration().count() > 0) {
        gap = v.as_duration();
        return true;
    }
    ++bad_gap_;
    std::string what;
    expr::Expr::append_json(what, v);
    ctx.reject(Reason::bad_field, fmt::format("--gap-expr '{}' gave {}, not a positive duration",
                                              cfg_.gap_expr, v.is_missing() ? "nothing" : what));
    return false;
}

std::uint32_t SessionizeOp::key_index() {
    std::uint64_t h = GroupTable::hash(key_);
    if (Group* g = table_.find(key_, h)) {
        auto k = static_cast<std::uint32_t>(g - table_.groups().data());
        const KeySessions& ks = keys_state_[k];
        if (ks.open.empty() && ks.sealed.empty())
            --idle_keys_; // about to hold a session again
        return k;
    }
    table_.insert(key_, h, {});
    keys_state_.emplace_back();
    return static_cast<std::uint32_t>(table_.size() - 1);
}

void SessionizeOp::push(Timestamp end, std::uint64_t id, std::uint32_t key) {
    queue_.push_back(QueueEntry{end, id, key});
    std::push_heap(queue_.begin(), queue_.end(),
                   [](const QueueEntry& a, const QueueEntry& b) { return later(a.end, b.end); });
}

void SessionizeOp::write_late(const Record& in, Timestamp t, Context& ctx, Duration gap) {
    if (late_ == nullptr)
        return;
    Timestamp reach = saturating_add(t, gap);
    std::string why =
        final_at(tracker_.current(), reach)
            ? fmt::format("behind the watermark {}", format_rfc3339(tracker_.current()))
            : std::string("before the end of an earlier run's input");
    std::string detail =
        fmt::format("event time {} with gap {} reaches {}, {}, and no open session of its key",
                    format_rfc3339(t), format_duration(gap), format_rfc3339(reach), why);
    line_.clear();
    format_side_record(line_, cfg_.program, "late", detail, ctx.position(), in.json);
    late_->append(line_);
}

// --- records ---

Flow SessionizeOp::process(const Record& in, Context& ctx) {
    simdjson::dom::element root;
    if (!record_root(ctx, in, doc_, root))
        return Flow::more;
    // One walk reads the time with the key, the gap field and the aggregates' fields.
    fields_.resolve(root);
    Timestamp t = no_timestamp;
    if (!time_.read(in, fields_, ctx, t))
        return Flow::more;

    // The key: every field present and not null (or --missing-key null).
    for (std::size_t i = 0; i < key_slots_.size(); ++i) {
        parts_[i] = fields_[key_slots_[i]];
        if ((parts_[i].is_missing() || parts_[i].is_null()) && !cfg_.missing_key_null)
            [[unlikely]] {
            ++missing_key_;
            ctx.reject(Reason::bad_field, fmt::format("field '{}': {} (--key)", cfg_.key[i].text(),
                                                      parts_[i].is_null() ? "null" : "missing"));
            advance(t, ctx);
            return Flow::more;
        }
    }
    Duration gap{};
    if (!gap_of(root, gap, ctx) || !aggs_.read(fields_, root, t, ctx)) {
        advance(t, ctx);
        return Flow::more;
    }
    keys_.encode(parts_.data(), key_);
    Timestamp reach = saturating_add(t, gap);

    // Late: it touches no open session and its own cover [t, t + gap] is final.
    if (final_at(tracker_.current(), reach) || reach <= closed_through_) {
        const SessionList* open = nullptr;
        if (Group* g = table_.find(key_, GroupTable::hash(key_)))
            open = &keys_state_[static_cast<std::size_t>(g - table_.groups().data())].open;
        if (open == nullptr || !place(*open, t, reach).touches_any()) {
            ++late_rows_;
            write_late(in, t, ctx, gap);
            ctx.divert(Channel::late);
            advance(t, ctx);
            return Flow::more;
        }
    }

    std::size_t keys_before = table_.size();
    std::uint32_t k = key_index();
    std::int64_t grown =
        table_.size() != keys_before ? key_overhead + static_cast<std::int64_t>(key_.size()) : 0;
    KeySessions& ks = keys_state_[k];
    Placement p = place(ks.open, t, reach);
    for (std::size_t i = p.first; i < p.last; ++i)
        grown -= session_bytes(ks.open[i]);
    sealed_scratch_.clear();
    Joined j =
        join(ks.open, p, t, reach, cfg_.max_duration, aggs_.blank(), next_id_, sealed_scratch_);
    Session& s = ks.open[j.index];
    aggs_.add_to(s.aggs);
    grown += session_bytes(s);
    for (Session& sealed : sealed_scratch_) {
        grown += session_bytes(sealed);
        ks.sealed.push_back(std::move(sealed)); // its queue entry stands
    }
    if (j.created)
        push(s.end, s.id, k);
    bridged_ += j.merged;
    split_ += j.sealed;
    note_growth(grown, (j.created ? 1 : 0) - static_cast<std::int64_t>(j.merged), ctx);
    ctx.consumed();
    advance(t, ctx);
    return Flow::more;
}

// --- the watermark and emission ---

void SessionizeOp::advance(Timestamp t, Context& ctx) {
    Timestamp before = tracker_.current();
    tracker_.observe(t);
    Timestamp wm = tracker_.current();
    if (wm != before)
        close(wm, false, ctx);
}

void SessionizeOp::close(Timestamp wm, bool all, Context& ctx) {
    auto cmp = [](const QueueEntry& a, const QueueEntry& b) {
        return later(a.end, b.end);
    };
    closing_.clear();
    while (!queue_.empty() && (all || final_at(wm, queue_.front().end))) {
        std::pop_heap(queue_.begin(), queue_.end(), cmp);
        QueueEntry e = queue_.back();
        queue_.pop_back();
        KeySessions& ks = keys_state_[e.key];
        SessionList* list = &ks.open;
        auto it = std::find_if(list->begin(), list->end(),
                               [&](const Session& s) { return s.id == e.id; });
        if (it == list->end()) {
            list = &ks.sealed;
            it = std::find_if(list->begin(), list->end(),
                              [&](const Session& s) { return s.id == e.id; });
            if (it == list->end())
                continue; // merged into another session since
        }
        if (!all && !final_at(wm, it->end)) {
            push(it->end, it->id, e.key); // grew since it was queued
            continue;
        }
        closing_.push_back(Closing{std::move(*it), e.key});
        list->erase(it);
        if (ks.open.empty() && ks.sealed.empty())
            ++idle_keys_;
    }
    if (closing_.empty())
        return;
    std::sort(closing_.begin(), closing_.end(), [&](const Closing& a, const Closing& b) {
        if (a.session.end != b.session.end)
            return a.session.end < b.session.end;
        if (a.session.start != b.session.start)
            return a.session.start < b.session.start;
        return GroupKeys::compare(table_.groups()[a.key].key, table_.groups()[b.key].key) < 0;
    });
    std::int64_t freed = 0;
    for (const Closing& c : closing_) {
        emit(c.session, table_.groups()[c.key].key, ctx);
        freed += session_bytes(c.session);
    }
    emitted_ += closing_.size();
    auto n = static_cast<std::int64_t>(closing_.size());
    closing_.clear();
    if (idle_keys_ >= compact_at && idle_keys_ * 2 > table_.size())
        freed += compact();
    note_growth(-freed, -n, ctx);
}

void SessionizeOp::emit(const Session& s, std::string_view key, Context& ctx) {
    out_.clear();
    out_ += '{';
    if (keys_.size() != 0) {
        keys_.append_fields(out_, key);
        out_ += ',';
    }
    out_ += "\"session\":{\"start\":\"";
    append_rfc3339(out_, s.start);
    out_ += "\",\"end\":\"";
    append_rfc3339(out_, s.end);
    out_ += "\"},\"events\":";
    out_ += std::to_string(s.events);
    out_ += ",\"duration_s\":";
    append_seconds(out_, s.last - s.start);
    aggs_.append_members(out_, s.aggs);
    out_ += '}';
    emit_generated(ctx, out_, s.start);
}

// Drops the keys with no session: rebuilds the table and the queue (indices move).
// Returns the bytes freed.
std::int64_t SessionizeOp::compact() {
    GroupTable table;
    std::vector<KeySessions> state;
    std::int64_t freed = 0;
    for (std::size_t k = 0; k < keys_state_.size(); ++k) {
        KeySessions& ks = keys_state_[k];
        const std::string& key = table_.groups()[k].key;
        if (ks.open.empty() && ks.sealed.empty()) {
            freed += key_overhead + static_cast<std::int64_t>(key.size());
            continue;
        }
        table.insert(key, GroupTable::hash(key), {});
        state.push_back(std::move(ks));
    }
    table_ = std::move(table);
    keys_state_ = std::move(state);
    idle_keys_ = 0;
    queue_.clear();
    for (std::size_t k = 0; k < keys_state_.size(); ++k) {
        for (const Session& s : keys_state_[k].open)
            push(s.end, s.id, static_cast<std::uint32_t>(k));
        for (const Session& s : keys_state_[k].sealed)
            push(s.end, s.id, static_cast<std::uint32_t>(k));
    }
    return freed;
}

void SessionizeOp::on_tick(std::chrono::steady_clock::time_point, Context& ctx) {
    budget_.report(ctx);
    ctx.report_watermark(tracker_.current());
}

void SessionizeOp::finish(Context& ctx) {
    if (!cfg_.keep_open) {
        // Batch semantics: every open session is final now, and stays so for a later run
        // on the same checkpoint (its events are late then, as after any emission).
        for (const KeySessions& ks : keys_state_) {
            for (const Session& s : ks.open)
                closed_through_ = std::max(closed_through_, s.end);
            for (const Session& s : ks.sealed)
                closed_through_ = std::max(closed_through_, s.end);
        }
        close(tracker_.current(), true, ctx);
    }
    budget_.report(ctx);
    ctx.report_watermark(tracker_.current());
    if (late_ == nullptr && late_rows_ != 0)
        ctx.warn(fmt::format("{} late rows were counted but not kept (give --late FILE to keep "
                             "them)",
                             late_rows_));
}

// --- checkpoints ---

namespace {

void write_sessions(StateWriter& w, std::string_view name, const SessionList& list) {
    w.begin_list(name, list.size());
    for (const Session& s : list) {
        w.begin_object("session");
        w.i64("start", s.start);
        w.i64("last", s.last);
        w.i64("end", s.end);
        w.u64("events", s.events);
        w.u64("id", s.id);
        for (const Accumulator& a : s.aggs)
            a.snapshot(w);
        w.end_object();
    }
    w.end_list();
}

} // namespace

void SessionizeOp::snapshot(StateWriter& w) const {
    w.i64("max_seen", tracker_.max_seen());
    w.u64("next_id", next_id_);
    w.i64("closed_through", closed_through_);
    w.begin_list("keys", table_.size() - idle_keys_);
    for (std::size_t k = 0; k < keys_state_.size(); ++k) {
        const KeySessions& ks = keys_state_[k];
        if (ks.open.empty() && ks.sealed.empty())
            continue;
        w.begin_object("key");
        w.bytes("key", table_.groups()[k].key);
        write_sessions(w, "open", ks.open);
        write_sessions(w, "sealed", ks.sealed);
        w.end_object();
    }
    w.end_list();
}

void SessionizeOp::restore(StateReader& r) {
    tracker_.restore(r.i64("max_seen"));
    next_id_ = r.u64("next_id");
    closed_through_ = r.i64("closed_through");
    table_ = GroupTable();
    keys_state_.clear();
    queue_.clear();
    idle_keys_ = 0;
    std::uint64_t sessions = 0;
    std::int64_t bytes = 0;
    auto read_sessions = [&](std::string_view name, SessionList& list, std::uint32_t k) {
        std::uint64_t n = r.begin_list(name);
        for (std::uint64_t i = 0; i < n; ++i) {
            r.begin_object("session");
            Session s;
            s.start = r.i64("start");
            s.last = r.i64("last");
            s.end = r.i64("end");
            s.events = r.u64("events");
            s.id = r.u64("id");
            s.aggs = aggs_.blank();
            for (Accumulator& a : s.aggs)
                a.restore(r);
            r.end_object();
            if (s.id >= next_id_ || s.start > s.last || s.last > s.end ||
                (!list.empty() && &list == &keys_state_[k].open && list.back().end >= s.start))
                throw Error(Exit::temp_fail, "checkpoint: damaged sessionize state");
            push(s.end, s.id, k);
            sessions += 1;
            bytes += session_bytes(s);
            list.push_back(std::move(s));
        }
        r.end_list();
    };
    std::uint64_t n = r.begin_list("keys");
    for (std::uint64_t i = 0; i < n; ++i) {
        r.begin_object("key");
        std::string key(r.bytes("key"));
        if (table_.find(key, GroupTable::hash(key)) != nullptr)
            throw Error(Exit::temp_fail, "checkpoint: damaged sessionize state");
        table_.insert(key, GroupTable::hash(key), {});
        keys_state_.emplace_back();
        auto k = static_cast<std::uint32_t>(keys_state_.size() - 1);
        bytes += key_overhead + static_cast<std::int64_t>(key.size());
        read_sessions("open", keys_state_[k].open, k);
        read_sessions("sealed", keys_state_[k].sealed, k);
        r.end_object();
    }
    r.end_list();
    budget_.reset(sessions, static_cast<std::uint64_t>(bytes));
}

Breakdown SessionizeOp::breakdown() const {
    Breakdown b;
    b.what = "sessionize_rows";
    b.label = "kind";
    b.help = "Input rows weir-sessionize did not simply add to a session, and sessions made.";
    b.counts.emplace_back("late", late_rows_);
    b.counts.emplace_back("missing_key", missing_key_);
    b.counts.emplace_back("bad_gap", bad_gap_);
    for (std::size_t i = 0; i < cfg_.aggs.size(); ++i)
        b.counts.emplace_back("bad_input:" + cfg_.aggs[i].name, aggs_.bad_inputs(i));
    b.counts.emplace_back("sessions_bridged", bridged_);
    b.counts.emplace_back("sessions_split", split_);
    b.counts.emplace_back("sessions_emitted", emitted_);
    return b;
}

} // namespace weir
