#include "checkpoint/snapshot_file.hpp"

#include "cli/error.hpp"
#include "state/state_io.hpp"

#include <fmt/core.h>
#include <xxhash.h>
#include <zstd.h>

#include <cstring>

namespace weir {

namespace {

constexpr std::string_view magic = "WEIRSNAP";
constexpr std::size_t header_size = 40;
constexpr std::size_t hashed_header = 32; // the checksum covers the header before it

// Snapshots are written once per epoch and read once per start: a middle level buys a
// good ratio on large state without slowing barriers much.
constexpr int zstd_level = 3;

void put_le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>(v >> (8 * i)));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    return v;
}

std::uint64_t checksum(std::string_view header, std::string_view body) {
    XXH3_state_t* st = XXH3_createState();
    if (st == nullptr)
        throw std::bad_alloc();
    XXH3_64bits_reset(st);
    XXH3_64bits_update(st, header.data(), header.size());
    XXH3_64bits_update(st, body.data(), body.size());
    std::uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

std::string encode_body(const Snapshot& s) {
    StateWriter w;
    w.u64("epoch", s.epoch);
    w.str("tool", s.tool);
    w.str("op_name", s.op_name);
    w.u64("state_version", s.state_version);
    w.begin_list("meaning_flags", s.meaning_flags.size());
    for (const auto& [flag, value] : s.meaning_flags) {
        w.str("flag", flag);
        w.str("value", value);
    }
    w.end_list();
    w.begin_list("file_lengths", s.file_lengths.size());
    for (const auto& [path, length] : s.file_lengths) {
        w.str("path", path);
        w.u64("length", length);
    }
    w.end_list();
    w.bytes("source_state", s.source_state);
    w.bytes("op_state", s.op_state);
    return w.take();
}

void decode_body(std::string_view body, Snapshot& s) {
    StateReader r(body);
    s.epoch = r.u64("epoch");
    s.tool = r.str("tool");
    s.op_name = r.str("op_name");
    std::uint64_t version = r.u64("state_version");
    if (version > UINT32_MAX)
        throw Error(Exit::temp_fail, "state version {} out of range", version);
    s.state_version = static_cast<std::uint32_t>(version);
    s.meaning_flags.clear();
    for (std::uint64_t n = r.begin_list("meaning_flags"); n > 0; --n) {
        std::string flag = r.str("flag");
        s.meaning_flags.emplace_back(std::move(flag), r.str("value"));
    }
    r.end_list();
    s.file_lengths.clear();
    for (std::uint64_t n = r.begin_list("file_lengths"); n > 0; --n) {
        std::string path = r.str("path");
        s.file_lengths.emplace_back(std::move(path), r.u64("length"));
    }
    r.end_list();
    s.source_state = std::string(r.bytes("source_state"));
    s.op_state = std::string(r.bytes("op_state"));
    if (!r.at_end())
        throw Error(Exit::temp_fail, "unexpected data after the snapshot fields");
}

} // namespace

std::string encode_snapshot(const Snapshot& s) {
    std::string body = encode_body(s);
    std::string packed(ZSTD_compressBound(body.size()), '\0');
    std::size_t n =
        ZSTD_compress(packed.data(), packed.size(), body.data(), body.size(), zstd_level);
    if (ZSTD_isError(n))
        throw Error(Exit::internal, "internal error: zstd: {}", ZSTD_getErrorName(n));
    packed.resize(n);

    std::string out;
    out.reserve(header_size + packed.size());
    out.append(magic);
    put_le(out, snapshot_format_version, 4);
    put_le(out, 0, 4);
    put_le(out, body.size(), 8);
    put_le(out, packed.size(), 8);
    put_le(out, checksum(out, packed), 8);
    out.append(packed);
    return out;
}

bool decode_snapshot(std::string_view file, Snapshot& out, std::string& why) {
    if (file.size() < magic.size() || file.substr(0, magic.size()) != magic) {
        why = "not a weir snapshot";
        return false;
    }
    if (file.size() < header_size) {
        why = "truncated";
        return false;
    }
    std::uint64_t version = get_le(file, 8, 4);
    std::uint64_t raw_len = get_le(file, 16, 8);
    std::uint64_t packed_len = get_le(file, 24, 8);
    std::uint64_t sum = get_le(file, 32, 8);
    // Lengths first: a short file is "truncated", a clearer word than "checksum".
    if (packed_len != file.size() - header_size) {
        why = packed_len > file.size() - header_size ? "truncated" : "trailing data";
        return false;
    }
    std::string_view packed = file.substr(header_size);
    if (checksum(file.substr(0, hashed_header), packed) != sum) {
        why = "checksum mismatch";
        return false;
    }
    // After the checksum, so a newer weir's file is named as such, not as damage.
    if (version != snapshot_format_version) {
        why = fmt::format("format version {} is {} than this weir reads ({})", version,
                          version > snapshot_format_version ? "newer" : "other",
                          snapshot_format_version);
        return false;
    }
    unsigned long long content = ZSTD_getFrameContentSize(packed.data(), packed.size());
    if (content != raw_len) {
        why = "compressed body does not match its length";
        return false;
    }
    std::string body(raw_len, '\0');
    std::size_t n = ZSTD_decompress(body.data(), body.size(), packed.data(), packed.size());
    if (ZSTD_isError(n) || n != raw_len) {
        why = ZSTD_isError(n) ? fmt::format("zstd: {}", ZSTD_getErrorName(n))
                              : std::string("compressed body does not match its length");
        return false;
    }
    try {
        decode_body(body, out);
    } catch (const Error& e) {
        why = e.what();
        return false;
    }
    return true;
}

std::string snapshot_file_name(std::uint64_t epoch) {
    return fmt::format("epoch-{:020}.snap", epoch);
}

std::optional<std::uint64_t> parse_snapshot_file_name(std::string_view name) {
    constexpr std::string_view prefix = "epoch-", suffix = ".snap";
    if (name.size() != prefix.size() + 20 + suffix.size() || name.substr(0, 6) != prefix ||
        name.substr(26) != suffix)
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : name.substr(6, 20)) {
        if (c < '0' || c > '9')
            return std::nullopt;
        std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10)
            return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

} // namespace weir
