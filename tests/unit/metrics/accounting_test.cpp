#include "metrics/accounting.hpp"

#include <doctest/doctest.h>

using weir::Channel;
using weir::Reason;

TEST_CASE("accounting: a pass-through run balances and states its rejects") {
    weir::RunCounters c;
    c.records_in = 1000;
    c.records_out = 990;
    c.reject(Channel::dead_letter, Reason::too_long, 3);
    c.reject(Channel::dead_letter, Reason::invalid_json, 7);
    CHECK(weir::balanced(c));
    CHECK(weir::imbalance(c) == 0);
    // Reasons sorted by name, whatever their enum order or the order they were counted.
    CHECK(weir::accounting_line("weir-ingest", c) ==
          "weir-ingest: records in 1000 = out 990 + dead_letter 10 (invalid_json 7, too_long 3)");
}

TEST_CASE("accounting: zero terms are left out") {
    weir::RunCounters c;
    CHECK(weir::accounting_line("weir-dedup", c) == "weir-dedup: records in 0 = out 0");
    c.records_in = 5;
    c.records_out = 5;
    CHECK(weir::accounting_line("weir-dedup", c) == "weir-dedup: records in 5 = out 5");
}

TEST_CASE("accounting: an aggregating run balances with consumed and generated") {
    weir::RunCounters c;
    c.records_in = 1000;
    c.records_consumed = 988;
    c.reject(Channel::late, 7);
    c.reject(Channel::dead_letter, Reason::bad_time, 5);
    c.records_generated = 12;
    c.records_out = 12;
    CHECK(weir::balanced(c));
    CHECK(weir::accounting_line("weir-window", c) ==
          "weir-window: records in 1000 + generated 12 = out 12 + consumed 988 + "
          "dead_letter 5 (bad_time 5) + late 7");
}

TEST_CASE("accounting: held records balance a run mid-way") {
    weir::RunCounters c;
    c.records_in = 10;
    c.records_out = 6;
    c.records_held = 4;
    CHECK(weir::balanced(c));
    CHECK(weir::accounting_line("weir-ingest", c) == "weir-ingest: records in 10 = out 6 + held 4");
}

TEST_CASE("accounting: channels appear in channel order") {
    weir::RunCounters c;
    c.records_in = 6;
    c.reject(Channel::filtered);
    c.reject(Channel::duplicate, 2);
    c.reject(Channel::quarantine, Reason::bad_field, 3);
    CHECK(weir::accounting_line("weir-x", c) ==
          "weir-x: records in 6 = out 0 + quarantine 3 (bad_field 3) + duplicate 2 + filtered 1");
}

TEST_CASE("accounting: a channel with and without reasons shows both") {
    weir::RunCounters c;
    c.records_in = 3;
    c.reject(Channel::dead_letter, Reason::unprocessable, 2);
    c.reject(Channel::dead_letter);
    CHECK(weir::accounting_line("weir-x", c) ==
          "weir-x: records in 3 = out 0 + dead_letter 3 (none 1, unprocessable 2)");
}

TEST_CASE("accounting: an unbalanced run is flagged") {
    weir::RunCounters c;
    c.records_in = 100;
    c.records_out = 97;
    c.reject(Channel::dead_letter, Reason::invalid_json);
    SUBCASE("records missing") {
        CHECK_FALSE(weir::balanced(c));
        CHECK(weir::imbalance(c) == 2);
        CHECK(weir::accounting_line("weir-ingest", c) ==
              "weir-ingest: records in 100 = out 97 + dead_letter 1 (invalid_json 1)"
              " (unbalanced: 2 unaccounted)");
    }
    SUBCASE("records counted twice") {
        c.records_out = 103;
        CHECK_FALSE(weir::balanced(c));
        CHECK(weir::imbalance(c) == -4);
        CHECK(weir::accounting_line("weir-ingest", c) ==
              "weir-ingest: records in 100 = out 103 + dead_letter 1 (invalid_json 1)"
              " (unbalanced: 4 over-counted)");
    }
}
