#pragma once

// Reading a small configuration file (a rules file, a JSON Schema) whole at start-up.
// Both validate inputs are read the same way so a missing or unreadable file gives the
// same message and the same exit code (66, "cannot open an input") whichever flag named it.

#include <string>

namespace weir {

// The whole content of `path`. Throws Error(Exit::no_input,
// "cannot open 'rules.toml': No such file or directory") when the file cannot be opened
// or read (a directory included).
std::string read_text_file(const std::string& path);

} // namespace weir
