#include "fanout/projection.hpp"

#include "cli/error.hpp"
#include "cli/split.hpp"
#include "json/escape.hpp"

namespace weir {

Projection::Projection(std::string_view fields, std::string_view where) {
    for (std::string_view f : split_list(fields)) {
        std::string error;
        std::optional<FieldPath> p = FieldPath::parse(f, &error);
        if (f.empty() || !p)
            throw Error(Exit::usage, "{}: --fields '{}': {}", where, fields,
                        f.empty() ? std::string("an empty field name") : error);
        slots_.push_back(resolver_.add(*p));
        std::string key;
        append_json_string(key, p->text());
        key.push_back(':');
        keys_.push_back(std::move(key));
    }
}

const Record& Projection::apply(const Record& in, simdjson::dom::element root) {
    resolver_.resolve(root);
    buf_.clear();
    buf_.push_back('{');
    bool first = true;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const FieldValue& v = resolver_[slots_[i]];
        if (v.is_missing())
            continue;
        if (!first)
            buf_.push_back(',');
        first = false;
        buf_.append(keys_[i]);
        append_json_value(buf_, v.element());
    }
    buf_.push_back('}');
    std::size_t size = buf_.size();
    buf_.append(record_padding, ' '); // writers may parse the record in place (CSV)
    out_ = in;
    out_.json = std::string_view(buf_.data(), size);
    return out_;
}

} // namespace weir
