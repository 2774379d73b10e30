# Output does not depend on how input arrives: the same records through a pipe one
# byte at a time (a dd per byte) give the same output, late and dead-letter files as
# the file read in one block.
printf '%s\n' \
    '{"t":"2024-01-01T00:00:01Z","k":"a","v":1}' \
    '{"t":"2024-01-01T00:00:09Z","k":"b","v":2.5}' \
    '{"t":"2024-01-01T00:00:04Z","k":"\u00e9","v":3}' \
    '{"t":"2024-01-01T00:00:12Z","k":"a","v":4}' \
    '{"t":"2024-01-01T00:00:02Z","k":"a","v":5}' \
    '{"t":"2024-01-01T00:00:11Z","k":"b","v":' \
    '{"t":"2024-01-01T00:00:25Z","k":"b","v":6}' > events.ndjson
printf '{"t":"2024-01-01T00:00:31Z","k":"a","v":7}' >> events.ndjson # no final newline
set -- --time t --size 10s --watermark 2s --by k --agg count --agg sum:v --agg last:v
weir window -q events.ndjson "$@" -o block.ndjson --late block-late.ndjson \
    --dlq block-dead.ndjson
n=$(wc -c < events.ndjson)
i=0
while [ $i -lt "$n" ]; do
    dd if=events.ndjson bs=1 skip=$i count=1 status=none
    i=$((i + 1))
done | weir window -q "$@" -o bytes.ndjson --late bytes-late.ndjson --dlq bytes-dead.ndjson
cat block.ndjson
cmp block.ndjson bytes.ndjson && echo "output: same"
# Side files name the source (the file or <stdin>): compare from the line number on.
for f in late dead; do
    sed 's/"source":"[^"]*",//' block-$f.ndjson > a.txt
    sed 's/"source":"[^"]*",//' bytes-$f.ndjson > b.txt
    cmp a.txt b.txt && echo "$f: same ($(wc -l < a.txt) lines)"
done
