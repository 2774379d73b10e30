#pragma once

// Per-destination projection of weir-fanout (`--fields a,device.os`): the record
// written is a new object holding only those fields, in the order given, each under
// its path as written ({"a":1,"device.os":"ios"}); a missing field is left out, null
// stays null. Values are their minified JSON (json/document.hpp append_json_value),
// so numbers may be respelled (1.50 -> 1.5); records without --fields keep their exact
// bytes.
//
// Built in a reused buffer: no allocation per record once warm.

#include "json/field_path.hpp"
#include "json/field_resolver.hpp"
#include "wire/record.hpp"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace weir {

class Projection {
public:
    // `fields`: "a,b.c". Throws Error(Exit::usage) naming `where` for an empty or bad
    // field path.
    Projection(std::string_view fields, std::string_view where);

    // The projected record: the same event time and position as `in`, new bytes (valid
    // until the next apply()). `root` is `in` parsed.
    const Record& apply(const Record& in, simdjson::dom::element root);

private:
    FieldResolver resolver_;
    std::vector<std::size_t> slots_;
    std::vector<std::string> keys_; // "\"a\":" for each field
    std::string buf_;
    Record out_;
};

} // namespace weir
