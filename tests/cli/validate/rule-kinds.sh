# Every flag rule kind, in command-line order: valid records pass as their exact bytes;
# invalid ones reach the quarantine with the failed rules in rule order; malformed JSON
# goes to the dead-letter file, a non-object fails not_an_object.
cp "$WEIR_FIXTURES/validate-events.ndjson" events.ndjson
weir validate events.ndjson --now 2024-03-02T00:00:00Z \
    --require event_id,user_id --type amount:number --range amount:0..1000 \
    --enum event_type:view,purchase --match 'device.os:^(ios|android)$' \
    --not-future event_time:5m --max-age event_time:30d \
    --quarantine quarantine.ndjson --dlq dead.ndjson
echo "--- quarantine"
cat quarantine.ndjson
echo "--- dead letters"
cat dead.ndjson
