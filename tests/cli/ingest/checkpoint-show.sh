# The ingest stage's state is readable: weir checkpoint shows each file's offset.
cp "$WEIR_FIXTURES/ingest-a.ndjson" a.ndjson
weir ingest -q --checkpoint ck --source-field '' a.ndjson > /dev/null
weir checkpoint show ck ingest | jq -c '{epoch, tool, files: [.source_state.sources[] | {path, offset, line, records, done}]}'
weir checkpoint verify ck > /dev/null && echo "verify: ok"
