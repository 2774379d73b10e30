# Without --quarantine invalid records are counted and reported, never passed on.
cp "$WEIR_FIXTURES/validate-events.ndjson" events.ndjson
weir validate --require user_id --enum event_type:view events.ndjson
