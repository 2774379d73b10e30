#include "cli/tool.hpp"

#include "checkpoint/stage.hpp"
#include "cli/error.hpp"
#include "cli/size.hpp"
#include "io/open_input.hpp"
#include "io/output_file.hpp"
#include "json/field_path.hpp"
#include "metrics/accounting.hpp"
#include "metrics/counters.hpp"
#include "metrics/metrics_writer.hpp"
#include "metrics/progress.hpp"
#include "run/dead_letter.hpp"
#include "run/run_loop.hpp"
#include "run/stop_signal.hpp"
#include "time/duration.hpp"
#include "time/time_unit.hpp"
#include "wire/concat_reader.hpp"
#include "wire/detect.hpp"
#include "wire/frame_writer.hpp"
#include "wire/ndjson_writer.hpp"

#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace weir {

namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : std::move(fallback);
}

// A snapshot written with other meaning-changing flags, by another tool or by another
// version of the state's encoding is refused: loading it would silently mean something
// else (exit 2, naming the flag).
void check_compatible(const Snapshot& s, const Snapshot& now, const std::string& where) {
    if (s.tool != now.tool || s.op_name != now.op_name)
        throw Error(Exit::usage, "checkpoint '{}': state was written by {} ({}), not {}", where,
                    s.tool, s.op_name, now.tool);
    if (s.state_version != now.state_version)
        throw Error(Exit::usage,
                    "checkpoint '{}': state has encoding version {}, this {} reads version {}; "
                    "reset the stage (weir checkpoint reset) to start over",
                    where, s.state_version, now.tool, now.state_version);
    for (const auto& [flag, value] : now.meaning_flags) {
        std::string before = "(unset)";
        for (const auto& [f, v] : s.meaning_flags)
            if (f == flag)
                before = v;
        if (before != value)
            throw Error(Exit::usage, "checkpoint '{}': state was written with {}={}, now {}={}",
                        where, flag, before, flag, value);
    }
}

} // namespace

Tool::Tool(std::string program, std::string description)
    : program_(std::move(program))
    , short_name_(program_.rfind("weir-", 0) == 0 ? program_.substr(5) : program_)
    , app_(std::move(description), program_)
    , reporter_(program_) {
    // 1. The flags every tool shares (documented once, in weir(1)).
    app_.set_version_flag("--version", std::string(WEIR_VERSION));
    app_.add_option("files", opts_.inputs, "input files (default: stdin; '-' for stdin)");
    app_.add_option("-o,--output", opts_.output, "write output to FILE (default: stdout)")
        ->type_name("FILE");
    app_.add_option("--dlq", opts_.dlq, "write records that cannot be processed to FILE")
        ->type_name("FILE");
    app_.add_flag("--fail-on-dlq", opts_.fail_on_dlq,
                  "exit 1 when any record went to the dead-letter file");
    app_.add_option("--checkpoint", opts_.checkpoint,
                    "keep state and offsets in DIR for exactly-once restarts "
                    "(default: $WEIR_CHECKPOINT)")
        ->type_name("DIR");
    app_.add_option("--name", opts_.name, "stage name in the checkpoint directory")
        ->type_name("NAME");
    app_.add_option("--metrics", opts_.metrics, "append metrics to FILE")->type_name("FILE");
    app_.add_option("--metrics-format", opts_.metrics_format, "json (default) or prometheus")
        ->check(CLI::IsMember({"json", "prometheus"}));
    app_.add_option("--metrics-every", opts_.metrics_every, "metrics interval (default: 10s)")
        ->type_name("DURATION");
    app_.add_option("--wire", opts_.wire, "output wire: ndjson or frames (default: $WEIR_WIRE)")
        ->check(CLI::IsMember({"ndjson", "frames"}));
    app_.add_flag("--compress", opts_.zstd_frames, "zstd-compress frame payloads (--wire frames)");
    app_.add_option("--format", opts_.format, "input format: auto, ndjson, frames or csv")
        ->check(CLI::IsMember({"auto", "ndjson", "frames", "csv"}));
    app_.add_option("--max-record", opts_.max_record,
                    "longest record accepted; longer ones are dead-lettered (default: 16MiB)")
        ->type_name("SIZE");
    app_.add_flag("--strict", opts_.strict, "make the first bad record fatal (exit 65)");
    app_.add_flag("-q,--quiet", opts_.quiet, "no warnings and no progress line");
    app_.add_option("--time", opts_.time_field, "event-time field (default: event_time)")
        ->type_name("FIELD")
        ->each([this](const std::string&) { opts_.time_given = true; });
    app_.add_option("--time-unit", opts_.time_unit,
                    "unit of numeric event times: s, ms, us or auto (default)")
        ->check(CLI::IsMember({"auto", "s", "ms", "us"}));
}

