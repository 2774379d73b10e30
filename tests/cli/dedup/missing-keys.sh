# Records without the key (missing or null) are dead-lettered, or passed on with
# --missing-key pass; an object or array is never a key.
cat > in.ndjson <<'END'
{"id":"a","n":1}
{"n":2}
{"id":null,"n":3}
{"id":{"x":1},"n":4}
{"id":"a","n":5}
{"n":6}
END
echo "+ weir dedup --global --key id --dlq dlq.ndjson" >&2
weir dedup --global --key id --dlq dlq.ndjson in.ndjson
echo "+ cut -c1-90 dlq.ndjson" >&2; cut -c1-90 dlq.ndjson >&2
echo "+ weir dedup --global --key id --missing-key pass" >&2
weir dedup --global --key id --missing-key pass in.ndjson 2>&1
