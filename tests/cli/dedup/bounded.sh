# Bounded mode (--within) with out-of-order events: first occurrences pass, repeats
# within the horizon go to --duplicates, events behind the watermark go to --late, and a
# repeat arriving after its key expired passes again as a first occurrence.
cat > in.ndjson <<'END'
{"id":"a","event_time":"2024-03-01T12:00:00Z","n":1}
{"id":"b","event_time":"2024-03-01T12:00:03Z","n":2}
{"id":"a","event_time":"2024-03-01T12:00:02Z","n":3}
{"id":"c","event_time":"2024-03-01T11:59:59Z","n":4}
{"id":"a","event_time":"2024-03-01T12:00:20Z","n":5}
{"id":"b","event_time":"2024-03-01T12:00:06Z","n":6}
{"id":"a","event_time":"2024-03-01T12:00:21Z","n":7}
{"id":"b","event_time":"2024-03-01T12:00:15Z","n":8}
{"id":"a","event_time":"2024-03-01T12:00:35Z","n":9}
END
echo "+ weir dedup --key id --within 10s --watermark 5s" >&2
weir dedup --key id --within 10s --watermark 5s --duplicates dups.ndjson --late late.ndjson \
    in.ndjson
echo "+ cat dups.ndjson" >&2; cat dups.ndjson >&2
echo "+ cat late.ndjson" >&2; cat late.ndjson >&2
