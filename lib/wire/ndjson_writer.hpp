#pragma once

// The NDJSON writer: the default output of every tool, one record per line, so weir
// composes with jq, grep and the rest of Unix. Each record's bytes are written exactly as
// they are (no re-serialisation), followed by a newline, into the OutputFile's large
// buffer: no system call per record. NDJSON has no place for barriers, watermarks or
// the end of the stream, so those signals only flush (end) or are ignored.

#include "io/output_file.hpp"
#include "wire/writer.hpp"

namespace weir {

class NdjsonWriter final : public RecordWriter {
public:
    // Writes to `out`, which must outlive the writer.
    explicit NdjsonWriter(OutputFile& out) : out_(out) {}

    // Appends r.json and a newline. Throws Error(Exit::io) when the buffer has to be
    // written out and that fails.
    void write(const Record& r) override;

    void barrier(std::uint64_t /*epoch*/) override {}

    void watermark(Timestamp /*wm*/) override {}

    // Flushes; throws Error(Exit::io) on failure.
    void end() override;

    // Writes everything buffered (OutputFile::flush); throws Error(Exit::io) on failure.
    void flush() override;

private:
    OutputFile& out_;
};

} // namespace weir
