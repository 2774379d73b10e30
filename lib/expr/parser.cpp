// The parser: tokens to a Program, by recursive descent, one function per precedence
// level (docs/expr.md, "Precedence"). It also resolves everything that can be resolved
// before the first record: field paths to slots (one per distinct path), function
// names and argument counts, `in` lists to sets, regexes to compiled RE2 objects.
#include "expr/functions.hpp"
#include "expr/lexer.hpp"
#include "expr/program.hpp"
#include "expr/syntax_error.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace weir::expr::detail {

namespace {

// Deeper trees are refused: evaluation recurses once per level, and a fuzzer (or a
// generated rule) could otherwise exhaust the stack.
constexpr std::size_t max_depth = 256;

bool is_comparison(Tok t) {
    return t == Tok::eq || t == Tok::ne;
}

bool is_relation(Tok t) {
    return t == Tok::lt || t == Tok::le || t == Tok::gt || t == Tok::ge || t == Tok::kw_in;
}

Op binary_op(Tok t) {
    switch (t) {
    case Tok::eq:
        return Op::eq;
    case Tok::ne:
        return Op::ne;
    case Tok::lt:
        return Op::lt;
    case Tok::le:
        return Op::le;
    case Tok::gt:
        return Op::gt;
    case Tok::ge:
        return Op::ge;
    case Tok::plus:
        return Op::add;
    case Tok::minus:
        return Op::sub;
    case Tok::star:
        return Op::mul;
    case Tok::slash:
        return Op::div;
    case Tok::percent:
        return Op::mod;
    case Tok::and_:
        return Op::and_;
    default:
        return Op::or_;
    }
}

class Parser {
public:
    Parser(std::string_view source, std::vector<Token> tokens)
        : source_(source)
        , tokens_(std::move(tokens)) {}

    Program run() {
        if (peek().kind == Tok::end)
            fail(0, source_.size(), "empty expression");
        program_.root = parse_or();
        if (peek().kind != Tok::end)
            fail(peek().pos, peek().len, fmt::format("unexpected {}", describe(peek())));
        return std::move(program_);
    }

private:
    // Parser recursion depth, for parentheses and unary chains.
    class Nest {
    public:
        explicit Nest(Parser& p) : p_(p) {
            if (++p_.nesting_ > max_depth)
                fail(p_.peek().pos, p_.peek().len, "expression is nested too deeply");
        }

        ~Nest() { --p_.nesting_; }

        Nest(const Nest&) = delete;
        Nest& operator=(const Nest&) = delete;

    private:
        Parser& p_;
    };

    const Token& peek() const { return tokens_[next_]; }

    const Token& take() { return tokens_[next_++]; }

    std::string describe(const Token& t) const {
        if (t.kind == Tok::end)
            return "end of expression";
        return fmt::format("'{}'", source_.substr(t.pos, t.len));
    }

    void expect(Tok kind, std::string_view what) {
        if (peek().kind != kind)
            fail(peek().pos, peek().len,
                 fmt::format("expected {}, found {}", what, describe(peek())));
        take();
    }

    std::uint32_t add(Node n, std::size_t depth, const Token& at) {
        if (depth > max_depth)
            fail(at.pos, at.len, "expression is nested too deeply");
        program_.nodes.push_back(std::move(n));
        depths_.push_back(depth);
        return static_cast<std::uint32_t>(program_.nodes.size() - 1);
    }

    std::size_t depth(std::uint32_t node) const { return depths_[node]; }

    std::uint32_t binary(Op op, std::uint32_t lhs, std::uint32_t rhs, const Token& at) {
        Node n;
        n.op = op;
        n.lhs = lhs;
        n.rhs = rhs;
        if (op == Op::add || op == Op::sub || op == Op::mul || op == Op::div || op == Op::mod)
            n.scratch = program_.scratch_count++; // only + uses it (strings), but all may
        return add(std::move(n), 1 + std::max(depth(lhs), depth(rhs)), at);
    }

    std::uint32_t parse_or() {
        Nest nest(*this);
        std::uint32_t lhs = parse_and();
        while (peek().kind == Tok::or_) {
            const Token& op = take();
            lhs = binary(Op::or_, lhs, parse_and(), op);
        }
        return lhs;
    }

    std::uint32_t parse_and() {
        std::uint32_t lhs = parse_equality();
        while (peek().kind == Tok::and_) {
            const Token& op = take();
            lhs = binary(Op::and_, lhs, parse_equality(), op);
        }
        return lhs;
    }

