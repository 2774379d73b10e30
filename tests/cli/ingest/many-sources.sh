# A directory of 300 files merged by event time: all open at once with smaller buffers,
# the output in time order, every record once.
mkdir d
i=0
while [ $i -lt 300 ]; do
    f=$(printf 'd/part-%03d.ndjson' $i)
    # Each file holds 3 records, at seconds i, i+300 and i+600: files interleave.
    for s in $i $((i + 300)) $((i + 600)); do
        printf '{"n":%d,"event_time":%d}\n' $s $((1704067200 + s)) >> "$f"
    done
    i=$((i + 1))
done
weir ingest --source-field '' d > out.ndjson
wc -l < out.ndjson
jq -r .n out.ndjson | sort -n -c && echo "in time order"
jq -r .n out.ndjson | sort -n -u | wc -l
