// weir-ingest: union files, globs, directories and stdin into one stream, resumably.
// Logic lives in lib/ingest/; this file only turns flags into objects.
#include "cli/error.hpp"
#include "cli/size.hpp"
#include "cli/tool.hpp"
#include "ingest/ingest_op.hpp"
#include "ingest/ingest_reader.hpp"
#include "io/output_file.hpp"
#include "time/duration.hpp"
#include "wire/frame_writer.hpp"
#include "wire/ndjson_writer.hpp"
#include "wire/tee_writer.hpp"

#include <charconv>

int main(int argc, char** argv) {
    weir::Tool tool("weir-ingest",
                    "Union files, globs, directories and stdin into one stream, resumably.");

    weir::IngestConfig cfg;
    std::vector<std::string> labels;
    bool concat = false, follow = false, skip_missing = false;
    std::string from = "earliest", checkpoint_every, poll = "200ms", capture;
    double max_rate = 0, replay_speed = 0;
    auto& app = tool.app();
    app.add_flag("--concat", concat, "read sources one after another instead of merging by time");
    app.add_flag("-f,--follow", follow,
                 "keep reading as files grow, across rotation and truncation (tail -F)");
    app.add_option("--poll", poll, "how often --follow looks for new data (default: 200ms)")
        ->type_name("DURATION");
    app.add_flag("--skip-missing", skip_missing, "warn about missing sources instead of failing");
    app.add_option("--from", from, "sources without a checkpoint start at: earliest or latest")
        ->check(CLI::IsMember({"earliest", "latest"}));
    app.add_option("--label", labels, "name the sources matching GLOB (like a topic name)")
        ->type_name("NAME=GLOB")
        ->allow_extra_args(false);
    app.add_option("--source-field", cfg.source_field,
                   "field that holds the source label (default: _source; '' for none)")
        ->type_name("NAME");
    app.add_option("--id-field", cfg.id_field, "add a stable record id LABEL:OFFSET")
        ->type_name("NAME");
    app.add_option("--ingest-time-field", cfg.ingest_time_field,
                   "add the wall-clock ingestion time")
        ->type_name("NAME");
    app.add_option("--checkpoint-every", checkpoint_every,
                   "frames: end an epoch every N records or DURATION")
        ->type_name("N|DURATION");
    app.add_option("--max-rate", max_rate, "at most N records per second")->type_name("N");
    app.add_option("--replay-speed", replay_speed,
                   "pace records by event time: 1 = as they happened, 60 = a minute per second")
        ->type_name("X");
    app.add_option("--capture", capture,
                   "also write the stream to FILE as zstd-compressed frames (a capture)")
        ->type_name("FILE");
    tool.add_side_output(&capture);

    auto make_input = [&](const weir::InputSetup& setup) {
        const weir::CommonOptions& o = setup.options;
        weir::IngestOptions io;
        io.inputs = o.inputs;
        for (const std::string& l : labels) {
            std::size_t eq = l.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == l.size())
                throw weir::Error(weir::Exit::usage, "--label '{}': expected NAME=GLOB", l);
            io.labels.emplace_back(l.substr(0, eq), l.substr(eq + 1));
        }
        io.format = weir::parse_input_format(o.format);
        io.max_record = weir::parse_size(o.max_record);
        io.time_field = weir::FieldPath::from(o.time_field);
        io.time_unit = *weir::parse_time_unit(o.time_unit);
        io.concat = concat;
        io.follow = follow;
        io.skip_missing = skip_missing;
        io.from_latest = from == "latest";
        io.poll_interval =
            std::chrono::duration_cast<std::chrono::milliseconds>(weir::parse_duration(poll));
        io.barriers = setup.frames_out;
        io.first_epoch = setup.next_epoch;
        if (!checkpoint_every.empty()) {
            if (!setup.frames_out)
                throw weir::Error(weir::Exit::usage,
                                  "--checkpoint-every needs --wire frames (NDJSON has no "
                                  "barriers: an epoch ends with the input)");
            std::uint64_t n = 0;
            const char* end = checkpoint_every.data() + checkpoint_every.size();
            auto [p, ec] = std::from_chars(checkpoint_every.data(), end, n);
            if (ec == std::errc() && p == end && n > 0)
                io.checkpoint_every_records = n;
            else
                io.checkpoint_every_time = weir::parse_duration(checkpoint_every);
        }
        if (max_rate < 0 || replay_speed < 0)
            throw weir::Error(weir::Exit::usage, "--max-rate and --replay-speed must be positive");
        io.max_rate = max_rate;
        io.replay_speed = replay_speed;
        return std::make_unique<weir::IngestReader>(std::move(io), setup.reporter);
    };

    return tool.run(
        argc, argv,
        [&] {
            if (!capture.empty())
                tool.set_writer_factory([&](weir::OutputFile& out, const weir::SourceTable& st) {
                    std::unique_ptr<weir::RecordWriter> main;
                    if (tool.options().wire == "frames") {
                        weir::FrameWriterOptions fo;
                        fo.zstd_level = tool.options().zstd_frames ? 3 : 0;
                        main = std::make_unique<weir::FrameWriter>(out, st, fo);
                    } else {
                        main = std::make_unique<weir::NdjsonWriter>(out);
                    }
                    weir::FrameWriterOptions co;
                    co.zstd_level = 3;
                    auto cap =
                        std::make_unique<weir::FrameWriter>(*tool.side_output(capture), st, co);
                    return std::make_unique<weir::TeeWriter>(std::move(main), std::move(cap));
                });
            return std::make_unique<weir::IngestOp>(cfg);
        },
        make_input);
}
