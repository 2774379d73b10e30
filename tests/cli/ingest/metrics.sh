# --metrics appends JSON lines (the last one final) whose numbers balance;
# --metrics-format prometheus writes a node_exporter textfile.
cp "$WEIR_FIXTURES/bad-lines.ndjson" .
weir ingest -q --dlq dlq.ndjson --metrics m.jsonl bad-lines.ndjson > out.ndjson
tail -n 1 m.jsonl | jq -c '{final, tool, stage, records_in, records_out, rejects, epoch, unaccounted}'
echo "+ prometheus" >&2
weir ingest -q --dlq dlq.ndjson --metrics m.prom --metrics-format prometheus bad-lines.ndjson > out.ndjson
grep -E '^weir_(records_in_total|records_out_total|rejects_total)' m.prom
echo "+ a metrics file that cannot be created" >&2
weir ingest -q --metrics no/such/dir/m.jsonl bad-lines.ndjson > /dev/null || echo "exit $?" >&2
