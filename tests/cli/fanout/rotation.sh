# Rotation by size and by event time: predictable names part-000001.ndjson, ...; a
# file appears under its final name only when complete (hidden .inprogress before).
i=0
while [ $i -lt 10 ]; do
    printf '{"id":%d,"event_time":"2024-03-01T%02d:%02d:00Z","pad":"xxxxxxxxxx"}\n' \
        $i $((i / 3)) $((i * 7 % 60))
    i=$((i + 1))
done > events.ndjson
echo "--- by size: 200 bytes"
weir fanout -q events.ndjson --to size/part.ndjson --rotate-size 200
for f in size/*; do echo "$f: $(wc -l < $f) records, $(wc -c < $f) bytes"; done
echo "--- by event time: 1h, per partition"
weir fanout -q events.ndjson --rotate-every 1h --to 'hour/p={id}.ndjson' --to hourly.ndjson
ls hour | head -3
for f in hourly-*; do echo "$f: $(cut -c1-50 $f | tr '\n' ' ')"; done
echo "--- both, for one destination only; the other does not rotate"
weir fanout -q events.ndjson --to a.ndjson --rotate-every 2h --rotate-size 150 --to b.ndjson
ls a-* b*
