#include "../capture_fd.hpp"
#include "../io/temp_dir.hpp"
#include "cli/error.hpp"
#include "cli/tool.hpp"
#include "io/output_file.hpp" // Tool's implicit destructor needs it; tool.hpp only declares it
#include "state/state_io.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace weir;
using weir::test::CaptureFd;
using weir::test::read_file;
using weir::test::ScopedEnv;
using weir::test::TempDir;
using weir::test::write_file;

namespace {

enum class Throw { none, usage_in_ctor, io_in_process, runtime_in_process };

// Emits records, rejects those that contain "reject"; its meaning flag is --key.
class TestOp final : public Operator {
public:
    TestOp(std::string key, Throw t) : key_(std::move(key)), throw_(t) {
        if (throw_ == Throw::usage_in_ctor)
            throw Error(Exit::usage, "--key '{}' needs --other", key_);
    }

    std::string_view name() const override { return "test"; }

    std::uint32_t state_version() const override { return 1; }

    std::vector<std::pair<std::string, std::string>> meaning_flags() const override {
        return {{"--key", key_}};
    }

    Flow process(const Record& in, Context& ctx) override {
        if (throw_ == Throw::io_in_process)
            throw Error(Exit::io, "cannot write 'somewhere': No space left on device");
        if (throw_ == Throw::runtime_in_process)
            throw std::runtime_error("vector::at out of range");
        ++seen_;
        if (in.json.find("reject") != std::string_view::npos)
            ctx.reject(Reason::bad_field, "field 'reject': present");
        else
            ctx.emit(in);
        return Flow::more;
    }

    void snapshot(StateWriter& w) const override { w.u64("seen", seen_); }

    void restore(StateReader& r) override { seen_ = r.u64("seen"); }

private:
    std::string key_;
    Throw throw_;
    std::uint64_t seen_ = 0;
};

struct Result {
    int code = -1;
    std::string err;
    std::string out;
};

// Runs a fresh "weir-test" tool on argv (program name added) with stdout and stderr
// captured. The environment variables the tool reads are unset unless a test sets them.
Result run_tool(std::vector<std::string> args, Throw t = Throw::none) {
    Tool tool("weir-test", "A tool for tests.");
    std::string key = "user_id";
    tool.app().add_option("--key", key, "a meaning-changing flag");
    args.insert(args.begin(), "weir-test");
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    Result res;
    CaptureFd err(STDERR_FILENO);
    CaptureFd out(STDOUT_FILENO);
    res.code = tool.run(static_cast<int>(args.size()), argv.data(),
                        [&] { return std::make_unique<TestOp>(key, t); });
    out.restore();
    err.restore();
    res.err = err.text();
    res.out = out.text();
    return res;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

// A scratch dir with an input file; the environment cleared of weir's variables.
struct Fixture {
    TempDir dir;
    ScopedEnv wire{"WEIR_WIRE", nullptr};
    ScopedEnv checkpoint{"WEIR_CHECKPOINT", nullptr};
    std::string in = dir / "in.ndjson";
    std::string out = dir / "out.ndjson";

    Fixture() { write_file(in, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"); }
};

} // namespace

TEST_CASE("tool: a CLI11 parse error exits 2 with a --help hint") {
    Fixture fx;
    SUBCASE("an unknown flag") {
        Result r = run_tool({"--no-such-flag", fx.in});
        CHECK(r.code == 2);
        CHECK(r.err.rfind("weir-test: ", 0) == 0);
        CHECK(contains(r.err, "--no-such-flag"));
        CHECK(contains(r.err, "\nTry 'weir test --help' for more information.\n"));
        // Git's rules: lower case after the program name.
        REQUIRE(r.err.size() > 11);
        CHECK_FALSE((r.err[11] >= 'A' && r.err[11] <= 'Z'));
    }
    SUBCASE("a bad value for a shared flag") {
        Result r = run_tool({"--wire", "xml", fx.in});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "Try 'weir test --help' for more information."));
    }
    SUBCASE("a missing value") {
        Result r = run_tool({fx.in, "-o"});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "Try 'weir test --help'"));
    }
    CHECK_FALSE(std::ifstream(fx.out).good()); // nothing was run
}

