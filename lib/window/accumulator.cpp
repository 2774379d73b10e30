#include "window/accumulator.hpp"

#include "cli/error.hpp"
#include "enrich/key.hpp"
#include "expr/expr.hpp"
#include "json/number_compare.hpp"
#include "state/varint.hpp"

#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace weir {

namespace {

constexpr double two_63 = 9223372036854775808.0;
constexpr double two_64 = 18446744073709551616.0;

template <typename T>
void append_integer(std::string& out, T v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

// The canonical bytes of a value for distinct and approx_distinct: enrich's key encoding
// for scalars (3 == 3.0, "3" != 3), 'j' + minified JSON for objects and arrays. Returns
// false for missing and null. `out` is a scratch buffer: no allocation once it has grown.
bool canonical_bytes(const FieldValue& v, std::string& out) {
    switch (encode_key(&v, 1, false, out)) {
    case KeyResult::ok:
        return true;
    case KeyResult::not_scalar:
        out.assign(1, 'j');
        append_json_value(out, v.element());
        return true;
    case KeyResult::missing:
    case KeyResult::null:
        return false;
    }
    return false;
}

bool absent(const FieldValue& v) {
    return v.is_missing() || v.is_null();
}

std::size_t string_heap(const std::string& s) {
    return s.capacity() > 15 ? s.capacity() + 1 : 0; // beyond libstdc++'s inline buffer
}

std::size_t distinct_node_bytes(const std::string& v) {
    constexpr std::size_t node = 32 + sizeof(std::string); // rb-tree node header + key
    return node + string_heap(v);
}

template <typename Set>
std::size_t distinct_heap(const Set& values) {
    std::size_t n = 0;
    for (const std::string& v : values)
        n += distinct_node_bytes(v);
    return n;
}

std::size_t collect_heap(const std::vector<std::string>& items) {
    std::size_t n = 0;
    for (const std::string& item : items)
        n += string_heap(item);
    return n;
}

[[noreturn]] void damaged(std::string_view what) {
    throw Error(Exit::temp_fail, "checkpoint: damaged {} state", what);
}

} // namespace

// --- AggReader ---

AggReader::AggReader(const AggSpec& spec) : func_(spec.func), field_(spec.field) {
    if (spec.func == AggFunc::count_if)
        expr_ = std::make_unique<expr::Expr>(
            expr::Expr::compile(spec.expr, fmt::format("--agg '{}'", spec.text)));
}

AggReader::AggReader(AggReader&&) noexcept = default;
AggReader& AggReader::operator=(AggReader&&) noexcept = default;
AggReader::~AggReader() = default;

AggInput AggReader::read(simdjson::dom::element root, Timestamp event_time) {
    AggInput in;
    in.event_time = event_time;
    if (expr_)
        in.matched = expr_->test(root);
    else if (field_)
        in.value = lookup(root, *field_);
    return in;
}

AggInput AggReader::read(const FieldValue& value, simdjson::dom::element root,
                         Timestamp event_time) {
    AggInput in;
    in.event_time = event_time;
    if (expr_)
        in.matched = expr_->test(root);
    else
        in.value = value;
    return in;
}

// --- Accumulator ---

Accumulator::State Accumulator::initial_state(const AggSpec& spec, std::uint64_t collect_max,
                                              CollectOrder order) {
    switch (spec.func) {
    case AggFunc::count:
    case AggFunc::count_if:
        return Count{0, spec.field.has_value()};
    case AggFunc::sum:
    case AggFunc::avg:
        return Sum{};
    case AggFunc::min:
    case AggFunc::max:
        return Number{};
    case AggFunc::first:
    case AggFunc::last:
        return Pick{};
    case AggFunc::distinct:
        return Distinct{};
    case AggFunc::approx_distinct:
        return HyperLogLog{};
    case AggFunc::quantile:
        return Quantile{QuantileSketch{}, spec.q};
    case AggFunc::collect:
        return Collect{{}, 0, collect_max, 0, order == CollectOrder::event_time, {}};
    }
    return Count{};
}

Accumulator::Accumulator(const AggSpec& spec, std::uint64_t collect_max, CollectOrder order)
    : func_(spec.func)
    , state_(initial_state(spec, collect_max, order)) {}

// Exact three-way comparison of two numbers held in their own kinds. uint64 values are
// all above INT64_MAX (document.hpp), so every int64 is below every uint64.
int Accumulator::compare(const Number& a, const Number& b) {
    auto sign = [](auto x, auto y) {
        return x < y ? -1 : x > y ? 1 : 0;
    };
    auto uint_double = [&](std::uint64_t u, double d) {
        if (d < two_63)
            return 1;
        if (d >= two_64)
            return -1;
        return sign(u, static_cast<std::uint64_t>(d)); // d is integral in this range
    };
    using K = FieldKind;
    if (a.kind == b.kind)
        return a.kind == K::int64    ? sign(a.i, b.i)
               : a.kind == K::uint64 ? sign(a.u, b.u)
                                     : sign(a.d, b.d);
    if (a.kind == K::int64)
        return b.kind == K::uint64 ? -1 : compare_int_double(a.i, b.d);
    if (a.kind == K::uint64)
        return b.kind == K::int64 ? 1 : uint_double(a.u, b.d);
    return -compare(b, a);
}

void Accumulator::add_sum(Sum& s, const FieldValue& v) {
    ++s.n;
    if (v.kind() == FieldKind::int64 && !s.is_double) {
        std::int64_t r = 0;
        if (!__builtin_add_overflow(s.i, v.as_int64(), &r)) {
            s.i = r;
            return;
        }
    }
    if (!s.is_double) { // overflow, a float or a uint64: double from now on
        s.is_double = true;
        s.d = static_cast<double>(s.i);
    }
    s.d += v.as_double();
}

AddStatus Accumulator::add(const AggInput& in) {
    const FieldValue& v = in.value;
    switch (func_) {
    case AggFunc::count: {
        auto& c = std::get<Count>(state_);
        if (c.by_field && absent(v))
            return AddStatus::skipped;
        ++c.n;
        return AddStatus::ok;
    }
    case AggFunc::count_if:
        if (in.matched)
            ++std::get<Count>(state_).n;
        return AddStatus::ok;
    default:
        break;
    }

    if (v.is_missing())
        return AddStatus::skipped;
    if (agg_is_numeric(func_)) {
        if (v.is_null())
            return AddStatus::skipped;
        if (!v.is_number())
            return AddStatus::not_a_number;
    }

    switch (func_) {
    case AggFunc::sum:
    case AggFunc::avg:
        add_sum(std::get<Sum>(state_), v);
        break;
    case AggFunc::min:
    case AggFunc::max: {
        Number n;
        n.kind = v.kind();
        if (n.kind == FieldKind::int64)
            n.i = v.as_int64();
        else if (n.kind == FieldKind::uint64)
            n.u = v.as_uint64();
        else
            n.d = v.as_double();
        auto& best = std::get<Number>(state_);
        int c = best.kind == FieldKind::missing ? 0 : compare(n, best);
        if (best.kind == FieldKind::missing || (func_ == AggFunc::min ? c < 0 : c > 0))
            best = n;
        break;
    }
    case AggFunc::first:
    case AggFunc::last: {
        auto& p = std::get<Pick>(state_);
        bool take =
            !p.has || (func_ == AggFunc::first ? in.event_time < p.t : in.event_time >= p.t);
        if (take) {
            p.has = true;
            p.t = in.event_time;
            p.json.clear();
            append_json_value(p.json, v.element());
        }
        break;
    }
    case AggFunc::distinct:
    case AggFunc::approx_distinct: {
        thread_local std::string scratch;
        if (!canonical_bytes(v, scratch))
            return AddStatus::skipped;
        if (func_ == AggFunc::approx_distinct) {
            std::get<HyperLogLog>(state_).add_hash(XXH3_64bits(scratch.data(), scratch.size()));
        } else {
            auto& set = std::get<Distinct>(state_).values;
            if (set.find(std::string_view(scratch)) == set.end())
                std::get<Distinct>(state_).heap += distinct_node_bytes(*set.emplace(scratch).first);
        }
        break;
    }
    case AggFunc::quantile:
        std::get<Quantile>(state_).sketch->update(v.as_double());
        break;
    case AggFunc::collect: {
        auto& c = std::get<Collect>(state_);
        if (c.by_time) {
            // The earliest `max` by event time; after equal times, so arrival breaks ties.
            // Mostly in order: appending needs no search.
            std::size_t pos = c.times.size();
            if (pos != 0 && in.event_time < c.times.back())
                pos = static_cast<std::size_t>(
                    std::upper_bound(c.times.begin(), c.times.end(), in.event_time) -
                    c.times.begin());
            if (pos >= c.max) {
                ++c.dropped;
                break;
            }
            if (c.items.size() >= c.max) { // the latest kept value makes room
                c.heap -= string_heap(c.items.back());
                c.items.pop_back();
                c.times.pop_back();
                ++c.dropped;
            }
            c.times.insert(c.times.begin() + static_cast<std::ptrdiff_t>(pos), in.event_time);
            auto item = c.items.emplace(c.items.begin() + static_cast<std::ptrdiff_t>(pos));
            append_json_value(*item, v.element());
            c.heap += string_heap(*item);
            break;
        }
        if (c.items.size() >= c.max) {
            ++c.dropped;
            break;
        }
        std::string& item = c.items.emplace_back();
        append_json_value(item, v.element());
        c.heap += string_heap(item);
        break;
    }
    default:
        break;
    }
    return AddStatus::ok;
}

bool Accumulator::rolls_up_from_value(AggFunc f) {
    switch (f) {
    case AggFunc::count:
    case AggFunc::count_if:
    case AggFunc::sum:
    case AggFunc::min:
    case AggFunc::max:
        return true;
    default:
        return false;
    }
}

AddStatus Accumulator::add_rolled_up(const FieldValue& v) {
    switch (func_) {
    case AggFunc::count:
    case AggFunc::count_if: {
        if (absent(v))
            return AddStatus::skipped;
        std::uint64_t n = 0;
        if (v.kind() == FieldKind::int64 && v.as_int64() >= 0)
            n = static_cast<std::uint64_t>(v.as_int64());
        else if (v.kind() == FieldKind::uint64)
            n = v.as_uint64();
        else
            return AddStatus::not_a_number;
        std::get<Count>(state_).n += n;
        return AddStatus::ok;
    }
    case AggFunc::sum:
    case AggFunc::min:
    case AggFunc::max:
        return add(AggInput{v, no_timestamp, false});
    default:
        return AddStatus::skipped;
    }
}

// Interleaves two time-sorted collections, `c`'s values first on equal times (other's
// records count as arriving later), keeping the `max` earliest.
void Accumulator::merge_by_time(Collect& c, const Collect& o) {
    std::vector<std::string> items;
    std::vector<Timestamp> times;
    std::size_t total = c.items.size() + o.items.size();
    std::size_t keep = std::min<std::size_t>(total, c.max);
    items.reserve(keep);
    times.reserve(keep);
    std::size_t i = 0;
    std::size_t j = 0;
    while (items.size() < keep) {
        if (j == o.items.size() || (i < c.items.size() && c.times[i] <= o.times[j])) {
            items.push_back(std::move(c.items[i]));
            times.push_back(c.times[i++]);
        } else {
            items.push_back(o.items[j]);
            times.push_back(o.times[j++]);
        }
    }
    c.dropped += o.dropped + (total - keep);
    c.items = std::move(items);
    c.times = std::move(times);
    c.heap = collect_heap(c.items);
}

bool Accumulator::merge(const Accumulator& other) {
    if (func_ != other.func_ || state_.index() != other.state_.index())
        return false;
    switch (func_) {
    case AggFunc::count:
    case AggFunc::count_if:
        std::get<Count>(state_).n += std::get<Count>(other.state_).n;
        break;
    case AggFunc::sum:
    case AggFunc::avg: {
        auto& s = std::get<Sum>(state_);
        const auto& o = std::get<Sum>(other.state_);
        std::int64_t r = 0;
        if (!s.is_double && !o.is_double && !__builtin_add_overflow(s.i, o.i, &r)) {
            s.i = r;
        } else {
            double a = s.is_double ? s.d : static_cast<double>(s.i);
            double b = o.is_double ? o.d : static_cast<double>(o.i);
            s.is_double = true;
            s.d = a + b;
        }
        s.n += o.n;
        break;
    }
    case AggFunc::min:
    case AggFunc::max: {
        auto& best = std::get<Number>(state_);
        const auto& o = std::get<Number>(other.state_);
        if (o.kind == FieldKind::missing)
            break;
        int c = best.kind == FieldKind::missing ? 0 : compare(o, best);
        if (best.kind == FieldKind::missing || (func_ == AggFunc::min ? c < 0 : c > 0))
            best = o;
        break;
    }
    case AggFunc::first:
    case AggFunc::last: {
        auto& p = std::get<Pick>(state_);
        const auto& o = std::get<Pick>(other.state_);
        if (o.has && (!p.has || (func_ == AggFunc::first ? o.t < p.t : o.t >= p.t)))
            p = o;
        break;
    }
    case AggFunc::distinct: {
        const auto& o = std::get<Distinct>(other.state_).values;
        auto& d = std::get<Distinct>(state_);
        d.values.insert(o.begin(), o.end());
        d.heap = distinct_heap(d.values);
        break;
    }
    case AggFunc::approx_distinct:
        std::get<HyperLogLog>(state_).merge(std::get<HyperLogLog>(other.state_));
        break;
    case AggFunc::quantile: {
        auto& q = std::get<Quantile>(state_);
        const auto& o = std::get<Quantile>(other.state_);
        if (q.q != o.q)
            return false;
        return q.sketch->merge(*o.sketch);
    }
    case AggFunc::collect: {
        auto& c = std::get<Collect>(state_);
        const auto& o = std::get<Collect>(other.state_);
        if (c.by_time != o.by_time)
            return false;
        if (c.by_time) {
            merge_by_time(c, o);
            break;
        }
        std::size_t room = c.max > c.items.size() ? c.max - c.items.size() : 0;
        std::size_t take = std::min(room, o.items.size());
        c.items.insert(c.items.end(), o.items.begin(),
                       o.items.begin() + static_cast<std::ptrdiff_t>(take));
        c.dropped += o.dropped + (o.items.size() - take);
        c.heap = collect_heap(c.items);
        break;
    }
    }
    return true;
}

void Accumulator::append_json(std::string& out) const {
    switch (func_) {
    case AggFunc::count:
    case AggFunc::count_if:
        append_integer(out, std::get<Count>(state_).n);
        return;
    case AggFunc::sum:
    case AggFunc::avg: {
        const auto& s = std::get<Sum>(state_);
        double total = s.is_double ? s.d : static_cast<double>(s.i);
        if (func_ == AggFunc::sum && !s.is_double)
            append_integer(out, s.i);
        else if (func_ == AggFunc::sum)
            append_json_double(out, s.d);
        else if (s.n == 0)
            out += "null";
        else
            append_json_double(out, total / static_cast<double>(s.n));
        return;
    }
    case AggFunc::min:
    case AggFunc::max: {
        const auto& n = std::get<Number>(state_);
        if (n.kind == FieldKind::missing)
            out += "null";
        else if (n.kind == FieldKind::int64)
            append_integer(out, n.i);
        else if (n.kind == FieldKind::uint64)
            append_integer(out, n.u);
        else
            append_json_double(out, n.d);
        return;
    }
    case AggFunc::first:
    case AggFunc::last: {
        const auto& p = std::get<Pick>(state_);
        out += p.has ? std::string_view(p.json) : std::string_view("null");
        return;
    }
    case AggFunc::distinct:
        append_integer(out, std::uint64_t{std::get<Distinct>(state_).values.size()});
        return;
    case AggFunc::approx_distinct:
        append_integer(out, static_cast<std::uint64_t>(
                                std::llround(std::get<HyperLogLog>(state_).estimate())));
        return;
    case AggFunc::quantile: {
        const auto& q = std::get<Quantile>(state_);
        append_json_double(out, q.sketch->quantile(q.q)); // NaN (empty) prints as null
        return;
    }
    case AggFunc::collect: {
        out += '[';
        bool comma = false;
        for (const std::string& item : std::get<Collect>(state_).items) {
            if (comma)
                out += ',';
            out += item;
            comma = true;
        }
        out += ']';
        return;
    }
    }
}

std::uint64_t Accumulator::dropped() const {
    const auto* c = std::get_if<Collect>(&state_);
    return c ? c->dropped : 0;
}

void Accumulator::snapshot(StateWriter& w) const {
    w.begin_object("accumulator");
    w.str("func", agg_func_name(func_));
    std::string buf;
    switch (func_) {
    case AggFunc::count:
    case AggFunc::count_if:
        w.u64("n", std::get<Count>(state_).n);
        break;
    case AggFunc::sum:
    case AggFunc::avg: {
        const auto& s = std::get<Sum>(state_);
        w.i64("int_sum", s.i);
        w.f64("double_sum", s.d);
        w.boolean("is_double", s.is_double);
        w.u64("n", s.n);
        break;
    }
    case AggFunc::min:
    case AggFunc::max: {
        const auto& n = std::get<Number>(state_);
        w.u64("kind", static_cast<std::uint64_t>(n.kind));
        w.i64("int", n.i);
        w.u64("uint", n.u);
        w.f64("double", n.d);
        break;
    }
    case AggFunc::first:
    case AggFunc::last: {
        const auto& p = std::get<Pick>(state_);
        w.boolean("has", p.has);
        w.i64("time", p.t);
        w.str("value", p.json);
        break;
    }
    case AggFunc::distinct: {
        const auto& set = std::get<Distinct>(state_).values;
        for (const std::string& v : set) { // sorted: equal sets give equal bytes
            append_varint(buf, v.size());
            buf += v;
        }
        w.u64("count", set.size());
        w.bytes("values", buf);
        break;
    }
    case AggFunc::approx_distinct:
        std::get<HyperLogLog>(state_).serialize(buf);
        w.bytes("hll", buf);
        break;
    case AggFunc::quantile:
        std::get<Quantile>(state_).sketch->serialize(buf);
        w.bytes("kll", buf);
        break;
    case AggFunc::collect: {
        const auto& c = std::get<Collect>(state_);
        w.begin_list("items", c.items.size());
        for (const std::string& item : c.items)
            w.str("item", item);
        w.end_list();
        w.u64("dropped", c.dropped);
        if (c.by_time) {
            w.begin_list("times", c.times.size());
            for (Timestamp t : c.times)
                w.i64("t", t);
            w.end_list();
        }
        break;
    }
    }
    w.end_object();
}

void Accumulator::restore(StateReader& r) {
    r.begin_object("accumulator");
    std::string f = r.str("func");
    if (f != agg_func_name(func_))
        throw Error(Exit::temp_fail, "checkpoint: accumulator state is for '{}', expected '{}'", f,
                    agg_func_name(func_));
    switch (func_) {
    case AggFunc::count:
    case AggFunc::count_if:
        std::get<Count>(state_).n = r.u64("n");
        break;
    case AggFunc::sum:
    case AggFunc::avg: {
        auto& s = std::get<Sum>(state_);
        s.i = r.i64("int_sum");
        s.d = r.f64("double_sum");
        s.is_double = r.boolean("is_double");
        s.n = r.u64("n");
        break;
    }
    case AggFunc::min:
    case AggFunc::max: {
        auto& n = std::get<Number>(state_);
        std::uint64_t kind = r.u64("kind");
        if (kind != static_cast<std::uint64_t>(FieldKind::missing) &&
            kind != static_cast<std::uint64_t>(FieldKind::int64) &&
            kind != static_cast<std::uint64_t>(FieldKind::uint64) &&
            kind != static_cast<std::uint64_t>(FieldKind::float64))
            damaged(agg_func_name(func_));
        n.kind = static_cast<FieldKind>(kind);
        n.i = r.i64("int");
        n.u = r.u64("uint");
        n.d = r.f64("double");
        break;
    }
    case AggFunc::first:
    case AggFunc::last: {
        auto& p = std::get<Pick>(state_);
        p.has = r.boolean("has");
        p.t = r.i64("time");
        p.json = r.str("value");
        break;
    }
    case AggFunc::distinct: {
        auto& set = std::get<Distinct>(state_).values;
        set.clear();
        std::uint64_t count = r.u64("count");
        std::string_view in = r.bytes("values");
        std::size_t pos = 0;
        while (pos < in.size()) {
            std::uint64_t len = 0;
            if (!read_varint(in, pos, len) || len > in.size() - pos)
                damaged("distinct");
            set.emplace(in.substr(pos, len));
            pos += len;
        }
        if (set.size() != count)
            damaged("distinct");
        std::get<Distinct>(state_).heap = distinct_heap(set);
        break;
    }
    case AggFunc::approx_distinct: {
        auto h = HyperLogLog::deserialize(r.bytes("hll"));
        if (!h)
            damaged("approx_distinct");
        std::get<HyperLogLog>(state_) = std::move(*h);
        break;
    }
    case AggFunc::quantile: {
        auto s = QuantileSketch::deserialize(r.bytes("kll"));
        if (!s)
            damaged("quantile");
        *std::get<Quantile>(state_).sketch = std::move(*s);
        break;
    }
    case AggFunc::collect: {
        auto& c = std::get<Collect>(state_);
        c.items.clear();
        std::uint64_t n = r.begin_list("items");
        for (std::uint64_t i = 0; i < n; ++i)
            c.items.push_back(r.str("item"));
        r.end_list();
        c.heap = collect_heap(c.items);
        c.dropped = r.u64("dropped");
        if (c.by_time) {
            c.times.clear();
            std::uint64_t m = r.begin_list("times");
            if (m != n)
                damaged("collect");
            for (std::uint64_t i = 0; i < m; ++i)
                c.times.push_back(r.i64("t"));
            r.end_list();
            if (!std::is_sorted(c.times.begin(), c.times.end()))
                damaged("collect");
        }
        break;
    }
    }
    r.end_object();
}

Accumulator Accumulator::blank() const {
    auto fresh = [this]() -> State {
        if (const auto* c = std::get_if<Count>(&state_))
            return Count{0, c->by_field};
        if (const auto* q = std::get_if<Quantile>(&state_))
            return Quantile{QuantileSketch(q->sketch->k()), q->q};
        if (const auto* col = std::get_if<Collect>(&state_))
            return Collect{{}, 0, col->max, 0, col->by_time, {}};
        if (std::holds_alternative<Sum>(state_))
            return Sum{};
        if (std::holds_alternative<Number>(state_))
            return Number{};
        if (std::holds_alternative<Pick>(state_))
            return Pick{};
        if (std::holds_alternative<Distinct>(state_))
            return Distinct{};
        return HyperLogLog{};
    };
    return Accumulator(func_, fresh());
}

std::string Accumulator::state_bytes() const {
    StateWriter w;
    snapshot(w);
    return w.take();
}

bool Accumulator::merge_state(std::string_view bytes) {
    Accumulator other = blank();
    try {
        StateReader r(bytes);
        other.restore(r);
        if (!r.at_end())
            return false;
    } catch (const Error&) {
        return false;
    }
    // Kept values are copied into output verbatim: they must be JSON.
    thread_local simdjson::dom::parser parser;
    auto is_json = [](const std::string& text) {
        return !parser.parse(text).error();
    };
    if (const auto* p = std::get_if<Pick>(&other.state_); p && p->has && !is_json(p->json))
        return false;
    if (const auto* c = std::get_if<Collect>(&other.state_))
        for (const std::string& item : c->items)
            if (!is_json(item))
                return false;
    return merge(other);
}

std::size_t Accumulator::memory_bytes() const {
    std::size_t bytes = sizeof(Accumulator);
    if (const auto* p = std::get_if<Pick>(&state_))
        bytes += string_heap(p->json);
    else if (const auto* d = std::get_if<Distinct>(&state_))
        bytes += d->heap;
    else if (const auto* h = std::get_if<HyperLogLog>(&state_))
        bytes += h->memory_bytes() - sizeof(HyperLogLog);
    else if (const auto* q = std::get_if<Quantile>(&state_))
        bytes += q->sketch->memory_bytes();
    else if (const auto* c = std::get_if<Collect>(&state_)) {
        bytes += c->items.capacity() * sizeof(std::string) + c->heap +
                 c->times.capacity() * sizeof(Timestamp);
    }
    return bytes;
}

} // namespace weir
