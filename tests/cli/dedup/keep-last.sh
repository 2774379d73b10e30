# --keep last: each key's last occurrence is written when its horizon closes (the
# watermark reaches first occurrence + --within), or at the end of input; the
# occurrences it replaced go to --duplicates.
cat > in.ndjson <<'END'
{"id":"a","event_time":"2024-03-01T12:00:00Z","v":1}
{"id":"b","event_time":"2024-03-01T12:00:01Z","v":1}
{"id":"a","event_time":"2024-03-01T12:00:04Z","v":2}
{"id":"b","event_time":"2024-03-01T12:00:02Z","v":2}
{"id":"a","event_time":"2024-03-01T12:00:08Z","v":3}
{"id":"c","event_time":"2024-03-01T12:00:12Z","v":1}
{"id":"a","event_time":"2024-03-01T12:00:13Z","v":4}
END
echo "+ weir dedup --key id --within 10s --watermark 1s --keep last" >&2
weir dedup --key id --within 10s --watermark 1s --keep last --duplicates dups.ndjson in.ndjson
echo "+ jq-like view of dups.ndjson" >&2
sed 's/.*"line":\([0-9]*\).*"kept_event_time":"\([^"]*\)".*/line \1 replaced by the occurrence at \2/' \
    dups.ndjson >&2
