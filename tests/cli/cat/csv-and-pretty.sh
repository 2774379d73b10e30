# --to csv with chosen columns (nested paths too), and --pretty for people.
printf '{"id":1,"device":{"os":"linux"},"note":"a, \\"b\\""}\n{"id":2,"device":{"os":"ios"}}\n' > in.ndjson
weir cat --to csv --fields id,device.os,note in.ndjson
echo "+ --pretty" >&2
weir cat --pretty in.ndjson | head -n 6
echo "+ usage errors" >&2
weir cat --to csv in.ndjson || echo "exit $?" >&2
weir cat --bogus || echo "exit $?" >&2
