# A subcommand is required; CLI11's own exit codes are never used.
weir-checkpoint
