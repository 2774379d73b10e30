// weir-validate: the validation gate. Valid records pass unchanged; invalid ones go to
// a quarantine file with the rules they failed. Logic lives in lib/validate/ and
// lib/expr/; this file only turns flags into rules, in the order they were given.
#include "cli/error.hpp"
#include "cli/ordered_options.hpp"
#include "cli/tool.hpp"
#include "time/rfc3339.hpp"
#include "time/time_unit.hpp"
#include "validate/flag_rules.hpp"
#include "validate/json_schema.hpp"
#include "validate/rules_file.hpp"
#include "validate/validate_op.hpp"

int main(int argc, char** argv) {
    weir::Tool tool("weir-validate",
                    "Check records against rules; pass the valid, quarantine the invalid.");
    CLI::App& app = tool.app();

    // The order of all rule flags on the command line is the rule order
    // (validation_errors lists failures in it).
    weir::OrderedOptions rule_flags;
    auto rule_flag = [&](const std::string& flag, const std::string& type_name,
                         const std::string& help) {
        rule_flags.add(app, flag, type_name, help);
    };
    rule_flag("--require", "F1,F2,...", "fields that must be present and not null");
    rule_flag("--type", "F:TYPE",
              "field F, when present, has TYPE: string, number, integer, bool, object, array "
              "or timestamp");
    rule_flag("--range", "F:MIN..MAX",
              "field F, when present, is within MIN..MAX (numbers or RFC 3339 times; either end "
              "optional)");
    rule_flag("--enum", "F:A,B,...", "field F, when present, is one of the values");
    rule_flag("--match", "F:REGEX", "field F, when present, is a string matching REGEX (RE2)");
    rule_flag("--not-future", "F[:SKEW]",
              "timestamp field F, when present, is not after now + SKEW");
    rule_flag("--max-age", "F:DURATION",
              "timestamp field F, when present, is not older than DURATION");
    rule_flag("--rule", "'NAME: EXPR'", "named rule: the record is valid when EXPR is true");
    rule_flag("--rules", "FILE", "rules from a TOML file, one [table] per named rule");
    rule_flag("--schema", "FILE", "rules from a JSON Schema (the subset in weir-validate(1))");

    std::string quarantine;
    std::string now_text;
    bool annotate = false;
    app.add_option("--quarantine", quarantine,
                   "write invalid records here, with validation_errors and quarantine_time")
        ->type_name("FILE");
    app.add_flag("--annotate", annotate,
                 "pass every record on with _valid and _errors added, instead of quarantining");
    app.add_option("--now", now_text, "fix \"now\" for time rules, e.g. 2024-03-01T00:00:00Z")
        ->type_name("TIMESTAMP");

    weir::ValidateOp* op = nullptr;
    tool.add_side_output(&quarantine, [&op](weir::OutputFile& f) { op->set_quarantine(&f); });

    return tool.run(argc, argv, [&]() -> std::unique_ptr<weir::Operator> {
        if (annotate && !quarantine.empty())
            throw weir::Error(weir::Exit::usage,
                              "--annotate passes every record on; it cannot be combined with "
                              "--quarantine");
        weir::ValidateConfig cfg;
        cfg.annotate = annotate;
        cfg.has_quarantine = !quarantine.empty();
        if (!now_text.empty()) {
            auto t = weir::parse_rfc3339(now_text);
            if (!t)
                throw weir::Error(weir::Exit::usage, "--now '{}' is not an RFC 3339 timestamp",
                                  now_text);
            cfg.now = *t;
        }
        cfg.rules = weir::RuleSet(*weir::parse_time_unit(tool.options().time_unit));

        for (const auto& [flag, value] : rule_flags.in_order(app)) {
            if (flag == "--schema")
                cfg.rules.add_schema(weir::JsonSchema::load(value));
            else if (flag == "--rules")
                for (const weir::RuleSpec& spec : weir::read_rules_file(value))
                    cfg.rules.add(spec);
            else
                for (const weir::RuleSpec& spec : weir::rules_from_flag(flag, value))
                    cfg.rules.add(spec);
        }
        if (cfg.rules.empty())
            throw weir::Error(weir::Exit::usage,
                              "no rules: give at least one of --require, --type, --range, "
                              "--enum, --match, --not-future, --max-age, --rule, --rules, "
                              "--schema");
        // Frames carry each record's event time; it is only read to be carried there.
        if (tool.options().wire == "frames")
            tool.use_event_time();
        auto made = std::make_unique<weir::ValidateOp>(std::move(cfg));
        op = made.get();
        return made;
    });
}
