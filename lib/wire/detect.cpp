#include "wire/detect.hpp"

#include "cli/error.hpp"
#include "wire/csv_reader.hpp"
#include "wire/frame_reader.hpp"
#include "wire/ndjson_reader.hpp"

namespace weir {

InputFormat parse_input_format(std::string_view name) {
    if (name == "auto")
        return InputFormat::auto_;
    if (name == "ndjson")
        return InputFormat::ndjson;
    if (name == "frames")
        return InputFormat::frames;
    if (name == "csv")
        return InputFormat::csv;
    throw Error(Exit::usage, "unknown input format '{}' (expected auto, ndjson, frames or csv)",
                name);
}

std::unique_ptr<RecordReader> make_reader(std::unique_ptr<ByteSource> src,
                                          const ReaderOptions& opts) {
    bool frames = is_frame_stream(src->peek(1));
    if (frames && opts.format != InputFormat::auto_ && opts.format != InputFormat::frames)
        throw Error(Exit::usage, "'{}' is a weir frames stream, not {}", src->name(),
                    opts.format == InputFormat::csv ? "CSV" : "NDJSON");
    if (opts.format == InputFormat::frames && !frames)
        throw Error(Exit::usage, "'{}' is not a weir frames stream", src->name());
    if (frames)
        return std::make_unique<FrameReader>(std::move(src), opts.buffer_size);
    if (opts.format == InputFormat::csv) {
        CsvOptions co;
        co.max_record = opts.max_record;
        std::string name = opts.source_name.empty() ? src->name() : opts.source_name;
        return std::make_unique<CsvReader>(std::move(src), name, co);
    }
    NdjsonReaderOptions no;
    no.max_record = opts.max_record;
    no.source_name = opts.source_name;
    no.start_offset = opts.start_offset;
    no.start_line = opts.start_line;
    no.buffer_size = opts.buffer_size;
    return std::make_unique<NdjsonReader>(std::move(src), no);
}

} // namespace weir
