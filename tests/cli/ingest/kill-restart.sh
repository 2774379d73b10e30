# kill -9 of ingest mid-run, then a restart: every record exactly once, for the NDJSON
# wire (commit at end of input) and for frames with barriers every 500 records.
weir gen --count 20000 --seed 7 --invalid-ratio 0 > events.ndjson
weir ingest --source-field '' events.ndjson > expected.ndjson
weir ingest --wire frames --source-field '' events.ndjson | weir cat > expected-frames.ndjson

for wire in ndjson frames; do
    rm -rf ck out
    every=""; [ $wire = frames ] && every="--checkpoint-every 500"
    weir ingest --checkpoint ck --wire $wire $every --max-rate 20000 \
        --source-field '' -o out events.ndjson 2>/dev/null &
    pid=$!
    sleep 0.4
    kill -9 $pid 2>/dev/null || echo "$wire: finished before the kill" >&2
    wait $pid 2>/dev/null || true
    weir ingest --checkpoint ck --wire $wire $every --source-field '' \
        -o out events.ndjson 2>/dev/null
    if [ $wire = frames ]; then
        weir cat out > got.ndjson
        cmp got.ndjson expected-frames.ndjson && echo "$wire: identical"
    else
        cmp out expected.ndjson && echo "$wire: identical"
    fi
done 2>/dev/null
