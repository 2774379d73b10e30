#include "window/window_op.hpp"

#include "cli/error.hpp"
#include "io/output_file.hpp"
#include "json/escape.hpp"
#include "run/dead_letter.hpp"
#include "run/generated_record.hpp"
#include "run/record_root.hpp"
#include "state/base64.hpp"
#include "time/duration.hpp"
#include "time/rfc3339.hpp"
#include "time/window_assign.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace weir {

namespace {

constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

// More windows per event than this is a mistake (--size 1d --slide 1s), not a query.
constexpr std::int64_t max_windows = 10000;

// Bytes a group costs beyond its accumulators: its slot, key, vector and bookkeeping.
constexpr std::size_t group_overhead = sizeof(Group) + 32;

std::string duration_text(Duration d) {
    return format_duration(d);
}

// Without --agg, count.
WindowConfig with_default_count(WindowConfig cfg) {
    if (cfg.aggs.empty())
        cfg.aggs.push_back(parse_agg_spec("count"));
    return cfg;
}

} // namespace

WindowOp::WindowOp(WindowConfig cfg)
    : cfg_(with_default_count(std::move(cfg)))
    , keys_(cfg_.by, "--by")
    , time_(cfg_.time_field, cfg_.time_unit, cfg_.time_given, fields_)
    , aggs_(cfg_.aggs, cfg_.collect_max, CollectOrder::arrival, fields_)
    , tracker_(cfg_.watermark)
    , budget_(cfg_.max_state) {
    aggs_.check_names(cfg_.by, "--by", {"window", "final", "_sketches", "last_event_time"},
                      "weir-window");

    if (cfg_.running) {
        if (cfg_.emit == EmitMode::update)
            throw Error(Exit::usage, "--running emits after every record already; --emit "
                                     "update is for windows");
        if (cfg_.keep_open)
            throw Error(Exit::usage, "--keep-open is for windows (running totals are always kept)");
        if (cfg_.merge)
            throw Error(Exit::usage, "--merge is for windows, not --running");
    } else {
        if (cfg_.size.count() <= 0)
            throw Error(Exit::usage, "--size must be positive (or use --running)");
        if (cfg_.slide.count() <= 0)
            throw Error(Exit::usage, "--slide must be positive");
        if (max_windows_per_event(cfg_.size, cfg_.slide) > max_windows)
            throw Error(Exit::usage,
                        "--size {} with --slide {} puts each event in {} windows (at most {})",
                        duration_text(cfg_.size), duration_text(cfg_.slide),
                        max_windows_per_event(cfg_.size, cfg_.slide), max_windows);
        if (cfg_.state_ttl.count() != 0)
            throw Error(Exit::usage, "--state-ttl is for --running (windows expire by the "
                                     "watermark)");
    }
    if (cfg_.emit_every.count() < 0 || cfg_.state_ttl.count() < 0)
        throw Error(Exit::usage, "durations must not be negative");

    if (!cfg_.where.empty())
        where_.emplace(expr::Expr::compile(cfg_.where, "--where"));
    for (const FieldPath& k : cfg_.by)
        key_slots_.push_back(fields_.add(k));
    for (const AggSpec& a : cfg_.aggs) {
        if (cfg_.merge) {
            // A rollup reads what the earlier run wrote: the value under the aggregate's
            // name, or its state under _sketches.
            std::vector<std::string> segments;
            if (!Accumulator::rolls_up_from_value(a.func))
                segments.emplace_back("_sketches");
            segments.push_back(a.name);
            std::string text;
            for (const std::string& s : segments) {
                if (!text.empty())
                    text += '.';
                for (char c : s) {
                    if (c == '.' || c == '\\' || c == '$')
                        text += '\\';
                    text += c;
                }
            }
            merge_slots_.push_back(fields_.add(FieldPath::from(text)));
        }
    }
    parts_.resize(cfg_.by.size());
    collect_dropped_.assign(cfg_.aggs.size(), 0);
    if (cfg_.merge)
        merge_final_slot_ = fields_.add(FieldPath::of_member("final"));
}

WindowOp::~WindowOp() = default;

