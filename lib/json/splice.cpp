#include "json/splice.hpp"

#include "json/document.hpp"
#include "json/escape.hpp"
#include "wire/record.hpp"

#include <cassert>
#include <charconv>
#include <cstring>

namespace weir {

namespace {

bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::size_t skip_ws(std::string_view s, std::size_t p) {
    while (p < s.size() && is_ws(s[p]))
        ++p;
    return p;
}

// s[p] is an opening quote; returns the index after the closing one.
std::size_t skip_string(std::string_view s, std::size_t p) {
    for (++p; p < s.size(); ++p) {
        if (s[p] == '\\')
            ++p;
        else if (s[p] == '"')
            return p + 1;
    }
    return s.size();
}

// s[p] starts a JSON value of a validated document; returns the index after it.
std::size_t skip_value(std::string_view s, std::size_t p) {
    if (p >= s.size())
        return p;
    char c = s[p];
    if (c == '"')
        return skip_string(s, p);
    if (c == '{' || c == '[') {
        int depth = 0;
        while (p < s.size()) {
            c = s[p];
            if (c == '"') {
                p = skip_string(s, p);
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return p + 1;
            ++p;
        }
        return p;
    }
    while (p < s.size() && s[p] != ',' && s[p] != '}' && s[p] != ']' && !is_ws(s[p]))
        ++p;
    return p;
}

} // namespace

void Splicer::begin(std::string_view record_json) {
    std::size_t end = record_json.size();
    while (end > 0 && is_ws(record_json[end - 1]))
        --end;
    assert(end > 0 && record_json[end - 1] == '}');
    buf_.assign(record_json.data(), end - 1);
    tail_.assign(record_json.substr(end));
    // Empty object ("{}", "{ }") unless something but whitespace follows the '{'.
    std::size_t open = skip_ws(buf_, 0);
    has_members_ = skip_ws(buf_, open + 1) < buf_.size();
}

void Splicer::remove(std::string_view name) {
    key_.clear();
    append_json_string(key_, name);
    // A member of this name written without escapes shows as key_ in the text, and one
    // written with escapes needs a backslash: without either, there is nothing to cut.
    // memmem, not std::string::find: find() stops at every '"' (every few bytes of a
    // record) to compare, which cost a third of weir-ingest's time.
    if (::memmem(buf_.data(), buf_.size(), key_.data(), key_.size()) == nullptr &&
        std::memchr(buf_.data(), '\\', buf_.size()) == nullptr)
        return;

    std::string_view s = buf_;
    std::size_t p = skip_ws(s, skip_ws(s, 0) + 1);
    std::size_t prev_end = std::string::npos; // end of the last member kept
    while (p < s.size() && s[p] == '"') {
        std::size_t key_begin = p;
        std::size_t key_end = skip_string(s, p);
        std::string_view raw = s.substr(key_begin + 1, key_end - key_begin - 2);
        std::size_t value_begin = skip_ws(s, skip_ws(s, key_end) + 1); // past the ':'
        std::size_t value_end = skip_value(s, value_begin);
        std::size_t q = skip_ws(s, value_end);
        bool more = q < s.size() && s[q] == ',';

        bool match;
        if (raw.find('\\') == std::string_view::npos) {
            match = raw == name;
        } else {
            scratch_.clear();
            append_unescaped_json(scratch_, raw);
            match = scratch_ == name;
        }

        if (match) {
            if (more) {
                // Cut the member, its comma and the space up to the next member.
                buf_.erase(key_begin, skip_ws(s, q + 1) - key_begin);
                s = buf_;
                p = key_begin;
                continue;
            }
            // The last member: cut it with the comma before it, if any.
            std::size_t from = prev_end != std::string::npos ? prev_end : key_begin;
            buf_.erase(from, value_end - from);
            break;
        }
        prev_end = value_end;
        if (!more)
            break;
        p = skip_ws(s, q + 1);
    }
    has_members_ = prev_end != std::string::npos;
}

void Splicer::key(std::string_view name) {
    if (mode_ == SpliceMode::replace && has_members_)
        remove(name);
    if (has_members_)
        buf_ += ',';
    append_json_string(buf_, name);
    buf_ += ':';
    has_members_ = true;
}

void Splicer::add_encoded(std::string_view name, std::string_view encoded_member) {
    if (mode_ == SpliceMode::replace && has_members_)
        remove(name);
    if (has_members_)
        buf_ += ',';
    buf_.append(encoded_member);
    has_members_ = true;
}

void Splicer::add_raw(std::string_view name, std::string_view json_value) {
    key(name);
    buf_.append(json_value);
}

void Splicer::add_string(std::string_view name, std::string_view value) {
    key(name);
    append_json_string(buf_, value);
}

void Splicer::add_int(std::string_view name, std::int64_t value) {
    key(name);
    char tmp[24];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, value);
    buf_.append(tmp, res.ptr);
}

void Splicer::add_uint(std::string_view name, std::uint64_t value) {
    key(name);
    char tmp[24];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, value);
    buf_.append(tmp, res.ptr);
}

void Splicer::add_double(std::string_view name, double value) {
    key(name);
    append_json_double(buf_, value);
}

void Splicer::add_bool(std::string_view name, bool value) {
    key(name);
    buf_ += value ? "true" : "false";
}

void Splicer::add_null(std::string_view name) {
    key(name);
    buf_ += "null";
}

std::string_view Splicer::finish() {
    buf_ += '}';
    buf_ += tail_;
    std::size_t n = buf_.size();
    buf_.resize(n + record_padding); // a Record needs readable padding after its bytes
    return {buf_.data(), n};
}

} // namespace weir
