#include "expr/expr.hpp"

#include "cli/error.hpp"
#include "expr/eval.hpp"
#include "expr/syntax_error.hpp"
#include "json/document.hpp"
#include "json/escape.hpp"
#include "time/duration.hpp"
#include "time/rfc3339.hpp"

#include <charconv>

namespace weir::expr {

struct Expr::Impl {
    std::string source;
    detail::Program program;
    detail::EvalState state;
};

Expr::Expr(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(Expr&&) noexcept = default;
Expr::~Expr() = default;

Expr Expr::compile(std::string_view source, std::string_view where) {
    auto impl = std::make_unique<Impl>();
    impl->source = source;
    try {
        // Literals are copied into records' output as they are: they must be UTF-8.
        std::size_t bad = detail::first_invalid_utf8(source);
        if (bad != std::string_view::npos)
            detail::fail(bad, 1, "invalid UTF-8");
        impl->program = detail::parse(source);
    } catch (const detail::SyntaxError& e) {
        throw Error(Exit::usage, detail::format_syntax_error(where, source, e));
    }
    detail::prepare(impl->program, impl->state);
    return Expr(std::move(impl));
}

const std::string& Expr::source() const {
    return impl_->source;
}

void Expr::set_now(Timestamp now) {
    impl_->state.fixed_now = now;
}

Value Expr::eval(simdjson::dom::element root) {
    return detail::run(impl_->program, impl_->state, root);
}

bool Expr::test(simdjson::dom::element root) {
    return eval(root).is_true();
}

const std::vector<FieldPath>& Expr::fields() const {
    return impl_->program.fields;
}

void Expr::append_json(std::string& out, const Value& v) {
    switch (v.kind()) {
    case Kind::missing:
    case Kind::null:
        out += "null";
        return;
    case Kind::boolean:
        out += v.as_bool() ? "true" : "false";
        return;
    case Kind::integer: {
        char buf[24];
        std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v.as_int());
        out.append(buf, r.ptr);
        return;
    }
    case Kind::number:
        append_json_double(out, v.as_double());
        return;
    case Kind::string:
        append_json_string(out, v.as_string());
        return;
    case Kind::array:
    case Kind::object:
        append_json_value(out, v.element());
        return;
    case Kind::timestamp:
        out += '"';
        append_rfc3339(out, v.as_timestamp());
        out += '"';
        return;
    case Kind::duration:
        out += '"';
        out += format_duration(v.as_duration());
        out += '"';
        return;
    }
}

} // namespace weir::expr
