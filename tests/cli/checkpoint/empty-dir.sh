# An empty checkpoint directory: nothing committed, nothing damaged.
mkdir ck
echo "+ weir-checkpoint ls ck" >&2
weir-checkpoint ls ck
echo "+ weir-checkpoint verify ck" >&2
weir-checkpoint verify ck
