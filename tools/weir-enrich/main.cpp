// weir-enrich: lookup joins of a stream against reference tables, refreshed while the
// stream runs. Logic lives in lib/enrich/; this file only turns flags into objects.
#include "cli/error.hpp"
#include "cli/ordered_options.hpp"
#include "cli/size.hpp"
#include "cli/tool.hpp"
#include "enrich/enrich_op.hpp"
#include "enrich/table_options.hpp"
#include "time/duration.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-enrich",
                    "Join records with reference tables (NDJSON or CSV), refreshed live.");
    CLI::App& app = tool.app();

    // Table flags keep their command-line order: each --table takes the --on, --select
    // and --prefix after it.
    weir::OrderedOptions table_flags;
    auto table_flag = [&](const std::string& flag, const std::string& type_name,
                          const std::string& help) {
        table_flags.add(app, flag, type_name, help);
    };
    table_flag("--table", "[NAME=]FILE",
               "a reference table: NDJSON or CSV with a header, optionally .gz/.zst");
    table_flag("--on", "[NAME:]S1,..=T1,..",
               "join key: stream fields = table fields (\"--on id\" is id=id)");
    table_flag("--select", "[NAME:]COL[=AS],...",
               "table columns to add (default: every field but the keys)");
    table_flag("--prefix", "[NAME:]PREFIX", "prefix for the names of the added columns");

    bool inner = false;
    bool absent = false;
    bool loose_keys = false;
    std::string unmatched;
    std::string refresh;
    std::string max_table_bytes = "4GiB";
    app.add_flag("--inner", inner,
                 "drop records without a match in every table (into --unmatched FILE)");
    app.add_option("--unmatched", unmatched, "with --inner: write records without a match here")
        ->type_name("FILE");
    app.add_flag("--absent", absent,
                 "add nothing for a record without a match (default: the columns as null)");
    app.add_flag("--loose-keys", loose_keys,
                 "a string key \"42\" matches the number 42 (and true matches \"true\")");
    app.add_option("--refresh", refresh,
                   "check the table files this often and reload them when they change; "
                   "SIGHUP reloads at once")
        ->type_name("DURATION");
    app.add_option("--max-table-bytes", max_table_bytes,
                   "refuse a table whose rows take more memory than this (default 4GiB)")
        ->type_name("SIZE");

    weir::EnrichOp* op = nullptr;
    tool.add_side_output(&unmatched, [&op](weir::OutputFile& f) { op->set_unmatched(&f); });

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        if (!unmatched.empty() && !inner)
            throw weir::Error(weir::Exit::usage,
                              "--unmatched is for --inner (a left join passes every record on)");
        if (inner && absent)
            throw weir::Error(weir::Exit::usage, "--absent is for left joins, not --inner");
        std::vector<weir::TableJoinSpec> joins =
            weir::group_table_options(table_flags.in_order(app));
        if (joins.empty())
            throw weir::Error(weir::Exit::usage, "no table: give --table FILE --on FIELD");

        weir::Duration every{};
        if (!refresh.empty()) {
            every = weir::parse_duration(refresh);
            if (every.count() <= 0)
                throw weir::Error(weir::Exit::usage, "--refresh must be positive");
        }
        std::uint64_t max_bytes = weir::parse_size(max_table_bytes);

        weir::EnrichConfig cfg;
        cfg.inner = inner;
        cfg.absent = absent;
        cfg.loose_keys = loose_keys;
        cfg.has_unmatched = !unmatched.empty();
        std::vector<weir::TableSpec> specs;
        for (weir::TableJoinSpec& j : joins) {
            j.table.loose_keys = loose_keys;
            j.table.strict_duplicates = tool.options().strict;
            j.table.max_bytes = max_bytes;
            cfg.joins.push_back(weir::EnrichJoin{j.stream_keys});
            specs.push_back(std::move(j.table));
        }
        weir::TableRefresher::install_sighup_handler();
        auto tables = std::make_unique<weir::TableRefresher>(std::move(specs), every);
        if (tool.options().wire == "frames")
            tool.use_event_time();
        auto made = std::make_unique<weir::EnrichOp>(std::move(cfg), std::move(tables));
        op = made.get();
        return made;
    });
}
