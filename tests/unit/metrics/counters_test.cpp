#include "metrics/counters.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using weir::Channel;
using weir::Reason;

TEST_CASE("counters: channel names are stable and distinct") {
    CHECK(weir::channel_name(Channel::dead_letter) == "dead_letter");
    CHECK(weir::channel_name(Channel::quarantine) == "quarantine");
    CHECK(weir::channel_name(Channel::late) == "late");
    CHECK(weir::channel_name(Channel::duplicate) == "duplicate");
    CHECK(weir::channel_name(Channel::unmatched) == "unmatched");
    CHECK(weir::channel_name(Channel::filtered) == "filtered");
    std::set<std::string> names;
    for (std::size_t c = 0; c < weir::channel_count; ++c)
        names.emplace(weir::channel_name(static_cast<Channel>(c)));
    CHECK(names.size() == weir::channel_count);
    CHECK(names.count("unknown") == 0);
}

TEST_CASE("counters: rejects are counted per channel and reason") {
    weir::RunCounters c;
    CHECK(c.rejected() == 0);
    c.reject(Channel::dead_letter, Reason::invalid_json);
    c.reject(Channel::dead_letter, Reason::invalid_json);
    c.reject(Channel::dead_letter, Reason::too_long, 3);
    c.reject(Channel::late);
    CHECK(c.rejected(Channel::dead_letter, Reason::invalid_json) == 2);
    CHECK(c.rejected(Channel::dead_letter, Reason::too_long) == 3);
    CHECK(c.rejected(Channel::dead_letter, Reason::bad_time) == 0);
    CHECK(c.rejected(Channel::dead_letter) == 5);
    CHECK(c.rejected(Channel::late) == 1);
    CHECK(c.rejected(Channel::late, Reason::bad_time) == 0);
    CHECK(c.rejects[static_cast<std::size_t>(Channel::late)][weir::no_reason_column] == 1);
    CHECK(c.rejected() == 6);
}

TEST_CASE("counters: reject columns have names") {
    CHECK(weir::reason_column_name(weir::reason_column(Reason::bad_time)) == "bad_time");
    CHECK(weir::reason_column_name(weir::no_reason_column) == weir::no_reason_name);
}

TEST_CASE("counters: a new run starts empty") {
    weir::RunCounters c;
    CHECK(c.watermark == weir::no_timestamp);
    CHECK(c.epoch == 0);
    CHECK(c.records_in == 0);
    CHECK(c.last_batch_seconds == 0);
}
