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
#include "time/time_unit.hpp"
#include "window/aggregate_flags.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-sessionize",
                    "Group each key's records into event-time sessions separated by a gap.");
    CLI::App& app = tool.app();

    std::string key;
    std::string gap;
    std::vector<std::string> gap_by;
    std::string gap_expr;
    std::string max_duration;
    std::string missing_key = "dead-letter";

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
    weir::AggregateFlags common_aggs;
    common_aggs.add_to(app, "session", ", the earliest", " (collect in event-time order)");
    app.add_option("--missing-key", missing_key,
                   "a record without a --key field: dead-letter (default) or null (the null key)")
        ->type_name("dead-letter|null")
        ->check(CLI::IsMember({"dead-letter", "null"}));

    weir::SessionizeOp* op = nullptr;
    tool.add_side_output(&common_aggs.late, [&op](weir::OutputFile& f) { op->set_late(&f); });

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
        cfg.aggs = common_aggs.specs();
        cfg.collect_max = common_aggs.collect_max;
        cfg.watermark = common_aggs.watermark_delay();
        cfg.missing_key_null = missing_key == "null";
        cfg.keep_open = common_aggs.keep_open;
        common_aggs.check_keep_open(tool.options(), "session");
        cfg.max_state = common_aggs.max_state_bytes();
        const weir::CommonOptions& common = tool.options();
        cfg.time_field = weir::path_flag("--time", common.time_field);
        cfg.time_unit = *weir::parse_time_unit(common.time_unit);
        cfg.time_given = common.time_given;
        auto made = std::make_unique<weir::SessionizeOp>(std::move(cfg));
        op = made.get();
        return made;
    });
}
