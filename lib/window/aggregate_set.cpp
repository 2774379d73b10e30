#include "window/aggregate_set.hpp"

#include "cli/error.hpp"
#include "json/escape.hpp"

#include <fmt/format.h>

namespace weir {

namespace {

bool memory_grows(AggFunc f) {
    switch (f) {
    case AggFunc::first:
    case AggFunc::last:
    case AggFunc::distinct:
    case AggFunc::approx_distinct:
    case AggFunc::quantile:
    case AggFunc::collect:
        return true;
    default:
        return false;
    }
}

} // namespace

AggregateSet::AggregateSet(std::vector<AggSpec> specs, std::uint64_t collect_max,
                           CollectOrder order, FieldResolver& fields)
    : specs_(std::move(specs)) {
    for (const AggSpec& a : specs_) {
        readers_.emplace_back(a);
        blank_.emplace_back(a, collect_max, order);
        slots_.push_back(a.field ? fields.add(*a.field) : no_slot);
        grows_ = grows_ || memory_grows(a.func);
    }
    inputs_.resize(specs_.size());
    bad_inputs_.assign(specs_.size(), 0);
}

void AggregateSet::check_names(const std::vector<FieldPath>& keys, std::string_view key_flag,
                               const std::vector<std::string_view>& reserved,
                               std::string_view program) const {
    check_unique_names(specs_);
    for (const AggSpec& a : specs_) {
        for (const FieldPath& k : keys)
            if (k[0] == a.name)
                throw Error(Exit::usage, "--agg '{}' writes field '{}', which {} '{}' also writes",
                            a.text, a.name, key_flag, k.text());
        for (std::string_view r : reserved)
            if (a.name == r)
                throw Error(Exit::usage,
                            "--agg '{}': '{}' is a field {} writes itself; name the aggregate "
                            "with =NAME",
                            a.text, a.name, program);
    }
    for (const FieldPath& k : keys)
        for (std::string_view r : reserved)
            if (k[0] == r)
                throw Error(Exit::usage, "{} '{}': '{}' is a field {} writes itself", key_flag,
                            k.text(), r, program);
}

bool AggregateSet::read(const FieldResolver& fields, simdjson::dom::element root, Timestamp t,
                        Context& ctx) {
    for (std::size_t i = 0; i < readers_.size(); ++i) {
        FieldValue v = slots_[i] == no_slot ? FieldValue() : fields[slots_[i]];
        if (agg_is_numeric(specs_[i].func) && !v.is_missing() && !v.is_null() && !v.is_number())
            [[unlikely]] {
            ++bad_inputs_[i];
            ctx.reject(Reason::bad_field,
                       fmt::format("field '{}': {} is not a number (--agg '{}')",
                                   specs_[i].field->text(), json_excerpt(v), specs_[i].text));
            return false;
        }
        inputs_[i] = readers_[i].read(v, root, t);
    }
    return true;
}

void AggregateSet::add_to(std::vector<Accumulator>& aggs) const {
    for (std::size_t i = 0; i < aggs.size(); ++i)
        aggs[i].add(inputs_[i]);
}

void AggregateSet::append_members(std::string& out, const std::vector<Accumulator>& aggs) const {
    for (std::size_t i = 0; i < aggs.size(); ++i) {
        if (!out.empty() && out.back() != '{')
            out += ',';
        append_json_string(out, specs_[i].name);
        out += ':';
        aggs[i].append_json(out);
    }
}

std::int64_t AggregateSet::bytes(const std::vector<Accumulator>& aggs) {
    std::size_t n = 0;
    for (const Accumulator& a : aggs)
        n += a.memory_bytes();
    return static_cast<std::int64_t>(n);
}

} // namespace weir
