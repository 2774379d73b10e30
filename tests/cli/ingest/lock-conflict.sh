# Two runs of one stage on one checkpoint directory: the second exits 75 naming the pid.
cp "$WEIR_FIXTURES/ingest-a.ndjson" a.ndjson
weir ingest --checkpoint ck --follow --poll 50ms a.ndjson > out.ndjson &
pid=$!
i=0
while [ ! -s out.ndjson ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
weir ingest --checkpoint ck a.ndjson 2>err.txt && echo "second run should have failed"
status=$?
sed "s/pid $pid/pid PID/" err.txt >&2
kill -TERM $pid
wait $pid || echo "first run: exit $?"
echo "exit of the second: $status"
