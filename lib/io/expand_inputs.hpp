#pragma once

// expand_inputs(): turns a tool's source arguments into the ordered list of inputs it
// will open. weir-ingest takes files, glob patterns, directories and "-" together;
// this is where they become one deterministic list (the order decides the output order
// and the source ids in checkpoints, so it must not depend on readdir order).
//
//   "-"            stdin, kept as "-"
//   a directory    its regular files (symlinks followed), in byte order of name,
//                  not recursive, dotfiles skipped; "dir/name"
//   a pattern      (contains * ? or [, and no such file exists) glob(3), sorted by
//                  name; matches that are directories are skipped
//   anything else  kept as given; open_input() reports it if it cannot be opened
//
// Later duplicates are dropped, keeping the first: the same string, or the same file
// (device and inode) reached under another name.

#include <string>
#include <vector>

namespace weir {

struct ExpandOptions {
    // A pattern matching nothing, and a literal path that does not exist, are dropped
    // silently instead of being errors (sources that may not exist yet).
    bool skip_missing = false;
};

// Throws Error(Exit::no_input): "no files match 'logs/*.log'", "cannot open directory
// 'x': ..." (an unreadable directory).
std::vector<std::string> expand_inputs(const std::vector<std::string>& args,
                                       const ExpandOptions& opts = {});

} // namespace weir
