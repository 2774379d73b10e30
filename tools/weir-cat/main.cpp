// weir-cat: convert and inspect streams (frames <-> NDJSON <-> CSV, --pretty, --stats).
// Logic lives in lib/cat/ and lib/wire/; this file only turns flags into objects.
#include "cat/cat_op.hpp"
#include "cli/error.hpp"
#include "cli/tool.hpp"
#include "json/field_path.hpp"
#include "wire/csv_writer.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-cat", "Convert and inspect weir streams: frames, NDJSON, CSV.");

    std::string to;
    std::vector<std::string> fields;
    bool pretty = false;
    bool stats = false;
    tool.app()
        .add_option("--to", to, "output format: ndjson, frames or csv (same as --wire)")
        ->check(CLI::IsMember({"ndjson", "frames", "csv"}));
    tool.app()
        .add_option("--fields", fields, "CSV columns, e.g. event_id,device.os")
        ->delimiter(',')
        ->allow_extra_args(false)
        ->type_name("FIELD,...");
    tool.app().add_flag("--pretty", pretty, "indent records for reading (not NDJSON any more)");
    tool.app().add_flag("--stats", stats,
                        "print one summary record: records, bytes, time span, sources, barriers");

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        if (to == "ndjson" || to == "frames")
            tool.options().wire = to;
        if (to == "csv") {
            if (fields.empty())
                throw weir::Error(weir::Exit::usage, "--to csv needs --fields (the CSV columns)");
            if (pretty || stats)
                throw weir::Error(weir::Exit::usage, "--to csv cannot be combined with {}",
                                  pretty ? "--pretty" : "--stats");
            std::vector<weir::FieldPath> columns;
            for (const std::string& f : fields)
                columns.push_back(weir::FieldPath::from(f));
            tool.set_writer_factory([columns](weir::OutputFile& out, const weir::SourceTable&) {
                return std::make_unique<weir::CsvWriter>(out, columns);
            });
        } else if (!fields.empty()) {
            throw weir::Error(weir::Exit::usage, "--fields is for --to csv");
        }
        // Event times are only read when they are used: for --stats, and to carry them
        // in frames. A plain conversion to NDJSON passes bytes and nothing else.
        if (stats || tool.options().wire == "frames")
            tool.use_event_time();
        if (pretty && stats)
            throw weir::Error(weir::Exit::usage, "--pretty and --stats cannot be combined");
        if (pretty && tool.options().wire == "frames")
            throw weir::Error(weir::Exit::usage, "--pretty writes text for people, not frames");
        if (stats)
            return std::make_unique<weir::StatsOp>();
        if (pretty)
            return std::make_unique<weir::PrettyOp>();
        return std::make_unique<weir::CatOp>();
    });
}
