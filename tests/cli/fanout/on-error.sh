# --on-error: a command that stops reading mid-stream, under each policy. fail (the
# default) ends the run (exit 74); dlq sends the destination's records to the
# dead-letter file from then on while the others get every record; retry:N restarts
# the command N times with backoff, then fails. A bad exit status at the end is an
# error, or a warning under dlq.
weir gen --count 20000 --seed 1 --invalid-ratio 0 > events.ndjson
echo "--- fail"
weir fanout -q events.ndjson --to '|head -c 100 >/dev/null' --to all.ndjson ||
    echo "exit $?"
echo "--- dlq"
weir fanout events.ndjson --to '|head -c 100 >/dev/null' --on-error dlq --to all.ndjson \
    --dlq dead.ndjson 2> err
echo "exit $?; all.ndjson: $(wc -l < all.ndjson) records"
[ "$(wc -l < dead.ndjson)" -gt 0 ] && echo "dead.ndjson: some records"
grep -c '"reason":"unprocessable","detail":"--to' dead.ndjson > /dev/null && echo "with reason and destination"
grep warning: err | grep -v "more problems"
echo "--- retry:2"
weir fanout -q events.ndjson --to '|head -c 100 >/dev/null' --on-error retry:2 ||
    echo "exit $?"
echo "--- a failing exit status under dlq"
weir fanout events.ndjson --to '|cat >/dev/null; exit 3' --on-error dlq --to all.ndjson
echo "exit $?"
weir fanout events.ndjson --to x.ndjson --on-error retry:x || echo "exit $?"