TEST_CASE("tool: --version and --help exit 0") {
    Fixture fx;
    SUBCASE("--version") {
        Result r = run_tool({"--version"});
        CHECK(r.code == 0);
        CHECK(contains(r.out, WEIR_VERSION));
        CHECK(r.err.empty());
    }
    SUBCASE("--help") {
        Result r = run_tool({"--help"});
        CHECK(r.code == 0);
        CHECK(contains(r.out, "--dlq"));
        CHECK(contains(r.out, "--key"));
    }
}

TEST_CASE("tool: -o FILE gets the records") {
    Fixture fx;
    Result r = run_tool({"-o", fx.out, fx.in});
    CHECK(r.code == 0);
    CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    SUBCASE("several inputs in order; an existing output is replaced") {
        std::string second = fx.dir / "second.ndjson";
        write_file(second, "{\"b\":1}\n");
        Result r2 = run_tool({"--output", fx.out, fx.in, second});
        CHECK(r2.code == 0);
        CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"b\":1}\n");
    }
    SUBCASE("without -o the records go to stdout") {
        Result r2 = run_tool({fx.in});
        CHECK(r2.code == 0);
        CHECK(r2.out == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    }
}

TEST_CASE("tool: a missing input exits 66") {
    Fixture fx;
    std::string missing = fx.dir / "missing.ndjson";
    Result r = run_tool({"-o", fx.out, missing});
    CHECK(r.code == 66);
    CHECK(r.err == "weir-test: cannot open '" + missing + "': No such file or directory\n");
}

TEST_CASE("tool: rejects go to --dlq, and --fail-on-dlq makes them exit 1") {
    Fixture fx;
    write_file(fx.in, "{\"a\":1}\nnot json\n{\"reject\":1}\n{\"a\":4}\n");
    std::string dlq = fx.dir / "dlq.ndjson";
    std::vector<std::string> args = {"-o", fx.out, "--dlq", dlq, fx.in};
    bool fail_on_dlq = false;
    SUBCASE("default: exit 0") {}
    SUBCASE("--fail-on-dlq") {
        fail_on_dlq = true;
        args.push_back("--fail-on-dlq");
    }
    Result r = run_tool(args);
    CHECK(r.code == (fail_on_dlq ? 1 : 0));
    CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":4}\n");
    std::string d = read_file(dlq);
    CHECK(contains(d, "\"tool\":\"weir-test\",\"reason\":\"invalid_json\""));
    CHECK(contains(d, "\"line\":2"));
    CHECK(contains(d, "\"record\":\"not json\""));
    CHECK(contains(d, "\"reason\":\"bad_field\",\"detail\":\"field 'reject': present\""));
    CHECK(contains(d, "\"source\":\"" + fx.in + "\",\"line\":3"));
    CHECK(contains(r.err, "weir-test: " + fx.in + ":2: "));
    CHECK(contains(r.err, "weir-test: " + fx.in + ":3: field 'reject': present\n"));
    CHECK(contains(r.err, "dead_letter 2"));
}

TEST_CASE("tool: one file named for both -o and --dlq is refused") {
    Fixture fx;
    write_file(fx.in, "{\"a\":1}\nnot json\n");
    Result r = run_tool({"-o", fx.out, "--dlq", fx.out, fx.in});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "'" + fx.out + "' is named for two outputs"));
}

TEST_CASE("tool: --fail-on-dlq without rejects exits 0") {
    Fixture fx;
    Result r = run_tool({"-o", fx.out, "--fail-on-dlq", fx.in});
    CHECK(r.code == 0);
}

TEST_CASE("tool: rejects without --dlq are dropped with a warning") {
    Fixture fx;
    write_file(fx.in, "{\"reject\":1}\n");
    Result r = run_tool({"-o", fx.out, fx.in});
    CHECK(r.code == 0);
    CHECK(contains(r.err, "warning: 1 records could not be processed and were dropped"));
    SUBCASE("--quiet keeps only the problem itself") {
        Result q = run_tool({"-o", fx.out, "--quiet", fx.in});
        CHECK(q.code == 0);
        CHECK_FALSE(contains(q.err, "warning"));
    }
}

TEST_CASE("tool: --strict makes the first reject exit 65") {
    Fixture fx;
    write_file(fx.in, "{\"a\":1}\n{\"reject\":1}\n{\"a\":3}\n");
    Result r = run_tool({"-o", fx.out, "--strict", fx.in});
    CHECK(r.code == 65);
    CHECK(r.err == "weir-test: " + fx.in + ":2: field 'reject': present\n");
}

