# --annotate passes every record on with _valid and _errors; nothing is quarantined.
cp "$WEIR_FIXTURES/validate-events.ndjson" events.ndjson
weir validate --annotate --require user_id --range amount:0..100 \
    --now 2024-03-02T00:00:00Z events.ndjson 2>/dev/null
echo "--- with --quarantine"
weir validate --annotate --quarantine q --require user_id events.ndjson ||
    echo "exit $?"
