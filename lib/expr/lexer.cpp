#include "expr/lexer.hpp"

#include "expr/syntax_error.hpp"
#include "json/escape.hpp"
#include "time/duration.hpp"
#include "time/rfc3339.hpp"

#include <fmt/core.h>

#include <array>
#include <charconv>
#include <limits>

namespace weir::expr::detail {

namespace {

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}

struct Operator {
    std::string_view text;
    Tok kind;
};

// Longest first, so "<=" wins over "<".
constexpr std::array<Operator, 19> operators{{
    {"==", Tok::eq},      {"!=", Tok::ne},      {"<=", Tok::le},    {">=", Tok::ge},
    {"&&", Tok::and_},    {"||", Tok::or_},     {"<", Tok::lt},     {">", Tok::gt},
    {"!", Tok::not_},     {"+", Tok::plus},     {"-", Tok::minus},  {"*", Tok::star},
    {"/", Tok::slash},    {"%", Tok::percent},  {"(", Tok::lparen}, {")", Tok::rparen},
    {"[", Tok::lbracket}, {"]", Tok::rbracket}, {",", Tok::comma},
}};

// Characters that make up operators, for naming an unknown one whole ("'~='").
bool is_operator_char(char c) {
    return std::string_view("=<>!&|~^?:").find(c) != std::string_view::npos;
}

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        for (;;) {
            skip_blanks();
            if (i_ >= s_.size())
                break;
            out.push_back(next());
        }
        Token end;
        end.pos = s_.size();
        out.push_back(std::move(end));
        return out;
    }

