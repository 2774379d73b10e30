# .gz and .zst sources are decompressed by their magic bytes, whatever their names.
command -v zstd >/dev/null || exit 77
gzip -c "$WEIR_FIXTURES/ingest-a.ndjson" > a.ndjson.gz
zstd -q -c "$WEIR_FIXTURES/ingest-b.ndjson" > b.data
weir ingest --source-field '' a.ndjson.gz b.data
echo "+ truncated gzip keeps what was read" >&2
head -c 60 a.ndjson.gz > cut.gz
weir ingest --source-field '' cut.gz || echo "exit $?"
