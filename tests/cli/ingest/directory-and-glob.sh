# Directories give their files in name order; globs are expanded and sorted; stdin is '-'.
mkdir d
cp "$WEIR_FIXTURES/ingest-b.ndjson" d/2.ndjson
cp "$WEIR_FIXTURES/ingest-a.ndjson" d/1.ndjson
touch d/.hidden
weir ingest --concat d
echo "+ glob" >&2
weir ingest --concat 'd/*.ndjson' --id-field id | head -n 2
echo "+ stdin" >&2
printf '{"event_id":"s1","event_time":"2024-01-01T00:00:00Z"}\n' | weir ingest -
