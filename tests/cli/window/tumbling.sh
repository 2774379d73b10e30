# Tumbling one-minute windows by shop over a small hand-written stream: out of order
# rows inside the 30 s watermark count, rows behind it go to --late (never
# aggregated), a non-number for sum goes to the dead-letter file whole, a missing
# --by field is the null group. Output: by window end, then group key.
cat > events.ndjson <<'EOF'
{"event_time":"2024-03-01T12:00:05Z","shop":"north","item":"tea","amount":3.5,"user":"u1"}
{"event_time":"2024-03-01T12:00:40Z","shop":"south","item":"cake","amount":4,"user":"u2"}
{"event_time":"2024-03-01T12:00:20Z","shop":"north","item":"tea","amount":2,"user":"u1"}
{"event_time":"2024-03-01T12:01:10Z","shop":"north","item":"cake","amount":5,"user":"u3"}
{"event_time":"2024-03-01T12:00:59.999Z","shop":"south","item":"tea","amount":1.25,"user":"u2"}
{"event_time":"2024-03-01T12:01:45Z","shop":"south","item":"tea","amount":6,"user":"u4"}
{"event_time":"2024-03-01T12:00:30Z","shop":"north","item":"tea","amount":9,"user":"u5"}
{"event_time":"2024-03-01T12:01:05Z","item":"tea","amount":2,"user":"u1"}
{"event_time":"2024-03-01T12:02:00Z","shop":"north","item":"tea","amount":"n/a","user":"u6"}
{"event_time":"2024-03-01T12:02:30Z","shop":"north","item":"tea","amount":7,"user":"u6"}
{"event_time":"2024-03-01T12:01:58Z","shop":"south","item":"cake","amount":1,"user":"u2"}
{"shop":"north","amount":1}
{"event_time":"2024-03-01T12:03:01Z","shop":"north","item":"tea","amount":0,"user":"u7"}
EOF
weir window events.ndjson --size 1m --watermark 30s --by shop --agg count \
    --agg sum:amount --agg max:amount --agg distinct:user --late late.ndjson --dlq dead.ndjson
echo "--- late"
cat late.ndjson
echo "--- dead letters"
cat dead.ndjson
echo "--- two keys, --emit update: changes as the watermark moves, each group final once"
weir window -q events.ndjson --size 1m --watermark 30s --by item,shop --emit update \
    --agg count --agg last:user
