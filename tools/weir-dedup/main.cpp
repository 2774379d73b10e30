// weir-dedup: drop records whose key was seen before, within a watermark-bounded
// horizon or globally. Logic lives in lib/dedup/; this file only turns flags into
// objects.
#include "cli/error.hpp"
#include "cli/flag_values.hpp"
#include "cli/size.hpp"
#include "cli/tool.hpp"
#include "dedup/dedup_op.hpp"
#include "time/duration.hpp"
#include "time/time_unit.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-dedup", "Drop records whose key was seen before.");
    CLI::App& app = tool.app();

    std::string key;
    std::string within;
    std::string watermark = "0";
    std::string keep = "first";
    std::string missing_key = "dlq";
    std::string max_state;
    std::string duplicates;
    std::string late;
    bool global = false;
    bool exact = false;
    app.add_option("--key", key, "key fields, dotted paths (F1,F2,...), or '*' for the record")
        ->type_name("F1[,F2...]")
        ->required();
    app.add_option("--within", within,
                   "bounded mode: drop repeats of a key for DURATION of event time after its "
                   "first occurrence")
        ->type_name("DURATION");
    app.add_option("--watermark", watermark,
                   "bounded mode: watermark delay behind the largest event time (default: 0)")
        ->type_name("DURATION");
    app.add_flag("--global", global, "remember every key forever (128-bit fingerprints)");
    app.add_flag("--exact", exact, "keep each key's bytes, not only its fingerprint");
    app.add_option("--keep", keep,
                   "bounded mode: first (default) passes the first occurrence at once; last "
                   "writes the last one when its horizon closes")
        ->check(CLI::IsMember({"first", "last"}));
    app.add_option("--missing-key", missing_key,
                   "a record without the key: dlq (default) dead-letters it, pass passes it on")
        ->check(CLI::IsMember({"dlq", "pass"}));
    app.add_option("--duplicates", duplicates, "write dropped duplicates to FILE")
        ->type_name("FILE");
    app.add_option("--late", late, "bounded mode: write late records to FILE")->type_name("FILE");
    app.add_option("--max-state", max_state, "stop with an error when state passes SIZE")
        ->type_name("SIZE");

    weir::DedupOp* op = nullptr;
    tool.add_side_output(&duplicates, [&op](weir::OutputFile& f) { op->set_duplicates(&f); });
    tool.add_side_output(&late, [&op](weir::OutputFile& f) { op->set_late(&f); });

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        const weir::CommonOptions& common = tool.options();
        weir::DedupConfig cfg;
        cfg.key = key;
        cfg.global = global;
        if (!within.empty())
            cfg.within = weir::duration_flag("--within", within);
        cfg.watermark_delay = weir::duration_flag("--watermark", watermark);
        if (global && !late.empty())
            throw weir::Error(weir::Exit::usage, "--late is for bounded mode (--within)");
        cfg.time_field = common.time_field;
        cfg.time_given = common.time_given;
        cfg.time_unit = *weir::parse_time_unit(common.time_unit);
        cfg.exact = exact;
        cfg.keep_last = keep == "last";
        cfg.missing_pass = missing_key == "pass";
        if (!max_state.empty())
            cfg.max_state = weir::size_flag("--max-state", max_state);
        // Global mode reads no time; frames output should still carry each record's.
        if (global && common.wire == "frames")
            tool.use_event_time();
        auto made = std::make_unique<weir::DedupOp>(std::move(cfg));
        op = made.get();
        return made;
    });
}