TEST_CASE("tool: an operator constructor's usage error exits 2") {
    Fixture fx;
    Result r = run_tool({"--key", "k", "-o", fx.out, fx.in}, Throw::usage_in_ctor);
    CHECK(r.code == 2);
    CHECK(r.err == "weir-test: --key 'k' needs --other\n");
}

TEST_CASE("tool: an Error thrown while processing exits with its code") {
    Fixture fx;
    Result r = run_tool({"-o", fx.out, fx.in}, Throw::io_in_process);
    CHECK(r.code == 74);
    CHECK(r.err == "weir-test: cannot write 'somewhere': No space left on device\n");
}

TEST_CASE("tool: any other exception is an internal error, exit 70") {
    Fixture fx;
    Result r = run_tool({"-o", fx.out, fx.in}, Throw::runtime_in_process);
    CHECK(r.code == 70);
    CHECK(r.err == "weir-test: internal error: vector::at out of range\n");
}

TEST_CASE("tool: bad shared values are usage errors") {
    Fixture fx;
    SUBCASE("--max-record") {
        Result r = run_tool({"-o", fx.out, "--max-record", "lots", fx.in});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "'lots' is not a size"));
    }
    SUBCASE("WEIR_WIRE") {
        ScopedEnv env("WEIR_WIRE", "xml");
        Result r = run_tool({"-o", fx.out, fx.in});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "WEIR_WIRE='xml'"));
    }
}

TEST_CASE("tool: WEIR_WIRE=frames switches the output to frames") {
    Fixture fx;
    SUBCASE("from the environment") {
        ScopedEnv env("WEIR_WIRE", "frames");
        Result r = run_tool({"-o", fx.out, fx.in});
        CHECK(r.code == 0);
        std::string bytes = read_file(fx.out);
        REQUIRE_FALSE(bytes.empty());
        CHECK(static_cast<unsigned char>(bytes[0]) == 0xFF);
        CHECK(bytes.substr(1, 4) == "WEIR");
        CHECK(contains(bytes, "{\"a\":2}"));
    }
    SUBCASE("--wire ndjson overrides it") {
        ScopedEnv env("WEIR_WIRE", "frames");
        Result r = run_tool({"-o", fx.out, "--wire", "ndjson", fx.in});
        CHECK(r.code == 0);
        CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    }
    SUBCASE("frames read back as input") {
        {
            ScopedEnv env("WEIR_WIRE", "frames");
            REQUIRE(run_tool({"-o", fx.out, fx.in}).code == 0);
        }
        std::string again = fx.dir / "again.ndjson";
        Result r = run_tool({"-o", again, fx.out});
        CHECK(r.code == 0);
        CHECK(read_file(again) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    }
}

TEST_CASE("tool: a checkpoint written with other meaning flags is refused") {
    Fixture fx;
    std::string ck = fx.dir / "ck";
    Result first = run_tool({"--checkpoint", ck, "--key", "user_id", "-o", fx.out, fx.in});
    REQUIRE(first.code == 0);
    CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");

    SUBCASE("another value: exit 2 naming the flag") {
        Result r = run_tool({"--checkpoint", ck, "--key", "event_id", "-o", fx.out, fx.in});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "weir-test: checkpoint '" + ck + "/test'"));
        CHECK(contains(r.err, "--key=user_id, now --key=event_id"));
        CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"); // untouched
    }
    SUBCASE("from $WEIR_CHECKPOINT too") {
        ScopedEnv env("WEIR_CHECKPOINT", ck.c_str());
        Result r = run_tool({"--key", "event_id", "-o", fx.out, fx.in});
        CHECK(r.code == 2);
        CHECK(contains(r.err, "--key=user_id, now --key=event_id"));
    }
    SUBCASE("the same flags resume, cutting uncommitted output away") {
        write_file(fx.out, read_file(fx.out) + "{\"uncommitted\":1}\n");
        Result r = run_tool({"--checkpoint", ck, "--key", "user_id", "-o", fx.out, fx.in});
        CHECK(r.code == 0);
        CHECK(read_file(fx.out) == "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"
                                   "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    }
    SUBCASE("another stage name is another state") {
        Result r = run_tool({"--checkpoint", ck, "--name", "other", "--key", "event_id", "-o",
                             fx.dir / "other.ndjson", fx.in});
        CHECK(r.code == 0);
    }
}
