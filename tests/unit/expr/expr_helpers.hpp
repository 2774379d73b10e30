#pragma once

// Test support for lib/expr: compile an expression, evaluate it over a record given as
// JSON text, and show the result as "<type> <json>" ("integer 3", "missing null"), which
// states kind and value in one string.

#include "cli/error.hpp"
#include "expr/expr.hpp"
#include "json/document.hpp"
#include "wire/record.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace weir::test {

// A parsed record, kept alive for the values read from it.
class ExprRecord {
public:
    explicit ExprRecord(std::string_view json) : buf_(json) {
        buf_.append(weir::record_padding, '\0');
        REQUIRE(doc_.parse(std::string_view(buf_.data(), json.size())));
    }

    simdjson::dom::element root() const { return doc_.root(); }

private:
    std::string buf_;
    weir::JsonDoc doc_;
};

inline std::string show(const weir::expr::Value& v) {
    std::string out(weir::expr::kind_name(v.kind()));
    out += ' ';
    weir::expr::Expr::append_json(out, v);
    return out;
}

// Evaluates `source` over `record`; at 2024-01-01T00:00:00Z for now().
inline std::string ev(std::string_view source, std::string_view record = "{}") {
    weir::expr::Expr e = weir::expr::Expr::compile(source, "test");
    e.set_now(1'704'067'200'000'000);
    ExprRecord r(record);
    return show(e.eval(r.root()));
}

// The message of the compile error of `source` (labelled "--rule r").
inline std::string compile_error(std::string_view source) {
    try {
        weir::expr::Expr::compile(source, "--rule r");
    } catch (const weir::Error& e) {
        CHECK(e.code() == weir::Exit::usage);
        return e.what();
    }
    return "(compiled)";
}

} // namespace weir::test
