# Same seed and options: the same bytes, through a pipe or a file; another seed differs.
weir-gen -n 5000 --seed 42 -o a.ndjson
weir-gen -n 5000 --seed 42 | cmp - a.ndjson && echo "same seed: same bytes"
weir-gen -n 5000 --seed 43 | cmp -s - a.ndjson || echo "other seed: other bytes"