std::vector<std::pair<std::string, std::string>> WindowOp::meaning_flags() const {
    std::string by;
    for (const FieldPath& p : cfg_.by)
        by += (by.empty() ? "" : ",") + p.text();
    std::string aggs;
    for (const AggSpec& a : cfg_.aggs)
        aggs += (aggs.empty() ? "" : " ") + a.text;
    std::vector<std::pair<std::string, std::string>> flags{
        {"--running", cfg_.running ? "true" : "false"},
        {"--by", by},
        {"--agg", aggs},
        {"--where", cfg_.where},
        {"--merge", cfg_.merge ? "true" : "false"},
        {"--collect-max", std::to_string(cfg_.collect_max)},
    };
    if (!cfg_.running) {
        flags.emplace_back("--size", duration_text(cfg_.size));
        flags.emplace_back("--slide", duration_text(cfg_.slide));
        flags.emplace_back("--offset", duration_text(cfg_.offset));
    }
    return flags;
}

std::int64_t WindowOp::group_bytes(const Group& g) {
    return static_cast<std::int64_t>(group_overhead + (g.key.size() > 15 ? g.key.size() + 1 : 0)) +
           AggregateSet::bytes(g.aggs);
}

void WindowOp::note_growth(std::int64_t bytes, std::int64_t keys, Context& ctx) {
    if (!budget_.change(bytes, keys, ctx))
        throw Error(Exit::data,
                    "state reached {} bytes (groups: {}, open windows: {}), over --max-state "
                    "{}: raise it, shorten --size or --watermark, or group by fewer keys",
                    budget_.bytes(), budget_.keys(), windows_.size(), budget_.max());
}

// --- reading a record ---

bool WindowOp::read_inputs(simdjson::dom::element root, Timestamp t, Context& ctx) {
    if (cfg_.merge)
        return read_merge_inputs(ctx);
    return aggs_.read(fields_, root, t, ctx);
}

bool WindowOp::read_merge_inputs(Context& ctx) {
    merged_ = aggs_.blank();
    for (std::size_t i = 0; i < aggs_.size(); ++i) {
        const AggSpec& a = cfg_.aggs[i];
        const FieldValue& v = fields_[merge_slots_[i]];
        if (Accumulator::rolls_up_from_value(a.func)) {
            // Tried on a scratch copy, so that a bad value leaves no aggregate changed.
            if (v.is_missing()) {
                aggs_.count_bad_input(i);
                ctx.reject(Reason::bad_field,
                           fmt::format("field '{}': missing (--merge needs the output of "
                                       "weir-window with --agg '{}')",
                                       a.name, a.text));
                return false;
            }
            if (merged_[i].add_rolled_up(v) == AddStatus::not_a_number) {
                aggs_.count_bad_input(i);
                ctx.reject(Reason::bad_field,
                           fmt::format("field '{}': {} is not {} (--merge --agg '{}')", a.name,
                                       json_excerpt(v),
                                       a.func == AggFunc::count || a.func == AggFunc::count_if
                                           ? "a count"
                                           : "a number",
                                       a.text));
                return false;
            }
            continue;
        }
        std::optional<std::string> bytes;
        if (v.kind() == FieldKind::string)
            bytes = decode_base64(v.as_string());
        if (!bytes || !merged_[i].merge_state(*bytes)) {
            aggs_.count_bad_input(i);
            ctx.reject(Reason::bad_field,
                       fmt::format("field '_sketches.{}': {} (--merge needs the output of "
                                   "weir-window --sketches with --agg '{}')",
                                   a.name,
                                   v.is_missing()                  ? "missing"
                                   : v.kind() != FieldKind::string ? "not a string"
                                                                   : "not a state of this "
                                                                     "aggregate",
                                   a.text));
            return false;
        }
    }
    return true;
}

// --- state ---

GroupTable& WindowOp::window_at(Timestamp start) {
    if (cached_window_ != nullptr && cached_start_ == start)
        return *cached_window_;
    cached_start_ = start;
    cached_window_ = &windows_[start];
    return *cached_window_;
}

Group& WindowOp::group_in(GroupTable& table) {
    if (Group* g = table.find(key_, hash_))
        return *g;
    return table.insert(key_, hash_, aggs_.blank());
}

void WindowOp::add_to(Group& g, Timestamp t) {
    if (cfg_.merge) {
        for (std::size_t i = 0; i < g.aggs.size(); ++i)
            g.aggs[i].merge(merged_[i]);
    } else {
        aggs_.add_to(g.aggs);
    }
    if (g.last == no_timestamp || t > g.last)
        g.last = t;
}

