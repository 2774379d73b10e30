# On frames: the records written carry their event times downstream (bounded mode reads
# them; global mode has the loop read them), and a frames input's carried times are used.
cat > in.ndjson <<'END'
{"id":"a","event_time":"2024-03-01T12:00:00Z"}
{"id":"b","event_time":"2024-03-01T12:00:05Z"}
{"id":"a","event_time":"2024-03-01T12:00:07Z"}
END
for mode in "--within 1m" "--global"; do
    echo "+ weir dedup --key id $mode --wire frames | weir cat --stats" >&2
    weir dedup -q --key id $mode --wire frames in.ndjson | weir cat --stats |
        grep -o '"records":[0-9]*\|"min_event_time":"[^"]*"\|"max_event_time":"[^"]*"'
done
echo "+ weir cat --wire frames | weir dedup --key id --within 5s" >&2
weir cat --wire frames in.ndjson | weir dedup -q --key id --within 5s
