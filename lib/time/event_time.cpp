#include "time/event_time.hpp"

#include "json/document.hpp"
#include "time/rfc3339.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

namespace weir {

namespace {

// Bytes of a string value shown in a message before "..."; enough to recognise it.
constexpr std::size_t max_shown = 48;

// A bounded writer into a fixed buffer: what does not fit is dropped.
class Buffer {
public:
    void put(std::string_view s) {
        std::size_t n = std::min(s.size(), sizeof data_ - size_);
        std::memcpy(data_ + size_, s.data(), n);
        size_ += n;
    }

    void put(char c) { put(std::string_view(&c, 1)); }

    template <typename Number>
    void put_number(Number v) {
        char tmp[32];
        std::to_chars_result r = std::to_chars(tmp, tmp + sizeof tmp, v);
        put(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
    }

    std::string_view view() const { return {data_, size_}; }

private:
    char data_[EventTimeResult::error_capacity];
    std::size_t size_ = 0;
};

// The string as a JSON literal, shortened to about max_shown bytes without splitting a
// UTF-8 sequence, so that the message stays valid UTF-8 and readable.
void put_quoted(Buffer& out, std::string_view s) {
    constexpr char hex[] = "0123456789abcdef";
    out.put('"');
    std::size_t shown = 0;
    std::size_t i = 0;
    for (; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        bool continuation = (c & 0xC0) == 0x80;
        if (shown >= max_shown && !continuation)
            break;
        if (c == '"' || c == '\\') {
            out.put('\\');
            out.put(static_cast<char>(c));
            shown += 2;
        } else if (c < 0x20) {
            char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.put(std::string_view(esc, sizeof esc));
            shown += sizeof esc;
        } else {
            out.put(static_cast<char>(c));
            ++shown;
        }
    }
    if (i < s.size())
        out.put("...");
    out.put('"');
}

} // namespace

EventTimeResult EventTimeResult::failure(std::string_view detail) noexcept {
    EventTimeResult r;
    std::size_t n = std::min(detail.size(), error_capacity);
    std::memcpy(r.error_, detail.data(), n);
    r.error_size_ = static_cast<std::uint8_t>(n);
    return r;
}

EventTimeResult event_time_from_json(simdjson::dom::element value, TimeUnit unit) noexcept {
    using Type = simdjson::dom::element_type;
    std::optional<Timestamp> t;
    Buffer why;
    switch (value.type()) {
    case Type::STRING: {
        std::string_view s = value.get_string().value_unsafe();
        t = parse_rfc3339(s);
        if (t)
            return EventTimeResult::success(*t);
        put_quoted(why, s);
        why.put(" is not a timestamp");
        return EventTimeResult::failure(why.view());
    }
    case Type::INT64: {
        std::int64_t v = value.get_int64().value_unsafe();
        t = timestamp_from_number(v, unit);
        if (t)
            return EventTimeResult::success(*t);
        unit = unit == TimeUnit::auto_ ? auto_time_unit(static_cast<double>(v)) : unit;
        why.put_number(v);
        break;
    }
    case Type::UINT64: {
        // simdjson uses uint64 only above INT64_MAX: beyond any time in any unit.
        std::uint64_t v = value.get_uint64().value_unsafe();
        unit = unit == TimeUnit::auto_ ? auto_time_unit(static_cast<double>(v)) : unit;
        why.put_number(v);
        break;
    }
    case Type::DOUBLE: {
        double v = value.get_double().value_unsafe();
        t = timestamp_from_number(v, unit);
        if (t)
            return EventTimeResult::success(*t);
        unit = unit == TimeUnit::auto_ ? auto_time_unit(v) : unit;
        why.put_number(v);
        break;
    }
    case Type::BOOL:
        return EventTimeResult::failure(value.get_bool().value_unsafe()
                                            ? "true is not a timestamp"
                                            : "false is not a timestamp");
    case Type::NULL_VALUE:
        return EventTimeResult::failure("null is not a timestamp");
    case Type::OBJECT:
        return EventTimeResult::failure("an object is not a timestamp");
    case Type::ARRAY:
        return EventTimeResult::failure("an array is not a timestamp");
    }
    // A number outside years 0000-9999 in the unit used (auto: the unit it picked).
    why.put(" is not a timestamp (out of range in ");
    why.put(time_unit_name(unit));
    why.put(')');
    return EventTimeResult::failure(why.view());
}

} // namespace weir

namespace weir {

bool event_time_of_field(const FieldValue& v, std::string_view field, TimeUnit unit, Timestamp& t,
                         std::string& problem) {
    if (v.is_missing()) {
        problem = fmt::format("field '{}': missing", field);
        return false;
    }
    EventTimeResult r = event_time_from_json(v.element(), unit);
    if (!r.ok()) {
        problem = fmt::format("field '{}': {}", field, r.error());
        return false;
    }
    t = r.time();
    return true;
}

} // namespace weir
