# A named pipe is a source like a file: merged by event time with a regular file.
mkfifo pipe
cat "$WEIR_FIXTURES/ingest-b.ndjson" > pipe &
cp "$WEIR_FIXTURES/ingest-a.ndjson" a.ndjson
weir ingest --label fifo=pipe --source-field src a.ndjson pipe | jq -c "{event_id, src}"
wait
