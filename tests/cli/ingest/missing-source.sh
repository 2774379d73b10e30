# A missing source exits 66 naming it, unless --skip-missing.
weir ingest nope.ndjson || echo "exit $?"
weir ingest 'nothing-*.ndjson' || echo "exit $?"
cp "$WEIR_FIXTURES/ingest-b.ndjson" b.ndjson
weir ingest --skip-missing --source-field '' nope.ndjson b.ndjson
