// Fuzz target for NdjsonReader: arbitrary bytes must never crash it, and the events it
// produces must not depend on how the input is cut into reads or on when the source is
// ready (DESIGN.md: output independent of read sizes).
//
// The first input byte picks the configuration: bits 0-2 the read size, bits 3-5
// max_record, bit 6 a source that is ready only every other poll. The rest is the input,
// read once whole as the reference and once with that configuration; any difference,
// or a broken record invariant, aborts.
#include "wire/ndjson_reader.hpp"

#include "io/memory_source.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Ev {
    weir::InputKind kind;
    std::string json;
    weir::Reason reason;
    std::uint64_t line;
    std::uint64_t offset;

    bool operator==(const Ev&) const = default;
};

void check(bool ok) {
    if (!ok)
        std::abort();
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::vector<Ev> read_all(const std::string& input, std::size_t chunk, std::size_t max_record,
                         bool flaky, std::uint64_t& bytes_read, std::uint64_t& lines_read) {
    auto src = std::make_unique<weir::MemorySource>(input, chunk);
    if (flaky)
        src->set_ready_every(2);
    weir::NdjsonReaderOptions opts;
    opts.max_record = max_record;
    weir::NdjsonReader reader(std::move(src), opts);

    std::vector<Ev> out;
    weir::InputEvent ev;
    std::uint64_t last_line = 0;
    for (;;) {
        weir::InputKind k = reader.next(ev);
        check(k == ev.kind);
        if (k == weir::InputKind::end)
            break;
        if (k == weir::InputKind::idle) {
            check(flaky);
            continue;
        }
        const weir::Record& r = ev.record;
        check(r.line > last_line);
        last_line = r.line;
        check(r.offset < input.size());
        if (k == weir::InputKind::record) {
            check(r.json.front() == '{' && r.json.back() == '}');
            check(reader.parsed_root().is_object());
            // The bytes are the input's own, after the line's leading whitespace.
            std::size_t at = r.offset;
            while (at < input.size() && is_space(input[at]))
                ++at;
            check(std::string_view(input).substr(at, r.json.size()) == r.json);
            volatile char pad = r.json.data()[r.json.size() + weir::record_padding - 1];
            (void)pad;
        } else {
            check(k == weir::InputKind::invalid);
            check(std::string_view(input).substr(r.offset, r.json.size()) == r.json);
            check(r.json.size() <= (ev.reason == weir::Reason::too_long ? 1024 : max_record));
        }
        out.push_back(Ev{k, std::string(r.json), ev.reason, r.line, r.offset});
    }
    weir::InputEvent again;
    check(reader.next(again) == weir::InputKind::end);
    bytes_read = reader.bytes_read();
    lines_read = reader.lines_read();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    static constexpr std::size_t chunks[] = {1, 2, 3, 7, 64, 4096, SIZE_MAX, 5};
    static constexpr std::size_t maxes[] = {1, 2, 8, 16, 64, 300, 1024, 16 << 20};
    std::size_t chunk = chunks[data[0] & 7];
    std::size_t max_record = maxes[(data[0] >> 3) & 7];
    bool flaky = (data[0] & 0x40) != 0;
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

    std::uint64_t bytes_a = 0, lines_a = 0, bytes_b = 0, lines_b = 0;
    std::vector<Ev> whole = read_all(input, SIZE_MAX, max_record, false, bytes_a, lines_a);
    std::vector<Ev> cut = read_all(input, chunk, max_record, flaky, bytes_b, lines_b);
    check(whole == cut);
    check(bytes_a == input.size() && bytes_b == input.size());

    // Every line is counted, blank or not; a byte order mark alone is no line.
    std::string_view body(input);
    if (body.substr(0, 3) == "\xEF\xBB\xBF")
        body.remove_prefix(3);
    std::uint64_t lines = 0;
    for (char c : body)
        lines += c == '\n';
    if (!body.empty() && body.back() != '\n')
        ++lines;
    check(lines_a == lines && lines_b == lines);
    return 0;
}
