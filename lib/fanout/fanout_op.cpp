#include "fanout/fanout_op.hpp"

#include "cli/error.hpp"
#include "cli/size.hpp"
#include "cli/split.hpp"
#include "expr/expr.hpp"
#include "fanout/command_destination.hpp"
#include "fanout/projection.hpp"
#include "run/record_root.hpp"
#include "time/duration.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace weir {

struct FanoutOp::Dest {
    DestSpec spec;
    std::optional<expr::Expr> route;
    std::unique_ptr<FileDestination> file;       // a file or path template
    std::unique_ptr<CommandDestination> command; // '|cmd', once started
    std::string command_text;                    // '|cmd': the command
    std::optional<Projection> projection;        // --fields
    enum class Policy { fail, dlq, retry } policy = Policy::fail;
    int retries = 0;     // retry:N
    bool failed = false; // dlq: given up; its records go to the dead-letter file
    bool warn = false;   // failed where no Context could warn (a flush): warn next time
    std::string failure; // why

    // Neither: stdout.

    CommandDestination& started() {
        if (!command)
            command = std::make_unique<CommandDestination>(command_text, spec.describe());
        return *command;
    }
};

namespace {

std::string_view kind_flag(DestSpec::Kind k) {
    switch (k) {
    case DestSpec::Kind::route:
        return "--route";
    case DestSpec::Kind::otherwise:
        return "--else";
    case DestSpec::Kind::to:
        break;
    }
    return "--to";
}

} // namespace

std::string DestSpec::describe() const {
    std::string out = fmt::format("{} '{}'", kind_flag(kind),
                                  kind == Kind::route ? route + "=>" + target : target);
    if (!rotate_size.empty())
        out += fmt::format(" --rotate-size {}", rotate_size);
    if (!rotate_every.empty())
        out += fmt::format(" --rotate-every {}", rotate_every);
    if (!csv_fields.empty())
        out += fmt::format(" --csv-fields {}", csv_fields);
    if (!fields.empty())
        out += fmt::format(" --fields {}", fields);
    if (!on_error.empty() && on_error != "fail")
        out += fmt::format(" --on-error {}", on_error);
    return out;
}

std::pair<std::string, std::string> split_route(std::string_view value) {
    char quote = 0;
    for (std::size_t i = 0; i + 1 < value.size(); ++i) {
        char c = value[i];
        if (quote != 0) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            continue;
        }
        if (c == '=' && value[i + 1] == '>') {
            std::string expr(value.substr(0, i));
            std::string dest(value.substr(i + 2));
            while (!expr.empty() && expr.back() == ' ')
                expr.pop_back();
            while (!dest.empty() && dest.front() == ' ')
                dest.erase(0, 1);
            if (expr.empty() || dest.empty())
                break;
            return {expr, dest};
        }
    }
    throw Error(Exit::usage, "--route '{}': expected 'EXPR=>DEST', e.g. 'amount > 100=>big.ndjson'",
                value);
}

