# -o with a checkpoint: a run that died before committing leaves its partial output,
# which the next run cuts back to the committed length before going on.
cp "$WEIR_FIXTURES/ingest-a.ndjson" a.ndjson
weir ingest --checkpoint ck --source-field '' -o out.ndjson a.ndjson
printf '{"partial":"from a crashed run"}\n' >> out.ndjson
cp "$WEIR_FIXTURES/ingest-b.ndjson" b.ndjson
weir ingest --checkpoint ck --source-field '' -o out.ndjson a.ndjson b.ndjson
cat out.ndjson
echo "+ stdout truncated by '>' is refused" >&2
cp "$WEIR_FIXTURES/ingest-a.ndjson" c.ndjson
weir ingest --checkpoint ck2 --source-field '' c.ndjson > s.ndjson
weir ingest --checkpoint ck2 --source-field '' c.ndjson > s.ndjson || echo "exit $?" >&2