// Adds the record read last to its group in `table` (made if new), and counts how the
// state grew.
Group& WindowOp::aggregate_into(GroupTable& table, Timestamp t, Context& ctx) {
    std::size_t before = table.size();
    Group& g = group_in(table);
    const bool fresh = table.size() != before;
    // --running: idle past --state-ttl in event time, the key starts again from nothing,
    // as if the sweep had already removed it (the sweep only frees memory).
    const bool expired = cfg_.running && !fresh && cfg_.state_ttl.count() != 0 &&
                         g.last != no_timestamp &&
                         tracker_.is_final(saturating_add(g.last, cfg_.state_ttl));
    const bool may_grow = aggs_.grows() || expired;
    std::int64_t grown = !fresh && may_grow ? -AggregateSet::bytes(g.aggs) : 0;
    if (expired) {
        g.aggs = aggs_.blank();
        g.last = no_timestamp;
        ++expired_keys_;
    }
    add_to(g, t);
    if (fresh)
        grown = group_bytes(g);
    else if (may_grow)
        grown += AggregateSet::bytes(g.aggs);
    if (grown != 0 || fresh)
        note_growth(grown, fresh ? 1 : 0, ctx);
    return g;
}

// --- records ---

Flow WindowOp::process(const Record& in, Context& ctx) {
    simdjson::dom::element root;
    if (!record_root(ctx, in, doc_, root))
        return Flow::more;
    // One walk reads the time with the keys and the aggregates' fields.
    fields_.resolve(root);
    Timestamp t = no_timestamp;
    if (!time_.read(in, fields_, ctx, t))
        return Flow::more;
    if (where_ && !where_->test(root)) {
        ++filtered_rows_;
        ctx.divert(Channel::filtered);
        advance(t, ctx);
        return Flow::more;
    }
    if (cfg_.running) {
        process_running(root, t, ctx);
        return Flow::more;
    }

    if (merge_final_slot_ != no_slot) {
        const FieldValue& f = fields_[merge_final_slot_];
        if (f.kind() == FieldKind::boolean && !f.as_bool()) {
            // --emit update's provisional rows: only final ones add up to the window.
            ++provisional_rows_;
            ctx.divert(Channel::filtered);
            advance(t, ctx);
            return Flow::more;
        }
    }

    int open = 0;
    int closed = 0;
    Timestamp first_closed = no_timestamp; // start of the first closed window
    Timestamp last_closed = no_timestamp;  // end of the last
    for_each_window(t, cfg_.size, cfg_.slide, cfg_.offset, [&](Timestamp start, Timestamp end) {
        if (!is_closed(end)) {
            ++open;
            return;
        }
        if (closed++ == 0)
            first_closed = start;
        last_closed = end;
    });
    if (open == 0) {
        if (closed != 0) {
            ++late_rows_;
            write_late(in, t, ctx, first_closed, last_closed, closed, false);
            ctx.divert(Channel::late);
        } else {
            ++outside_rows_; // between windows: --slide longer than --size
            ctx.divert(Channel::filtered);
        }
        advance(t, ctx);
        return Flow::more;
    }
    if (!read_inputs(root, t, ctx)) {
        advance(t, ctx);
        return Flow::more;
    }
    for (std::size_t i = 0; i < key_slots_.size(); ++i)
        parts_[i] = fields_[key_slots_[i]];
    keys_.encode(parts_.data(), key_);
    hash_ = GroupTable::hash(key_);

    const bool track_dirty = cfg_.emit == EmitMode::update || cfg_.emit_every.count() != 0;
    for_each_window(t, cfg_.size, cfg_.slide, cfg_.offset, [&](Timestamp start, Timestamp end) {
        if (is_closed(end))
            return;
        GroupTable& w = window_at(start);
        Group& g = aggregate_into(w, t, ctx);
        if (track_dirty && !g.changed) {
            dirty_.push_back(Dirty{start, static_cast<std::uint32_t>(&g - w.groups().data())});
            g.changed = true;
        }
    });
    if (closed != 0) {
        ++partly_late_rows_;
        write_late(in, t, ctx, first_closed, last_closed, closed, true);
        ctx.divert(Channel::late);
        ctx.generated(1); // the record was also aggregated: its late copy is extra
    }
    ctx.consumed();
    advance(t, ctx);
    return Flow::more;
}

