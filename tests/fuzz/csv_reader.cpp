// Fuzz target for CsvReader: arbitrary bytes must never crash it, every record it makes
// must be valid JSON (numbers it kept as numbers included), and the events must not
// depend on how the input is cut into reads. A bad header is a clean Error, not a crash.
//
// The first input byte picks the read size; the rest is the CSV.
#include "wire/csv_reader.hpp"

#include "cli/error.hpp"
#include "io/memory_source.hpp"
#include "json/document.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

void check(bool ok) {
    if (!ok)
        std::abort();
}

// Events as text ("r:" + json or "i:" + reason), or nothing more after a fatal error.
std::vector<std::string> read_all(const std::string& input, std::size_t chunk) {
    weir::CsvOptions opts;
    opts.max_record = 4096;
    weir::CsvReader reader(std::make_unique<weir::MemorySource>(input, chunk), "fuzz.csv", opts);
    std::vector<std::string> out;
    weir::InputEvent ev;
    weir::JsonDoc doc;
    try {
        for (;;) {
            weir::InputKind k = reader.next(ev);
            if (k == weir::InputKind::end)
                break;
            if (k == weir::InputKind::record) {
                // A record is a valid object, parsed in place (its padding is there).
                check(doc.parse(ev.record.json));
                out.push_back("r:" + std::string(ev.record.json));
            } else if (k == weir::InputKind::invalid) {
                out.push_back("i:" + std::string(weir::reason_name(ev.reason)));
            }
        }
    } catch (const weir::Error& e) {
        check(e.code() == weir::Exit::data || e.code() == weir::Exit::io);
        out.push_back(std::string("e:") + e.what());
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    static constexpr std::size_t chunks[] = {1, 2, 3, 7, 64, 4096};
    std::size_t chunk = chunks[data[0] % 6];
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    std::vector<std::string> whole = read_all(input, input.size() + 1);
    std::vector<std::string> cut = read_all(input, chunk);
    check(whole == cut);
    return 0;
}
