# Compressed destinations: .gz and .zst are NDJSON in gzip members / zstd frames, one
# per checkpoint epoch, read back by gzip, zstd and weir as one stream.
weir gen --count 3000 --seed 4 --invalid-ratio 0 > events.ndjson
weir ingest -q --checkpoint ck --wire frames --checkpoint-every 1000 --source-field '' \
    events.ndjson |
    weir fanout -q --checkpoint ck --to 'z/{event_type}.ndjson.zst' --to all.ndjson.gz
gzip -dc all.ndjson.gz | cmp - events.ndjson && echo "all.ndjson.gz: every record"
weir cat all.ndjson.gz | cmp - events.ndjson && echo "weir cat reads it too"
for f in z/*; do
    printf '%s: %s records\n' "$f" "$(weir cat "$f" | wc -l)"
done
weir cat z/* | sort | cmp - "$(sort events.ndjson > sorted; echo sorted)" && echo "partitions: every record"