void WindowOp::process_running(simdjson::dom::element root, Timestamp t, Context& ctx) {
    if (!read_inputs(root, t, ctx)) {
        advance(t, ctx);
        return;
    }
    for (std::size_t i = 0; i < key_slots_.size(); ++i)
        parts_[i] = fields_[key_slots_[i]];
    keys_.encode(parts_.data(), key_);
    hash_ = GroupTable::hash(key_);
    Group& g = aggregate_into(running_, t, ctx);
    ctx.consumed();
    if (cfg_.emit_every.count() != 0) {
        if (!g.changed)
            dirty_.push_back(Dirty{0, static_cast<std::uint32_t>(&g - running_.groups().data())});
        g.changed = true;
    } else {
        emit_running(g, ctx);
    }
    advance(t, ctx);
}

void WindowOp::write_late(const Record& in, Timestamp t, Context& ctx, Timestamp first_start,
                          Timestamp last_end, int closed, bool partly) {
    if (late_ == nullptr)
        return;
    std::string windows =
        closed == 1
            ? fmt::format("window [{}, {}) is", format_rfc3339(first_start),
                          format_rfc3339(last_end))
            : fmt::format("its {} windows [{}, {}) to [{}, {}) are", closed,
                          format_rfc3339(first_start),
                          format_rfc3339(window_end(first_start, cfg_.size)),
                          format_rfc3339(last_end - cfg_.size.count()), format_rfc3339(last_end));
    std::string why =
        tracker_.is_final(last_end)
            ? fmt::format("behind the watermark {}", format_rfc3339(tracker_.current()))
            : std::string("after the end of an earlier run's input");
    std::string detail =
        fmt::format("event time {} is {}: {} closed{}", format_rfc3339(t), why, windows,
                    partly ? " (the record counts in its later windows)" : "");
    line_.clear();
    format_side_record(line_, cfg_.program, "late", detail, ctx.position(), in.json);
    late_->append(line_);
}

// --- the watermark and emission ---

void WindowOp::advance(Timestamp t, Context& ctx) {
    Timestamp before = tracker_.current();
    tracker_.observe(t);
    Timestamp wm = tracker_.current();
    if (wm == before)
        return;
    if (cfg_.running) {
        if (cfg_.state_ttl.count() != 0 && (next_sweep_ == no_timestamp || wm >= next_sweep_)) {
            expire_running(ctx);
            next_sweep_ = saturating_add(wm, cfg_.state_ttl);
        }
        return;
    }
    close_windows(wm, ctx);
    if (cfg_.emit == EmitMode::update)
        emit_dirty(ctx);
}

void WindowOp::close_windows(Timestamp wm, Context& ctx) {
    thread_local std::vector<const Group*> order;
    const bool flagged = cfg_.emit == EmitMode::update || cfg_.emit_every.count() != 0;
    while (!windows_.empty()) {
        auto it = windows_.begin();
        Timestamp start = it->first;
        if (wm < window_end(start, cfg_.size))
            break;
        order.clear();
        std::int64_t freed = 0;
        for (const Group& g : it->second.groups()) {
            order.push_back(&g);
            freed += group_bytes(g);
        }
        std::sort(order.begin(), order.end(), [](const Group* a, const Group* b) {
            return GroupKeys::compare(a->key, b->key) < 0;
        });
        for (const Group* g : order)
            emit_group(*g, start, flagged ? Finality::final : Finality::unmarked, ctx);
        auto groups = static_cast<std::int64_t>(it->second.size());
        if (cached_window_ == &it->second)
            cached_window_ = nullptr;
        windows_.erase(it);
        note_growth(-freed, -groups, ctx);
    }
}

void WindowOp::emit_dirty(Context& ctx) {
    if (dirty_.empty())
        return;
    thread_local std::vector<std::pair<Timestamp, Group*>> order;
    order.clear();
    for (const Dirty& d : dirty_) {
        GroupTable* table = &running_;
        if (!cfg_.running) {
            auto it = windows_.find(d.start);
            if (it == windows_.end())
                continue; // closed since, and emitted whole
            table = &it->second;
        }
        if (d.group < table->size())
            order.emplace_back(d.start, &table->groups()[d.group]);
    }
    dirty_.clear();
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first)
            return a.first < b.first;
        return GroupKeys::compare(a.second->key, b.second->key) < 0;
    });
    for (auto& [start, g] : order) {
        if (!g->changed)
            continue;
        g->changed = false;
        if (cfg_.running)
            emit_running(*g, ctx);
        else
            emit_group(*g, start, Finality::open, ctx);
    }
}

