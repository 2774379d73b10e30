# NDJSON -> frames -> NDJSON gives back the exact bytes; also with zstd payloads, and
# WEIR_WIRE=frames switches a whole pipeline.
cp "$WEIR_FIXTURES/ingest-a.ndjson" "$WEIR_FIXTURES/ingest-b.ndjson" .
weir ingest --source-field '' ingest-a.ndjson ingest-b.ndjson > plain.ndjson
weir ingest --wire frames --source-field '' ingest-a.ndjson ingest-b.ndjson > s.frames
weir cat s.frames > back.ndjson
cmp plain.ndjson back.ndjson && echo "frames: identical"
weir ingest --wire frames --compress --source-field '' ingest-a.ndjson ingest-b.ndjson | weir cat > back2.ndjson
cmp plain.ndjson back2.ndjson && echo "zstd frames: identical"
WEIR_WIRE=frames weir ingest --source-field '' "$WEIR_FIXTURES/ingest-a.ndjson" | WEIR_WIRE=frames weir cat | weir cat --wire ndjson | head -n 1
echo "+ frames to frames keeps positions for messages" >&2
weir cat --wire frames < s.frames | weir cat --stats
