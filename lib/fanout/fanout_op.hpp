#pragma once

// weir-fanout's operator: each record to every destination that takes it.
//
//   --to DEST            every record
//   --route 'EXPR=>DEST' records for which EXPR (lib/expr) is true
//   --else DEST          records no --route took (--to destinations do not count)
//
// DEST is `-` (the tool's output: stdout or -o), or a file path, possibly a path
// template (fanout/path_template.hpp), written by a FileDestination. A record that no
// destination takes is counted in Channel::filtered; one that k destinations take is
// k records out, k - 1 of them generated (metrics/counters.hpp).
//
// Exactly once: the run loop calls sync_files() at each checkpoint, then snapshot(),
// which records every destination's files and committed lengths; restore() cuts them
// back (fanout/destination.hpp).

#include "fanout/destination.hpp"
#include "json/document.hpp"
#include "run/operator.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weir {

namespace expr {
class Expr;
}

struct DestSpec {
    enum class Kind { to, route, otherwise };
    Kind kind = Kind::to;
    std::string target;       // "-", or a path (template)
    std::string route;        // EXPR, for Kind::route
    std::string rotate_size;  // "" when not given
    std::string rotate_every; // "" when not given
    std::string csv_fields;   // columns of a .csv destination
    std::string fields;       // --fields: write only these (projection); "" all
    std::string on_error;     // fail (""), dlq or retry:N

    // The destination as the command line gives it ("--route 'x > 1=>a.ndjson'"), with
    // its options: for errors and the checkpoint's meaning flags.
    std::string describe() const;
};

// Splits a --route value "EXPR=>DEST" at the first "=>" outside a quoted string.
// Throws Error(Exit::usage) when there is none, or either side is empty.
std::pair<std::string, std::string> split_route(std::string_view value);

struct FanoutConfig {
    std::vector<DestSpec> dests;
    std::size_t max_open = 100; // files open at once, over all destinations
};

class FanoutOp final : public Operator {
public:
    // Throws Error(Exit::usage) for a bad route, template, size, duration, a missing
    // --csv-fields, `-` given twice, or no destination at all.
    explicit FanoutOp(FanoutConfig cfg);
    ~FanoutOp() override;

    std::string_view name() const override { return "fanout"; }

    std::uint32_t state_version() const override { return 1; }

    std::vector<std::pair<std::string, std::string>> meaning_flags() const override;

    Flow process(const Record& in, Context& ctx) override;
    void finish(Context& ctx) override;
    void flush_files() override;
    void sync_files() override;
    void snapshot(StateWriter& w) const override;
    void restore(StateReader& r) override;

private:
    struct Dest;

    void deliver(Dest& d, const Record& in, simdjson::dom::element root, Context& ctx);
    // A destination failed with `e`: true when its policy handled it (retry: restarted,
    // try again; dlq: marked failed), false when the error must end the run.
    bool on_failure(Dest& d, const std::exception& e, int attempt, Context* ctx);
    // Runs `step` on d (flush, sync, finish) under its policy.
    template <typename Step>
    void guarded(Dest& d, Step&& step, Context* ctx);

    std::uint64_t delivered_ = 0; // of the record being processed: to files and commands
    std::uint64_t copies_ = 0;    // of the record being processed: delivered or rejected

    FanoutConfig cfg_;
    OpenFiles open_;
    std::vector<std::unique_ptr<Dest>> dests_;
    bool needs_root_ = false;
    bool has_else_ = false;
    const SourceTable* sources_ = nullptr;
    JsonDoc doc_;
};

} // namespace weir
