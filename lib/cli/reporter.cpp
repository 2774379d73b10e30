#include "cli/reporter.hpp"

#include "metrics/progress.hpp"

#include <cstdio>

namespace weir {

void Reporter::error(std::string_view message) const {
    if (progress_ != nullptr)
        progress_->clear();
    fmt::print(stderr, "{}: {}\n", program_, message);
}

void Reporter::warning(std::string_view message) const {
    if (quiet_)
        return;
    if (progress_ != nullptr)
        progress_->clear();
    fmt::print(stderr, "{}: warning: {}\n", program_, message);
}

void Reporter::record_problem(const Position& where, std::string_view what) {
    ++problems_;
    if (quiet_ || problems_ > per_record_limit)
        return;
    if (progress_ != nullptr)
        progress_->clear();
    fmt::print(stderr, "{}: {}: {}\n", program_, where, what);
}

void Reporter::summarise(std::string_view hint) const {
    if (quiet_ || problems_ <= per_record_limit)
        return;
    fmt::print(stderr, "{}: warning: {} more problems not shown{}\n", program_,
               problems_ - per_record_limit, hint);
}

} // namespace weir
