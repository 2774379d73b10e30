# Path templates, Hive style: directories made as needed, values sanitised for paths,
# missing or null values in __HIVE_DEFAULT_PARTITION__, a time field formatted; more
# partitions than --max-open open files.
cat > events.ndjson <<'JSON'
{"id":1,"type":"click","event_time":"2024-03-01T10:00:00Z","user":"a/b"}
{"id":2,"type":"view","event_time":"2024-03-02T10:00:00Z","user":"..x"}
{"id":3,"type":"click","event_time":"2024-03-02T23:59:59+02:00","user":"c d"}
{"id":4,"event_time":1709400000,"user":null}
{"id":5,"type":"view","event_time":"yesterday","user":"k=v?"}
{"id":6,"type":"click","event_time":"2024-03-01T11:00:00Z","user":"a/b"}
JSON
weir fanout -q events.ndjson --max-open 2 \
    --to 'out/date={event_time:%Y-%m-%d}/type={type}/part.ndjson' \
    --to 'users/{user}.ndjson'
find out users -type f | sort | while read -r f; do echo "--- $f"; cat "$f"; done
