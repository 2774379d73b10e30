// weir-sessionize: event-time sessions per key, with dynamic gaps, a watermark and the
// shared aggregates. Logic lives in lib/session/; this file only turns flags into
// objects.
#include "cli/error.hpp"
#include "cli/flag_values.hpp"
#include "cli/size.hpp"
#include "cli/split.hpp"
#include "cli/tool.hpp"
#include "session/session_op.hpp"
#include "time/duration.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-sessionize",
                    "Group each key's records into event-time sessions separated by a gap.");
    CLI::App& app = tool.app();

    std::string key;
    std::string gap;
    std::vector<std::string> gap_by;
    std::string gap_expr;
    std::string max_duration;
    std::vector<std::string> aggs;
    std::string watermark = "0s";
    std::string late;
    std::string missing_key = "dead-letter";
    bool keep_open = false;
    std::string max_state = "0";
    std::uint64_t collect_max = weir::Accumulator::default_collect_max;

    app.add_option("--key", key, "sessions per value of these fields (dotted paths)")
        ->type_name("F1,F2,...");
    app.add_option("--gap", gap,
                   "a session ends after this long without events (the default gap with "
                   "--gap-by and --gap-expr)")
        ->type_name("DURATION");
    app.add_option("--gap-by", gap_by,
                   "the gap by the value of FIELD: power=5m,casual=30m (others: --gap)")
        ->type_name("FIELD VALUE=DURATION,...")
        ->expected(2)
        ->allow_extra_args(false);
    app.add_option("--gap-expr", gap_expr,
                   "the gap of each record as an expression giving a duration (weir-expr(7))")
        ->type_name("EXPR");
    app.add_option("--max-duration", max_duration,
                   "cut sessions whose events would span this long or more")
        ->type_name("DURATION");
    app.add_option("--agg", aggs,
                   "an aggregate per session, repeatable: count, count_if:EXPR, "
                   "sum|min|max|avg:F, first|last:F, distinct:F, approx_distinct:F, "
                   "p50|p90|p95|p99:F, quantile(Q):F, collect:F (in event-time order); "
                   "=NAME renames")
        ->type_name("FUNC[:FIELD][=NAME]")
        ->allow_extra_args(false);
    app.add_option("--watermark", watermark,
                   "how far behind the latest event time a session stays open (default 0s)")
        ->type_name("DURATION");
    app.add_option("--late", late, "write records that arrive after their session closed here")
        ->type_name("FILE");
    app.add_option("--missing-key", missing_key,
                   "a record without a --key field: dead-letter (default) or null (the null key)")
        ->type_name("dead-letter|null")
        ->check(CLI::IsMember({"dead-letter", "null"}));
    app.add_flag("--keep-open", keep_open,
                 "at end of input keep open sessions in the checkpoint for the next run");
    app.add_option("--max-state", max_state,
                   "stop with an error when the state grows past this (default 0: no limit)")
        ->type_name("SIZE");
    app.add_option("--collect-max", collect_max,
                   "values kept per collect aggregate (default 100, the earliest; the rest are "
                   "counted)")
        ->type_name("N");

    weir::SessionizeOp* op = nullptr;
    tool.add_side_output(&late, [&op](weir::OutputFile& f) { op->set_late(&f); });

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        weir::SessionizeConfig cfg;
        cfg.key = weir::path_list_flag("--key", key);
        if (!gap_by.empty() && gap.empty())
            throw weir::Error(weir::Exit::usage,
                              "--gap-by needs --gap for the values it does not list");
        if (gap.empty() && gap_expr.empty())
            throw weir::Error(weir::Exit::usage, "no gap: give --gap DURATION (or --gap-expr)");
        cfg.gap = weir::duration_flag("--gap", gap);
        if (!gap_by.empty()) {
            cfg.gap_by = weir::path_flag("--gap-by", gap_by[0]);
            cfg.gap_values = weir::parse_gap_values(gap_by.size() > 1 ? gap_by[1] : "");
        }
        cfg.gap_expr = gap_expr;
        cfg.max_duration = weir::duration_flag("--max-duration", max_duration);
        if (!max_duration.empty() && cfg.max_duration.count() <= 0)
            throw weir::Error(weir::Exit::usage, "--max-duration must be positive");
        for (const std::string& a : aggs)
            cfg.aggs.push_back(weir::parse_agg_spec(a));
        cfg.collect_max = collect_max;
        cfg.watermark = weir::duration_flag("--watermark", watermark);
        if (cfg.watermark.count() < 0)
            throw weir::Error(weir::Exit::usage, "--watermark must not be negative");
        cfg.missing_key_null = missing_key == "null";
        cfg.keep_open = keep_open;
        if (keep_open && tool.options().checkpoint.empty())
            throw weir::Error(weir::Exit::usage,
                              "--keep-open keeps sessions in the checkpoint: give --checkpoint "
                              "DIR (or WEIR_CHECKPOINT)");
        cfg.max_state = weir::size_flag("--max-state", max_state);
        tool.use_event_time();
        auto made = std::make_unique<weir::SessionizeOp>(std::move(cfg));
        op = made.get();
        return made;
    });
}