// Values a collect left out for --collect-max, counted once per window and group, as
// the window closes.
void WindowOp::count_dropped(const Group& g) {
    for (std::size_t i = 0; i < g.aggs.size(); ++i)
        if (cfg_.aggs[i].func == AggFunc::collect)
            collect_dropped_[i] += g.aggs[i].dropped();
}

void WindowOp::emit_group(const Group& g, Timestamp start, Finality f, Context& ctx) {
    if (f != Finality::open)
        count_dropped(g);
    Timestamp end = window_end(start, cfg_.size);
    out_.clear();
    out_ += "{\"window\":{\"start\":\"";
    append_rfc3339(out_, start);
    out_ += "\",\"end\":\"";
    append_rfc3339(out_, end);
    out_ += "\"}";
    if (keys_.size() != 0) {
        out_ += ',';
        keys_.append_fields(out_, g.key);
    }
    aggs_.append_members(out_, g.aggs);
    if (f != Finality::unmarked)
        out_ += f == Finality::final ? ",\"final\":true" : ",\"final\":false";
    if (cfg_.sketches) {
        bool any = false;
        for (std::size_t i = 0; i < g.aggs.size(); ++i) {
            if (Accumulator::rolls_up_from_value(cfg_.aggs[i].func))
                continue;
            out_ += any ? "," : ",\"_sketches\":{";
            any = true;
            append_json_string(out_, cfg_.aggs[i].name);
            out_ += ":\"";
            append_base64(out_, g.aggs[i].state_bytes());
            out_ += '"';
        }
        if (any)
            out_ += '}';
    }
    out_ += '}';
    emit_generated(ctx, out_, start); // the start: what a rollup (--merge) reads as its time
}

void WindowOp::emit_running(const Group& g, Context& ctx) {
    out_.clear();
    out_ += '{';
    if (keys_.size() != 0)
        keys_.append_fields(out_, g.key);
    aggs_.append_members(out_, g.aggs);
    out_ += out_.size() > 1 ? ",\"last_event_time\":\"" : "\"last_event_time\":\"";
    append_rfc3339(out_, g.last);
    out_ += "\"}";
    emit_generated(ctx, out_, g.last);
}

void WindowOp::expire_running(Context& ctx) {
    std::int64_t freed = 0;
    std::size_t gone = running_.erase_if([&](const Group& g) {
        // A changed group waits until it has been emitted (--emit-every).
        if (g.changed || g.last == no_timestamp ||
            !tracker_.is_final(saturating_add(g.last, cfg_.state_ttl)))
            return false;
        freed += group_bytes(g);
        return true;
    });
    if (gone == 0)
        return;
    expired_keys_ += gone;
    note_growth(-freed, -static_cast<std::int64_t>(gone), ctx);
    // Indices moved: find the changed groups again.
    dirty_.clear();
    for (std::size_t i = 0; i < running_.size(); ++i)
        if (running_.groups()[i].changed)
            dirty_.push_back(Dirty{0, static_cast<std::uint32_t>(i)});
}

void WindowOp::on_tick(std::chrono::steady_clock::time_point now, Context& ctx) {
    budget_.report(ctx);
    ctx.report_watermark(tracker_.current());
    if (cfg_.emit_every.count() == 0)
        return;
    auto every = std::chrono::microseconds(cfg_.emit_every.count());
    if (next_emit_ == std::chrono::steady_clock::time_point{}) {
        next_emit_ = now + every;
        return;
    }
    if (now < next_emit_)
        return;
    next_emit_ = now + every;
    emit_dirty(ctx);
}

