# On the frames wire records keep their event times and positions; the quarantine is
# NDJSON whatever the wire.
cp "$WEIR_FIXTURES/validate-events.ndjson" events.ndjson
weir ingest --wire frames --source-field '' events.ndjson 2>/dev/null |
    weir validate --require user_id --quarantine q.ndjson --now 2024-03-02T00:00:00Z |
    weir cat --stats
echo "--- quarantine"
cat q.ndjson
