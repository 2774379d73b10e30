# A consumer that stops reading ends weir quietly: no message, status 141 (SIGPIPE),
# and with a checkpoint nothing is committed for the epoch that was not delivered.
weir gen --count 200000 --seed 3 --invalid-ratio 0 > events.ndjson
(weir ingest --checkpoint ck events.ndjson || echo "ingest exit $?" >&2) | head -n 1 | cut -c1-30
weir checkpoint ls ck | head -n 1
