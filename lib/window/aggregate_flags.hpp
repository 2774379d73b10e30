#pragma once

// The flags of every aggregating tool (weir-window, weir-sessionize), declared and
// checked in one place so that both word them alike: --agg, --collect-max,
// --watermark, --late, --keep-open, --max-state. `unit` names what the tool aggregates
// into ("window", "session").

#include "cli/error.hpp"
#include "cli/flag_values.hpp"
#include "cli/tool.hpp"
#include "window/accumulator.hpp"
#include "window/agg_spec.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

struct AggregateFlags {
    std::vector<std::string> aggs;
    std::uint64_t collect_max = Accumulator::default_collect_max;
    std::string watermark = "0s";
    std::string late;
    bool keep_open = false;
    std::string max_state = "0";

    // `collect_note` says which values collect keeps ("" or ", the earliest"),
    // `agg_note` anything more about --agg ("; default: count").
    void add_to(CLI::App& app, const std::string& unit, const std::string& collect_note,
                const std::string& agg_note) {
        app.add_option("--agg", aggs,
                       "an aggregate per " + unit +
                           ", repeatable: count, count_if:EXPR, sum|min|max|avg:F, "
                           "first|last:F, distinct:F, approx_distinct:F, p50|p90|p95|p99:F, "
                           "quantile(Q):F, collect:F; =NAME renames" +
                           agg_note)
            ->type_name("FUNC[:FIELD][=NAME]")
            ->allow_extra_args(false);
        app.add_option("--watermark", watermark,
                       "how far behind the latest event time a " + unit +
                           " stays open (default 0s)")
            ->type_name("DURATION");
        app.add_option("--late", late,
                       "write records that arrive after their " + unit + " closed here")
            ->type_name("FILE");
        app.add_flag("--keep-open", keep_open,
                     "at end of input keep open " + unit + "s in the checkpoint for the next run");
        app.add_option("--max-state", max_state,
                       "stop with an error when the state grows past this (default 0: no limit)")
            ->type_name("SIZE");
        app.add_option("--collect-max", collect_max,
                       "values kept per collect aggregate (default 100" + collect_note +
                           "; the rest are counted)")
            ->type_name("N");
    }

    std::vector<AggSpec> specs() const {
        std::vector<AggSpec> out;
        for (const std::string& a : aggs)
            out.push_back(parse_agg_spec(a));
        return out;
    }

    Duration watermark_delay() const {
        Duration d = duration_flag("--watermark", watermark);
        if (d.count() < 0)
            throw Error(Exit::usage, "--watermark must not be negative");
        return d;
    }

    std::uint64_t max_state_bytes() const { return size_flag("--max-state", max_state); }

    // --keep-open keeps state for the next run: it needs a checkpoint.
    void check_keep_open(const CommonOptions& common, const std::string& unit) const {
        if (keep_open && common.checkpoint.empty())
            throw Error(Exit::usage,
                        "--keep-open keeps {}s in the checkpoint: give --checkpoint DIR (or "
                        "WEIR_CHECKPOINT)",
                        unit);
    }
};

} // namespace weir