void WindowOp::finish(Context& ctx) {
    if (cfg_.running || cfg_.keep_open) {
        // Updates still pending go out; open windows stay in the checkpoint.
        if (cfg_.emit == EmitMode::update || cfg_.emit_every.count() != 0)
            emit_dirty(ctx);
    } else {
        // Batch semantics: every open window is final now, and stays so for a later run
        // on the same checkpoint (its rows are late then, as after any emission).
        if (!windows_.empty())
            closed_through_ =
                std::max(closed_through_, window_end(windows_.rbegin()->first, cfg_.size));
        close_windows(std::numeric_limits<Timestamp>::max(), ctx);
    }
    budget_.report(ctx);
    ctx.report_watermark(tracker_.current());
    if (late_ == nullptr && late_rows_ + partly_late_rows_ != 0)
        ctx.warn(fmt::format("{} late rows were counted but not kept (give --late FILE to keep "
                             "them)",
                             late_rows_ + partly_late_rows_));
}

// --- checkpoints ---

namespace {

void write_groups(StateWriter& w, const GroupTable& table) {
    w.begin_list("groups", table.size());
    for (const Group& g : table.groups()) {
        w.begin_object("group");
        w.bytes("key", g.key);
        w.i64("last", g.last);
        w.boolean("changed", g.changed);
        for (const Accumulator& a : g.aggs)
            a.snapshot(w);
        w.end_object();
    }
    w.end_list();
}

} // namespace

void WindowOp::snapshot(StateWriter& w) const {
    w.i64("max_seen", tracker_.max_seen());
    w.i64("closed_through", closed_through_);
    w.begin_list("windows", windows_.size());
    for (const auto& [start, table] : windows_) {
        w.begin_object("window");
        w.i64("start", start);
        write_groups(w, table);
        w.end_object();
    }
    w.end_list();
    w.begin_object("running");
    write_groups(w, running_);
    w.end_object();
}

void WindowOp::restore(StateReader& r) {
    tracker_.restore(r.i64("max_seen"));
    closed_through_ = r.i64("closed_through");
    windows_.clear();
    running_ = GroupTable();
    dirty_.clear();
    cached_window_ = nullptr;
    std::uint64_t keys = 0;
    std::int64_t bytes = 0;
    auto read_groups = [&](GroupTable& table, Timestamp start) {
        std::uint64_t n = r.begin_list("groups");
        for (std::uint64_t i = 0; i < n; ++i) {
            r.begin_object("group");
            std::string key(r.bytes("key"));
            Timestamp last = r.i64("last");
            bool changed = r.boolean("changed");
            std::vector<Accumulator> aggs = aggs_.blank();
            for (Accumulator& a : aggs)
                a.restore(r);
            r.end_object();
            Group& g = table.insert(key, GroupTable::hash(key), std::move(aggs));
            g.last = last;
            g.changed = changed;
            if (changed)
                dirty_.push_back(Dirty{start, static_cast<std::uint32_t>(table.size() - 1)});
            keys += 1;
            bytes += group_bytes(g);
        }
        r.end_list();
    };
    std::uint64_t n = r.begin_list("windows");
    for (std::uint64_t i = 0; i < n; ++i) {
        r.begin_object("window");
        Timestamp start = r.i64("start");
        read_groups(windows_[start], start);
        r.end_object();
    }
    r.end_list();
    r.begin_object("running");
    read_groups(running_, 0);
    r.end_object();
    budget_.reset(keys, static_cast<std::uint64_t>(bytes));
}

Breakdown WindowOp::breakdown() const {
    Breakdown b;
    b.what = "window_rows";
    b.label = "kind";
    b.help = "Input rows weir-window did not simply aggregate, and windows emitted.";
    b.counts.emplace_back("late", late_rows_);
    b.counts.emplace_back("partly_late", partly_late_rows_);
    b.counts.emplace_back("outside_windows", outside_rows_);
    b.counts.emplace_back("filtered", filtered_rows_);
    if (cfg_.merge)
        b.counts.emplace_back("provisional", provisional_rows_);
    for (std::size_t i = 0; i < cfg_.aggs.size(); ++i) {
        const AggSpec& a = cfg_.aggs[i];
        if (cfg_.merge || agg_is_numeric(a.func))
            b.counts.emplace_back("bad_input:" + a.name, aggs_.bad_inputs(i));
        if (a.func == AggFunc::collect)
            b.counts.emplace_back("collect_dropped:" + a.name, collect_dropped_[i]);
    }
    if (cfg_.running)
        b.counts.emplace_back("expired_keys", expired_keys_);
    return b;
}

} // namespace weir
