#include "wire/ndjson_writer.hpp"

namespace weir {

void NdjsonWriter::write(const Record& r) {
    out_.append(r.json);
    out_.put('\n');
}

void NdjsonWriter::end() {
    flush();
}

void NdjsonWriter::flush() {
    out_.flush();
}

} // namespace weir
