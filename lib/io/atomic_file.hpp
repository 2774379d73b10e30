#pragma once

// Atomic replacement of small files (checkpoint snapshots, manifests, state files):
// the lockfile protocol of git. The new contents go to a temporary file in the same
// directory, are fsynced, then renamed over the target, and the directory is fsynced
// so the rename itself survives a crash. A reader therefore sees the old file or the
// new one, complete, never a mixture or a torn write.

#include <string>
#include <string_view>

namespace weir {

// Replaces `path` with `data` atomically and durably. The file gets mode 0666 & ~umask.
// Throws Error(Exit::cant_create) "cannot create 'x': ..." when the temporary file
// cannot be made, Error(Exit::io) "cannot write 'x': ..." when writing, syncing or
// renaming fails. On failure the target is untouched and the temporary file removed.
void write_file_atomic(const std::string& path, std::string_view data);

// fsyncs directory `dir` ("" means "."). Throws Error(Exit::io) "cannot sync directory
// 'x': ..." (file systems that cannot sync directories, EINVAL, are not an error).
void fsync_dir(const std::string& dir);

} // namespace weir
