// weir-fanout: one stream to many destinations, routed, partitioned, exactly once.
// Logic lives in lib/fanout/; this file turns the flags into destinations, in the order
// given: --rotate-size, --rotate-every and --csv-fields apply to the destination they
// follow, or to every destination when given before the first (--fields likewise).
#include "cli/error.hpp"
#include "cli/ordered_options.hpp"
#include "cli/tool.hpp"
#include "fanout/fanout_op.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-fanout",
                    "Write each record to several destinations: files, partitioned paths, "
                    "rotating files; routed by predicates, exactly once.");
    CLI::App& app = tool.app();

    weir::OrderedOptions flags;
    flags.add(app, "--to", "DEST", "write every record to DEST (a file, a path template, '-')");
    flags.add(app, "--route", "'EXPR=>DEST'", "write the records for which EXPR is true to DEST");
    flags.add(app, "--else", "DEST", "write the records that no --route took to DEST");
    flags.add(app, "--rotate-size", "SIZE",
              "start a new file when the next record would take it past SIZE");
    flags.add(app, "--rotate-every", "DURATION",
              "start a new file for each DURATION of event time (epoch-aligned)");
    flags.add(app, "--csv-fields", "F1,F2,...", "columns of a .csv destination");
    flags.add(app, "--fields", "F1,F2,...", "write only these fields (projection)");
    flags.add(app, "--on-error", "POLICY",
              "when a destination fails: fail (default), dlq or retry:N");
    std::size_t max_open = 100;
    app.add_option("--max-open", max_open,
                   "files open at once over all destinations; least recently used closed first "
                   "(default: 100)")
        ->type_name("N");

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        weir::FanoutConfig cfg;
        cfg.max_open = max_open;
        weir::DestSpec defaults;
        bool rotate_every = false;
        for (const auto& [flag, value] : flags.in_order(app)) {
            weir::DestSpec* target = cfg.dests.empty() ? &defaults : &cfg.dests.back();
            if (flag == "--to" || flag == "--route" || flag == "--else") {
                weir::DestSpec d = defaults;
                if (flag == "--route") {
                    d.kind = weir::DestSpec::Kind::route;
                    std::tie(d.route, d.target) = weir::split_route(value);
                } else {
                    d.kind =
                        flag == "--to" ? weir::DestSpec::Kind::to : weir::DestSpec::Kind::otherwise;
                    d.target = value;
                }
                // Defaults for files only: stdout takes none of them.
                if (d.target == "-")
                    d.rotate_size = d.rotate_every = d.csv_fields = d.on_error = "";
                cfg.dests.push_back(std::move(d));
            } else if (flag == "--rotate-size") {
                target->rotate_size = value;
            } else if (flag == "--rotate-every") {
                target->rotate_every = value;
            } else if (flag == "--csv-fields") {
                target->csv_fields = value;
            } else if (flag == "--fields") {
                target->fields = value;
            } else if (flag == "--on-error") {
                target->on_error = value;
            }
        }
        for (const weir::DestSpec& d : cfg.dests)
            if (!d.rotate_every.empty())
                rotate_every = true;
        // Rotation by event time reads each record's time; frames carry it anyway.
        if (rotate_every || tool.options().wire == "frames")
            tool.use_event_time();
        return std::make_unique<weir::FanoutOp>(std::move(cfg));
    });
}
