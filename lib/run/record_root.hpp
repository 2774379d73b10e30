#pragma once

// The parsed object of the record an operator is processing: the DOM its reader already
// built (NDJSON, CSV), or else the operator's own JsonDoc parses it (frames carry bytes
// only). Every operator that reads fields starts this way.

#include "json/document.hpp"
#include "run/operator.hpp"

#include <simdjson.h>

namespace weir {

// Sets `root` and returns true; a record that does not parse is rejected (dead-letter,
// with the parser's reason) and false is returned.
inline bool record_root(Context& ctx, const Record& in, JsonDoc& doc,
                        simdjson::dom::element& root) {
    if (ctx.parsed_root(root))
        return true;
    if (!doc.parse(in.json)) {
        ctx.reject(doc.reason(), doc.detail());
        return false;
    }
    root = doc.root();
    return true;
}

} // namespace weir
