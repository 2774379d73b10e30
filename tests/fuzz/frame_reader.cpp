// libFuzzer target for FrameReader: any bytes must come back as records, control events
// and a clean end, or as Error(Exit::data); never a crash, a hang or a read outside a
// buffer. Records' JSON and their record_padding bytes are read in full, so ASan checks
// the padding invariant too.
//
// The input is the stream itself, so the seeds in corpus/frame_reader/ are valid streams
// (written by FrameWriter: plain, compressed, several batches and sources, control
// frames, no end frame, a skippable unknown frame). The read size, block size and
// readiness vary with the input length, to reach short reads, buffer moves and growth,
// and the idle path. Each input is read twice: as it is, and with its frames' checksums
// made right, so that mutations also reach what lies behind the checksum.
#include "wire/frame_reader.hpp"

#include "cli/error.hpp"
#include "io/memory_source.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

void read_stream(std::string bytes) {
    std::size_t size = bytes.size();
    std::size_t chunk = size % 3 == 0 ? SIZE_MAX : size % 3 == 1 ? 7 : 1;
    auto src = std::make_unique<weir::MemorySource>(std::move(bytes), chunk, "fuzz");
    src->set_ready_every(1 + size % 4);
    weir::FrameReader reader(std::move(src), size % 2 == 0 ? 64 : 1 << 20);

    weir::InputEvent ev;
    unsigned sum = 0;
    try {
        for (;;) {
            weir::InputKind kind = reader.next(ev);
            if (kind == weir::InputKind::end)
                break;
            if (kind == weir::InputKind::record) {
                const volatile char* p = ev.record.json.data();
                for (std::size_t i = 0; i < ev.record.json.size() + weir::record_padding; ++i)
                    sum += static_cast<unsigned char>(p[i]);
                (void)reader.sources().name(ev.record.source);
            }
        }
    } catch (const weir::Error& e) {
        // Damage is bad data, never anything else.
        if (e.code() != weir::Exit::data)
            std::abort();
    }
    (void)sum;
}

// A copy of the input with every frame's checksum made right, so mutations reach the
// payload parsers (records, sources, zstd) instead of stopping at the checksum.
std::string with_fixed_checksums(std::string s) {
    std::size_t pos = weir::stream_header_size;
    while (pos + weir::frame_header_size <= s.size()) {
        weir::FrameHeader h = weir::load_frame_header(s.data() + pos);
        if (h.length > s.size() - pos - weir::frame_header_size)
            break;
        h.checksum = weir::frame_checksum(s.data() + pos + weir::frame_header_size, h.length);
        weir::store_frame_header(s.data() + pos, h);
        pos += weir::frame_header_size + h.length;
    }
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    read_stream(bytes);
    read_stream(with_fixed_checksums(std::move(bytes)));
    return 0;
}