std::unique_ptr<RecordReader> open_default_input(const InputSetup& setup) {
    std::vector<std::string> paths = setup.options.inputs;
    if (paths.empty())
        paths.emplace_back("-");
    ReaderOptions ro;
    ro.format = parse_input_format(setup.options.format);
    ro.max_record = parse_size(setup.options.max_record);
    return std::make_unique<ConcatReader>(std::move(paths), [ro](const std::string& path) {
        return make_reader(open_input(path, OpenOptions{}), ro);
    });
}

Tool::~Tool() = default;

OutputFile* Tool::side_output(const std::string& path) const {
    for (const auto& [p, f] : side_files_)
        if (p == path)
            return f.get();
    return nullptr;
}

int Tool::run(int argc, char** argv, const OperatorFactory& make_op,
              const InputFactory& make_input) {
    // 2. Parse. CLI11's own exit codes are 100-127; ours is 2 for every usage error.
    try {
        app_.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0)
            return app_.exit(e);
        // CLI11 capitalises its messages; ours are lower case (git's rules).
        std::string message = e.what();
        if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z' &&
            !(message.size() > 1 && message[1] >= 'A' && message[1] <= 'Z'))
            message[0] = static_cast<char>(message[0] - 'A' + 'a');
        reporter_.error(message);
        fmt::print(stderr, "Try 'weir {} --help' for more information.\n", short_name_);
        return code(Exit::usage);
    }
    try {
        return run_parsed(make_op, make_input);
    } catch (const Error& e) {
        reporter_.error(e.what());
        return code(e.code());
    } catch (const std::exception& e) {
        reporter_.error(fmt::format("internal error: {}", e.what()));
        return code(Exit::internal);
    }
}

