echo "+ weir-gen --bogus" >&2
weir-gen --bogus || echo "exit $?" >&2
echo "+ weir-gen --count 5 --bytes 1M" >&2
weir-gen --count 5 --bytes 1M || echo "exit $?" >&2
echo "+ weir-gen --dup-ratio 1.5" >&2
weir-gen --dup-ratio 1.5 || echo "exit $?" >&2
echo "+ weir-gen --max-delay 5x" >&2
weir-gen --max-delay 5x || echo "exit $?" >&2
echo "+ weir-gen --bytes lots" >&2
weir-gen --bytes lots || echo "exit $?" >&2
echo "+ weir-gen --start yesterday" >&2
weir-gen --start yesterday || echo "exit $?" >&2
echo "+ weir-gen -n 1 -o no/such/dir/out.ndjson" >&2
weir-gen -n 1 -o no/such/dir/out.ndjson || echo "exit $?" >&2
echo "+ weir-gen --count 3 --rate" >&2
weir-gen --count 3 --rate
