#include "enrich/enrich_op.hpp"

#include "enrich/key.hpp"
#include "enrich/key_index.hpp"
#include "io/output_file.hpp"
#include "run/record_root.hpp"

#include <fmt/format.h>

namespace weir {

EnrichOp::EnrichOp(EnrichConfig cfg, std::unique_ptr<TableRefresher> tables)
    : cfg_(std::move(cfg))
    , tables_(std::move(tables)) {
    index_fields();
    rows_.assign(cfg_.joins.size(), -1);
    keys_.resize(cfg_.joins.size());
    hashes_.assign(cfg_.joins.size(), 0);
    keyed_.assign(cfg_.joins.size(), 0);
    matched_.assign(cfg_.joins.size(), 0);
    unmatched_counts_.assign(cfg_.joins.size(), 0);
}

// The record's keys and any members it already has of the names a table adds are read
// in one walk: a name the record lacks is appended without the scan that replacing it
// would need. Rebuilt when a table version changes, since its columns may differ.
void EnrichOp::index_fields() {
    fields_ = FieldResolver();
    key_slots_.clear();
    column_slots_.clear();
    for (std::size_t t = 0; t < cfg_.joins.size(); ++t) {
        std::vector<std::size_t> slots;
        for (const FieldPath& p : cfg_.joins[t].stream_keys)
            slots.push_back(fields_.add(p));
        parts_.resize(std::max(parts_.size(), slots.size()));
        key_slots_.push_back(std::move(slots));
        const Table& table = tables_->table(t);
        std::vector<std::size_t> cols;
        for (std::size_t c = 0; c < table.columns(); ++c)
            cols.push_back(fields_.add(FieldPath::of_member(table.column_name(c))));
        column_slots_.push_back(std::move(cols));
    }
}

void EnrichOp::report_messages(Context& ctx) {
    for (const std::string& m : tables_->take_messages())
        ctx.warn(m);
}

Flow EnrichOp::process(const Record& in, Context& ctx) {
    if (tables_->poll()) [[unlikely]] {
        report_messages(ctx); // a failed reload is told at once, even on a slow stream
        index_fields();
    }

    simdjson::dom::element root;
    if (!record_root(ctx, in, doc_, root))
        return Flow::more;
    fields_.resolve(root);

    // Keys first, then every table's slot prefetched, then the lookups: with two
    // tables the two cache misses overlap.
    const std::size_t n = key_slots_.size();
    for (std::size_t t = 0; t < n; ++t) {
        const auto& slots = key_slots_[t];
        for (std::size_t i = 0; i < slots.size(); ++i)
            parts_[i] = fields_[slots[i]];
        keyed_[t] =
            encode_key(parts_.data(), slots.size(), cfg_.loose_keys, keys_[t]) == KeyResult::ok;
        if (keyed_[t]) {
            hashes_[t] = KeyIndex::hash(keys_[t]);
            tables_->table(t).prefetch(hashes_[t]);
        }
    }
    bool all_matched = true;
    bool any_matched = false;
    for (std::size_t t = 0; t < n; ++t) {
        rows_[t] = keyed_[t] ? tables_->table(t).find(keys_[t], hashes_[t]) : -1;
        if (rows_[t] < 0) {
            ++unmatched_counts_[t];
            all_matched = false;
        } else {
            ++matched_[t];
            any_matched = true;
        }
    }

    if (!all_matched && cfg_.inner) {
        ctx.divert(Channel::unmatched);
        if (unmatched_ != nullptr) {
            unmatched_->append(in.json);
            unmatched_->put('\n');
        } else {
            ++dropped_;
        }
        return Flow::more;
    }
    if (!any_matched && cfg_.absent) {
        ctx.emit(in); // nothing to add
        return Flow::more;
    }

    splicer_.begin(in.json);
    for (std::size_t t = 0; t < rows_.size(); ++t) {
        const Table& table = tables_->table(t);
        std::int64_t row = rows_[t];
        if (row < 0 && cfg_.absent)
            continue;
        for (std::size_t c = 0; c < table.columns(); ++c) {
            splicer_.set_mode(fields_[column_slots_[t][c]].is_missing() ? SpliceMode::append
                                                                        : SpliceMode::replace);
            splicer_.add_encoded(table.column_name(c),
                                 row < 0 ? table.null_member(c) : table.member(row, c));
        }
    }
    Record out = in;
    out.json = splicer_.finish();
    ctx.emit(out);
    return Flow::more;
}

void EnrichOp::finish(Context& ctx) {
    report_messages(ctx);
    if (dropped_ > 0)
        ctx.warn(fmt::format("{} records matched no row and were dropped (--inner without "
                             "--unmatched FILE)",
                             dropped_));
}

Breakdown EnrichOp::breakdown() const {
    Breakdown b;
    b.what = "tables";
    b.label = "stat";
    b.at_exit = false; // always non-zero: for the metrics, not for every run's stderr
    b.help = "Reference tables: rows, bytes, version fingerprint, reloads, matches.";
    for (std::size_t t = 0; t < tables_->size(); ++t) {
        const Table& table = tables_->table(t);
        const std::string& n = table.spec().name;
        const TableStats& s = table.stats();
        const TableVersionStats& v = tables_->version_stats(t);
        b.counts.emplace_back(n + ".matched", matched_[t]);
        b.counts.emplace_back(n + ".unmatched", unmatched_counts_[t]);
        b.counts.emplace_back(n + ".rows", s.rows);
        b.counts.emplace_back(n + ".duplicate_keys", s.duplicates);
        b.counts.emplace_back(n + ".keyless_rows", s.keyless);
        b.counts.emplace_back(n + ".bytes", s.bytes);
        b.counts.emplace_back(n + ".fingerprint", s.fingerprint);
        b.counts.emplace_back(n + ".reloads", v.reloads);
        b.counts.emplace_back(n + ".reload_failures", v.reload_failures);
    }
    return b;
}

} // namespace weir
