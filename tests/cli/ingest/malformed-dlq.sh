# Malformed lines go to the dead-letter file with file, line and reason; good ones pass.
weir ingest --source-field '' --dlq dlq.ndjson "$WEIR_FIXTURES/bad-lines.ndjson" 2>err.txt
sed "s|$WEIR_FIXTURES/||g" err.txt >&2
echo "+ cat dlq.ndjson" >&2
sed "s|$WEIR_FIXTURES/||g" dlq.ndjson >&2
echo "+ --strict stops at the first" >&2
weir ingest --strict "$WEIR_FIXTURES/bad-lines.ndjson" 2>&1 >/dev/null | sed "s|$WEIR_FIXTURES/||g" >&2 || true
weir ingest --strict "$WEIR_FIXTURES/bad-lines.ndjson" >/dev/null 2>&1 || echo "strict exit $?" >&2
echo "+ --fail-on-dlq" >&2
weir ingest -q --fail-on-dlq --dlq d2.ndjson "$WEIR_FIXTURES/bad-lines.ndjson" >/dev/null || echo "exit $?" >&2
