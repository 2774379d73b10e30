# Sliding windows (--size 10m --slide 5m): each event counts in two windows. A row
# behind the watermark for its earlier window only is aggregated into the later one
# and also written to --late; a row late for both is only written there. Nested --by
# paths come back as one object.
cat > events.ndjson <<'EOF'
{"ts":"2024-05-05T08:01:00Z","device":{"os":"ios","type":"phone"},"ms":120,"id":1}
{"ts":"2024-05-05T08:04:00Z","device":{"os":"android","type":"phone"},"ms":80,"id":2}
{"ts":"2024-05-05T08:03:00Z","device":{"type":"phone","os":"ios"},"ms":100,"id":3}
{"ts":"2024-05-05T08:07:30Z","device":{"os":"ios","type":"tablet"},"ms":300,"id":4}
{"ts":"2024-05-05T08:11:00Z","device":{"os":"ios","type":"phone"},"ms":90,"id":5}
{"ts":"2024-05-05T08:09:00Z","device":{"os":"ios","type":"phone"},"ms":60,"id":6}
{"ts":"2024-05-05T08:04:59Z","device":{"os":"android","type":"phone"},"ms":70,"id":7}
{"ts":"2024-05-05T08:15:00Z","device":{"os":"ios","type":"phone"},"ms":40,"id":8}
EOF
weir window events.ndjson --time ts --size 10m --slide 5m --watermark 1m \
    --by device.os,device.type --agg count --agg avg:ms --agg p50:ms --agg collect:id \
    --late late.ndjson
echo "--- late"
cat late.ndjson
