# A checkpoint directory that does not exist cannot be opened (exit 66).
weir-checkpoint ls no-such-dir
