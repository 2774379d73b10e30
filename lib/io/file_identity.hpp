#pragma once

// Which file is this? A checkpoint remembers the identity of each input it was reading
// (device, inode, and a hash of the first bytes), so a resumed run can tell "the same
// file, grown" from "a new file under the old name" (log rotation, a file replaced by
// an editor or a deploy). Inode numbers alone are not enough: they are reused at once
// after a delete, so a rotated-away file's successor may get its inode.
//
// Invariant: `fingerprint` is XXH3_64bits of exactly the first `fingerprint_len` bytes
// of the file (at most fingerprint_bytes). Two identities compare only over the same
// prefix, which is why same_file() against a live file rehashes that file's prefix at
// the saved length.

#include <cstdint>
#include <string>

namespace weir {

constexpr std::size_t fingerprint_bytes = 1024;

struct FileIdentity {
    std::uint64_t dev = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;            // at the time of identify()
    std::uint64_t fingerprint = 0;     // XXH3_64bits of the first fingerprint_len bytes
    std::uint32_t fingerprint_len = 0; // min(size, prefix asked for, fingerprint_bytes)

    bool operator==(const FileIdentity&) const = default;
};

// Identity of the file at `path` (following symlinks) or of an open fd, hashing up to
// `prefix` leading bytes. Throws Error(Exit::no_input) "cannot open 'x': ..." naming
// `path` (for the fd form: `name`).
FileIdentity identify(const std::string& path, std::size_t prefix = fingerprint_bytes);
FileIdentity identify(int fd, const std::string& name, std::size_t prefix = fingerprint_bytes);

// Same device and inode, and the same fingerprint over the same prefix length. Two
// identities hashed over different lengths are not comparable and give false: to check
// a saved identity against a live file use the overloads below.
bool same_file(const FileIdentity& a, const FileIdentity& b);

// True when `path` / `fd` still names the file `saved` describes: same device and
// inode, at least saved.fingerprint_len bytes long, and those bytes hash the same. A
// file truncated below the saved prefix, replaced or rotated gives false. A missing
// `path` gives false (never throws).
bool same_file(const FileIdentity& saved, const std::string& path);
bool same_file(const FileIdentity& saved, int fd);

} // namespace weir
