# --follow keeps reading as the file grows, through a rotation (rename + new file) and a
# truncation, like tail -F; SIGTERM stops it cleanly (exit 143).
wait_lines() {  # wait until out.ndjson has $1 lines (at most 10 s)
    i=0
    while [ "$(wc -l < out.ndjson)" -lt "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
line() { printf '{"event_id":"%s","event_time":"2024-01-01T00:00:%02dZ"}\n' "$1" "$2"; }

line f1 1 > app.log
: > out.ndjson
weir ingest --follow --poll 20ms --source-field '' app.log > out.ndjson &
pid=$!
wait_lines 1
line f2 2 >> app.log
wait_lines 2
mv app.log app.log.1
line f3 3 >> app.log.1   # written to the old file after the rename: still read
line f4 4 > app.log
wait_lines 4
: > app.log              # truncation: read again from the start
sleep 0.2
line f5 5 >> app.log
wait_lines 5
kill -TERM $pid
wait $pid || echo "exit $?"
cat out.ndjson
