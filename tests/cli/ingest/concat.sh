# --concat reads the sources one after another; --source-field renames the tag.
cp "$WEIR_FIXTURES/ingest-a.ndjson" a.ndjson
cp "$WEIR_FIXTURES/ingest-b.ndjson" b.ndjson
weir ingest --concat --source-field src b.ndjson a.ndjson
echo "+ no tag at all" >&2
weir ingest --concat --source-field '' a.ndjson | head -n 1
