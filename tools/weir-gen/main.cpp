// weir-gen: write a deterministic stream of e-commerce events, for tests and benchmarks.
// Logic lives in lib/gen/; this file only turns flags into a GenConfig. weir-gen reads no
// input, so it uses CLI11 directly rather than the stream filters' Tool.
#include "cli/error.hpp"
#include "cli/size.hpp"
#include "gen/event_generator.hpp"
#include "io/output_file.hpp"
#include "time/duration.hpp"
#include "time/rfc3339.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    CLI::App app("Write a deterministic stream of e-commerce events as NDJSON.", "weir-gen");
    app.set_version_flag("--version", "weir-gen " WEIR_VERSION);

    weir::GenConfig cfg;
    std::string bytes, start = "2024-01-01T00:00:00Z", max_delay = "5s", output = "-";
    auto* count_opt =
        app.add_option("-n,--count", cfg.count, "write N lines (default: no end)")->type_name("N");
    auto* bytes_opt =
        app.add_option("--bytes", bytes, "write at most SIZE bytes of whole lines, e.g. 500M")
            ->type_name("SIZE");
    count_opt->excludes(bytes_opt);
    app.add_option("--seed", cfg.seed, "seed of the stream")->type_name("N")->capture_default_str();
    app.add_option("--start", start, "event time of the first event")
        ->type_name("TIME")
        ->capture_default_str();
    app.add_option("--rate", cfg.rate, "new events per second of event time")
        ->type_name("N")
        ->capture_default_str();
    app.add_option("--dup-ratio", cfg.dup_ratio, "share of lines repeating an earlier event")
        ->type_name("RATIO")
        ->capture_default_str();
    app.add_option("--ooo-ratio", cfg.ooo_ratio, "share of events that arrive late")
        ->type_name("RATIO")
        ->capture_default_str();
    app.add_option("--max-delay", max_delay, "how late a late event is, at most")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--invalid-ratio", cfg.invalid_ratio, "share of lines that are invalid")
        ->type_name("RATIO")
        ->capture_default_str();
    app.add_option("--users", cfg.users, "number of distinct users")
        ->type_name("N")
        ->capture_default_str();
    app.add_option("-o,--output", output, "write to FILE instead of stdout")->type_name("FILE");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "weir-gen: {}\nTry 'weir gen --help' for more information.\n", e.what());
        return weir::code(weir::Exit::usage);
    }

    try {
        // 1. Flag values that need parsing.
        if (*bytes_opt) {
            auto size = weir::try_parse_size(bytes);
            if (!size || *size == 0)
                throw weir::Error(weir::Exit::usage,
                                  "--bytes '{}': not a size above 0 (e.g. 64K, 500M, 1G)", bytes);
            cfg.bytes = *size;
        }
        if (*count_opt && cfg.count == 0)
            throw weir::Error(weir::Exit::usage, "--count '0': must be more than 0");
        auto t = weir::parse_rfc3339(start);
        if (!t)
            throw weir::Error(weir::Exit::usage, "--start '{}': not an RFC 3339 time", start);
        cfg.start = *t;
        auto delay = weir::try_parse_duration(max_delay);
        if (!delay)
            throw weir::Error(weir::Exit::usage,
                              "--max-delay '{}': not a duration (e.g. 250ms, 5s, 1m)", max_delay);
        cfg.max_delay = *delay;

        // 2. Generate into a 1 MiB buffer that leaves in large writes.
        weir::EventGenerator gen(cfg);
        auto out = weir::OutputFile::open(output, weir::OutputFile::Mode::truncate);
        while (auto line = gen.next())
            out->append(line->bytes);
        out->flush();
        return 0;
    } catch (const weir::Error& e) {
        fmt::print(stderr, "weir-gen: {}\n", e.what());
        return weir::code(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "weir-gen: internal error: {}\n", e.what());
        return weir::code(weir::Exit::internal);
    }
}
