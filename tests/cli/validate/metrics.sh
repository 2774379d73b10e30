# Failures per rule reach the metrics file: JSON lines and a Prometheus textfile.
cp "$WEIR_FIXTURES/validate-events.ndjson" events.ndjson
weir validate -q --require user_id --enum event_type:view,purchase --metrics m.json \
    events.ndjson >/dev/null
tail -n 1 m.json | grep -o '"rule_failures":{[^}]*}'
tail -n 1 m.json | grep -o '"quarantine":{[^}]*}'
weir validate -q --require user_id --metrics m.prom --metrics-format prometheus \
    events.ndjson >/dev/null
grep rule_failures m.prom
