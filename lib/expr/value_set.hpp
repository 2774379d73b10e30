#pragma once

// The right side of `x in [lit, ...]`, built once at compile time so that a lookup is
// a hash probe, not a walk of the list. Membership means `x == lit` for some lit, with
// the same rules as equals(): integers and numbers meet by numeric value.

#include "expr/value.hpp"

#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace weir::expr::detail {

class ValueSet {
public:
    // Adds a literal; string bytes must outlive the set (they live in the Program).
    void add(const Value& literal);

    // Call once after the last add(): sorts what needs sorting.
    void finish();

    bool contains(const Value& v) const;

private:
    std::unordered_set<std::int64_t> integers_; // and numbers with an integral value
    std::vector<double> fractions_;             // numbers with a fraction, sorted
    std::unordered_set<std::string_view> strings_;
    std::unordered_set<std::int64_t> timestamps_;
    std::unordered_set<std::int64_t> durations_;
    bool has_true_ = false;
    bool has_false_ = false;
    bool has_null_ = false;
};

} // namespace weir::expr::detail