FanoutOp::FanoutOp(FanoutConfig cfg) : cfg_(std::move(cfg)), open_(cfg_.max_open) {
    if (cfg_.dests.empty())
        throw Error(Exit::usage,
                    "no destination: give --to DEST, --route 'EXPR=>DEST' or --else DEST");
    if (cfg_.max_open < 1)
        throw Error(Exit::usage, "--max-open must be at least 1");
    bool have_stdout = false;
    std::vector<std::string_view> paths;
    for (const DestSpec& s : cfg_.dests) {
        auto d = std::make_unique<Dest>();
        d->spec = s;
        std::string where = s.describe();
        if (s.kind == DestSpec::Kind::route) {
            d->route.emplace(expr::Expr::compile(s.route, fmt::format("--route '{}'", s.route)));
            needs_root_ = true;
        }
        if (s.kind == DestSpec::Kind::otherwise)
            has_else_ = true;
        if (s.on_error == "dlq") {
            d->policy = Dest::Policy::dlq;
        } else if (s.on_error.rfind("retry:", 0) == 0) {
            d->policy = Dest::Policy::retry;
            std::string_view n = std::string_view(s.on_error).substr(6);
            int v = 0;
            bool ok = !n.empty() && n.size() <= 3;
            for (char c : n)
                ok = ok && c >= '0' && c <= '9' && (v = v * 10 + (c - '0'), true);
            if (!ok || v < 1 || v > 100)
                throw Error(Exit::usage, "{}: --on-error '{}': N must be 1 to 100", where,
                            s.on_error);
            d->retries = v;
        } else if (!s.on_error.empty() && s.on_error != "fail") {
            throw Error(Exit::usage, "{}: --on-error '{}': expected fail, dlq or retry:N", where,
                        s.on_error);
        }
        if (!s.fields.empty()) {
            d->projection.emplace(s.fields, where);
            needs_root_ = true;
        }
        if (s.target.empty())
            throw Error(Exit::usage, "{}: empty destination", where);
        if (s.target[0] == '|') {
            if (!s.rotate_size.empty() || !s.rotate_every.empty() || !s.csv_fields.empty())
                throw Error(Exit::usage,
                            "{}: --rotate-size, --rotate-every and --csv-fields apply to files, "
                            "not to commands",
                            where);
            d->command_text = s.target.substr(1);
            if (d->command_text.find_first_not_of(' ') == std::string::npos)
                throw Error(Exit::usage, "{}: no command after '|'", where);
            dests_.push_back(std::move(d));
            continue;
        }
        if (s.target == "-") {
            if (have_stdout)
                throw Error(Exit::usage, "'-' (stdout) is named for two destinations");
            have_stdout = true;
            if (!s.rotate_size.empty() || !s.rotate_every.empty() || !s.csv_fields.empty())
                throw Error(Exit::usage,
                            "{}: --rotate-size, --rotate-every and --csv-fields apply to files, "
                            "not to stdout",
                            where);
            dests_.push_back(std::move(d));
            continue;
        }
        // Two destinations writing one file would interleave and cut each other back.
        for (std::string_view other : paths)
            if (other == s.target)
                throw Error(Exit::usage, "'{}' is named for two destinations", s.target);
        paths.push_back(s.target);
        FileSpec fs;
        fs.format = file_format_of(s.target, where);
        if (fs.format == FileFormat::csv) {
            if (s.csv_fields.empty())
                throw Error(Exit::usage, "{}: a .csv destination needs --csv-fields F1,F2,...",
                            where);
            for (std::string_view f : split_list(s.csv_fields))
                fs.csv_columns.push_back(FieldPath::from(f));
        } else if (!s.csv_fields.empty()) {
            throw Error(Exit::usage, "{}: --csv-fields applies to .csv destinations", where);
        }
        if (!s.rotate_size.empty()) {
            fs.rotate_size = parse_size(s.rotate_size);
            if (fs.rotate_size == 0)
                throw Error(Exit::usage, "{}: --rotate-size must be more than 0", where);
        }
        if (!s.rotate_every.empty()) {
            fs.rotate_every = parse_duration(s.rotate_every).count();
            if (fs.rotate_every <= 0)
                throw Error(Exit::usage, "{}: --rotate-every must be more than 0", where);
        }
        fs.rotates = fs.rotate_size > 0 || fs.rotate_every > 0;
        d->file = std::make_unique<FileDestination>(s.target, std::move(fs), open_, where);
        if (d->file->needs_root())
            needs_root_ = true;
        dests_.push_back(std::move(d));
    }
}

FanoutOp::~FanoutOp() = default;

std::vector<std::pair<std::string, std::string>> FanoutOp::meaning_flags() const {
    std::string all;
    for (const auto& d : dests_) {
        if (!all.empty())
            all += ' ';
        all += d->spec.describe();
    }
    return {{"destinations", all}};
}

Flow FanoutOp::process(const Record& in, Context& ctx) {
    if (sources_ == nullptr) {
        sources_ = &ctx.sources();
        for (auto& d : dests_)
            if (d->file)
                d->file->set_sources(sources_);
    }
    simdjson::dom::element root;
    if (needs_root_ && !record_root(ctx, in, doc_, root))
        return Flow::more;
    delivered_ = 0;
    copies_ = 0;
    bool routed = false;
    for (auto& d : dests_) {
        switch (d->spec.kind) {
        case DestSpec::Kind::to:
            deliver(*d, in, root, ctx);
            break;
        case DestSpec::Kind::route:
            if (d->route->test(root)) {
                routed = true;
                deliver(*d, in, root, ctx);
            }
            break;
        case DestSpec::Kind::otherwise:
            break;
        }
    }
    if (has_else_ && !routed)
        for (auto& d : dests_)
            if (d->spec.kind == DestSpec::Kind::otherwise)
                deliver(*d, in, root, ctx);
    if (copies_ == 0) {
        ctx.divert(Channel::filtered);
        return Flow::more;
    }
    if (delivered_ > 0)
        ctx.delivered(delivered_);
    if (copies_ > 1)
        ctx.generated(copies_ - 1);
    return Flow::more;
}

