# --stats summarises a stream: records, bytes, time span, sources, barriers.
weir ingest --checkpoint ck --wire frames --checkpoint-every 3 --label A='*ingest-a*' --label B='*ingest-b*' \
    "$WEIR_FIXTURES/ingest-a.ndjson" "$WEIR_FIXTURES/ingest-b.ndjson" > s.frames
weir cat --stats s.frames
echo "+ on NDJSON" >&2
weir cat --stats < "$WEIR_FIXTURES/ingest-a.ndjson"