int Tool::run_parsed(const OperatorFactory& make_op, const InputFactory& make_input) {
    reporter_.set_quiet(opts_.quiet);
    install_stop_handlers();
    if (opts_.wire.empty())
        opts_.wire = env_or("WEIR_WIRE", "ndjson");
    if (opts_.wire != "ndjson" && opts_.wire != "frames")
        throw Error(Exit::usage, "WEIR_WIRE='{}': expected ndjson or frames", opts_.wire);
    if (opts_.checkpoint.empty())
        opts_.checkpoint = env_or("WEIR_CHECKPOINT", "");
    parse_size(opts_.max_record); // fail early on a bad value
    Duration metrics_every = parse_duration(opts_.metrics_every);

    // 3. The operator checks its own flag combinations.
    std::unique_ptr<Operator> op = make_op();

    // 4. Checkpoint: lock, register, restore the newest committed epoch.
    std::optional<StageCheckpoint> ck;
    std::optional<Snapshot> restored;
    Snapshot base;
    base.tool = program_;
    base.op_name = std::string(op->name());
    base.state_version = op->state_version();
    base.meaning_flags = op->meaning_flags();
    std::uint64_t next_epoch = 1;
    if (!opts_.checkpoint.empty()) {
        std::string stage = opts_.name.empty() ? short_name_ : opts_.name;
        ck.emplace(StageCheckpoint::open(opts_.checkpoint, stage));
        restored = ck->restore_point();
        if (restored) {
            check_compatible(*restored, base, opts_.checkpoint + "/" + stage);
            next_epoch = restored->epoch + 1;
        } else {
            next_epoch = ck->committed_epoch() + 1;
        }
    }

    // Outputs: a checkpointed run never truncates on open; it cuts each file back to
    // its committed length instead (0 when nothing is committed yet).
    auto mode = ck ? OutputFile::Mode::keep : OutputFile::Mode::truncate;
    std::unique_ptr<OutputFile> out = OutputFile::open(opts_.output, mode);
    std::unique_ptr<OutputFile> dlq_file;
    if (!opts_.dlq.empty() && opts_.dlq == opts_.output)
        throw Error(Exit::usage, "'{}' is named for two outputs (-o and --dlq)", opts_.dlq);
    if (!opts_.dlq.empty())
        dlq_file = OutputFile::open(opts_.dlq, mode);
    // stdout redirected to a file is checkpointed like -o, under a key naming that file
    // (device and inode): the same file cut short by a shell '>' is caught, while a run
    // whose stdout is another file starts that file as it finds it.
    std::string out_key = opts_.output;
    if (opts_.output == "-" && out->is_regular()) {
        struct stat st {};

        if (::fstat(out->fd(), &st) == 0)
            out_key = fmt::format("-@{}:{}", st.st_dev, st.st_ino);
    }
    auto restore_length = [&](OutputFile& f, const std::string& key) {
        if (!ck || !f.is_regular())
            return;
        std::optional<std::uint64_t> len;
        if (restored)
            for (const auto& [k, l] : restored->file_lengths)
                if (k == key)
                    len = l;
        if (len)
            f.truncate_to(*len);
        else if (key.rfind("-@", 0) != 0)
            f.truncate_to(0); // nothing committed for it: start it afresh
    };
    restore_length(*out, out_key);
    if (dlq_file)
        restore_length(*dlq_file, opts_.dlq);
    for (const auto& [p, on_open] : side_paths_) {
        if (p->empty())
            continue;
        if (*p == opts_.output || *p == opts_.dlq || *p == "-")
            throw Error(Exit::usage, "'{}' is named for two outputs", *p);
        for (const auto& [other, f] : side_files_)
            if (other == *p)
                throw Error(Exit::usage, "'{}' is named for two outputs", *p);
        auto f = OutputFile::open(*p, mode);
        restore_length(*f, *p);
        if (on_open)
            on_open(*f);
        side_files_.emplace_back(*p, std::move(f));
    }

    // Inputs, resuming where the committed epoch left them.
    InputSetup setup{opts_, next_epoch, ck.has_value(), opts_.wire == "frames", reporter_};
    std::unique_ptr<RecordReader> in = make_input ? make_input(setup) : open_default_input(setup);
    if (restored && in->checkpointed() && !restored->source_state.empty()) {
        StateReader r(restored->source_state);
        in->restore(r);
    }
    if (restored && !restored->op_state.empty()) {
        StateReader r(restored->op_state);
        op->restore(r);
    }

    std::unique_ptr<RecordWriter> writer;
    if (make_writer_) {
        writer = make_writer_(*out, in->sources());
    } else if (opts_.wire == "frames") {
        FrameWriterOptions fo;
        fo.zstd_level = opts_.zstd_frames ? 3 : 0;
        writer = std::make_unique<FrameWriter>(*out, in->sources(), fo);
    } else {
        writer = std::make_unique<NdjsonWriter>(*out);
    }

    // 5. Run.
    RunSettings settings;
    settings.strict = opts_.strict;
    if (needs_time_) {
        settings.time_field = FieldPath::from(opts_.time_field);
        settings.time_unit = *parse_time_unit(opts_.time_unit);
        settings.trust_carried_time = !opts_.time_given;
    }
    RunCounters counters;
    RunLoop loop(std::move(settings), *in, *op, *writer, reporter_, counters);
    std::optional<DeadLetterWriter> dlq;
    if (dlq_file) {
        dlq.emplace(*dlq_file, program_);
        loop.set_dead_letters(&*dlq);
        loop.add_checkpointed_output(opts_.dlq, dlq_file.get());
    }
    for (auto& [path, f] : side_files_)
        loop.add_checkpointed_output(path, f.get());
    if (out->is_regular())
        loop.add_checkpointed_output(out_key, out.get());
    else
        loop.add_output(out.get());
    if (ck)
        loop.set_checkpoint(CheckpointPlan{&*ck, base, next_epoch});
    loop.set_forward_after_commit(!out->is_regular());
    std::optional<MetricsWriter> metrics;
    if (!opts_.metrics.empty()) {
        metrics.emplace(opts_.metrics,
                        opts_.metrics_format == "prometheus" ? MetricsFormat::prometheus
                                                             : MetricsFormat::json,
                        metrics_every, program_, opts_.name.empty() ? short_name_ : opts_.name);
        metrics->set_breakdown([&op = *op] { return op.breakdown(); });
        loop.set_metrics(&*metrics);
    }
    std::optional<ProgressLine> progress;
    if (ProgressLine::wanted(opts_.quiet)) {
        progress.emplace(program_, stderr, true);
        loop.set_progress(&*progress);
        reporter_.set_progress(&*progress);
    }

    // The reporter outlives this scope (Tool::run prints the error that ends it): it
    // must not keep pointing at the progress line.
    struct ForgetProgress {
        Reporter& r;

        ~ForgetProgress() { r.set_progress(nullptr); }
    } forget_progress{reporter_};

    Exit result = loop.run();

    std::uint64_t dead = counters.rejected(Channel::dead_letter);
    reporter_.summarise(opts_.dlq.empty() ? "" : fmt::format(" (all are in '{}')", opts_.dlq));
    if (dead > 0 && opts_.dlq.empty())
        reporter_.warningf("{} records could not be processed and were dropped (no --dlq FILE)",
                           dead);
    if (counters.rejected() > 0 && !opts_.quiet)
        fmt::print(stderr, "{}\n", accounting_line(program_, counters));
    if (std::string line = breakdown_line(program_, op->breakdown()); !line.empty() && !opts_.quiet)
        fmt::print(stderr, "{}\n", line);
    if (result == Exit::ok && opts_.fail_on_dlq && dead > 0)
        result = Exit::dead_lettered;
    return code(result);
}

} // namespace weir
