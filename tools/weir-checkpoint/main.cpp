// weir-checkpoint: list, show, verify and reset the stages of a checkpoint directory.
// Logic lives in lib/checkpoint/inspect.cpp; this file only turns arguments into calls.
#include "checkpoint/inspect.hpp"
#include "cli/error.hpp"
#include "cli/exit.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

namespace {

constexpr const char* program = "weir-checkpoint";

int run(CLI::App& app, const std::string& dir, const std::string& stage,
        std::optional<std::uint64_t> epoch) {
    using namespace weir;
    if (app.got_subcommand("ls")) {
        print_listing(stdout, list_checkpoint(dir));
    } else if (app.got_subcommand("show")) {
        std::string json = snapshot_to_json(load_snapshot(dir, stage, epoch));
        std::fwrite(json.data(), 1, json.size(), stdout);
    } else if (app.got_subcommand("verify")) {
        VerifyReport report = verify_checkpoint(dir);
        print_verify(stdout, report);
        if (!report.ok()) {
            std::fflush(stdout);
            return code(Exit::temp_fail);
        }
    } else if (app.got_subcommand("reset")) {
        std::size_t n = reset_stage(dir, stage);
        fmt::print("removed stage '{}' from checkpoint '{}' ({} snapshot{})\n", stage, dir, n,
                   n == 1 ? "" : "s");
    }
    if (std::fflush(stdout) != 0 || std::ferror(stdout))
        throw Error(Exit::io, "cannot write to standard output: {}", errno_text(errno));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // 1. Subcommands and their arguments.
    CLI::App app("List, show, verify and reset the stages of a weir checkpoint directory.",
                 program);
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(program) + " " + WEIR_VERSION);
    std::string dir, stage;
    std::uint64_t epoch = 0;

    CLI::App* ls = app.add_subcommand("ls", "List stages, their epochs and locks, and the "
                                            "committed epoch.");
    ls->add_option("DIR", dir, "checkpoint directory")->required();

    CLI::App* show = app.add_subcommand("show", "Print a stage's snapshot as JSON.");
    show->add_option("DIR", dir, "checkpoint directory")->required();
    show->add_option("STAGE", stage, "stage name")->required();
    CLI::Option* epoch_opt =
        show->add_option("--epoch", epoch, "snapshot of this epoch (default: the newest)");

    CLI::App* verify = app.add_subcommand("verify", "Check every snapshot's checksum.");
    verify->add_option("DIR", dir, "checkpoint directory")->required();

    CLI::App* reset = app.add_subcommand("reset", "Remove a stage and all its snapshots.");
    reset->add_option("DIR", dir, "checkpoint directory")->required();
    reset->add_option("STAGE", stage, "stage name")->required();

    // 2. Parse. CLI11's own exit codes (100-127) are never returned: usage is 2.
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "{}: {}\nTry 'weir checkpoint --help' for more information.\n", program,
                   e.what());
        return weir::code(weir::Exit::usage);
    }

    // 3. Run, mapping exceptions to exit codes in one place.
    try {
        return run(app, dir, stage,
                   epoch_opt->count() ? std::optional<std::uint64_t>(epoch) : std::nullopt);
    } catch (const weir::Error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "{}: {}\n", program, e.what());
        return weir::code(e.code());
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "{}: internal error: {}\n", program, e.what());
        return weir::code(weir::Exit::internal);
    }
}
