#pragma once

// Tool: what every weir stream tool does the same way, in the same order (STYLE.md
// section 2). A tool's main() adds its own flags to app(), then calls run() with a
// factory for its operator; run() does the rest:
//   1. shared flags (-o, --dlq, --checkpoint, --name, --metrics, --wire, --time, ...)
//   2. parse; CLI11 errors print "PROGRAM: message" + a --help hint and exit 2
//   3. build the operator (its constructor checks flag combinations: Error(usage))
//   4. take the checkpoint lock, restore the newest committed epoch, open and truncate
//      outputs to their committed lengths, open the inputs
//   5. run the loop; map exceptions to exit codes in one place

#include "cli/exit.hpp"
#include "cli/reporter.hpp"
#include "run/operator.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weir {

class OutputFile;

struct CommonOptions {
    std::vector<std::string> inputs; // FILE...; empty: stdin
    std::string output = "-";
    std::string dlq;
    std::string checkpoint; // --checkpoint or $WEIR_CHECKPOINT
    std::string name;       // stage name; default: the tool name without "weir-"
    std::string metrics;
    std::string metrics_format = "json";
    std::string metrics_every = "10s";
    std::string time_field = "event_time";
    bool time_given = false; // --time was given (else frames' carried times are trusted)
    std::string time_unit = "auto";
    std::string wire;            // ndjson | frames; default $WEIR_WIRE, else ndjson
    std::string format = "auto"; // input: auto | ndjson | frames | csv
    std::string max_record = "16MiB";
    bool strict = false;
    bool quiet = false;
    bool fail_on_dlq = false;
    bool zstd_frames = false; // --compress: zstd-compressed frame payloads
};

// What the input factory gets: where to resume and which epoch comes next.
struct InputSetup {
    const CommonOptions& options;
    std::uint64_t next_epoch = 1;
    bool checkpointed = false;
    bool frames_out = false;
    Reporter& reporter;
};

class Tool {
public:
    using OperatorFactory = std::function<std::unique_ptr<Operator>()>;
    using InputFactory = std::function<std::unique_ptr<RecordReader>(const InputSetup&)>;
    using WriterFactory =
        std::function<std::unique_ptr<RecordWriter>(OutputFile&, const SourceTable&)>;

    // program: "weir-window"; description: one line for --help.
    Tool(std::string program, std::string description);
    ~Tool();

    CLI::App& app() { return app_; }

    CommonOptions& options() { return opts_; }

    Reporter& reporter() { return reporter_; }

    // The tool reads event times (--time/--time-unit are meaningful for it).
    void use_event_time() { needs_time_ = true; }

    // Replaces the NDJSON/frames output writer (weir-cat --to csv). Called after parsing.
    void set_writer_factory(WriterFactory f) { make_writer_ = std::move(f); }

    // A file the tool writes besides its output (late rows, a capture), named by an
    // option: opened like -o (truncated back to its committed length in checkpointed
    // runs) when the option is set, and checkpointed. side_output() finds it once open;
    // `on_open`, if given, is handed the file then (after the operator is built, before
    // the first record).
    void add_side_output(const std::string* path_option,
                         std::function<void(OutputFile&)> on_open = {}) {
        side_paths_.emplace_back(path_option, std::move(on_open));
    }

    OutputFile* side_output(const std::string& path) const;

    // Parses argv and runs the tool; returns the process exit code.
    int run(int argc, char** argv, const OperatorFactory& make_op,
            const InputFactory& make_input = {});

private:
    int run_parsed(const OperatorFactory& make_op, const InputFactory& make_input);

    std::string program_;
    std::string short_name_; // "window"
    CLI::App app_;
    CommonOptions opts_;
    Reporter reporter_;
    bool needs_time_ = false;
    WriterFactory make_writer_;
    std::vector<std::pair<const std::string*, std::function<void(OutputFile&)>>> side_paths_;
    std::vector<std::pair<std::string, std::unique_ptr<OutputFile>>> side_files_;
};

// Opens the inputs of a tool that is not weir-ingest: the files in order (stdin when
// none), each detected as frames or NDJSON (or CSV with --format csv).
std::unique_ptr<RecordReader> open_default_input(const InputSetup& setup);

} // namespace weir
