// libFuzzer target for lib/expr: Expr::compile on arbitrary bytes must either succeed
// or throw weir::Error with Exit::usage and a message in the documented three-line form;
// it must never crash, hang or throw anything else. A compiled expression is then
// evaluated over a small fixed record, which must not throw either (data never throws).
#include "cli/error.hpp"
#include "expr/expr.hpp"
#include "json/document.hpp"
#include "wire/record.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool ok, const char* what, std::string_view input) {
    if (ok)
        return;
    std::fprintf(stderr, "expr_parse fuzz: %s for input '%.*s'\n", what,
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

// One record with a field of every kind, parsed once.
simdjson::dom::element record() {
    static weir::JsonDoc doc;
    static bool parsed = [] {
        static std::string text = R"({"a":1,"b":2.5,"s":"Héllo","t":"2024-01-01T00:00:00Z",)"
                                  R"("n":null,"f":false,"arr":[1,"x",null],"o":{"p":{"q":3}}})";
        std::size_t size = text.size();
        text.append(weir::record_padding, '\0');
        return doc.parse(std::string_view(text.data(), size));
    }();
    if (!parsed)
        std::abort();
    return doc.root();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        weir::expr::Expr e = weir::expr::Expr::compile(input, "fuzz");
        e.set_now(1'704'067'200'000'000);
        weir::expr::Value v = e.eval(record());
        std::string out;
        weir::expr::Expr::append_json(out, v);
        check(!out.empty(), "append_json wrote nothing", input);
        check(e.test(record()) == v.is_true(), "test() disagrees with eval()", input);
    } catch (const weir::Error& err) {
        std::string_view msg = err.what();
        check(err.code() == weir::Exit::usage, "error is not a usage error", input);
        check(msg.substr(0, 6) == "fuzz: ", "message does not start with the label", input);
        check(msg.find(" at column ") != std::string_view::npos, "message has no column", input);
        check(msg.find("\n  ") != std::string_view::npos, "message has no source line", input);
    }
    return 0;
}