    // == and != do not chain: `a == b == c` is refused rather than read as
    // `(a == b) == c`, which is rarely what was meant.
    std::uint32_t parse_equality() {
        std::uint32_t lhs = parse_relation();
        if (!is_comparison(peek().kind))
            return lhs;
        const Token& op = take();
        lhs = binary(binary_op(op.kind), lhs, parse_relation(), op);
        if (is_comparison(peek().kind))
            fail(peek().pos, peek().len,
                 fmt::format("'{}' cannot follow another comparison (add parentheses)",
                             source_.substr(peek().pos, peek().len)));
        return lhs;
    }

    std::uint32_t parse_relation() {
        std::uint32_t lhs = parse_additive();
        if (!is_relation(peek().kind))
            return lhs;
        const Token& op = take();
        if (op.kind == Tok::kw_in)
            lhs = parse_in_list(lhs, op);
        else
            lhs = binary(binary_op(op.kind), lhs, parse_additive(), op);
        if (is_relation(peek().kind))
            fail(peek().pos, peek().len,
                 fmt::format("'{}' cannot follow another comparison (add parentheses)",
                             source_.substr(peek().pos, peek().len)));
        return lhs;
    }

    std::uint32_t parse_additive() {
        std::uint32_t lhs = parse_multiplicative();
        while (peek().kind == Tok::plus || peek().kind == Tok::minus) {
            const Token& op = take();
            lhs = binary(binary_op(op.kind), lhs, parse_multiplicative(), op);
        }
        return lhs;
    }

    std::uint32_t parse_multiplicative() {
        std::uint32_t lhs = parse_unary();
        while (peek().kind == Tok::star || peek().kind == Tok::slash ||
               peek().kind == Tok::percent) {
            const Token& op = take();
            lhs = binary(binary_op(op.kind), lhs, parse_unary(), op);
        }
        return lhs;
    }

    std::uint32_t parse_unary() {
        if (peek().kind != Tok::minus && peek().kind != Tok::not_)
            return parse_primary();
        Nest nest(*this);
        const Token& op = take();
        std::uint32_t operand = parse_unary();
        Node n;
        n.op = op.kind == Tok::minus ? Op::neg : Op::not_;
        n.lhs = operand;
        return add(std::move(n), 1 + depth(operand), op);
    }

    std::uint32_t literal(Value v, const Token& at) {
        Node n;
        n.op = Op::literal;
        n.literal = v;
        return add(std::move(n), 1, at);
    }

    Value string_literal(const Token& t) {
        program_.strings.push_back(t.text);
        return Value::string(program_.strings.back());
    }

    // A literal token as a Value, or nullopt when the token is not one.
    std::optional<Value> literal_value(const Token& t) {
        switch (t.kind) {
        case Tok::integer:
            return Value::integer(t.i);
        case Tok::number:
            return Value::number(t.d);
        case Tok::duration:
            return Value::duration(Duration(t.i));
        case Tok::timestamp:
            return Value::timestamp(t.i);
        case Tok::string:
            return string_literal(t);
        case Tok::kw_true:
            return Value::boolean(true);
        case Tok::kw_false:
            return Value::boolean(false);
        case Tok::kw_null:
            return Value::null();
        default:
            return std::nullopt;
        }
    }

    std::uint32_t parse_primary() {
        const Token& t = peek();
        if (std::optional<Value> v = literal_value(t)) {
            take();
            return literal(*v, t);
        }
        if (t.kind == Tok::lparen) {
            take();
            std::uint32_t inner = parse_or();
            expect(Tok::rparen, "')'");
            return inner;
        }
        if (t.kind == Tok::path) {
            take();
            if (t.name && peek().kind == Tok::lparen)
                return parse_call(t);
            return field(t);
        }
        fail(t.pos, t.len, fmt::format("expected a value, found {}", describe(t)));
    }

    // A field path, given the slot of an equal path already read, if any.
    std::uint32_t field(const Token& t) {
        std::string error;
        std::optional<FieldPath> path = FieldPath::parse(t.text, &error);
        if (!path)
            fail(t.pos, t.len, fmt::format("field path '{}': {}", t.text, error));
        auto& fields = program_.fields;
        auto it = std::find(fields.begin(), fields.end(), *path);
        Node n;
        n.op = Op::field;
        n.index = static_cast<std::uint32_t>(it - fields.begin());
        if (it == fields.end())
            fields.push_back(std::move(*path));
        return add(std::move(n), 1, t);
    }

