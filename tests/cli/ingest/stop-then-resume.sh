# SIGTERM stops a followed, checkpointed ingest cleanly (exit 143) with its offsets
# committed; the next run, cron style, reads only what arrived since.
line() { printf '{"event_id":"%s","event_time":"2024-01-01T00:00:%02dZ"}\n' "$1" "$2"; }
line f1 1 > app.log
line f2 2 >> app.log
: > out1.ndjson
weir ingest --follow --poll 20ms --checkpoint ck --source-field '' app.log > out1.ndjson &
pid=$!
i=0
while [ "$(wc -l < out1.ndjson)" -lt 2 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid || echo "follow run: exit $?"
line f3 3 >> app.log
echo "+ run 2"
weir ingest --checkpoint ck --source-field '' app.log