void FanoutOp::deliver(Dest& d, const Record& in, simdjson::dom::element root, Context& ctx) {
    ++copies_;
    for (int attempt = 0;; ++attempt) {
        if (d.failed) {
            if (d.warn) {
                d.warn = false;
                ctx.warn(fmt::format("{}; its records go to the dead-letter file from now on",
                                     d.failure));
            }
            ctx.reject(Reason::unprocessable, d.failure); // the error names the destination
            return;
        }
        try {
            const Record& r = d.projection ? d.projection->apply(in, root) : in;
            if (d.file) {
                d.file->write(r, root);
                ++delivered_;
            } else if (!d.command_text.empty()) {
                d.started().write(r);
                ++delivered_;
            } else {
                ctx.emit(r);
            }
            return;
        } catch (const Error& e) {
            if (!on_failure(d, e, attempt, &ctx))
                throw;
        }
    }
}

bool FanoutOp::on_failure(Dest& d, const std::exception& e, int attempt, Context* ctx) {
    switch (d.policy) {
    case Dest::Policy::fail:
        return false;
    case Dest::Policy::retry:
        if (attempt >= d.retries)
            return false;
        // Backoff: 100 ms, doubling, at most 5 s; a command starts again.
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100 << attempt, 5000)));
        if (d.command)
            d.command->restart();
        return true;
    case Dest::Policy::dlq:
        d.failed = true;
        d.failure = e.what();
        if (ctx != nullptr)
            ctx->warn(
                fmt::format("{}; its records go to the dead-letter file from now on", d.failure));
        else
            d.warn = true;
        return true;
    }
    return false;
}

template <typename Step>
void FanoutOp::guarded(Dest& d, Step&& step, Context* ctx) {
    for (int attempt = 0; !d.failed; ++attempt) {
        try {
            step();
            return;
        } catch (const Error& e) {
            if (!on_failure(d, e, attempt, ctx))
                throw;
        }
    }
}

void FanoutOp::finish(Context& ctx) {
    for (auto& d : dests_) {
        if (d->file)
            guarded(
                *d, [&] { d->file->finish(); }, &ctx);
        else if (!d->command_text.empty())
            // A command runs even when no record reached it. Its exit status comes too
            // late for a retry to resend anything: only dlq makes a failure a warning.
            guarded(
                *d,
                [&] {
                    try {
                        d->started().finish();
                    } catch (const Error&) {
                        if (d->policy == Dest::Policy::retry)
                            d->policy = Dest::Policy::fail;
                        throw;
                    }
                },
                &ctx);
    }
}

void FanoutOp::flush_files() {
    for (auto& d : dests_) {
        if (d->file)
            guarded(
                *d, [&] { d->file->flush(); }, nullptr);
        else if (d->command)
            guarded(
                *d, [&] { d->command->flush(); }, nullptr);
    }
}

void FanoutOp::sync_files() {
    for (auto& d : dests_) {
        if (d->file)
            guarded(
                *d, [&] { d->file->sync(); }, nullptr);
        else if (d->command) // at least once: a command is not part of the checkpoint
            guarded(
                *d, [&] { d->command->flush(); }, nullptr);
    }
}

void FanoutOp::snapshot(StateWriter& w) const {
    w.begin_list("destinations", dests_.size());
    for (const auto& d : dests_) {
        w.begin_object("destination");
        w.str("dest", d->spec.describe());
        if (d->file)
            d->file->snapshot(w);
        w.end_object();
    }
    w.end_list();
}

void FanoutOp::restore(StateReader& r) {
    std::uint64_t n = r.begin_list("destinations");
    if (n != dests_.size())
        throw Error(Exit::usage, "checkpoint: state has {} destinations, the command line {}", n,
                    dests_.size());
    for (auto& d : dests_) {
        r.begin_object("destination");
        std::string was = r.str("dest");
        if (was != d->spec.describe())
            throw Error(Exit::usage, "checkpoint: state was written for {}, now {}", was,
                        d->spec.describe());
        if (d->file)
            d->file->restore(r);
        r.end_object();
    }
    r.end_list();
}

} // namespace weir
