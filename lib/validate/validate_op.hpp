#pragma once

// weir-validate's operator: the validation gate (stream-processing-patterns 2.2).
// Every record is checked against every rule (validate/rule_set.hpp):
// - valid records pass on as their exact input bytes;
// - invalid ones go to the quarantine file as the original record plus
//   "validation_errors" (the failed rule names, in rule order) and "quarantine_time"
//   (RFC 3339 UTC), one NDJSON line each, and never to the output. Without a
//   quarantine file they are counted, reported, and dropped;
// - with annotate, every record passes with "_valid" and "_errors" added instead.
// A well-formed JSON value that is not an object fails the one rule "not_an_object";
// its quarantine line wraps it: {"record":[1,2],"validation_errors":[...],...}.
// Malformed JSON never reaches the operator: it is dead-lettered by the run loop.
//
// The gate keeps no state across records, so a checkpointed run needs nothing from it:
// the loop truncates the output, quarantine and dead-letter files to their committed
// lengths on recovery, and replays the rest exactly once.

#include "json/document.hpp"
#include "json/splice.hpp"
#include "run/operator.hpp"
#include "validate/rule_set.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace weir {

class OutputFile;

struct ValidateConfig {
    RuleSet rules;
    Timestamp now = no_timestamp; // --now: fixed; else the wall clock
    bool annotate = false;
    bool has_quarantine = false; // --quarantine was given (the file arrives later)
};

class ValidateOp final : public Operator {
public:
    explicit ValidateOp(ValidateConfig cfg);

    std::string_view name() const override { return "validate"; }

    std::uint32_t state_version() const override { return 1; }

    // The quarantine file, once the tool has opened it.
    void set_quarantine(OutputFile* f) { quarantine_ = f; }

    bool takes_non_objects() const override { return !cfg_.annotate; }

    Flow process(const Record& in, Context& ctx) override;
    void finish(Context& ctx) override;
    Breakdown breakdown() const override;

private:
    Timestamp now();
    void quarantine(const Record& in, bool is_object, Timestamp t, Context& ctx);
    void append_errors(std::string& out) const;

    ValidateConfig cfg_;
    OutputFile* quarantine_ = nullptr;
    JsonDoc doc_;
    Splicer splicer_;
    std::vector<std::uint32_t> failed_;
    std::vector<std::uint64_t> failures_; // per rule; the last is not_an_object
    std::vector<std::string> quoted_;     // rule names as JSON strings
    std::uint64_t invalid_ = 0;
    std::string scratch_;
    std::string line_;
};

} // namespace weir
