// weir-window: event-time windowed aggregation with watermarks, rollups and running
// totals. Logic lives in lib/window/; this file only turns flags into objects.
#include "cli/error.hpp"
#include "cli/flag_values.hpp"
#include "cli/size.hpp"
#include "cli/split.hpp"
#include "cli/tool.hpp"
#include "time/duration.hpp"
#include "time/time_unit.hpp"
#include "window/aggregate_flags.hpp"
#include "window/window_op.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-window",
                    "Aggregate records in event-time windows (or as running totals per key).");
    CLI::App& app = tool.app();

    std::string size;
    std::string slide;
    std::string offset;
    std::string by;
    std::string where;
    std::string emit = "final";
    std::string emit_every;
    bool sketches = false;
    bool merge = false;
    bool running = false;
    std::string state_ttl;

    app.add_option("--size", size, "window length: tumbling windows of this size")
        ->type_name("DURATION");
    app.add_option("--slide", slide, "start a window this often (sliding windows; default --size)")
        ->type_name("DURATION");
    app.add_option("--offset", offset, "shift window starts from the epoch by this much")
        ->type_name("DURATION");
    app.add_option("--by", by, "group by these fields (dotted paths; missing groups as null)")
        ->type_name("F1,F2,...");
    app.add_option("--where", where, "aggregate only records where EXPR is true (weir-expr(7))")
        ->type_name("EXPR");
    weir::AggregateFlags common_aggs;
    common_aggs.add_to(app, "window", "", "; default: count");
    app.add_option("--emit", emit,
                   "final: each window once, when the watermark passes its end (default); "
                   "update: changed groups at each watermark advance")
        ->type_name("final|update")
        ->check(CLI::IsMember({"final", "update"}));
    app.add_option("--emit-every", emit_every,
                   "also emit the changed groups of open windows this often (processing time)")
        ->type_name("DURATION");
    app.add_flag("--sketches", sketches,
                 "add each aggregate's mergeable state (_sketches) for a later --merge");
    app.add_flag("--merge", merge,
                 "the input is weir-window --sketches output: merge it into larger windows "
                 "(time: window.start)");
    app.add_flag("--running", running,
                 "no windows: running totals per --by group, emitted after each record");
    app.add_option("--state-ttl", state_ttl,
                   "with --running: forget a group idle this long in event time")
        ->type_name("DURATION");

    weir::WindowOp* op = nullptr;
    tool.add_side_output(&common_aggs.late, [&op](weir::OutputFile& f) { op->set_late(&f); });

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        weir::WindowConfig cfg;
        cfg.running = running;
        if (running) {
            if (!size.empty() || !slide.empty() || !offset.empty())
                throw weir::Error(weir::Exit::usage,
                                  "--running has no windows: drop --size, --slide and --offset");
        } else {
            if (size.empty())
                throw weir::Error(weir::Exit::usage,
                                  "no window: give --size DURATION (or --running)");
            cfg.size = weir::duration_flag("--size", size);
            cfg.slide = slide.empty() ? cfg.size : weir::duration_flag("--slide", slide);
            cfg.offset = weir::signed_duration_flag("--offset", offset);
        }
        cfg.by = weir::path_list_flag("--by", by);
        cfg.where = where;
        cfg.aggs = common_aggs.specs();
        cfg.collect_max = common_aggs.collect_max;
        cfg.watermark = common_aggs.watermark_delay();
        cfg.emit = emit == "update" ? weir::EmitMode::update : weir::EmitMode::final;
        cfg.emit_every = weir::duration_flag("--emit-every", emit_every);
        if (!emit_every.empty() && cfg.emit_every.count() <= 0)
            throw weir::Error(weir::Exit::usage, "--emit-every must be positive");
        cfg.keep_open = common_aggs.keep_open;
        common_aggs.check_keep_open(tool.options(), "window");
        cfg.sketches = sketches;
        cfg.merge = merge;
        cfg.state_ttl = weir::duration_flag("--state-ttl", state_ttl);
        if (!state_ttl.empty() && !running)
            throw weir::Error(weir::Exit::usage,
                              "--state-ttl is for --running (windows expire by the watermark)");
        cfg.max_state = common_aggs.max_state_bytes();
        const weir::CommonOptions& common = tool.options();
        std::string time_field = merge && !common.time_given ? "window.start" : common.time_field;
        cfg.time_field = weir::path_flag("--time", time_field);
        cfg.time_unit = *weir::parse_time_unit(common.time_unit);
        cfg.time_given = common.time_given;
        auto made = std::make_unique<weir::WindowOp>(std::move(cfg));
        op = made.get();
        return made;
    });
}