    std::uint32_t parse_call(const Token& name) {
        const FunctionInfo* info = find_function(name.text);
        if (info == nullptr)
            fail(name.pos, name.len, fmt::format("unknown function '{}'", name.text));
        take(); // (
        std::vector<std::uint32_t> args;
        std::vector<const Token*> starts;
        if (peek().kind != Tok::rparen) {
            for (;;) {
                starts.push_back(&peek());
                args.push_back(parse_or());
                if (peek().kind != Tok::comma)
                    break;
                take();
            }
        }
        expect(Tok::rparen, "',' or ')'");
        check_arity(*info, name, args.size());

        Node n;
        n.op = info->fn == Fn::coalesce ? Op::coalesce : Op::call;
        n.fn = info->fn;
        n.first = static_cast<std::uint32_t>(program_.args.size());
        n.count = static_cast<std::uint32_t>(args.size());
        n.scratch = program_.scratch_count++;
        if (info->fn == Fn::matches)
            n.index = compile_regex(args[1], *starts[1]);
        std::size_t d = 0;
        for (std::uint32_t a : args)
            d = std::max(d, depth(a));
        program_.args.insert(program_.args.end(), args.begin(), args.end());
        return add(std::move(n), d + 1, name);
    }

    void check_arity(const FunctionInfo& info, const Token& name, std::size_t given) {
        if (given >= info.min_args && given <= info.max_args)
            return;
        std::string wanted;
        if (info.max_args == variadic_args)
            wanted =
                fmt::format("at least {} argument{}", info.min_args, info.min_args == 1 ? "" : "s");
        else if (info.min_args == info.max_args)
            wanted = fmt::format("{} argument{}", info.min_args, info.min_args == 1 ? "" : "s");
        else
            wanted = fmt::format("{} to {} arguments", info.min_args, info.max_args);
        fail(name.pos, name.len,
             fmt::format("function '{}' takes {}, given {}", info.name, wanted, given));
    }

    // matches(s, "re"): the pattern is a literal, compiled here once.
    std::uint32_t compile_regex(std::uint32_t arg, const Token& at) {
        const Node& n = program_.nodes[arg];
        if (n.op != Op::literal || n.literal.kind() != Kind::string)
            fail(at.pos, at.len, "the pattern of 'matches' must be a string literal");
        re2::RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_unique<re2::RE2>(n.literal.as_string(), options);
        if (!re->ok())
            fail(at.pos, at.len, fmt::format("invalid regular expression: {}", re->error()));
        program_.regexes.push_back(std::move(re));
        return static_cast<std::uint32_t>(program_.regexes.size() - 1);
    }

    // x in [lit, ...]: literals only (a leading '-' on a number or duration is part of
    // the literal), turned into a set.
    std::uint32_t parse_in_list(std::uint32_t lhs, const Token& op) {
        expect(Tok::lbracket, "'[' (a list of literals)");
        ValueSet set;
        if (peek().kind != Tok::rbracket) {
            for (;;) {
                set.add(list_literal());
                if (peek().kind != Tok::comma)
                    break;
                take();
            }
        }
        expect(Tok::rbracket, "',' or ']'");
        set.finish();
        program_.sets.push_back(std::move(set));
        Node n;
        n.op = Op::in;
        n.lhs = lhs;
        n.index = static_cast<std::uint32_t>(program_.sets.size() - 1);
        return add(std::move(n), 1 + depth(lhs), op);
    }

    Value list_literal() {
        const Token& first = peek();
        bool negative = first.kind == Tok::minus;
        if (negative)
            take();
        const Token& t = peek();
        std::optional<Value> v = literal_value(t);
        bool negatable = t.kind == Tok::integer || t.kind == Tok::number || t.kind == Tok::duration;
        if (!v || (negative && !negatable))
            fail(t.pos, t.len,
                 fmt::format("expected a literal in the list, found {}", describe(t)));
        take();
        if (!negative)
            return *v;
        if (t.kind == Tok::integer)
            return Value::integer(-t.i); // t.i >= 0, so no overflow
        if (t.kind == Tok::number)
            return Value::number(-t.d);
        return Value::duration(Duration(-t.i));
    }

    std::string_view source_;
    std::vector<Token> tokens_;
    std::size_t next_ = 0;
    std::size_t nesting_ = 0;
    std::vector<std::size_t> depths_; // by node
    Program program_;
};

} // namespace

Program parse(std::string_view source) {
    return Parser(source, tokenize(source)).run();
}

} // namespace weir::expr::detail
