// weir: the front command. `weir TOOL ARGS...` runs weir-TOOL (git style): found in
// $WEIR_EXEC_PATH, then beside this binary, then on PATH, and exec'd so the tool's exit
// status passes through. `weir`, `weir help` list the tools; `weir help TOOL` opens
// its man page; `weir version` prints the version.
#include "cli/exit.hpp"

#include <climits>
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

struct ToolInfo {
    std::string_view name;
    std::string_view summary;
};

// The one table of tools: `weir help` prints it; man pages are weir-NAME(1).
constexpr ToolInfo tools[] = {
    {"ingest", "union files, globs, directories and stdin into one stream, resumably"},
    {"validate", "check records against rules; quarantine the invalid with the rules they failed"},
    {"enrich", "join records with reference tables (NDJSON, CSV), refreshed while running"},
    {"dedup", "drop repeated keys within a watermark horizon, or globally with compact state"},
    {"window", "aggregate in event-time windows with watermarks; running totals; rollups"},
    {"fanout", "write records to many files, routed and partitioned, exactly once"},
    {"sessionize", "event-time sessions per key: gaps (dynamic), watermark, aggregates"},
    {"cat", "convert and inspect streams: frames, NDJSON, CSV; --pretty, --stats"},
    {"checkpoint", "list, show, verify and reset checkpoint directories"},
    {"gen", "generate deterministic sample e-commerce events"},
};

std::string self_dir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    std::string path(buf, static_cast<std::size_t>(n));
    return path.substr(0, path.rfind('/'));
}

bool executable(const std::string& path) {
    return ::access(path.c_str(), X_OK) == 0;
}

// Where weir-NAME lives, or "" when nowhere.
std::string find_tool(std::string_view name) {
    std::string file = "weir-" + std::string(name);
    std::vector<std::string> dirs;
    if (const char* p = std::getenv("WEIR_EXEC_PATH"); p != nullptr && *p != '\0')
        dirs.emplace_back(p);
    if (std::string d = self_dir(); !d.empty())
        dirs.push_back(d);
    if (const char* p = std::getenv("PATH")) {
        std::string_view path(p);
        while (!path.empty()) {
            std::size_t colon = path.find(':');
            dirs.emplace_back(path.substr(0, colon));
            path = colon == std::string_view::npos ? std::string_view() : path.substr(colon + 1);
        }
    }
    for (const std::string& d : dirs) {
        std::string candidate = (d.empty() ? std::string(".") : d) + "/" + file;
        if (executable(candidate))
            return candidate;
    }
    return {};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

void print_usage(std::FILE* to) {
    fmt::print(to, "usage: weir TOOL [ARGS...]\n       weir help [TOOL]\n       weir version\n\n");
    fmt::print(to, "Stream-processing filters for event streams (NDJSON or weir frames).\n\n");
    fmt::print(to, "tools:\n");
    for (const ToolInfo& t : tools)
        fmt::print(to, "   {:<12} {}\n", t.name, t.summary);
    fmt::print(to, "\n'weir help TOOL' shows a tool's manual; 'weir TOOL --help' its options.\n");
}

[[noreturn]] void exec_tool(const std::string& path, std::string_view name, int argc, char** argv) {
    std::string argv0 = "weir-" + std::string(name);
    std::vector<char*> args;
    args.push_back(argv0.data());
    for (int i = 0; i < argc; ++i)
        args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execv(path.c_str(), args.data());
    fmt::print(stderr, "weir: cannot run '{}': {}\n", path, std::strerror(errno));
    std::exit(weir::code(weir::Exit::internal));
}

int unknown_tool(std::string_view name) {
    fmt::print(stderr, "weir: '{}' is not a weir tool. See 'weir help'.\n", name);
    std::string_view best;
    std::size_t best_d = 3; // suggest only near misses
    for (const ToolInfo& t : tools) {
        std::size_t d = edit_distance(name, t.name);
        if (d < best_d) {
            best_d = d;
            best = t.name;
        }
    }
    if (!best.empty())
        fmt::print(stderr, "\nThe most similar tool is\n\t{}\n", best);
    return weir::code(weir::Exit::usage);
}

int help(std::string_view name) {
    std::string page = "weir-" + std::string(name);
    if (name == "weir")
        page = "weir";
    // Prefer the page built beside this binary (a build tree), then the installed one.
    std::string local = self_dir() + "/../man/man1/" + page + ".1";
    std::vector<std::string> args = {"man"};
    if (::access(local.c_str(), R_OK) == 0) {
        args.emplace_back("-l");
        args.push_back(local);
    } else {
        args.push_back(page);
    }
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp("man", argv.data());
    // No man(1): the tool's --help is the next best thing.
    if (std::string path = find_tool(name); !path.empty()) {
        char help_flag[] = "--help";
        char* hargv[] = {help_flag};
        exec_tool(path, name, 1, hargv);
    }
    return unknown_tool(name);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        print_usage(stdout);
        return 0;
    }
    std::string_view cmd = argv[1];
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
        if (argc < 3 || cmd != "help") {
            print_usage(stdout);
            return 0;
        }
        return help(argv[2]);
    }
    if (cmd == "version" || cmd == "--version") {
        fmt::print("weir {}\n", WEIR_VERSION);
        return 0;
    }
    if (cmd.empty() || cmd[0] == '-') {
        fmt::print(stderr, "weir: unknown option '{}'\n", cmd);
        print_usage(stderr);
        return weir::code(weir::Exit::usage);
    }
    std::string path = find_tool(cmd);
    if (path.empty())
        return unknown_tool(cmd);
    exec_tool(path, cmd, argc - 2, argv + 2);
}