private:
    void skip_blanks() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }

    Token next() {
        char c = s_[i_];
        if (c == 't' && i_ + 1 < s_.size() && (s_[i_ + 1] == '"' || s_[i_ + 1] == '\''))
            return timestamp();
        if (is_alpha(c) || c == '\\' || c == '`')
            return path();
        if (is_digit(c))
            return number();
        if (c == '"' || c == '\'')
            return string();
        return op();
    }

    Token make(Tok kind, std::size_t start) const {
        Token t;
        t.kind = kind;
        t.pos = start;
        t.len = i_ - start;
        return t;
    }

    Token op() {
        std::size_t start = i_;
        for (const Operator& o : operators) {
            if (s_.substr(i_).substr(0, o.text.size()) != o.text)
                continue;
            i_ += o.text.size();
            return make(o.kind, start);
        }
        std::size_t end = i_;
        while (end < s_.size() && is_operator_char(s_[end]))
            ++end;
        if (end == i_) {
            // One whole UTF-8 character, so the message shows it intact.
            end = i_ + 1;
            while (end < s_.size() && (static_cast<unsigned char>(s_[end]) & 0xC0) == 0x80)
                ++end;
            auto byte = static_cast<unsigned char>(s_[i_]);
            if (byte < 0x20 || byte == 0x7F)
                fail(i_, 1, fmt::format("unexpected character U+{:04X}", byte));
            fail(i_, end - i_, fmt::format("unexpected character '{}'", s_.substr(i_, end - i_)));
        }
        std::string_view text = s_.substr(i_, end - i_);
        std::string hint;
        if (text == "=")
            hint = " (use '==')";
        else if (text == "&")
            hint = " (use '&&')";
        else if (text == "|")
            hint = " (use '||')";
        fail(i_, end - i_, fmt::format("unknown operator '{}'{}", text, hint));
    }

    // A field path: segments separated by dots, each bare (letters, digits, '_' and
    // FieldPath escapes: device.os, a\.b) or backtick-quoted (`odd name`, one segment
    // taken literally). The token's text is FieldPath syntax.
    Token path() {
        std::size_t start = i_;
        std::string text;
        bool plain = true;
        for (;;) {
            if (s_[i_] == '`') {
                plain = false;
                quoted_segment(text);
            } else {
                bare_segment(text, plain);
            }
            bool more = i_ + 1 < s_.size() && s_[i_] == '.' &&
                        (is_alnum(s_[i_ + 1]) || s_[i_ + 1] == '\\' || s_[i_ + 1] == '`');
            if (!more)
                break;
            plain = false;
            text += '.';
            ++i_;
        }
        Token t = make(Tok::path, start);
        t.text = std::move(text);
        t.name = plain;
        if (plain) {
            if (t.text == "true")
                t.kind = Tok::kw_true;
            else if (t.text == "false")
                t.kind = Tok::kw_false;
            else if (t.text == "null")
                t.kind = Tok::kw_null;
            else if (t.text == "in")
                t.kind = Tok::kw_in;
        }
        return t;
    }

    void bare_segment(std::string& text, bool& plain) {
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (is_alnum(c)) {
                text += c;
                ++i_;
            } else if (c == '\\') {
                // FieldPath judges the escape; keep a multi-byte character whole for its
                // message.
                plain = false;
                std::size_t end = std::min(i_ + 2, s_.size());
                while (end < s_.size() && (static_cast<unsigned char>(s_[end]) & 0xC0) == 0x80)
                    ++end;
                text.append(s_.substr(i_, end - i_));
                i_ = end;
            } else {
                break;
            }
        }
    }

    // `odd name`: one segment, any text; \` is a backtick and \\ a backslash. Written
    // into `text` with FieldPath escapes, so its dots and '$' stay literal.
    void quoted_segment(std::string& text) {
        std::size_t start = i_++;
        bool first = true;
        for (;;) {
            if (i_ >= s_.size())
                fail(start, 1, "unterminated quoted field name");
            char c = s_[i_];
            if (c == '`')
                break;
            if (c == '\\') {
                if (i_ + 1 >= s_.size())
                    fail(start, 1, "unterminated quoted field name");
                char e = s_[i_ + 1];
                if (e != '`' && e != '\\')
                    fail(i_, 2, "invalid escape in a quoted field name (only \\` and \\\\)");
                c = e;
                ++i_;
            }
            if (c == '.' || c == '\\' || (c == '$' && first))
                text += '\\';
            text += c;
            ++i_;
            first = false;
        }
        ++i_;
    }

    // 12, 1.5, 2e3; and when letters follow the digits, a duration: 5m, 1h30m, 250ms.
    Token number() {
        std::size_t start = i_;
        bool is_float = false;
        while (i_ < s_.size() && is_digit(s_[i_]))
            ++i_;
        if (i_ + 1 < s_.size() && s_[i_] == '.' && is_digit(s_[i_ + 1])) {
            is_float = true;
            ++i_;
            while (i_ < s_.size() && is_digit(s_[i_]))
                ++i_;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            std::size_t j = i_ + 1;
            if (j < s_.size() && (s_[j] == '+' || s_[j] == '-'))
                ++j;
            if (j < s_.size() && is_digit(s_[j])) {
                is_float = true;
                i_ = j;
                while (i_ < s_.size() && is_digit(s_[i_]))
                    ++i_;
            }
        }
        if (i_ < s_.size() && (is_alnum(s_[i_]) || s_[i_] == '.')) {
            i_ = start;
            return duration();
        }
        std::string_view text = s_.substr(start, i_ - start);
        Token t = make(is_float ? Tok::number : Tok::integer, start);
        const char* first = text.data();
        const char* last = text.data() + text.size();
        std::from_chars_result r =
            is_float ? std::from_chars(first, last, t.d) : std::from_chars(first, last, t.i);
        if (r.ec != std::errc() || r.ptr != last)
            fail(start, text.size(), fmt::format("number '{}' is out of range", text));
        if (is_float && !(t.d <= std::numeric_limits<double>::max()))
            fail(start, text.size(), fmt::format("number '{}' is out of range", text));
        return t;
    }

    Token duration() {
        std::size_t start = i_;
        while (i_ < s_.size() && (is_alnum(s_[i_]) || s_[i_] == '.'))
            ++i_;
        std::string_view text = s_.substr(start, i_ - start);
        std::optional<Duration> d = try_parse_duration(text);
        if (!d)
            fail(start, text.size(),
                 fmt::format("'{}' is not a number or a duration (e.g. 250ms, 90s, 5m, 1h30m)",
                             text));
        Token t = make(Tok::duration, start);
        t.i = d->count();
        return t;
    }

    // A quoted string with JSON escapes, plus \' for single-quoted strings.
    Token string() {
        std::size_t start = i_;
        char quote = s_[i_++];
        std::string out;
        for (;;) {
            if (i_ >= s_.size())
                fail(start, 1, "unterminated string");
            char c = s_[i_];
            if (c == quote)
                break;
            if (static_cast<unsigned char>(c) < 0x20)
                fail(i_, 1, "control character in a string (write it as an escape)");
            if (c != '\\') {
                out += c;
                ++i_;
                continue;
            }
            escape(out);
        }
        ++i_;
        Token t = make(Tok::string, start);
        t.text = std::move(out);
        return t;
    }

    void escape(std::string& out) {
        std::size_t at = i_;
        if (i_ + 1 >= s_.size())
            fail(at, 1, "unterminated string");
        char e = s_[i_ + 1];
        i_ += 2;
        switch (e) {
        case '"':
        case '\'':
        case '\\':
        case '/':
            out += e;
            return;
        case 'b':
            out += '\b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'n':
            out += '\n';
            return;
        case 'r':
            out += '\r';
            return;
        case 't':
            out += '\t';
            return;
        case 'u':
            break;
        default:
            fail(at, 2, fmt::format("invalid escape '\\{}' in a string", e));
        }
        std::uint32_t cp = hex4(at);
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            fail(at, 6, "invalid escape: a low surrogate without a high one");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            // A high surrogate must be followed by \u and a low one: one code point.
            if (i_ + 1 >= s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u')
                fail(at, 6, "invalid escape: a high surrogate without a low one");
            std::size_t lo_at = i_;
            i_ += 2;
            std::uint32_t lo = hex4(lo_at);
            if (lo < 0xDC00 || lo > 0xDFFF)
                fail(at, 12, "invalid escape: a high surrogate without a low one");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        append_utf8(out, cp);
    }

    // Four hex digits at i_ (after "\u", which starts at `at`).
    std::uint32_t hex4(std::size_t at) {
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            int h = i_ < s_.size() ? hex_value(s_[i_]) : -1;
            if (h < 0)
                fail(at, i_ - at + 1, "invalid escape: '\\u' needs four hex digits");
            v = v * 16 + static_cast<std::uint32_t>(h);
            ++i_;
        }
        return v;
    }

    // t"2024-01-01T00:00:00Z"
    Token timestamp() {
        std::size_t start = i_++;
        Token s = string();
        std::optional<Timestamp> ts = parse_rfc3339(s.text);
        if (!ts)
            fail(start, i_ - start,
                 fmt::format("'{}' is not an RFC 3339 timestamp (e.g. 2024-01-01T00:00:00Z)",
                             s_.substr(start + 2, i_ - start - 3)));
        Token t = make(Tok::timestamp, start);
        t.i = *ts;
        return t;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

} // namespace

std::vector<Token> tokenize(std::string_view source) {
    return Lexer(source).run();
}

} // namespace weir::expr::detail
